"""Suite-wide settings: property-based tests are reproducible and bounded.

Every hypothesis test runs derandomized (the same examples on every run and machine), with no
example database (no state carried between runs) and no per-example deadline (timing on 2 shared
cores is noise); each test bounds its own work with ``max_examples``. ``HYPOTHESIS_PROFILE=explore``
runs a randomized, longer search locally.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("versionguard", derandomize=True, database=None, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", parent=settings.get_profile("versionguard"), derandomize=False,
                          max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "versionguard"))
