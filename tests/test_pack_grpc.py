"""The pack over the real analyzer protocol, started as the Pulumi CLI starts it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime import rpc
from pulumi.runtime.proto import analyzer_pb2

from tests.support import ROOT
from tests.support.analyzer_grpc import NAMES, NATIVE, configure, request
from tests.support.pack_process import PackProcess, PackStartError, start_pack
from versionguard.core.rules import RULES

# 122 days after the bundled catalog (2026-12-04): stale; gpt-4o 2024-11-20 and gpt-4.1 retire 9 days later.
AS_OF_ENV = {"VERSIONGUARD_AS_OF": "2027-04-05"}


def props(option: str | None, sku: str = "GlobalStandard", version: str = "2024-11-20",
          model: str = "gpt-4o") -> struct_pb2.Struct:
    body: dict[str, object] = {"model": {"format": "OpenAI", "name": model, "version": version}}
    if option is not None:
        body["versionUpgradeOption"] = option
    s = struct_pb2.Struct()
    s.update({"accountName": "acct", "properties": body, "sku": {"name": sku, "capacity": 10}})
    return s


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PackProcess]:
    # No waivers: these tests are about the rules, not about the shipped policies/waivers.yaml.
    waivers = tmp_path_factory.mktemp("waivers") / "waivers.yaml"
    waivers.write_text("waivers: []\n", "utf-8")
    proc = start_pack(env={**AS_OF_ENV, "VERSIONGUARD_WAIVERS": str(waivers)}, stack="prod")
    yield proc
    proc.close()


def test_analyzer_info_lists_every_rule_with_docs_and_schema(pack: PackProcess) -> None:
    info = pack.stub.GetAnalyzerInfo(empty_pb2.Empty())
    assert info.name == "versionguard"
    by_name = {p.name: p for p in info.policies}
    assert set(by_name) == {r.meta.id for r in RULES}
    for rule in RULES:
        p = by_name[rule.meta.id]
        assert NAMES[p.enforcementLevel] == rule.meta.level.value
        assert p.remediation_steps and p.url.endswith(f"#{rule.meta.id}") and p.description
    window = json_format.MessageToDict(by_name["no-auto-upgrade-near-retirement"].configSchema)
    assert window["properties"]["retirementWindowDays"]["default"] == 90
    assert window["properties"]["failOnUnknown"]["default"] is False
    assert by_name["catalog-freshness"].policy_type == analyzer_pb2.POLICY_TYPE_STACK


def test_rejects_no_auto_upgrade_retiring_next_month_and_passes_upgrade_on_expiry(pack: PackProcess) -> None:
    configure(pack, ROOT / "policies/config/prod.json")
    bad = pack.stub.Analyze(request("prod-chat", props("NoAutoUpgrade")))
    hits = {(d.policyName, NAMES[d.enforcementLevel]) for d in bad.diagnostics}
    assert ("no-auto-upgrade-near-retirement", "mandatory") in hits
    message = next(d.message for d in bad.diagnostics if d.policyName == "no-auto-upgrade-near-retirement")
    assert "retires on 2027-04-14" in message and "stops working" in message
    # gpt-4o 2024-11-20 is newer than the default, but the catalog names a replacement (another model):
    # Azure moves it there (Oct-2026 policy), which prod's config makes a mandatory cross-model-upgrade
    moved = pack.stub.Analyze(request("prod-chat", props("OnceCurrentVersionExpired")))
    assert {(d.policyName, NAMES[d.enforcementLevel]) for d in moved.diagnostics
            if d.enforcementLevel == analyzer_pb2.MANDATORY} == {("cross-model-upgrade", "mandatory")}
    cross = next(d.message for d in moved.diagnostics if d.policyName == "cross-model-upgrade")
    assert "a different model" in cross and "Test the application against" in cross
    # gpt-4.1 2025-04-14 (2027-04-14) has no newer version and no named replacement: upgrade-on-expiry
    # has no target either
    stuck = pack.stub.Analyze(request("prod-chat", props("OnceCurrentVersionExpired", model="gpt-4.1",
                                                         version="2025-04-14")))
    assert {(d.policyName, NAMES[d.enforcementLevel]) for d in stuck.diagnostics
            if d.enforcementLevel == analyzer_pb2.MANDATORY} == {("auto-upgrade-needs-target", "mandatory")}
    # gpt-5.6-sol retires 2028-01-11, outside prod's 180-day windows
    good = pack.stub.Analyze(request("prod-chat", props("OnceCurrentVersionExpired", model="gpt-5.6-sol",
                                                        version="2026-07-09")))
    assert not [d for d in good.diagnostics if d.enforcementLevel == analyzer_pb2.MANDATORY]


def test_unknown_version_is_advisory_skip_by_default_and_violation_with_fail_on_unknown(
        pack: PackProcess, tmp_path: Path) -> None:
    from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

    configure(pack, None)
    resp = pack.stub.Analyze(request("x", props("NoAutoUpgrade", version=UNKNOWN_STRING_VALUE)))
    skip = [d for d in resp.diagnostics if d.policyName == "retired-model-version"]
    assert skip and skip[0].enforcementLevel == analyzer_pb2.ADVISORY
    assert "can't be known during preview" in skip[0].message
    cfg = tmp_path / "strict.json"
    cfg.write_text('{"retired-model-version": {"failOnUnknown": true}}')
    configure(pack, cfg)
    resp = pack.stub.Analyze(request("x", props("NoAutoUpgrade", version=UNKNOWN_STRING_VALUE)))
    strict = [d for d in resp.diagnostics if d.policyName == "retired-model-version"]
    assert strict and strict[0].enforcementLevel == analyzer_pb2.MANDATORY
    assert "failOnUnknown" in strict[0].message


def test_remediate_writes_the_behaviour_that_applies(pack: PackProcess, tmp_path: Path) -> None:
    cfg = tmp_path / "remediate.json"
    cfg.write_text('{"upgrade-option-explicit": "remediate"}')
    configure(pack, cfg)
    resp = pack.stub.Remediate(request("dev-chat", props(None)))
    assert [r.policyName for r in resp.remediations] == ["upgrade-option-explicit"]
    fixed = json_format.MessageToDict(resp.remediations[0].properties)
    assert fixed["properties"]["versionUpgradeOption"] == "OnceCurrentVersionExpired"
    assert fixed["properties"]["model"]["version"] == "2024-11-20"


def test_analyze_stack_reports_stale_catalog(pack: PackProcess) -> None:
    configure(pack, None)
    resp = pack.stub.AnalyzeStack(analyzer_pb2.AnalyzeStackRequest(resources=[
        analyzer_pb2.AnalyzerResource(type=NATIVE, properties=props("NoAutoUpgrade"), urn="urn:x", name="x")]))
    assert [d.policyName for d in resp.diagnostics] == ["catalog-freshness"]
    assert "122 days ago" in resp.diagnostics[0].message


def test_broken_catalog_stops_the_pack_naming_the_entry(tmp_path: Path) -> None:
    broken = tmp_path / "catalog.yaml"
    broken.write_text("schema: 1\nas_of: 2026-01-01\nmodels:\n  - name: gpt-4o\n    versions:\n"
                      "      - {version: '2024-08-06', lifecycle: ga, retirement: soon}\n")
    with pytest.raises(PackStartError) as err:
        start_pack(env={**AS_OF_ENV, "VERSIONGUARD_CATALOG": str(broken)})
    assert err.value.code == 2
    assert str(broken) in err.value.output and "models[0] gpt-4o > versions[0] 2024-08-06 > retirement" in \
        err.value.output


def test_bad_as_of_stops_the_pack_naming_the_variable() -> None:
    with pytest.raises(PackStartError) as err:
        start_pack(env={"VERSIONGUARD_AS_OF": "next tuesday"})
    assert "VERSIONGUARD_AS_OF" in err.value.output and "YYYY-MM-DD" in err.value.output


def _secret(value: object) -> dict[str, object]:
    return {rpc._special_sig_key: rpc._special_secret_sig, "value": value}


def test_secret_inputs_are_shown_as_secret_over_grpc(pack: PackProcess) -> None:
    """The engine sends secrets marked (KeepSecrets); no diagnostic may carry a secret's value."""
    configure(pack, ROOT / "policies/config/prod.json")
    wire = json_format.MessageToDict(props("noautoupgrade", version="2024-11-20"))
    wire["properties"]["versionUpgradeOption"] = _secret("noautoupgrade")
    wire["properties"]["model"]["name"] = _secret("gpt-4o")
    s = struct_pb2.Struct()
    s.update(wire)
    diags = pack.stub.Analyze(request("prod-chat", s)).diagnostics
    hits = {d.policyName for d in diags}
    assert "no-auto-upgrade-near-retirement" in hits  # still judged on the real values
    for d in diags:
        body = d.message.split("\n", 1)[-1]  # after CrossGuard's prefix, the policy's fixed description
        assert "gpt-4o" not in body and "noautoupgrade" not in body.casefold(), body
    near = next(d.message for d in diags if d.policyName == "no-auto-upgrade-near-retirement")
    assert "[secret] 2024-11-20 retires on 2027-04-14" in near


