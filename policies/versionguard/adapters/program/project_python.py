"""Which Python runs a project's program: the project's own environment, found as Pulumi finds it.

In order: ``--python`` (an interpreter or a virtualenv directory); else the toolchain of
``runtime.options`` in Pulumi.yaml (unset = Pulumi's auto-detection: a ``uv.lock`` above the program
means uv, a ``poetry.lock`` poetry, otherwise pip):

- pip: ``runtime.options.virtualenv`` (relative to the project); without it, versionguard's own
  interpreter (where Pulumi would use ``python3`` from PATH);
- uv: ``virtualenv`` if set, else ``.venv`` (or ``$UV_PROJECT_ENVIRONMENT``) beside the nearest
  ``uv.lock``, else beside the nearest ``pyproject.toml``, else in the program directory;
- poetry: the environment ``poetry env info --path`` names.

A missing environment is an error that says how to create it; versionguard never creates or
changes one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from versionguard.adapters.program.project import Project
from versionguard.core.errors import InputError

TOOLCHAINS = ("pip", "uv", "poetry")
POETRY_TIMEOUT = 120.0  # seconds for `poetry env info --path`


@dataclass(frozen=True)
class ProgramPython:
    executable: Path
    source: str  # how it was chosen, for the report
    venv: Path | None = None  # the virtualenv it belongs to (activated for the program), if any


def find_python(project: Project, override: Path | None = None) -> ProgramPython:
    if override is not None:
        return _given(override)
    toolchain = project.options.get("toolchain")
    if toolchain is not None and (not isinstance(toolchain, str) or toolchain.lower() not in (*TOOLCHAINS, "auto")):
        raise InputError(str(project.file), "runtime.options.toolchain", "one of " + ", ".join(TOOLCHAINS), toolchain)
    toolchain = (toolchain or "auto").lower()
    program_dir = project.program if project.program.is_dir() else project.program.parent
    if toolchain == "auto":
        toolchain = "uv" if _search_up(program_dir, "uv.lock") else "poetry" if _search_up(
            program_dir, "poetry.lock") else "pip"
    virtualenv = project.options.get("virtualenv")
    if virtualenv is not None and not isinstance(virtualenv, str):
        raise InputError(str(project.file), "runtime.options.virtualenv", "a directory path", virtualenv)
    if toolchain == "poetry":
        return _poetry(project, program_dir)
    if toolchain == "uv":
        venv = project.root / virtualenv if virtualenv else _uv_default(program_dir)
        return _venv(venv, f"uv environment {venv}", project, "runtime.options.virtualenv" if virtualenv
                     else "runtime.options.toolchain", "run `uv sync` in the project")
    if virtualenv:
        venv = project.root / virtualenv
        return _venv(venv, f"{project.file.name} runtime.options.virtualenv ({virtualenv})", project,
                     "runtime.options.virtualenv",
                     f"run `python3 -m venv {venv}` and `{venv / 'bin' / 'pip'} install -r requirements.txt` "
                     "(or `pulumi install`)")
    return ProgramPython(Path(sys.executable), f"versionguard's own Python ({project.file.name} names no virtualenv)")


def _interpreter(python: Path) -> str | None:
    """Why ``python`` cannot run the program (None: it can): every lookup checks its interpreter here."""
    if not python.is_file():
        return f"{python} does not exist"
    if not os.access(python, os.X_OK):
        return f"{python} is not executable"
    return None


def _given(path: Path) -> ProgramPython:
    path = path.absolute()
    if path.is_dir():
        python = path / "bin" / "python"
        problem = _interpreter(python)
        if problem:
            raise InputError(str(path), "--python", "a Python interpreter or a virtualenv directory with an "
                             "executable bin/python", problem)
        return ProgramPython(python, f"--python {path}", path)
    problem = _interpreter(path)
    if problem:
        raise InputError(str(path), "--python", "an existing, executable Python interpreter", problem)
    venv = path.parent.parent if (path.parent.parent / "pyvenv.cfg").is_file() else None
    return ProgramPython(path, f"--python {path}", venv)


def _venv(venv: Path, source: str, project: Project, key: str, how: str) -> ProgramPython:
    python = venv / "bin" / "python"
    problem = _interpreter(python)
    if problem:
        raise InputError(str(project.file), key, f"an existing virtualenv at {venv}: {how}, or pass --python",
                         problem)
    return ProgramPython(python, source, venv)


def _uv_default(program_dir: Path) -> Path:
    base = _search_up(program_dir, "uv.lock") or _search_up(program_dir, "pyproject.toml") or program_dir
    env = os.environ.get("UV_PROJECT_ENVIRONMENT")
    return base / env if env else base / ".venv"


def _poetry(project: Project, program_dir: Path) -> ProgramPython:
    poetry = shutil.which("poetry")
    if poetry is None:
        raise InputError(str(project.file), "runtime.options.toolchain",
                         "poetry on PATH (the project uses poetry), or pass --python")
    try:
        done = subprocess.run([poetry, "env", "info", "--path"], cwd=program_dir, capture_output=True, text=True,
                              timeout=POETRY_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        problem = (f"{poetry} did not answer within {POETRY_TIMEOUT:g} s" if isinstance(exc, subprocess.TimeoutExpired)
                   else f"{poetry} could not be run: {exc.strerror or exc}")
        raise InputError(str(project.file), "runtime.options.toolchain", "a poetry that answers `poetry env info "
                         "--path` (the project uses poetry), or pass --python", problem) from None
    path = done.stdout.strip()
    if done.returncode != 0 or not path:
        raise InputError(str(project.file), "runtime.options.toolchain",
                         "a poetry environment: run `poetry install` in the project, or pass --python",
                         done.stderr.strip()[-300:] or None)
    return _venv(Path(path), f"poetry environment {path}", project, "runtime.options.toolchain",
                 "run `poetry install` in the project")


def _search_up(start: Path, name: str) -> Path | None:
    """The nearest directory at or above ``start`` that holds ``name`` (Pulumi's searchup)."""
    for directory in (start, *start.parents):
        if (directory / name).exists():
            return directory
    return None
