"""VersionguardServicer: pulumi_policy's Analyze and AnalyzeStack loops with less reading.
Same diagnostics as the stock servicer (levels, remediate reported as mandatory, the advisory skip
on unknown values, disabled policies), one api-version scan per request, secret texts only for a
reported message, and an AnalyzeStack that deserializes no resource for versionguard's stack policies.

The stock servicer hands validations no wire form, so versionguard's policies fail closed under it
(tests/unit/test_secrets.py). To compare the two loops, the stock one is handed the request's wire
form here, built the way versionguard's servicer builds it; nothing in the product does that."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import EnforcementLevel, StackValidationPolicy
from pulumi_policy import policy as stock_module
from pulumi_policy.policy import _PolicyAnalyzerServicer

import tests.unit.testkit as testkit
from tests.unit.api_kit import api_catalog, app
from tests.unit.testkit import (
    CLASSIC,
    NATIVE,
    UNKNOWN,
    Pack,
    deployment,
    iso,
    make_catalog,
    make_runtime,
    secret,
    struct_of,
    struct_to_dict,
    urn_of,
)
from versionguard.adapters.crossguard import policies as policies_module
from versionguard.adapters.crossguard import secrets as pack_secrets
from versionguard.adapters.crossguard import servicer as servicer_module
from versionguard.core.catalog import Catalog

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
    (NATIVE, deployment(version="soon", option=secret("noautoupgrade"))),
    (CLASSIC, deployment("classic", version="preview", sku="ProvisionedManaged")),
    (NATIVE, {"properties": "not an object"}),
]
# AnalyzeStack: both stack policies fire (a stale catalog; waivers without reason, expired, too long).
STACK_CONFIGS: list[dict[str, Any]] = [
    {},
    {"all": "mandatory"},
    {"catalog-freshness": "remediate", "waiver-hygiene": "disabled"},
    {"catalog-freshness": {"maxCatalogAgeDays": 1000}, "waiver-hygiene": {"maxWaiverDays": 10}},
]
WAIVERS: list[dict[str, Any]] = [
    {"policy": "model-version-known", "resource": "r0", "reason": "", "expires": iso(30)},
    {"policy": "retired-model-version", "resource": "r1", "reason": "CHG-1", "expires": iso(-1)},
    {"policy": "preview-model-version", "resource": "r2", "reason": "CHG-2", "expires": iso(300)},
]
STACK: list[tuple[str, dict[str, Any]]] = [*CASES, app("web-app", secret("2023-12-01-preview"))]


def _stale_catalog() -> Catalog:
    return make_catalog(as_of=testkit.day(-400))


@pytest.fixture
def stock_with_wire(monkeypatch: pytest.MonkeyPatch) -> Callable[[dict[str, Any]], None]:
    """``hand(props)``: the stock Analyze builds its args as versionguard's servicer does for a request
    with these props (the wire form, a cache shared by the request's policies)."""

    def hand(props: dict[str, Any]) -> None:
        wire, shared = struct_to_dict(struct_of(props)), {}
        monkeypatch.setattr(stock_module, "ResourceValidationArgs",
                            lambda *args: servicer_module.WireArgs(*args, wire=wire, shared=shared))

    return hand


def _diags(servicer_class: type, config: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
           hand: Callable[[dict[str, Any]], None]) -> list[Any]:
    monkeypatch.setattr(testkit, "VersionguardServicer", servicer_class)
    pack = Pack(make_runtime(), config)
    out = []
    for type_, props in CASES:
        hand(props)
        out.append(sorted((d.policy, d.level, d.raw) for d in pack.analyze(props, type_)))
    return out


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: ",".join(c) or "defaults")
def test_same_diagnostics_as_the_stock_servicer(config: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
                                                stock_with_wire: Callable[[dict[str, Any]], None]) -> None:
    ours = _diags(servicer_module.VersionguardServicer, config, monkeypatch, lambda props: None)
    stock = _diags(_PolicyAnalyzerServicer, config, monkeypatch, stock_with_wire)
    assert ours == stock
    assert any(ours)  # the cases do produce diagnostics
    assert any("[secret]" in raw for diags in ours for _, _, raw in diags)  # and redact the secret case


