"""Where the policy pack is, for ``versionguard pack-path``.

Two places hold a pack that runs this package: ``policies/`` beside the package in a source
checkout (its PulumiPolicy.yaml points at the repository's ``.venv``), and ``data/pack/`` inside the
package (its PulumiPolicy.yaml points six levels up, at the virtualenv of a regular install). The
Pulumi CLI runs a pack with the Python of its ``virtualenv`` option (resolved against the pack's
directory, lexically), so a pack only works when that is the virtualenv versionguard itself runs
in: the one whose virtualenv is this interpreter's is the answer.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from versionguard.adapters.files.safe_load import read_yaml
from versionguard.core.errors import InputError

PACKAGE = Path(__file__).resolve().parents[2]
CANDIDATES = (PACKAGE.parent, PACKAGE / "data" / "pack")  # source checkout first, then the installed pack


def pack_virtualenv(pack: Path) -> Path | None:
    """The ``runtime.options.virtualenv`` of a pack, resolved as the Pulumi CLI does; None without one."""
    try:
        data = read_yaml(pack / "PulumiPolicy.yaml", "PulumiPolicy.yaml")
    except InputError:  # no readable pack here: not a candidate
        return None
    runtime = data.get("runtime") if isinstance(data, dict) else None
    options = runtime.get("options") if isinstance(runtime, dict) else None
    venv = options.get("virtualenv") if isinstance(options, dict) else None
    return Path(os.path.normpath(os.path.join(pack, venv))) if isinstance(venv, str) and venv else None


def _same(a: Path, b: Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def locate_pack(prefix: str = sys.prefix) -> Path:
    """The pack directory to pass to ``pulumi preview --policy-pack``."""
    for pack in CANDIDATES:
        venv = pack_virtualenv(pack)
        if (pack / "__main__.py").is_file() and venv is not None and _same(venv, Path(prefix)):
            return pack
    raise InputError("versionguard pack-path", f"{CANDIDATES[-1] / 'PulumiPolicy.yaml'}: runtime.options.virtualenv",
                     "versionguard installed in a virtualenv (python -m venv DIR && DIR/bin/pip install versionguard; "
                     "pipx works too): the Pulumi CLI runs the pack with that virtualenv's Python",
                     f"an interpreter whose prefix is {prefix}")
