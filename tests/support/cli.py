"""Run ``versionguard check`` / ``forecast`` for a test, with no VERSIONGUARD_* variable from the shell."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from versionguard.cli import app

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
PROGRAMS = FIXTURES / "programs"
CATALOG = FIXTURES / "catalog.yaml"
AS_OF = "2026-11-22"


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str

    @property
    def report(self) -> dict[str, Any]:
        return json.loads(self.stdout)

    def findings(self, waived: bool = False) -> set[tuple[str, str, str]]:
        """(resource, policy, level) of every finding (waived ones only when asked)."""
        return {(f["resource"], f["policy"], f["level"]) for f in self.report["findings"] if f["waived"] == waived}

    def run(self, stack: str) -> dict[str, Any]:
        return next(r for r in self.report["runs"] if r["stack"] == stack)


def clean_env() -> dict[str, str | None]:
    """CliRunner's env: unset every VERSIONGUARD_* variable."""
    return {k: None for k in os.environ if k.startswith("VERSIONGUARD_")}


def versionguard(command: str, *args: str, fixture_catalog: bool = True) -> Outcome:
    """In-process (typer's CliRunner), stdout and stderr kept apart."""
    pinned = ["--as-of", AS_OF, *(["--catalog", str(CATALOG)] if fixture_catalog else [])]
    result = CliRunner().invoke(app, [command, *pinned, *args], env=clean_env())
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Outcome(result.exit_code, result.stdout, result.stderr)


def check(*args: str, **kwargs: Any) -> Outcome:
    return versionguard("check", *args, **kwargs)


def check_json(*args: str, **kwargs: Any) -> Outcome:
    return versionguard("check", "--format", "json", *args, **kwargs)


def check_process(*args: str, cwd: Path = ROOT) -> Outcome:
    """The real command line in a fresh process (file descriptors, interpreter shutdown and all)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VERSIONGUARD_")}
    done = subprocess.run([sys.executable, "-m", "versionguard", "check", "--as-of", AS_OF, "--catalog", str(CATALOG),
                           *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)
    return Outcome(done.returncode, done.stdout, done.stderr)
