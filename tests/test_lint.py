"""The codebase stays `ruff` clean (configuration in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

from tests.support import ROOT


def test_ruff_is_clean() -> None:
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
