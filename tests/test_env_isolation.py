"""A developer's VERSIONGUARD_* variables cannot change what the check-layer tests conclude.

The catalog, waivers and as-of variables would each change verdicts; the tests that judge stacks
(tests/test_check.py, tests/test_reporters.py and the e2e ``offline()`` helper) clear them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = {"VERSIONGUARD_CATALOG": "/nonexistent/catalog.yaml", "VERSIONGUARD_WAIVERS": "/nonexistent/waivers.yaml",
           "VERSIONGUARD_AS_OF": "2031-01-01"}


@pytest.mark.parametrize("test", [
    "tests/test_check.py::test_shipped_stacks_on_the_bundled_catalog",
    "tests/test_check.py::test_expired_waiver_silences_nothing_and_fails_hygiene",
    "tests/test_reporters.py::test_json_matches_the_design_shape",
])
def test_check_layer_tests_pass_with_hostile_variables_in_the_shell(test: str) -> None:
    env = {**os.environ, **HOSTILE}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-3000:]


def test_the_e2e_offline_helper_ignores_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.e2e.test_pulumi_engine import offline

    args = ("--project", str(ROOT), "--stack", "dev")
    as_of = "2027-04-05"  # 122 days after the bundled catalog's as_of (2026-12-04): stale, advisory in dev
    clean = offline(*args, as_of=as_of)
    for key, value in HOSTILE.items():
        monkeypatch.setenv(key, value)
    assert ("catalog-freshness", "(stack)", "advisory") in clean  # the bundled catalog, not the hostile one
    assert offline(*args, as_of=as_of) == clean
