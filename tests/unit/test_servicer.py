"""VersionguardServicer: pulumi_policy's Analyze loop with the properties read once per request.
Same diagnostics as the stock servicer on deployments (levels, remediate reported as mandatory,
the advisory skip on unknown values, disabled policies), and one api-version scan per request."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi_policy.policy import _PolicyAnalyzerServicer

import tests.unit.testkit as testkit
from tests.unit.api_kit import api_catalog, app
from tests.unit.testkit import CLASSIC, NATIVE, UNKNOWN, Pack, deployment, make_runtime, secret
from versionguard.adapters import pack as pack_module

CONFIGS: list[dict[str, Any]] = [
    {},
    {"all": "mandatory"},
    {"upgrade-option-explicit": "remediate", "model-version-known": "disabled"},
    {"model-version-pinned": {"failOnUnknown": True}},
]
CASES: list[tuple[str, dict[str, Any]]] = [
    (NATIVE, deployment(version="soon", option="NoAutoUpgrade")),
    (NATIVE, deployment(version=UNKNOWN)),
    (NATIVE, deployment(version="nope", option=secret("NoAutoUpgrade"))),
    (CLASSIC, deployment("classic", version="preview", sku="ProvisionedManaged")),
    (NATIVE, {"properties": "not an object"}),
]


def _diags(servicer_class: type, config: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    monkeypatch.setattr(testkit, "VersionguardServicer", servicer_class)
    pack = Pack(make_runtime(), config)
    return [sorted((d.policy, d.level, d.raw) for d in pack.analyze(props, type_)) for type_, props in CASES]


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: ",".join(c) or "defaults")
def test_same_diagnostics_as_the_stock_servicer(config: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    ours = _diags(pack_module.VersionguardServicer, config, monkeypatch)
    stock = _diags(_PolicyAnalyzerServicer, config, monkeypatch)
    assert ours == stock
    assert any(ours)  # the cases do produce diagnostics


def test_one_scan_per_request_for_the_three_policies(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = pack_module.scan

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(pack_module, "scan", counting)
    pack = Pack(make_runtime(catalog=api_catalog()))
    type_, props = app("web-app", "2023-12-01-preview")
    assert {d.policy for d in pack.analyze(props, type_, "app")} >= {"api-version-supported", "openai-v1-endpoint"}
    assert calls == [type_]
    calls.clear()
    configured = Pack(make_runtime(catalog=api_catalog()), {"api-version-preview": {"settingNames": ["X"]}})
    configured.analyze(props, type_, "app")
    assert len(calls) == 2  # other setting names, another scan


def test_stock_servicer_still_judges_without_the_wire_form(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(testkit, "VersionguardServicer", _PolicyAnalyzerServicer)
    pack = Pack(make_runtime(catalog=api_catalog()))
    type_, props = app("container-app", "2023-12-01-preview")
    assert "api-version-supported" in {d.policy for d in pack.analyze(props, type_, "app")}
