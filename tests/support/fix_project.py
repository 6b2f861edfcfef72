"""Running `versionguard fix` and `check` on a copy of the fix fixture project (tests/test_fix*.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from tests.support import ROOT
from versionguard.cli import app

FIX = ROOT / "tests" / "fixtures" / "fix"
GOLDEN = FIX / "golden"
AS_OF = "2026-11-22"
PINNED = ["--as-of", AS_OF, "--catalog", str(FIX / "catalog.yaml")]
EDITED = ("stacks/Pulumi.alpha.yaml", "stacks/Pulumi.beta.yaml", "__main__.py", "fleet/defaults.py")


def make_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIX / "project", project)
    spec = project / "Pulumi.yaml"
    spec.write_text(spec.read_text().replace("VENV_PLACEHOLDER", str(ROOT / ".venv")))
    return project


def fix(project: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["fix", *PINNED, "--project", str(project), *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def check(project: Path, *args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(app, ["check", *PINNED, "--project", str(project), "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout)
