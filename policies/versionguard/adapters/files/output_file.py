"""Writing output files (reports, catalogs, charts): the one place a write fails as an InputError.

A directory, a path below a plain file, a missing permission or a full disk is exit 2 naming the
path and the option that gave it, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from versionguard.core.errors import InputError


def write_output(path: Path, content: str | bytes | Iterable[str], flag: str = "--output") -> None:
    """Write ``content`` (text as UTF-8, or text in pieces) to ``path``, creating missing parent directories."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, "utf-8")
        else:
            with path.open("w", encoding="utf-8") as handle:
                for piece in content:
                    handle.write(piece)
    except OSError as exc:
        raise InputError(str(path), flag, "a writable file path", exc.strerror or str(exc)) from None
