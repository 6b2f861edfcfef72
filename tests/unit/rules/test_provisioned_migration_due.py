"""provisioned-migration-due through the real CrossGuard servicer, plus an engine boundary table."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.testkit import (
    FLAVOURS,
    MISSING,
    UNKNOWN,
    WINDOW,
    Pack,
    context,
    deployment,
    iso,
    offset_catalog,
    only,
    outcomes,
    record,
)
from versionguard.core.rules.base import Violation

POLICY = "provisioned-migration-due"
RETIRED = "retired-model-version"
PTU = "ProvisionedManaged"
OPTIONS = [MISSING, "NoAutoUpgrade", "OnceCurrentVersionExpired", "OnceNewDefaultVersionAvailable"]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_far_retirement_passes(pack: Pack, flavour: str) -> None:
    assert pack.flavour(flavour, POLICY, version="far", sku=PTU) == []


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("option", OPTIONS)
def test_near_retirement_on_provisioned_is_mandatory_whatever_the_option(pack: Pack, flavour: str,
                                                                         option: Any) -> None:
    (diag,) = pack.flavour(flavour, POLICY, version="soon", sku=PTU, option=option)
    assert diag.level == "mandatory"
    assert diag.message.startswith(f"m soon retires on {iso(30)} for the ProvisionedManaged deployment type "
                                   f"(in 30 days, window {WINDOW}); Azure does not upgrade ProvisionedManaged "
                                   "deployments automatically: their model version changes only by an in-place or "
                                   "multi-deployment migration that you run, so plan the migration now.")
    assert diag.message.endswith("Migration target: gpt-test 2024-05-13, the replacement Microsoft names (a different "
                                 "model: test the application against it).")


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("sku", ["Standard", "GlobalStandard", "DataZoneStandard", "globalstandard", "STANDARD"])
def test_standard_skus_are_exempt(pack: Pack, flavour: str, sku: str) -> None:
    assert pack.flavour(flavour, POLICY, version="soon", sku=sku, option="NoAutoUpgrade") == []


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("sku", ["GlobalProvisionedManaged", "DataZoneProvisionedManaged", "GlobalBatch",
                                 "DataZoneBatch", "DeveloperTier", "provisionedmanaged", "PROVISIONEDMANAGED",
                                 "FutureSku"])
def test_every_non_standard_sku_is_covered(pack: Pack, flavour: str, sku: str) -> None:
    assert len(pack.flavour(flavour, POLICY, version="soon", sku=sku)) == 1


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_missing_sku_counts_as_non_standard(pack: Pack, flavour: str) -> None:
    (diag,) = pack.flavour(flavour, POLICY, version="soon", sku=MISSING)
    assert "for a deployment with no SKU" in diag.message


@pytest.mark.parametrize(("version", "fires", "retired"), [
    ("past", False, True),
    ("today", False, True),
    ("tomorrow", True, False),
    ("edge", True, False),
    ("beyond", False, False),
    ("open", False, False),
])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_window_boundaries(pack: Pack, flavour: str, version: str, fires: bool, retired: bool) -> None:
    diags = pack.flavour(flavour, version=version, sku=PTU, option="OnceCurrentVersionExpired")
    assert len(only(diags, POLICY)) == int(fires)
    assert len(only(diags, RETIRED)) == int(retired)


@pytest.mark.parametrize(("window", "version", "fires"), [
    (30, "soon", True), (29, "soon", False), (89, "edge", False), (91, "beyond", True), (0, "tomorrow", False),
])
def test_configured_window(make_pack: Any, window: int, version: str, fires: bool) -> None:
    pack = make_pack({POLICY: {"retirementWindowDays": window}})
    assert len(pack.flavour("native", POLICY, version=version, sku=PTU)) == int(fires)


@pytest.mark.parametrize(("sku", "fires"), [
    ("ProvisionedManaged", True), ("provisionedmanaged", True), ("GlobalProvisionedManaged", False),
    ("DataZoneProvisionedManaged", False), ("Standard", False),
])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_per_sku_retirement_date(pack: Pack, flavour: str, sku: str, fires: bool) -> None:
    diags = pack.flavour(flavour, POLICY, version="split-ptu", sku=sku)
    assert len(diags) == int(fires)
    if fires:
        assert f"retires on {iso(30)} for the ProvisionedManaged deployment type" in diags[0].message


def test_standard_override_does_not_apply_to_provisioned(pack: Pack) -> None:
    """``split`` retires early only for Standard; a provisioned deployment of it has 400 days."""
    assert pack.flavour("native", POLICY, version="split", sku=PTU) == []


def test_classic_legacy_scale_type(pack: Pack) -> None:
    props = deployment("classic", version="soon", sku=MISSING)
    props["scale"] = {"type": "ProvisionedManaged"}
    (diag,) = only(pack.analyze(props, FLAVOURS["classic"]), POLICY)
    assert "for the ProvisionedManaged deployment type" in diag.message


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_unknown_sku(make_pack: Any, flavour: str) -> None:
    (skip,) = make_pack().flavour(flavour, POLICY, version="soon", sku=UNKNOWN)
    assert skip.is_preview_skip and skip.level == "advisory"
    assert "string value at .sku.name can't be known during preview" in skip.raw
    (diag,) = make_pack({POLICY: {"failOnUnknown": True}}).flavour(flavour, POLICY, version="soon", sku=UNKNOWN)
    assert diag.level == "mandatory"
    assert diag.message == "value at .sku.name can't be known during preview and failOnUnknown is set."


def test_unknown_version_on_provisioned(make_pack: Any) -> None:
    (diag,) = make_pack({POLICY: {"failOnUnknown": True}}).flavour("native", POLICY, version=UNKNOWN, sku=PTU)
    assert diag.message == "value at .properties.model.version can't be known during preview and failOnUnknown is set."


def test_unknown_version_on_standard_is_not_needed(make_pack: Any) -> None:
    assert make_pack({POLICY: {"failOnUnknown": True}}).flavour("native", POLICY, version=UNKNOWN,
                                                                 sku="Standard") == []


def test_unknown_option_does_not_matter(make_pack: Any) -> None:
    pack = make_pack({POLICY: {"failOnUnknown": True}})
    assert len(pack.flavour("native", POLICY, version="soon", sku=PTU, option=UNKNOWN)) == 1


@pytest.mark.parametrize("type_", ["azure-native:cognitiveservices:Account", "azure:cognitive/account:Account"])
def test_non_deployment_types_are_ignored(pack: Pack, type_: str) -> None:
    assert pack.analyze(deployment("native", version="soon", sku=PTU), type_) == []


@pytest.mark.parametrize("offset", [-5, 0, 1, 60, 89, 90, 91, 200])
@pytest.mark.parametrize("window", [0, 60, 90])
def test_engine_window_table(offset: int, window: int) -> None:
    ctx = context(offset_catalog([offset]), retirement_window_days=window)
    found = outcomes(POLICY, record("classic", version=f"d{offset}", sku=PTU), ctx)
    assert [type(o) for o in found] == ([Violation] if 0 < offset <= window else [])


@pytest.mark.parametrize("sku", [MISSING, "FancyTier"], ids=["missing", "unknown-name"])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_missing_or_unknown_sku_uses_the_earliest_date(pack: Pack, flavour: str, sku: Any) -> None:
    """m split retires on Standard in 30 days, on every other type in 400. A deployment whose type is
    not known may be the one retiring first: the earliest date applies (DESIGN, fail closed)."""
    (diag,) = pack.flavour(flavour, POLICY, version="split", sku=sku, option="NoAutoUpgrade")
    assert f"retires on {iso(30)} for " in diag.message
    assert "(the earliest date over all deployment types applies)" in diag.message
