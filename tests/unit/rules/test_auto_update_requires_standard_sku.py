"""auto-update-requires-standard-sku through the real CrossGuard servicer."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.testkit import (
    FLAVOURS,
    MISSING,
    NATIVE_FLAVOURS,
    UNKNOWN,
    Pack,
    context,
    deployment,
    outcomes,
    record,
)

POLICY = "auto-update-requires-standard-sku"
AUTO = "OnceNewDefaultVersionAvailable"
STANDARD = ["Standard", "GlobalStandard", "DataZoneStandard", "standard", "GLOBALSTANDARD", "dataZoneStandard"]
NON_STANDARD = ["ProvisionedManaged", "GlobalProvisionedManaged", "DataZoneProvisionedManaged", "GlobalBatch",
                "DataZoneBatch", "DeveloperTier", "globalprovisionedmanaged", "SomethingNew"]
SKU_PATH = "sku.name"


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("sku", STANDARD)
def test_auto_update_on_standard_skus_passes(pack: Pack, flavour: str, sku: str) -> None:
    assert pack.flavour(flavour, POLICY, option=AUTO, sku=sku) == []


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("sku", NON_STANDARD)
def test_auto_update_on_non_standard_sku_is_mandatory(pack: Pack, flavour: str, sku: str) -> None:
    (diag,) = pack.flavour(flavour, POLICY, option=AUTO, sku=sku)
    assert diag.level == "mandatory"
    assert diag.message.startswith("versionUpgradeOption is set to OnceNewDefaultVersionAvailable on the ")
    assert diag.message.endswith(". Do not count on the version moving before it retires.")


@pytest.mark.parametrize(("sku", "reason"), [
    ("GlobalProvisionedManaged", "but Azure does not upgrade GlobalProvisionedManaged deployments automatically: "
                                 "their model version changes only by an in-place or multi-deployment migration"),
    # Azure documents nothing about batch and developer types: the message says so instead of asserting
    # Batch: side by side (lifecycle-2026-10)
    ("GlobalBatch", "but Azure does not upgrade GlobalBatch deployments automatically: they migrate side by side "
                    "(deploy the new model, resubmit the jobs, remove the old deployment)"),
    ("DeveloperTier", "does not document what happens to DeveloperTier deployments"),
    ("SomethingNew", "but SomethingNew is not a documented deployment type, and Azure documents automatic model "
                     "updates for Standard deployment types only"),
])
def test_message_states_only_what_azure_documents_per_type(pack: Pack, sku: str, reason: str) -> None:
    (diag,) = pack.flavour("native", POLICY, option=AUTO, sku=sku)
    assert reason in diag.message
    assert "performs no automatic model updates" not in diag.message


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_canonical_sku_spelling_in_message(pack: Pack, flavour: str) -> None:
    (diag,) = pack.flavour(flavour, POLICY, option="oncenewdefaultversionavailable", sku="GLOBALPROVISIONEDMANAGED")
    assert "on the GlobalProvisionedManaged deployment type" in diag.message


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("sku", [MISSING, None, ""], ids=["missing", "null", "empty"])
def test_missing_sku_is_non_standard(pack: Pack, flavour: str, sku: Any) -> None:
    (diag,) = pack.flavour(flavour, POLICY, option=AUTO, sku=sku)
    assert "on a deployment with no SKU" in diag.message


def test_classic_missing_option_defaults_to_auto_update(pack: Pack) -> None:
    (diag,) = pack.flavour("classic", POLICY, option=MISSING, sku="ProvisionedManaged")
    assert diag.message.startswith("versionUpgradeOption defaults (classic provider) to OnceNewDefaultVersionAvailable"
                                   " on the ProvisionedManaged deployment type")
    assert pack.flavour("classic", POLICY, option=MISSING, sku="GlobalStandard") == []


@pytest.mark.parametrize("flavour", NATIVE_FLAVOURS)
def test_azure_native_missing_option_is_upgrade_on_expiry(pack: Pack, flavour: str) -> None:
    assert pack.flavour(flavour, POLICY, option=MISSING, sku="ProvisionedManaged") == []


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("option", ["NoAutoUpgrade", "OnceCurrentVersionExpired", "noautoupgrade"])
def test_other_options_on_non_standard_pass(pack: Pack, flavour: str, option: str) -> None:
    assert pack.flavour(flavour, POLICY, option=option, sku="ProvisionedManaged") == []


@pytest.mark.parametrize("version", ["past", "today", "tomorrow", "far", "split", "not-in-catalog", MISSING])
def test_verdict_ignores_retirement_dates(pack: Pack, version: Any) -> None:
    assert len(pack.flavour("native", POLICY, version=version, option=AUTO, sku="ProvisionedManaged")) == 1
    assert pack.flavour("native", POLICY, version=version, option=AUTO, sku="Standard") == []


def test_same_version_different_sku_different_verdict(pack: Pack) -> None:
    assert pack.flavour("native", POLICY, version="split", option=AUTO, sku="GlobalStandard") == []
    assert len(pack.flavour("native", POLICY, version="split", option=AUTO, sku="GlobalProvisionedManaged")) == 1


def test_classic_legacy_scale_type(pack: Pack) -> None:
    """Classic provider versions before 4.0 carried the deployment type in ``scale.type``."""
    props = deployment("classic", option=AUTO, sku=MISSING)
    props["scale"] = {"type": "ProvisionedManaged"}
    (diag,) = [d for d in pack.analyze(props, FLAVOURS["classic"]) if d.policy == POLICY]
    assert "on the ProvisionedManaged deployment type" in diag.message
    props["scale"] = {"type": "Standard"}
    assert [d for d in pack.analyze(props, FLAVOURS["classic"]) if d.policy == POLICY] == []


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_unknown_sku_with_auto_update(make_pack: Any, flavour: str) -> None:
    (skip,) = make_pack().flavour(flavour, POLICY, option=AUTO, sku=UNKNOWN)
    assert skip.is_preview_skip and skip.level == "advisory"
    assert f".{SKU_PATH} can't be known during preview" in skip.raw
    (diag,) = make_pack({POLICY: {"failOnUnknown": True}}).flavour(flavour, POLICY, option=AUTO, sku=UNKNOWN)
    assert diag.level == "mandatory"
    assert diag.message == f"value at .{SKU_PATH} can't be known during preview and failOnUnknown is set."


def test_unknown_sku_is_not_needed_without_auto_update(make_pack: Any) -> None:
    pack = make_pack({POLICY: {"failOnUnknown": True}})
    assert pack.flavour("native", POLICY, option="NoAutoUpgrade", sku=UNKNOWN) == []
    assert pack.flavour("native", POLICY, option=MISSING, sku=UNKNOWN) == []


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_unknown_option(make_pack: Any, flavour: str) -> None:
    (skip,) = make_pack().flavour(flavour, POLICY, option=UNKNOWN, sku="Standard")
    assert skip.is_preview_skip
    (diag,) = make_pack({POLICY: {"failOnUnknown": True}}).flavour(flavour, POLICY, option=UNKNOWN, sku="Standard")
    assert diag.level == "mandatory"
    assert "versionUpgradeOption can't be known during preview and failOnUnknown is set." in diag.message


@pytest.mark.parametrize("type_", ["azure-native:cognitiveservices:Account", "azure:cognitive/account:Account"])
def test_non_deployment_types_are_ignored(pack: Pack, type_: str) -> None:
    assert pack.analyze(deployment("native", option=AUTO, sku="ProvisionedManaged"), type_) == []
    assert pack.analyze(deployment("classic", sku="ProvisionedManaged"), type_) == []


def test_engine_level_effective_option() -> None:
    ctx = context()
    assert len(outcomes(POLICY, record("classic", sku="DeveloperTier"), ctx)) == 1
    assert outcomes(POLICY, record("native", sku="DeveloperTier"), ctx) == []
    assert outcomes(POLICY, record("versioned", option="NOAUTOUPGRADE", sku="DeveloperTier"), ctx) == []
