"""no-auto-upgrade-near-retirement through the real CrossGuard servicer, plus engine boundary tables."""

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

POLICY = "no-auto-upgrade-near-retirement"
RETIRED = "retired-model-version"
NO_AUTO = "NoAutoUpgrade"


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_far_retirement_passes(pack: Pack, flavour: str) -> None:
    assert pack.flavour(flavour, POLICY, version="far", option=NO_AUTO) == []


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_near_retirement_is_a_mandatory_violation(pack: Pack, flavour: str) -> None:
    (diag,) = pack.flavour(flavour, POLICY, version="soon", option=NO_AUTO, sku="GlobalStandard")
    assert diag.level == "mandatory"
    assert diag.message.startswith(f"m soon retires on {iso(30)} for the GlobalStandard deployment type "
                                   f"(in 30 days, window {WINDOW}) and versionUpgradeOption is NoAutoUpgrade")
    # the named replacement is the migration target (lifecycle-2026-10), and another model is said to be one
    assert "that day. Migration target: gpt-test 2024-05-13, the replacement Microsoft names (a different model: " \
           "test the application against it)." in diag.message


@pytest.mark.parametrize("option", ["OnceCurrentVersionExpired", "OnceNewDefaultVersionAvailable"])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_other_options_near_retirement_pass(pack: Pack, flavour: str, option: str) -> None:
    assert pack.flavour(flavour, POLICY, version="soon", option=option) == []


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_missing_option_never_means_no_auto_upgrade(pack: Pack, flavour: str) -> None:
    """azure-native: missing = OnceCurrentVersionExpired; classic: missing = OnceNewDefaultVersionAvailable."""
    assert pack.flavour(flavour, POLICY, version="soon") == []


@pytest.mark.parametrize(("version", "fires", "retired"), [
    ("past", False, True),
    ("today", False, True),  # the retirement day itself belongs to retired-model-version
    ("tomorrow", True, False),
    ("soon", True, False),
    ("edge", True, False),  # exactly retirementWindowDays ahead
    ("beyond", False, False),  # one day more
    ("far", False, False),
    ("open", False, False),  # no retirement announced
])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_window_boundaries(pack: Pack, flavour: str, version: str, fires: bool, retired: bool) -> None:
    diags = pack.flavour(flavour, version=version, option=NO_AUTO)
    assert len(only(diags, POLICY)) == int(fires)
    assert len(only(diags, RETIRED)) == int(retired)


@pytest.mark.parametrize(("window", "version", "fires"), [
    (30, "soon", True), (29, "soon", False), (30, "edge", False), (0, "tomorrow", False), (365, "far", False),
    (400, "far", True),
])
def test_configured_window(make_pack: Any, window: int, version: str, fires: bool) -> None:
    pack = make_pack({POLICY: {"retirementWindowDays": window}})
    diags = pack.flavour("native", POLICY, version=version, option=NO_AUTO)
    assert len(diags) == int(fires)
    if fires:
        assert f"window {window})" in diags[0].message


@pytest.mark.parametrize(("sku", "fires"), [
    ("Standard", True), ("standard", True), ("STANDARD", True),
    ("GlobalStandard", False), ("GLOBALSTANDARD", False), ("globalstandard", False),
    ("DataZoneStandard", False), ("ProvisionedManaged", False),
])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_per_sku_retirement_date(pack: Pack, flavour: str, sku: str, fires: bool) -> None:
    diags = pack.flavour(flavour, POLICY, version="split", option=NO_AUTO, sku=sku)
    assert len(diags) == int(fires)
    if fires:
        assert f"retires on {iso(30)} for the Standard deployment type" in diags[0].message


@pytest.mark.parametrize("option", ["noautoupgrade", "NOAUTOUPGRADE", "noAutoUpgrade", " NoAutoUpgrade "])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_option_is_case_insensitive(pack: Pack, flavour: str, option: str) -> None:
    assert len(pack.flavour(flavour, POLICY, version="soon", option=option, sku="GLOBALSTANDARD")) == 1


def test_version_case_insensitive_lookup(pack: Pack) -> None:
    assert len(pack.flavour("native", POLICY, model="M", version="SOON", option=NO_AUTO)) == 1


def test_version_not_in_catalog_is_left_to_model_version_known(pack: Pack) -> None:
    assert pack.flavour("native", POLICY, version="nope", option=NO_AUTO) == []
    assert pack.flavour("native", POLICY, version=MISSING, option=NO_AUTO) == []


@pytest.mark.parametrize(("field", "value", "path"), [
    ("option", UNKNOWN, "properties.versionUpgradeOption"),
    ("version", UNKNOWN, "properties.model.version"),
    ("model", UNKNOWN, "properties.model.name"),
])
def test_unknown_needed_value(make_pack: Any, field: str, value: str, path: str) -> None:
    fields = {"version": "soon", "option": NO_AUTO, field: value}
    (skip,) = make_pack().flavour("native", POLICY, **fields)
    assert skip.level == "advisory"
    assert skip.is_preview_skip
    assert f".{path} can't be known" in skip.raw
    (diag,) = make_pack({POLICY: {"failOnUnknown": True}}).flavour("native", POLICY, **fields)
    assert diag.level == "mandatory"
    assert diag.message == f"value at .{path} can't be known during preview and failOnUnknown is set."


