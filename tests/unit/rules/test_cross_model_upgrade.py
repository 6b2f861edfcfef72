"""cross-model-upgrade through the real CrossGuard servicer, plus engine boundary tables.

Catalog below (as of testkit.AS_OF, 2026-01-15): ``chat 2025-01-01`` retires in 30 days and names
``reasoner 2025-06-01`` (another model) as its replacement, the shape of gpt-4o 2024-05-13 → gpt-5.1
in the 2026-09-02 schedule; other models give one situation each.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.testkit import (
    AS_OF,
    FLAVOURS,
    MISSING,
    UNKNOWN,
    Pack,
    catalog_data,
    context,
    iso,
    only,
    outcomes,
    record,
    version_entry,
)
from versionguard.core.catalog import catalog_from_data
from versionguard.core.rules.base import NeedsValue, Violation
from versionguard.core.rules.cross_model_upgrade import WINDOW_DAYS

POLICY = "cross-model-upgrade"
AUTO, EXPIRY, NO_AUTO = "OnceNewDefaultVersionAvailable", "OnceCurrentVersionExpired", "NoAutoUpgrade"
V, NEWER = "2025-01-01", "2025-06-01"
STANDARD_FAMILY = ["Standard", "GlobalStandard", "DataZoneStandard"]
OTHER_TYPES = ["ProvisionedManaged", "GlobalProvisionedManaged", "DataZoneProvisionedManaged", "GlobalBatch",
               "DataZoneBatch", "DeveloperTier", "FancyTier", MISSING]
RISK = "reasoning models (o-series, gpt-5.x) reject parameters that chat models accept, and outputs differ."


def _catalog(offset: int = 30):
    soon = iso(offset)
    return catalog_from_data(catalog_data(
        ("chat", [version_entry(V, retirement=soon, replacement={"name": "reasoner", "version": NEWER})]),
        # named without a version: the target's default on the day
        ("chat-nover", [version_entry(V, retirement=soon, replacement={"name": "reasoner"})]),
        ("chat-nodefault", [version_entry(V, retirement=soon, replacement={"name": "nodefault"})]),
        ("reasoner", [version_entry(NEWER, default=True, retirement=iso(700))]),
        ("nodefault", [version_entry(NEWER, retirement=iso(700))]),
        # the replacement is the same model: a version move, not this rule's
        ("same", [version_entry(V, retirement=soon, replacement={"name": "SAME", "version": NEWER}),
                  version_entry(NEWER, retirement=iso(700))]),
        # no replacement, a same-model default: not this rule's
        ("plain", [version_entry(V, retirement=soon), version_entry(NEWER, default=True, retirement=iso(700))]),
        # a preview naming another model: forced whatever the option
        ("prev", [version_entry(V, "preview", retirement=soon, replacement={"name": "reasoner", "version": NEWER})]),
        # upgrade on expiry fires 10 days before retirement on Standard
        ("lead", [version_entry(V, retirement=soon, upgrade_lead_days={"Standard": 10},
                                replacement={"name": "reasoner", "version": NEWER})]),
    ), "cross-model-test")


CATALOG = _catalog()


@pytest.fixture
def cpack(make_pack: Any) -> Pack:
    return make_pack(catalog=CATALOG)


def diags(pack: Pack, flavour: str = "native", model: str = "chat", version: str = V, option: Any = EXPIRY,
          sku: Any = "GlobalStandard", **extra: Any):
    return pack.flavour(flavour, POLICY, model=model, version=version, option=option, sku=sku, **extra)


# --- pass / fail, every flavour, option and SKU family ------------------------------------------------

@pytest.mark.parametrize("sku", STANDARD_FAMILY)
@pytest.mark.parametrize("option", [AUTO, EXPIRY, MISSING], ids=["auto-update", "on-expiry", "default"])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_move_to_another_model_is_an_advisory_naming_day_target_and_risk(cpack: Pack, flavour: str, option: Any,
                                                                          sku: str) -> None:
    (diag,) = diags(cpack, flavour, option=option, sku=sku)
    assert diag.level == "advisory"
    assert diag.message.startswith(f"chat {V} retires on {iso(30)} for the {sku} deployment type (in 30 days, "
                                   f"window {WINDOW_DAYS}): versionUpgradeOption ")
    assert diag.message.endswith(
        f"and Azure upgrades it to the replacement Microsoft names, so on {iso(30)} this deployment runs reasoner "
        f"{NEWER}. That is a different model: {RISK} Test the application against reasoner or migrate to it "
        "deliberately before then.")


@pytest.mark.parametrize(("flavour", "how"), [
    ("native", "versionUpgradeOption defaults (ARM null) to OnceCurrentVersionExpired"),
    ("versioned", "versionUpgradeOption defaults (ARM null) to OnceCurrentVersionExpired"),
    ("classic", "versionUpgradeOption defaults (classic provider) to OnceNewDefaultVersionAvailable"),
])
def test_message_says_which_default_applies(cpack: Pack, flavour: str, how: str) -> None:
    (diag,) = diags(cpack, flavour, option=MISSING)
    assert f"): {how}, and Azure upgrades it" in diag.message


@pytest.mark.parametrize("option", ["oncecurrentversionexpired", "ONCENEWDEFAULTVERSIONAVAILABLE"])
@pytest.mark.parametrize("sku", ["globalstandard", "DATAZONESTANDARD", "standard"])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_case_variants(cpack: Pack, flavour: str, option: str, sku: str) -> None:
    assert len(diags(cpack, flavour, option=option, sku=sku)) == 1
    assert diags(cpack, flavour, option="noautoupgrade", sku=sku) == []


@pytest.mark.parametrize("sku", OTHER_TYPES)
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_non_standard_types_and_no_auto_upgrade_pass(cpack: Pack, flavour: str, sku: Any) -> None:
    """Never upgraded: provisioned-migration-due / no-auto-upgrade-near-retirement name the target instead."""
    assert diags(cpack, flavour, option=EXPIRY, sku=sku) == []
    assert diags(cpack, flavour, option=NO_AUTO, sku="GlobalStandard") == []


@pytest.mark.parametrize(("model", "target"), [
    ("chat-nover", f"reasoner {NEWER}"),
    ("chat-nodefault", "an unknown version of nodefault (the replacement is named without a version and the "
                       "catalog has no default version of nodefault for that day)"),
])
def test_replacement_without_version(cpack: Pack, model: str, target: str) -> None:
    (diag,) = diags(cpack, model=model)
    assert f"this deployment runs {target}. That is a different model" in diag.message


@pytest.mark.parametrize("model", ["same", "plain"])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_same_model_moves_pass(cpack: Pack, flavour: str, model: str) -> None:
    assert diags(cpack, flavour, model=model) == []


@pytest.mark.parametrize("option", [AUTO, EXPIRY, NO_AUTO, MISSING])
@pytest.mark.parametrize("sku", ["GlobalStandard", "ProvisionedManaged", "GlobalBatch", MISSING])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_preview_is_forced_whatever_option_and_type(cpack: Pack, flavour: str, option: Any, sku: Any) -> None:
    (diag,) = diags(cpack, flavour, model="prev", option=option, sku=sku)
    assert ("it is a preview version, and Microsoft force-upgrades preview deployments at retirement to their named "
            f"replacement whatever the versionUpgradeOption, so on {iso(30)} this deployment runs reasoner") \
        in diag.message


def test_lead_days_name_the_start(cpack: Pack) -> None:
    (diag,) = diags(cpack, model="lead", sku="Standard")
    assert f"so from {iso(20)} (10 days before it retires) this deployment runs reasoner" in diag.message
    (other,) = diags(cpack, model="lead", sku="GlobalStandard")
    assert f"so on {iso(30)} this deployment runs" in other.message


# --- boundaries ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("offset", "fires"), [
    (-1, False), (0, False),  # retired: retired-model-version's
    (1, True), (WINDOW_DAYS, True),  # window edge included
    (WINDOW_DAYS + 1, False),
])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_window_boundaries(make_pack: Any, flavour: str, offset: int, fires: bool) -> None:
    pack = make_pack(catalog=_catalog(offset))
    assert len(only(pack.flavour(flavour, model="chat", version=V, option=EXPIRY, sku="Standard"), POLICY)) \
        == int(fires)


@pytest.mark.parametrize(("window", "fires"), [(30, True), (29, False), (0, False)])
def test_configured_window(make_pack: Any, window: int, fires: bool) -> None:
    found = diags(make_pack({POLICY: {"retirementWindowDays": window}}, catalog=CATALOG))
    assert len(found) == int(fires)
    if fires:
        assert f"window {window})" in found[0].message


@pytest.mark.parametrize("offset", [0, 1, 90, 91, 120, 121])
def test_engine_table_with_the_default_window(offset: int) -> None:
    ctx = context(_catalog(offset), retirement_window_days=WINDOW_DAYS)
    found = outcomes(POLICY, record("native", model="chat", version=V, option=AUTO, sku="GlobalStandard"), ctx)
    assert [type(o) for o in found] == ([Violation] if 0 < offset <= WINDOW_DAYS else [])
    assert ctx.as_of == AS_OF


# --- unknown values -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("field", "path"), [
    ("option", "properties.versionUpgradeOption"),
    ("sku", "sku.name"),
    ("version", "properties.model.version"),
    ("model", "properties.model.name"),
    ("fmt", "properties.model.format"),
])
def test_unknown_needed_value(make_pack: Any, field: str, path: str) -> None:
    fields = {"model": "chat", "version": V, "option": EXPIRY, "sku": "GlobalStandard", field: UNKNOWN}
    (skip,) = make_pack(catalog=CATALOG).flavour("native", POLICY, **fields)
    assert skip.level == "advisory" and skip.is_preview_skip and f".{path} can't be known" in skip.raw
    (diag,) = make_pack({POLICY: {"failOnUnknown": True}}, catalog=CATALOG).flavour("native", POLICY, **fields)
    assert diag.level == "advisory"  # the rule's own level
    assert diag.message == f"value at .{path} can't be known during preview and failOnUnknown is set."


def test_unknown_option_of_a_preview_is_not_needed(make_pack: Any) -> None:
    pack = make_pack({POLICY: {"failOnUnknown": True}}, catalog=CATALOG)
    (diag,) = pack.flavour("native", POLICY, model="prev", version=V, option=UNKNOWN, sku=UNKNOWN)
    assert "force-upgrades preview deployments" in diag.message


def test_engine_reports_needs_value_for_an_unknown_option() -> None:
    from versionguard.core.records import Unknown, normalize

    rec = normalize("azure-native:cognitiveservices:Deployment", {
        "sku": {"name": "GlobalStandard"},
        "properties": {"model": {"name": "chat", "version": V}, "versionUpgradeOption": Unknown(("x",))}}, "d")
    (out,) = outcomes(POLICY, rec, context(CATALOG, retirement_window_days=WINDOW_DAYS))
    assert isinstance(out, NeedsValue)


def test_not_in_catalog_passes(cpack: Pack) -> None:
    assert diags(cpack, model="nope") == []
    assert diags(cpack, version=MISSING) == []


def test_levels_raisable(make_pack: Any) -> None:
    assert diags(make_pack({POLICY: "disabled"}, catalog=CATALOG)) == []
    (diag,) = diags(make_pack({POLICY: "mandatory"}, catalog=CATALOG))
    assert diag.level == "mandatory"
