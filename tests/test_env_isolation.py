"""A developer's VERSIONGUARD_* variables cannot change what the tests conclude.

The catalog, waivers and as-of variables would each change verdicts; the one session-wide autouse
fixture in tests/conftest.py clears every ``VERSIONGUARD_*`` variable (but ``VERSIONGUARD_TOOLS``, the
test-tool cache) before any fixture or test runs. Each test here runs a test in a fresh pytest whose
shell sets them all to values that would break it.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.support import ROOT
from tests.support.cli import offline

HOSTILE = {"VERSIONGUARD_CATALOG": "/nonexistent/catalog.yaml", "VERSIONGUARD_WAIVERS": "/nonexistent/waivers.yaml",
           "VERSIONGUARD_AS_OF": "2031-01-01", "VERSIONGUARD_NOT_YET_INVENTED": "1"}
BUNDLED = ROOT / "policies" / "versionguard" / "data" / "catalog.yaml"


@pytest.mark.parametrize("test", [
    "tests/test_check.py::test_shipped_stacks_on_the_bundled_catalog",
    "tests/test_check.py::test_expired_waiver_silences_nothing_and_fails_hygiene",
    "tests/test_reporters.py::test_json_matches_the_design_shape",
    "tests/test_env_isolation.py::test_the_e2e_offline_helper_judges_with_the_defaults",
    "tests/test_env_isolation.py::test_no_versionguard_variable_but_the_tool_cache_reaches_a_test",
])
def test_tests_pass_with_hostile_variables_in_the_shell(test: str) -> None:
    env = {**os.environ, **HOSTILE}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "1 passed" in done.stdout


def test_the_e2e_offline_helper_judges_with_the_defaults() -> None:
    """The e2e comparison's ``offline`` helper judges with the bundled catalog and the project's waivers."""
    args = ("--project", str(ROOT), "--stack", "dev")
    as_of = "2027-04-05"  # 122 days after the bundled catalog's as_of (2026-12-04): stale, advisory in dev
    found = offline(*args, as_of=as_of)
    assert ("catalog-freshness", "(stack)", "advisory") in found  # the bundled catalog, not a shell's
    assert offline(*args, "--catalog", str(BUNDLED), "--waivers", str(ROOT / "policies" / "waivers.yaml"),
                   as_of=as_of) == found


def test_no_versionguard_variable_but_the_tool_cache_reaches_a_test() -> None:
    assert [k for k in os.environ if k.startswith("VERSIONGUARD_") and k != "VERSIONGUARD_TOOLS"] == []