def test_unknown_sku_matters_only_for_per_sku_dates(make_pack: Any) -> None:
    pack = make_pack({POLICY: {"failOnUnknown": True}})
    (diag,) = pack.flavour("native", POLICY, version="split", option=NO_AUTO, sku=UNKNOWN)
    assert "value at .sku.name can't be known" in diag.message
    (near,) = pack.flavour("native", POLICY, version="soon", option=NO_AUTO, sku=UNKNOWN)
    assert near.message.startswith(f"m soon retires on {iso(30)}")
    assert pack.flavour("classic", POLICY, version="far", option=NO_AUTO, sku=UNKNOWN) == []


def test_unknown_option_on_classic(make_pack: Any) -> None:
    (skip,) = make_pack().flavour("classic", POLICY, version="soon", option=UNKNOWN)
    assert "string value at .versionUpgradeOption can't be known during preview" in skip.raw


@pytest.mark.parametrize("type_", ["azure-native:cognitiveservices:Account", "azure:cognitive/account:Account"])
def test_non_deployment_types_are_ignored(pack: Pack, type_: str) -> None:
    assert pack.analyze(deployment("native", version="soon", option=NO_AUTO), type_) == []


def test_disabled_and_advisory_levels(make_pack: Any) -> None:
    assert make_pack({POLICY: "disabled"}).flavour("native", POLICY, version="soon", option=NO_AUTO) == []
    (diag,) = make_pack({POLICY: "advisory"}).flavour("native", POLICY, version="soon", option=NO_AUTO)
    assert diag.level == "advisory"


# --- engine level: a wide boundary table -------------------------------------------------------------

OFFSETS = (-30, -1, 0, 1, 2, 45, 89, 90, 91, 120, 1000)


@pytest.mark.parametrize("window", [0, 1, 30, 90, 120])
@pytest.mark.parametrize("offset", OFFSETS)
def test_engine_window_table(window: int, offset: int) -> None:
    ctx = context(offset_catalog(OFFSETS), retirement_window_days=window)
    found = outcomes(POLICY, record("native", version=f"d{offset}", option=NO_AUTO), ctx)
    expected = 0 < offset <= window
    assert [type(o) for o in found] == ([Violation] if expected else [])
    retired = outcomes(RETIRED, record("native", version=f"d{offset}", option=NO_AUTO), ctx)
    assert bool(retired) == (offset <= 0)


@pytest.mark.parametrize(("sku", "shift", "fires"), [
    ("Standard", -60, True), ("GlobalStandard", -60, False), ("Standard", 60, False), ("ProvisionedManaged", 0, False),
])
def test_engine_per_sku_table(sku: str, shift: int, fires: bool) -> None:
    """Version retires in 120 days; the Standard override moves that by ``shift`` days."""
    ctx = context(offset_catalog([120], {"Standard": shift}))
    found = outcomes(POLICY, record("native", version="d120", option=NO_AUTO, sku=sku), ctx)
    assert len(found) == int(fires)


# --- the fix text promises an upgrade only where the catalog has a target --------------------------------

def _hint_catalog():
    from tests.unit.testkit import catalog_data, version_entry
    from versionguard.core.catalog import catalog_from_data

    return catalog_from_data(catalog_data(
        ("g", [version_entry("2025-01-01", retirement=iso(30)),
               version_entry("2025-06-01", default=True, default_since=iso(-10), retirement=iso(700),
                             retirement_by_sku={"Standard": iso(30)})]),
        ("solo", [version_entry("2025-01-01", retirement=iso(30), replacement={"name": "other"})]),
        ("nodefault", [version_entry("2025-01-01", retirement=iso(30)), version_entry("2025-06-01")]),
    ), "hint-test")


@pytest.mark.parametrize(("model", "sku", "text"), [
    ("g", "GlobalStandard", "The catalog names no replacement. Or set versionUpgradeOption to "
                            "OnceCurrentVersionExpired: Azure then upgrades it at retirement to the default version, "
                            "g 2025-06-01 in the catalog."),
    # on regional Standard the default retires the same day: switching the option would not save it
    ("g", "Standard", " Setting versionUpgradeOption to OnceCurrentVersionExpired would not save it: no replacement "
                      "is named and the catalog records no newer default version of g."),
    # Oct-2026 policy: the named replacement (another model) is where OnceCurrentVersionExpired goes
    ("solo", "GlobalStandard", "Migration target: other, the replacement Microsoft names (a different model: test "
                               "the application against it). Or set versionUpgradeOption to OnceCurrentVersionExpired: "
                               "Azure then upgrades it at retirement to the replacement Microsoft names, an unknown "
                               "version of other. That is a different model: reasoning models (o-series, "
                               "gpt-5.x) reject parameters that chat models accept, and outputs differ."),
    ("nodefault", "GlobalStandard", "no newer default version of nodefault (it lists 2025-06-01 as newer GA "
                                    "versions)."),
])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_fix_text_promises_an_upgrade_only_where_there_is_a_target(make_pack: Any, flavour: str, model: str,
                                                                     sku: str, text: str) -> None:
    (diag,) = make_pack(catalog=_hint_catalog()).flavour(flavour, POLICY, model=model, version="2025-01-01",
                                                         option=NO_AUTO, sku=sku)
    assert text in diag.message


def test_no_option_hint_on_a_non_standard_type(make_pack: Any) -> None:
    (diag,) = make_pack(catalog=_hint_catalog()).flavour("native", POLICY, model="g", version="2025-01-01",
                                                         option=NO_AUTO, sku="ProvisionedManaged")
    assert diag.message.endswith("the deployment stops working that day. The catalog names no replacement.")
