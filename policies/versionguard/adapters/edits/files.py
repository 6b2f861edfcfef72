"""Reading a file to edit with its digest, and writing the edit only if the file is still what was planned."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from versionguard.core.errors import InputError


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_for_edit(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise InputError(str(path), "(file)", "a readable file to edit", e.strerror or str(e)) from None


def write_if_unchanged(path: Path, planned_digest: str, content: bytes) -> None:
    """Replace ``path`` with ``content`` atomically (same permissions) when its bytes still have
    ``planned_digest``; a file changed on disk since the plan is refused (InputError, exit 2)."""
    if digest(read_for_edit(path)) != planned_digest:
        raise InputError(str(path), "(file)", "the content fix planned its edit on (the file changed on disk since "
                         "the plan; run fix again)", "changed")
    mode = path.stat().st_mode & 0o7777
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except OSError as e:
        raise InputError(str(path), "(file)", "a writable file", e.strerror or str(e)) from None
