"""Project Python environments for the offline-runner tests, built once and cached outside the repo.

Like ``scripts/install-pulumi-cli``, everything lives under ``${VERSIONGUARD_TOOLS:-~/.cache/versionguard}``
and is keyed by what it is built from (requirements text, Python version), so a warm run only checks
a stamp. A build goes to a temporary directory first and is renamed into place when complete; an
exclusive lock keeps two test processes from building the same one.

- ``pip_venv(name)``: a venv with exactly the distributions of ``tests/fixtures/venvs/<name>.txt``.
- ``uv_project(src)``: a copy of a uv project with its ``.venv`` made by ``uv sync`` (uv from the
  test extras); the copy's ``uv.lock`` is written there, never in the repo.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support import ROOT

VENV_SPECS = ROOT / "tests" / "fixtures" / "venvs"
# Read once, at import: tests clear VERSIONGUARD_* from their environment.
CACHE = Path(os.environ.get("VERSIONGUARD_TOOLS") or Path.home() / ".cache" / "versionguard") / "environments"
STAMP = ".complete"


def pip_venv(name: str) -> Path:
    spec = VENV_SPECS / f"{name}.txt"

    def build(target: Path) -> None:
        _run([sys.executable, "-m", "venv", str(target)])
        _run([str(target / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
              "--no-deps", "-r", str(spec)])

    return _cached(name, spec.read_bytes(), build)


def uv_project(src: Path) -> Path:
    """A built copy of the uv project ``src`` (its files and the environment uv made for it)."""
    files = sorted(p for p in src.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    key = b"".join(p.relative_to(src).as_posix().encode() + p.read_bytes() for p in files)

    def build(target: Path) -> None:
        shutil.copytree(src, target, ignore=shutil.ignore_patterns("__pycache__", ".venv", "uv.lock"))
        env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "UV_PROJECT_ENVIRONMENT": str(target / ".venv")}
        _run([str(Path(sys.executable).parent / "uv"), "sync", "--quiet", "--python", sys.executable],
             cwd=target, env=env)

    return _cached(f"uv-{src.name}", key, build, relocatable=False)


def _cached(name: str, spec: bytes, build: Callable[[Path], None], relocatable: bool = True) -> Path:
    digest = hashlib.sha256(spec + sys.version.encode()).hexdigest()[:12]
    target = CACHE / f"{name}-{digest}"
    if (target / STAMP).is_file():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    with _locked(CACHE / f"{name}.lock"):
        if (target / STAMP).is_file():
            return target
        shutil.rmtree(target, ignore_errors=True)
        if relocatable:  # build aside, then move into place whole
            staging = CACHE / f".{target.name}.{os.getpid()}"
            shutil.rmtree(staging, ignore_errors=True)
            build(staging)
            staging.rename(target)
        else:  # uv records the environment's path: build in place, the stamp marks it complete
            build(target)
        (target / STAMP).write_text("ok\n")
    return target


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _run(command: list[str], **kwargs: object) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    if done.returncode != 0:
        output = done.stdout[-2000:] + done.stderr[-4000:]
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{output}")
