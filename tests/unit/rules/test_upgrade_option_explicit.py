"""upgrade-option-explicit: validation and its remediation, through the real CrossGuard servicer."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.testkit import (
    CLASSIC,
    FLAVOURS,
    MISSING,
    NATIVE,
    SECRET_SIG,
    SECRET_VALUE_SIG,
    UNKNOWN,
    Pack,
    context,
    deployment,
    only,
    outcomes,
    record,
    secret,
    struct_to_dict,
)

POLICY = "upgrade-option-explicit"
OPTION_PATH = {"native": "properties.versionUpgradeOption", "versioned": "properties.versionUpgradeOption",
               "classic": "versionUpgradeOption"}
DEFAULT_OPTION = {"native": "OnceCurrentVersionExpired", "versioned": "OnceCurrentVersionExpired",
                  "classic": "OnceNewDefaultVersionAvailable"}
REMEDIATE = {POLICY: "remediate"}


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("option", [
    "OnceNewDefaultVersionAvailable", "OnceCurrentVersionExpired", "NoAutoUpgrade",
    "noautoupgrade", "ONCECURRENTVERSIONEXPIRED", "onceNewDefaultVersionAvailable", "  NoAutoUpgrade  ",
])
def test_explicit_option_in_any_case_passes(pack: Pack, flavour: str, option: str) -> None:
    assert pack.flavour(flavour, POLICY, option=option, sku="GLOBALSTANDARD") == []


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("option", [MISSING, None, "", "  "], ids=["missing", "null", "empty", "blank"])
def test_missing_option_names_the_behaviour_that_applies(pack: Pack, flavour: str, option: Any) -> None:
    (diag,) = pack.flavour(flavour, POLICY, option=option)
    assert diag.level == "advisory"
    assert diag.message.startswith(f"{OPTION_PATH[flavour]} is not set;")
    assert f"Write versionUpgradeOption: {DEFAULT_OPTION[flavour]}" in diag.message


def test_azure_native_and_classic_describe_different_defaults(pack: Pack) -> None:
    (native,) = pack.flavour("native", POLICY)
    (classic,) = pack.flavour("classic", POLICY)
    assert "ARM treats a missing option as OnceCurrentVersionExpired" in native.message
    assert "classic azure provider defaults to OnceNewDefaultVersionAvailable" in classic.message


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("option", ["Sometimes", "NoAuto", 3, True, ["NoAutoUpgrade"], {"x": 1}])
def test_invalid_option_fails_closed_naming_the_path(pack: Pack, flavour: str, option: Any) -> None:
    (diag,) = pack.flavour(flavour, POLICY, option=option)
    assert diag.level == "advisory"
    assert diag.message.startswith(f"cannot judge this deployment: {OPTION_PATH[flavour]} is ")


@pytest.mark.parametrize("version", ["today", "tomorrow", "past", "split", "unknown-version", MISSING])
@pytest.mark.parametrize("sku", ["Standard", "GlobalStandard", "ProvisionedManaged"])
def test_verdict_ignores_retirement_dates_and_sku(pack: Pack, version: Any, sku: str) -> None:
    assert pack.flavour("native", POLICY, version=version, sku=sku, option="NoAutoUpgrade") == []
    assert len(pack.flavour("native", POLICY, version=version, sku=sku)) == 1


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_unknown_option_gets_crossguard_preview_skip(pack: Pack, flavour: str) -> None:
    (diag,) = pack.flavour(flavour, POLICY, option=UNKNOWN)
    assert diag.level == "advisory"
    assert diag.is_preview_skip
    assert f".{OPTION_PATH[flavour]} can't be known during preview" in diag.raw


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("level", ["advisory", "mandatory"])
def test_unknown_option_with_fail_on_unknown_reports_at_policy_level(make_pack: Any, flavour: str,
                                                                     level: str) -> None:
    pack = make_pack({POLICY: {"enforcementLevel": level, "failOnUnknown": True}})
    (diag,) = pack.flavour(flavour, POLICY, option=UNKNOWN)
    assert diag.level == level
    assert diag.message == f"value at .{OPTION_PATH[flavour]} can't be known during preview and failOnUnknown is set."


def test_unknown_properties_object_is_unknown_not_malformed(make_pack: Any) -> None:
    props = {**deployment("native"), "properties": UNKNOWN}
    (skip,) = only(make_pack().analyze(props), POLICY)
    assert skip.is_preview_skip
    (diag,) = only(make_pack({POLICY: {"failOnUnknown": True}}).analyze(props), POLICY)
    assert "value at .properties can't be known during preview" in diag.message


@pytest.mark.parametrize("type_", ["azure-native:cognitiveservices:Account", "azure:cognitive/account:Account",
                                   "azure-native:storage:StorageAccount"])
def test_non_deployment_types_are_ignored(pack: Pack, type_: str) -> None:
    assert pack.analyze(deployment("native"), type_) == []
    assert pack.analyze(deployment("classic"), type_) == []


def test_engine_level_default_depends_on_flavour() -> None:
    ctx = context()
    for flavour in FLAVOURS:
        rec = record(flavour)
        assert rec.upgrade_option is None
        assert rec.effective_upgrade_option == DEFAULT_OPTION[flavour]
        assert len(outcomes(POLICY, rec, ctx)) == 1
        assert outcomes(POLICY, record(flavour, option="noAutoUpgrade"), ctx) == []


# --- remediation -----------------------------------------------------------------------------------

def _remediated(pack: Pack, props: dict[str, Any], type_: str = NATIVE) -> dict[str, Any] | None:
    response = pack.remediate(props, type_)
    mine = [r for r in response.remediations if r.policyName == POLICY]
    if not mine:
        return None
    (remediation,) = mine
    assert remediation.diagnostic == ""
    assert remediation.HasField("properties")
    return struct_to_dict(remediation.properties)


@pytest.mark.parametrize("flavour", ["native", "versioned"])
def test_remediation_writes_upgrade_on_expiry_for_azure_native(make_pack: Any, flavour: str) -> None:
    props = deployment(flavour)
    out = _remediated(make_pack(REMEDIATE), props, FLAVOURS[flavour])
    assert out is not None
    assert out["properties"]["versionUpgradeOption"] == "OnceCurrentVersionExpired"
    assert "versionUpgradeOption" not in out
    out["properties"].pop("versionUpgradeOption")
    assert out == props  # nothing else touched


def test_remediation_writes_top_level_auto_update_for_classic(make_pack: Any) -> None:
    props = deployment("classic")
    out = _remediated(make_pack(REMEDIATE), props, CLASSIC)
    assert out is not None
    assert out["versionUpgradeOption"] == "OnceNewDefaultVersionAvailable"
    out.pop("versionUpgradeOption")
    assert out == props


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("option", [None, "", "  "], ids=["null", "empty", "blank"])
def test_remediation_writes_over_an_option_the_validation_calls_not_set(make_pack: Any, flavour: str,
                                                                         option: Any) -> None:
    """The validation reports null/empty/blank as "not set"; the remediation must then write the behaviour
    that applies, for every flavour alike (classic does; azure-native must too)."""
    pack = make_pack(REMEDIATE)
    assert len(pack.flavour(flavour, POLICY, option=option)) == 1
    out = _remediated(pack, deployment(flavour, option=option), FLAVOURS[flavour])
    assert out is not None
    body = out if flavour == "classic" else out["properties"]
    assert body["versionUpgradeOption"] == DEFAULT_OPTION[flavour]


def test_remediation_creates_properties_when_absent(make_pack: Any) -> None:
    props = deployment("native")
    del props["properties"]
    out = _remediated(make_pack(REMEDIATE), props)
    assert out is not None
    assert out["properties"] == {"versionUpgradeOption": "OnceCurrentVersionExpired"}


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_remediation_keeps_secrets_secret(make_pack: Any, flavour: str) -> None:
    props = deployment(flavour)
    props["tags"] = secret({"owner": "team-a"})
    body = props if flavour == "classic" else props["properties"]
    body["raiPolicyName"] = secret("hunter2")
    out = _remediated(make_pack(REMEDIATE), props, FLAVOURS[flavour])
    assert out is not None
    out_body = out if flavour == "classic" else out["properties"]
    assert out_body["versionUpgradeOption"] == DEFAULT_OPTION[flavour]
    assert out["tags"] == {SECRET_SIG: SECRET_VALUE_SIG, "value": {"owner": "team-a"}}
    assert out_body["raiPolicyName"] == {SECRET_SIG: SECRET_VALUE_SIG, "value": "hunter2"}


def test_remediation_keeps_a_secret_properties_object_secret(make_pack: Any) -> None:
    props = deployment("native")
    props["properties"] = secret(props["properties"])
    out = _remediated(make_pack(REMEDIATE), props)
    assert out is not None
    assert out["properties"][SECRET_SIG] == SECRET_VALUE_SIG
    assert out["properties"]["value"]["versionUpgradeOption"] == "OnceCurrentVersionExpired"


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("option", ["NoAutoUpgrade", "noautoupgrade", "OnceNewDefaultVersionAvailable"])
def test_remediation_leaves_an_existing_option_alone(make_pack: Any, flavour: str, option: str) -> None:
    assert _remediated(make_pack(REMEDIATE), deployment(flavour, option=option), FLAVOURS[flavour]) is None


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_remediation_does_not_overwrite_an_unknown_option(make_pack: Any, flavour: str) -> None:
    assert _remediated(make_pack(REMEDIATE), deployment(flavour, option=UNKNOWN), FLAVOURS[flavour]) is None


def test_remediation_does_not_overwrite_an_unknown_properties_object(make_pack: Any) -> None:
    props = {**deployment("native"), "properties": UNKNOWN}
    assert _remediated(make_pack(REMEDIATE), props) is None


@pytest.mark.parametrize("option", ["Sometimes", 3, ["NoAutoUpgrade"]])
def test_remediation_does_not_overwrite_a_malformed_option(make_pack: Any, option: Any) -> None:
    assert _remediated(make_pack(REMEDIATE), deployment("native", option=option)) is None
    assert _remediated(make_pack(REMEDIATE), deployment("classic", option=option), CLASSIC) is None


def test_remediation_runs_only_at_level_remediate(make_pack: Any) -> None:
    for level in ("advisory", "mandatory", "disabled"):
        assert _remediated(make_pack({POLICY: level}), deployment("native")) is None


def test_remediation_ignores_non_deployment_types(make_pack: Any) -> None:
    assert _remediated(make_pack(REMEDIATE), deployment("native"), "azure-native:cognitiveservices:Account") is None


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_remediated_inputs_pass_the_validation(make_pack: Any, flavour: str) -> None:
    """As the engine does: Remediate, apply the returned props, then Analyze."""
    pack = make_pack(REMEDIATE)
    out = _remediated(pack, deployment(flavour), FLAVOURS[flavour])
    assert out is not None
    assert only(pack.analyze(out, FLAVOURS[flavour]), POLICY) == []


def test_violation_that_cannot_be_remediated_is_reported_as_mandatory(make_pack: Any) -> None:
    pack = make_pack(REMEDIATE)
    (diag,) = pack.flavour("native", POLICY, option="Sometimes")
    assert diag.level == "mandatory"


# --- the ARM-null text promises an upgrade only where one exists ----------------------------------------

def _target_catalog():
    from tests.unit.testkit import catalog_data, iso, version_entry
    from versionguard.core.catalog import catalog_from_data

    return catalog_from_data(catalog_data(
        ("g", [version_entry("2025-01-01", retirement=iso(300)),
               version_entry("2025-06-01", default=True, default_since=iso(-10), retirement=iso(700))]),
        ("solo", [version_entry("2025-01-01", retirement=iso(300))]),
        ("repl", [version_entry("2025-01-01", retirement=iso(300),
                                replacement={"name": "g", "version": "2025-06-01"})]),
        ("undated", [version_entry("2025-01-01")]),
    ), "explicit-test")


@pytest.mark.parametrize(("model", "sku", "fmt", "text"), [
    # a newer default outlives it: the upgrade is real and named
    ("g", "GlobalStandard", "OpenAI", "ARM treats a missing option as OnceCurrentVersionExpired: when its version "
                                      "retires on {r}, Azure upgrades it to the default version (g 2025-06-01 in "
                                      "the catalog)"),
    # nothing to upgrade to: no promise, the day it stops working instead
    ("solo", "GlobalStandard", "OpenAI", "ARM treats a missing option as OnceCurrentVersionExpired, but no replacement "
                                         "is named and the catalog has no newer default version of solo for Azure to "
                                         "upgrade to: the deployment stops working when its version retires on {r}, "
                                         "unless one is named by then"),
    # a named replacement (another model) is where Azure goes (Oct-2026 policy)
    ("repl", "GlobalStandard", "OpenAI", "ARM treats a missing option as OnceCurrentVersionExpired: when its version "
                                         "retires on {r}, Azure upgrades it to the replacement Microsoft names, "
                                         "g 2025-06-01 (a different model)"),
    # no retirement date yet: Azure's documented behaviour, conditional on a newer default
    ("undated", "Standard", "OpenAI", "when its version retires, Azure upgrades it to the replacement named in the "
                                      "retirement schedule (possibly another model), else to a newer default version "
                                      "of the model"),
    # non-Standard: Azure documents no automatic update at all
    ("g", "ProvisionedManaged", "OpenAI", "ARM treats a missing option as OnceCurrentVersionExpired, but Azure "
                                          "does not upgrade ProvisionedManaged deployments automatically"),
    ("g", "GlobalBatch", "OpenAI", "they migrate side by side (deploy the new model, resubmit the jobs, remove the "
                                   "old deployment), so no upgrade at retirement can be counted on"),
    # non-OpenAI: what null means is documented for Azure OpenAI models only
    ("g", "GlobalStandard", "Cohere", "ARM stores null, which Azure documents as OnceCurrentVersionExpired for "
                                      "Azure OpenAI models; for Cohere models it says update policies vary by "
                                      "model and provider, so what null does here is not documented"),
])
@pytest.mark.parametrize("flavour", ["native", "versioned"])
def test_arm_null_text_promises_an_upgrade_only_where_there_is_a_target(make_pack: Any, flavour: str, model: str,
                                                                          sku: str, fmt: str, text: str) -> None:
    from tests.unit.testkit import iso

    pack = make_pack(catalog=_target_catalog())
    (diag,) = pack.flavour(flavour, POLICY, model=model, version="2025-01-01", sku=sku, fmt=fmt)
    assert text.format(r=iso(300)) in diag.message
    assert diag.message.endswith("Write versionUpgradeOption: OnceCurrentVersionExpired (or choose another) "
                                 "explicitly.")


@pytest.mark.parametrize(("sku", "fmt", "text"), [
    ("Standard", "OpenAI", "on Standard deployment types Azure moves the deployment to a newer default version "
                           "within two weeks of its designation."),
    ("ProvisionedManaged", "OpenAI", "defaults to OnceNewDefaultVersionAvailable, but Azure does not upgrade "
                                     "ProvisionedManaged deployments automatically"),
    ("Standard", "Cohere", "for Cohere models it says update policies vary by model and provider"),
])
def test_classic_default_text(make_pack: Any, sku: str, fmt: str, text: str) -> None:
    (diag,) = make_pack(catalog=_target_catalog()).flavour("classic", POLICY, model="g", version="2025-01-01",
                                                          sku=sku, fmt=fmt)
    assert text in diag.message


@pytest.mark.parametrize("field", ["model", "version", "sku", "fmt"])
def test_context_fields_are_read_leniently(make_pack: Any, field: str) -> None:
    """The verdict needs only the option: an unknown model, version, SKU or format shortens the text,
    it never turns the finding into a preview skip."""
    fields = {"model": "g", "version": "2025-01-01", "sku": "GlobalStandard", field: UNKNOWN}
    (diag,) = make_pack({POLICY: {"failOnUnknown": True}}, catalog=_target_catalog()).flavour("native", POLICY,
                                                                                           **fields)
    assert diag.message.startswith("properties.versionUpgradeOption is not set; ARM")
    assert not diag.is_preview_skip
