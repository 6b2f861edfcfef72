"""Run ``versionguard check`` / ``forecast`` for a test (the shell's VERSIONGUARD_* variables are cleared by
tests/conftest.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tests.support import AS_OF, FIXTURES, PROGRAMS, ROOT  # noqa: F401 (re-exported to the tests that use this)
from versionguard.cli import app

CATALOG = FIXTURES / "catalog.yaml"


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


def versionguard(command: str, *args: str, fixture_catalog: bool = True) -> Outcome:
    """In-process (typer's CliRunner), stdout and stderr kept apart."""
    pinned = ["--as-of", AS_OF, *(["--catalog", str(CATALOG)] if fixture_catalog else [])]
    result = CliRunner().invoke(app, [command, *pinned, *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Outcome(result.exit_code, result.stdout, result.stderr)


def check(*args: str, **kwargs: Any) -> Outcome:
    return versionguard("check", *args, **kwargs)


def check_json(*args: str, **kwargs: Any) -> Outcome:
    return versionguard("check", "--format", "json", *args, **kwargs)


def check_process(*args: str, cwd: Path = ROOT) -> Outcome:
    """The real command line in a fresh process (file descriptors, interpreter shutdown and all)."""
    done = subprocess.run([sys.executable, "-m", "versionguard", "check", "--as-of", AS_OF, "--catalog", str(CATALOG),
                           *args], cwd=cwd, capture_output=True, text=True, timeout=600, check=False)
    return Outcome(done.returncode, done.stdout, done.stderr)


def offline(*args: str, as_of: str = AS_OF) -> set[tuple[str, str, str]]:
    """(policy, resource, level) of every unwaived finding of ``versionguard check`` in process: what the
    e2e tests compare the Pulumi engine's findings with (the engine side gets no VERSIONGUARD_* either)."""
    result = CliRunner().invoke(app, ["check", "--as-of", as_of, "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return {(f["policy"], f["resource"], f["level"]) for f in json.loads(result.stdout)["findings"] if not f["waived"]}