def test_one_scan_per_request_for_the_three_policies(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = policies_module.scan

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(policies_module, "scan", counting)
    pack = Pack(make_runtime(catalog=api_catalog()))
    type_, props = app("web-app", "2023-12-01-preview")
    assert {d.policy for d in pack.analyze(props, type_, "app")} >= {"api-version-supported", "openai-v1-endpoint"}
    assert calls == [type_]
    calls.clear()
    configured = Pack(make_runtime(catalog=api_catalog()), {"api-version-preview": {"settingNames": ["X"]}})
    configured.analyze(props, type_, "app")
    assert len(calls) == 2  # other setting names, another scan


def test_secret_texts_only_for_a_reported_message_and_once_per_request(monkeypatch: pytest.MonkeyPatch) -> None:
    """Walking a resource's inputs for secrets is skipped when no policy reports anything (most
    resources), and done once for all the policies that report on one request."""
    walks: list[Any] = []

    def noting(props: Any, inside: bool = False) -> frozenset[str]:
        walks.append(props)
        return frozenset()

    monkeypatch.setattr(pack_secrets, "secret_texts", noting)
    pack = Pack(make_runtime(catalog=api_catalog()))
    assert pack.analyze(deployment(version="far", option=secret("OnceCurrentVersionExpired"))) == []
    assert pack.analyze({"kind": "StorageV2", "sku": {"name": secret("Standard_LRS")}},
                        "azure-native:storage:StorageAccount") == []
    assert walks == []
    noisy = pack.analyze(deployment(version="soon", option=secret("OnceNewDefaultVersionAvailable"),
                                    sku="ProvisionedManaged"))
    assert len({d.policy for d in noisy}) >= 2 and len(walks) == 1


# --- AnalyzeStack --------------------------------------------------------------------------------------

def _stack_diags(servicer_class: type, config: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    monkeypatch.setattr(testkit, "VersionguardServicer", servicer_class)
    pack = Pack(make_runtime(catalog=_stale_catalog(), waivers=WAIVERS), config)
    return sorted((d.policy, d.level, d.raw) for d in pack.analyze_stack(STACK))


@pytest.mark.parametrize("config", STACK_CONFIGS, ids=lambda c: ",".join(c) or "defaults")
def test_analyze_stack_same_diagnostics_as_the_stock_servicer(config: dict[str, Any],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    ours = _stack_diags(servicer_module.VersionguardServicer, config, monkeypatch)
    stock = _stack_diags(_PolicyAnalyzerServicer, config, monkeypatch)
    assert ours == stock
    assert ours  # the stale catalog and the waivers do produce diagnostics


@pytest.fixture
def deserializations(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every deserialization of resource properties pulumi_policy's servicer code makes."""
    seen: list[Any] = []
    real = stock_module.deserialize_properties

    def noting(props: Any, proxy_secrets: bool = False) -> Any:
        seen.append(props)
        return real(props, proxy_secrets)

    monkeypatch.setattr(stock_module, "deserialize_properties", noting)
    monkeypatch.setattr(servicer_module, "deserialize_properties", noting)
    yield seen


def test_analyze_stack_reads_no_resource_for_versionguards_policies(monkeypatch: pytest.MonkeyPatch,
                                                                    deserializations: list[Any]) -> None:
    assert _stack_diags(servicer_module.VersionguardServicer, {}, monkeypatch)
    assert deserializations == []
    assert _stack_diags(_PolicyAnalyzerServicer, {}, monkeypatch)
    assert len(deserializations) == 2 * len(STACK)  # the stock one: every resource, once per stack policy


def test_analyze_stack_gives_a_stack_policy_that_reads_resources_what_the_stock_one_gives() -> None:
    """A stack policy that is not versionguard's gets the resources, as under pulumi_policy's servicer."""

    def count(args: Any, report: Any) -> None:
        names = sorted(f"{r.name}:{r.props.get('deploymentName', '-')}" for r in args.resources)
        report(f"{len(names)} resources: {', '.join(names)}")

    request = analyzer_pb2.AnalyzeStackRequest(resources=[
        analyzer_pb2.AnalyzerResource(type=t, properties=struct_of(p), urn=urn_of(t, f"r{i}"), name=f"r{i}")
        for i, (t, p) in enumerate(STACK[:2])])

    def diags(servicer_class: type) -> list[tuple[str, str]]:
        policies = [*policies_module.build_policies(make_runtime(catalog=_stale_catalog())),
                    StackValidationPolicy("count-resources", "counts", count)]
        servicer = servicer_class(servicer_module.PACK_NAME, "0.0.1", policies, EnforcementLevel.ADVISORY)
        return sorted((d.policyName, d.message) for d in servicer.AnalyzeStack(request, None).diagnostics)

    ours = diags(servicer_module.VersionguardServicer)
    assert ours == diags(_PolicyAnalyzerServicer)
    assert ("count-resources", "counts\n2 resources: r0:dep, r1:dep") in ours
    assert "catalog-freshness" in {policy for policy, _ in ours}
