"""Build versionguard's wheel and install it into a fresh virtualenv, as someone adopting it would.

The wheel is built from a copy of the sources (so no build/ or egg-info lands in the repo) with the
pinned setuptools of the test extra, then installed into a virtualenv outside the repo:
``${VERSIONGUARD_TOOLS:-~/.cache/versionguard}/wheel-venv-<hash of pyproject.toml and constraints.txt>``.
Creating that virtualenv (every dependency, ~1 minute) happens once per dependency set; the wheel
itself is rebuilt and reinstalled (``--no-deps``) on every call, so the installed code is always
the working tree's.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.support import ROOT

TOOLS = Path(os.environ.get("VERSIONGUARD_TOOLS") or Path.home() / ".cache" / "versionguard")


def _run(*args: str | Path, cwd: Path | None = None) -> str:
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return done.stdout


def build_wheel(out: Path) -> Path:
    """The wheel of the working tree, written to ``out``."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        (src / "policies").mkdir(parents=True)
        for name in ("pyproject.toml", "README.md"):
            shutil.copy(ROOT / name, src / name)
        shutil.copytree(ROOT / "policies" / "versionguard", src / "policies" / "versionguard",
                        ignore=shutil.ignore_patterns("__pycache__"))
        _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", out, src)
    [wheel] = out.glob("versionguard-*.whl")
    return wheel


def installed_venv(work: Path) -> Path:
    """A virtualenv (outside the repo, cached) with this tree's wheel installed in it."""
    key = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + (ROOT / "constraints.txt").read_bytes())
    venv = TOOLS / f"wheel-venv-{key.hexdigest()[:16]}"
    wheel = build_wheel(work)
    if not (venv / ".complete").exists():
        shutil.rmtree(venv, ignore_errors=True)
        _run(sys.executable, "-m", "venv", venv)
        _run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", "-c", ROOT / "constraints.txt", wheel)
        (venv / ".complete").write_text(str(wheel.name))
    _run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", wheel)
    return venv
