"""The real Pulumi engine end to end: `pulumi preview` / `pulumi up` with the policy pack.

Azure is the stand-in provider (a test double); the CLI, the engine, its policy-config merge and
the analyzer protocol are Pulumi's own. Dates are pinned with VERSIONGUARD_AS_OF.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.harness import FIXTURES, PACK, PROGRAMS, ROOT, Pulumi, violations
from tests.support.cli import offline

FIXTURE_CATALOG = {"VERSIONGUARD_CATALOG": str(FIXTURES / "catalog.yaml")}


# The bundled catalog is as of 2026-12-04 (the 2026-09-02 schedule): judged three days later. prod fails,
# honestly: gpt-4.1 2025-04-14 and gpt-4o-mini 2024-07-18 retire 2027-04-14, inside its 180-day windows.
SHIPPED_AS_OF = "2026-12-07"
PROD_MANDATORY = {
    ("auto-upgrade-needs-target", "prod-chat", "mandatory"),
    ("auto-upgrade-needs-target", "prod-chat-failover", "mandatory"),
    ("auto-upgrade-needs-target", "prod-chat-mini", "mandatory"),
    ("no-auto-upgrade-near-retirement", "prod-chat-ptu", "mandatory"),
    ("provisioned-migration-due", "prod-chat-ptu", "mandatory"),
}


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_shipped_stack_preview_with_its_policy_config(shipped: Pulumi, stack: str) -> None:
    shipped.stack_init(stack)
    result = shipped.with_pack("preview", stack, PACK / "config" / f"{stack}.json",
                               env={"VERSIONGUARD_AS_OF": SHIPPED_AS_OF})
    found = violations(result)
    if stack == "prod":
        assert result.code != 0, result.output
        assert {f for f in found if f[2] == "mandatory"} == PROD_MANDATORY, found
    else:
        assert result.code == 0, result.output
        assert all(level == "advisory" for _, _, level in found), found
    # The catalog is three days old: no catalog-freshness finding.
    assert not {f for f in found if f[0] == "catalog-freshness"}
    if stack == "staging":  # the app calls its deployment over the v1 API: judged, nothing to report
        assert "staging-chat-api" in result.output and not {f for f in found if f[1] == "staging-chat-api"}
    assert "versionguard" in result.output
    # Parity with the offline check on the same stack, catalog and config.
    assert found == offline("--project", str(ROOT), "--stack", stack, as_of=SHIPPED_AS_OF)


def test_noncompliant_raw_stack_fails_preview_with_the_expected_policies(raw: Pulumi) -> None:
    raw.stack_init("noncompliant")
    result = raw.with_pack("preview", "noncompliant")
    assert result.code != 0
    found = violations(result)
    assert ("no-auto-upgrade-near-retirement", "raw-noauto", "mandatory") in found
    assert ("no-auto-upgrade-near-retirement", "raw-versioned-token", "mandatory") in found
    assert ("auto-update-requires-standard-sku", "raw-autoupdate-ptu", "mandatory") in found
    assert ("upgrade-option-explicit", "raw-no-option", "advisory") in found
    assert ("model-version-pinned", "raw-unpinned", "mandatory") in found
    # Apps calling the deployments: judged on their app settings and URLs by the same pack.
    assert {f for f in found if f[1] in ("raw-web-app", "raw-gateway")} == {
        ("api-version-supported", "raw-web-app", "mandatory"), ("api-version-preview", "raw-web-app", "advisory"),
        ("openai-v1-endpoint", "raw-web-app", "advisory"), ("openai-v1-endpoint", "raw-gateway", "advisory")}
    text = result.output
    assert "gpt-5.2 2025-12-11 retires on 2026-12-12" in text and "stops working" in text
    assert "ARM treats a missing option as OnceCurrentVersionExpired" in text
    assert "2024-02-15-preview: no longer supported since 2024-07-01" in text
    # Parity with the offline check.
    assert found == offline("--project", str(FIXTURES / "raw_project"), "--catalog", str(FIXTURES / "catalog.yaml"),
                            "--all")


@pytest.mark.parametrize("stack", ["compliant", "violations"])
def test_fixture_stacks_parity_with_offline_check(shipped: Pulumi, stack: str) -> None:
    shipped.stack_init(stack)
    result = shipped.with_pack("preview", stack, env=FIXTURE_CATALOG)
    assert (result.code == 0) == (stack == "compliant"), result.output
    expected = offline("--project", str(ROOT), "--stack-dir", str(FIXTURES / "stacks"), "--catalog",
                       str(FIXTURES / "catalog.yaml"), "--stack", stack)
    assert violations(result) == expected
    if stack == "violations":
        assert len(expected) == 8  # 7 kinds + auto-upgrade-needs-target on bad-preview


def test_malformed_stack_fails_naming_file_and_key(shipped: Pulumi) -> None:
    shipped.stack_init("malformed")
    result = shipped.with_pack("preview", "malformed", env={"VERSIONGUARD_AS_OF": SHIPPED_AS_OF})
    assert result.code != 0
    assert "stacks/Pulumi.malformed.yaml: foundry-deployments:accounts[0].deployments[0].model.version" in result.output


def test_up_then_version_change_is_previewed_and_judged(shipped: Pulumi, tmp_path: Path) -> None:
    stack = "compliant"
    if shipped.run("stack", "select", stack).code != 0:  # the parity test may have created it already
        shipped.stack_init(stack)
    up = shipped.with_pack("up", stack, None, "--yes", env=FIXTURE_CATALOG)
    assert up.code == 0, up.output
    stack_file = shipped.project / "stacks" / f"Pulumi.{stack}.yaml"
    original = stack_file.read_text()
    try:
        # ok-chat moves to a version that retires in 20 days, with NoAutoUpgrade.
        changed = original.replace(
            "- name: ok-chat\n          model: {name: gpt-4.1, version: \"2025-04-14\"}\n"
            "          versionUpgradeOption: OnceNewDefaultVersionAvailable",
            "- name: ok-chat\n          model: {name: gpt-5.2, version: \"2025-12-11\"}\n"
            "          versionUpgradeOption: NoAutoUpgrade")
        assert changed != original
        stack_file.write_text(changed)
        preview = shipped.with_pack("preview", stack, None, "--diff", env=FIXTURE_CATALOG)
        assert preview.code != 0
        steps = [e["resourcePreEvent"]["metadata"] for e in preview.events if "resourcePreEvent" in e]
        updates = {s["urn"].rsplit("::", 1)[-1] for s in steps if s["op"] == "update"}
        assert "ok-chat" in updates
        assert violations(preview) == {("no-auto-upgrade-near-retirement", "ok-chat", "mandatory")}
        assert "2025-04-14" in preview.output and "2025-12-11" in preview.output  # the diff shows the change
    finally:
        stack_file.write_text(original)
    again = shipped.with_pack("preview", stack, env=FIXTURE_CATALOG)
    assert again.code == 0, again.output


def test_remediation_writes_the_upgrade_option_into_the_inputs(raw: Pulumi, tmp_path: Path) -> None:
    config = tmp_path / "remediate.json"
    config.write_text(json.dumps({"all": "advisory", "upgrade-option-explicit": "remediate"}))
    raw.stack_init("remediated")
    (raw.project / "stacks" / "Pulumi.remediated.yaml").write_text(
        (raw.project / "stacks" / "Pulumi.noncompliant.yaml").read_text().split("encryptionsalt")[0])
    up = raw.with_pack("up", "remediated", config, "--yes")
    assert up.code == 0, up.output
    exported = raw.run("stack", "export", "--stack", "remediated")
    assert exported.code == 0, exported.output
    deployment = json.loads(exported.output[exported.output.index("{"):])["deployment"]
    inputs = {r["urn"].rsplit("::", 1)[-1]: r.get("inputs", {}) for r in deployment["resources"]}
    assert inputs["raw-no-option"]["properties"]["versionUpgradeOption"] == "OnceCurrentVersionExpired"
    assert inputs["raw-noauto"]["properties"]["versionUpgradeOption"] == "NoAutoUpgrade"  # left alone
    # The remediated resource no longer triggers the advisory.
    assert not any(p == "upgrade-option-explicit" for p, _, _ in violations(up))


def test_invokes_and_computed_outputs_parity_with_offline_check(preview_program: Pulumi) -> None:
    """A program with invokes (both forms) and computed outputs chained through Output.concat and
    .apply: `pulumi preview` of a new stack and `versionguard check` judge it the same. Computed
    outputs (the account's name) are unknown in both, so the rules that need an upgrade option taken
    from one are skipped with the SDK's advisory."""
    preview_program.stack_init("parity")
    result = preview_program.with_pack("preview", "parity")
    assert result.code != 0, result.output
    found = violations(result)
    assert ("retired-model-version", "pv-retired", "mandatory") in found
    assert ("no-auto-upgrade-near-retirement", "pv-noauto", "mandatory") in found
    assert ("no-auto-upgrade-near-retirement", "pv-computed-option", "advisory") in found
    assert "can't be known during preview" in result.output
    assert not any(resource == "pv-ok" for _, resource, _ in found)
    assert found == offline("--project", str(PROGRAMS / "preview"), "--catalog", str(FIXTURES / "catalog.yaml"),
                            "--stack", "parity")