@pytest.mark.parametrize(("variable", "text", "where"), [
    ("VERSIONGUARD_WAIVERS", "waivers: &a [*a, *a]\n", "line 1, column 10: expected no YAML anchors"),
    ("VERSIONGUARD_CATALOG", "schema: 1\nas_of: 2026-01-01\nmodels: " + "[" * 5000 + "]" * 5000 + "\n",
     "line 3, column 72: expected nesting at most 64 levels deep"),
    ("VERSIONGUARD_CATALOG", "schema: 1\nas_of: 2026-01-01\nas_of: 2026-01-02\nmodels: []\n",
     "line 3, column 1: expected each key once per mapping"),
])
def test_hostile_files_stop_the_pack_naming_file_and_line(tmp_path: Path, variable: str, text: str,
                                                         where: str) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(text)
    with pytest.raises(PackStartError) as err:
        start_pack(env={**AS_OF_ENV, variable: str(path)})
    assert err.value.code == 2
    assert f"{path}: {where}" in err.value.output


PARAMETERIZED = "azure-native_cognitiveservices_v20250601:cognitiveservices/v20250601:Deployment"


@pytest.mark.parametrize("type_", [PARAMETERIZED,
                                   "azure-native_cognitiveservices_v20250601:cognitiveservices:Deployment"])
def test_deployments_of_a_parameterized_azure_native_package_are_judged(pack: PackProcess, type_: str) -> None:
    """`pulumi package add azure-native cognitiveservices v20250601` registers its own package token: the
    same deployment must fail the same way (it used to pass unjudged)."""
    configure(pack, ROOT / "policies/config/prod.json")
    bad = pack.stub.Analyze(request("prod-chat", props("NoAutoUpgrade"), type_))
    assert ("no-auto-upgrade-near-retirement", "mandatory") in {
        (d.policyName, NAMES[d.enforcementLevel]) for d in bad.diagnostics}
