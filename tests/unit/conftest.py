"""Fixtures shared by the unit tests: the Pulumi variables a pack reads, and pack factories
(the ``VERSIONGUARD_*`` variables are cleared for the session by tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.unit.testkit import Pack, make_runtime
from versionguard.adapters.evaluation_inputs import Runtime

_PULUMI_VARS = ("PULUMI_CONFIG", "PULUMI_PROJECT", "PULUMI_STACK", "PULUMI_DRY_RUN")


@pytest.fixture(autouse=True)
def pulumi_stack_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test sees the caller's PULUMI_* variables; the stack is ``dev`` of ``foundry-deployments``."""
    for name in _PULUMI_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PULUMI_STACK", "dev")
    monkeypatch.setenv("PULUMI_PROJECT", "foundry-deployments")
    yield


@pytest.fixture
def runtime() -> Runtime:
    return make_runtime()


@pytest.fixture
def pack(runtime: Runtime) -> Pack:
    """The pack at default levels and config over the test catalog."""
    return Pack(runtime)


@pytest.fixture
def make_pack() -> Any:
    """``make_pack(config=None, **runtime_kwargs)``: a pack with policy config and/or another runtime."""

    def factory(config: dict[str, Any] | None = None, **runtime_kwargs: Any) -> Pack:
        return Pack(make_runtime(**runtime_kwargs), config)

    return factory


@pytest.fixture
def api_pack(make_pack: Any) -> Pack:
    """The pack at default levels over the api-version test catalog (tests.unit.api_kit)."""
    from tests.unit.api_kit import api_catalog

    return make_pack(catalog=api_catalog())
