"""Helpers shared by the test modules (no test module imports another one).

- this package: ``ROOT`` (the repository), ``FIXTURES``, ``PROGRAMS`` and ``AS_OF``, the as-of date
  every CLI run over the fixture stacks is pinned to;
- ``cli``: ``versionguard`` in process or in a fresh process, and the e2e comparison's ``offline``;
- ``analyzer_grpc``: building Analyze requests and configuring a pack over the analyzer protocol;
- ``pack_process``: the pack started as the Pulumi CLI starts it;
- ``recording_monitor``: Pulumi mocks that record every registration, for the components and program;
- ``sarif``: the one strict SARIF 2.1.0 validator;
- ``azure_stub``, ``wheel``, ``environments``: the ARM stand-in, the built wheel, project environments.

The ``VERSIONGUARD_*`` variables of the shell are cleared once, for the whole session, by the autouse
fixture in ``tests/conftest.py``.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
PROGRAMS = FIXTURES / "programs"
AS_OF = "2026-11-22"
