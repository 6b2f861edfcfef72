"""Suite-wide settings: no test sees the shell's ``VERSIONGUARD_*`` variables; property-based tests
are reproducible and bounded.

The one autouse fixture below clears the ``VERSIONGUARD_*`` variables (as-of date, catalog, waivers,
and any added later) for the whole session, before any fixture or test runs, so a developer's shell
cannot change a verdict; a test that needs one sets it with ``monkeypatch`` or passes it to a child
process. ``VERSIONGUARD_TOOLS`` stays: it only says where the test tools (Pulumi CLI, environments,
wheel venv) are cached, and no versionguard code reads it.

Every hypothesis test runs derandomized (the same examples on every run and machine), with no
example database (no state carried between runs) and no per-example deadline (timing on 2 shared
cores is noise); each test bounds its own work with ``max_examples``. ``HYPOTHESIS_PROFILE=explore``
runs a randomized, longer search locally.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("versionguard", derandomize=True, database=None, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", parent=settings.get_profile("versionguard"), derandomize=False,
                          max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "versionguard"))


@pytest.fixture(scope="session")
def sarif_validator() -> Any:
    """The one strict SARIF 2.1.0 validator (tests/support/sarif.py)."""
    from tests.support.sarif import sarif_validator as strict

    return strict()

KEEP = frozenset({"VERSIONGUARD_TOOLS"})


@pytest.fixture(scope="session", autouse=True)
def no_versionguard_env() -> Iterator[None]:
    """Unset every ``VERSIONGUARD_*`` variable but ``VERSIONGUARD_TOOLS`` for the session."""
    with pytest.MonkeyPatch.context() as patch:
        for name in [k for k in os.environ if k.startswith("VERSIONGUARD_") and k not in KEEP]:
            patch.delenv(name)
        yield
