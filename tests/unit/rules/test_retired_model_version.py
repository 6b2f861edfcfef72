"""retired-model-version through the real CrossGuard servicer, plus an engine boundary table."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.testkit import (
    AS_OF,
    FLAVOURS,
    MISSING,
    UNKNOWN,
    Pack,
    context,
    day,
    deployment,
    iso,
    offset_catalog,
    only,
    outcomes,
    record,
)
from versionguard.core.records import Unknown
from versionguard.core.rules.base import NeedsValue, Violation

POLICY = "retired-model-version"
WINDOW_RULES = ("no-auto-upgrade-near-retirement", "provisioned-migration-due")
OPTIONS = [MISSING, "NoAutoUpgrade", "OnceCurrentVersionExpired", "OnceNewDefaultVersionAvailable"]


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("version", ["far", "soon", "tomorrow", "open", "preview"])
def test_supported_versions_pass(pack: Pack, flavour: str, version: str) -> None:
    assert pack.flavour(flavour, POLICY, version=version) == []


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("option", OPTIONS)
def test_retired_version_is_mandatory_whatever_the_option(pack: Pack, flavour: str, option: Any) -> None:
    (diag,) = pack.flavour(flavour, POLICY, version="past", option=option, sku="GlobalStandard")
    assert diag.level == "mandatory"
    assert diag.message == (f"m past retired on {iso(-1)} for the GlobalStandard deployment type. "
                            "Azure names m far as its replacement.")


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("sku", ["ProvisionedManaged", "GlobalStandard"])
def test_retirement_day_itself_is_retired_and_window_rules_stay_quiet(pack: Pack, flavour: str, sku: str) -> None:
    diags = pack.flavour(flavour, version="today", option="NoAutoUpgrade", sku=sku)
    (diag,) = only(diags, POLICY)
    assert f"m today retired on {AS_OF.isoformat()}" in diag.message
    for rule in WINDOW_RULES:
        assert only(diags, rule) == []


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_day_before_retirement_is_not_retired_but_window_rules_fire(pack: Pack, flavour: str) -> None:
    diags = pack.flavour(flavour, version="tomorrow", option="NoAutoUpgrade", sku="ProvisionedManaged")
    assert only(diags, POLICY) == []
    for rule in WINDOW_RULES:
        assert len(only(diags, rule)) == 1


def test_retired_lifecycle_without_date(pack: Pack) -> None:
    (diag,) = pack.flavour("native", POLICY, version="gone")
    assert diag.message == "m gone is listed as retired."


@pytest.mark.parametrize(("sku", "retired"), [
    ("Standard", True), ("standard", True), ("STANDARD", True),
    ("GlobalStandard", False), ("GLOBALSTANDARD", False), ("DataZoneStandard", False),
    ("ProvisionedManaged", False),
])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_per_sku_retirement(pack: Pack, flavour: str, sku: Any, retired: bool) -> None:
    diags = pack.flavour(flavour, POLICY, version="split-gone", sku=sku)
    assert len(diags) == int(retired)
    if retired:
        assert diags[0].message == f"m split-gone retired on {iso(-10)} for the Standard deployment type."


@pytest.mark.parametrize("sku", [MISSING, None, "", "FancyTier"], ids=["missing", "null", "empty", "unknown-name"])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_missing_or_unknown_sku_gets_the_earliest_date_over_all_skus(pack: Pack, flavour: str, sku: Any) -> None:
    """DESIGN (fail closed): without a known SKU the earliest of ``retirement`` and every
    ``retirement_by_sku`` date applies. split-gone retired on Standard 10 days ago (other types: in 400
    days); before this rule a deployment with no SKU was judged on the later date and passed."""
    (diag,) = pack.flavour(flavour, POLICY, version="split-gone", sku=sku)
    assert diag.message.startswith(f"m split-gone retired on {iso(-10)} for ")
    assert diag.message.endswith("deployment type (the earliest date over all deployment types applies).") \
        or diag.message.endswith("no SKU (the earliest date over all deployment types applies).")


def test_model_and_version_lookup_is_case_insensitive(pack: Pack) -> None:
    assert len(pack.flavour("native", POLICY, model="M", version="PAST")) == 1


@pytest.mark.parametrize("version", ["nope", MISSING, ""])
def test_version_not_in_catalog_or_missing_is_left_to_other_rules(pack: Pack, version: Any) -> None:
    assert pack.flavour("native", POLICY, version=version) == []


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_unknown_version(make_pack: Any, flavour: str) -> None:
    (skip,) = make_pack().flavour(flavour, POLICY, version=UNKNOWN)
    assert skip.is_preview_skip and skip.level == "advisory"
    (diag,) = make_pack({POLICY: {"failOnUnknown": True}}).flavour(flavour, POLICY, version=UNKNOWN)
    assert diag.level == "mandatory"
    assert diag.message.endswith("can't be known during preview and failOnUnknown is set.")


def test_unknown_sku_only_matters_with_per_sku_dates(make_pack: Any) -> None:
    pack = make_pack({POLICY: {"failOnUnknown": True}})
    (needs,) = pack.flavour("native", POLICY, version="split-gone", sku=UNKNOWN)
    assert needs.message == "value at .sku.name can't be known during preview and failOnUnknown is set."
    (retired,) = pack.flavour("native", POLICY, version="past", sku=UNKNOWN)
    assert retired.message.startswith(f"m past retired on {iso(-1)}")
    assert pack.flavour("native", POLICY, version="far", sku=UNKNOWN) == []


def test_unknown_option_does_not_matter(make_pack: Any) -> None:
    pack = make_pack({POLICY: {"failOnUnknown": True}})
    assert len(pack.flavour("classic", POLICY, version="past", option=UNKNOWN)) == 1


@pytest.mark.parametrize("type_", ["azure-native:cognitiveservices:Account", "azure:cognitive/account:Account"])
def test_non_deployment_types_are_ignored(pack: Pack, type_: str) -> None:
    assert pack.analyze(deployment("native", version="past"), type_) == []
    assert pack.analyze(deployment("classic", version="past"), type_) == []


def test_as_of_moves_the_verdict(make_pack: Any) -> None:
    """The same deployment is fine the day before its retirement and retired on the day."""
    assert make_pack(as_of=day(-2)).flavour("native", POLICY, version="past") == []
    assert len(make_pack(as_of=day(-1)).flavour("native", POLICY, version="past")) == 1


# --- engine level ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("offset", "retired"), [(-365, True), (-1, True), (0, True), (1, False), (90, False)])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_engine_retirement_table(flavour: str, offset: int, retired: bool) -> None:
    ctx = context(offset_catalog([offset]))
    found = outcomes(POLICY, record(flavour, version=f"d{offset}"), ctx)
    assert [type(o) for o in found] == ([Violation] if retired else [])


def test_engine_unknown_sku_with_per_sku_dates_needs_the_value() -> None:
    ctx = context(offset_catalog([10], {"Standard": -20}))
    (needs,) = outcomes(POLICY, record("native", version="d10", sku=Unknown(("sku", "name"))), ctx)
    assert isinstance(needs, NeedsValue)


# --- one retired test for retired-model-version and deprecated-model-version --------------------------

def _deprecated_catalog() -> Any:
    from tests.unit.testkit import catalog_data, version_entry
    from versionguard.core.catalog import catalog_from_data

    entries = [version_entry(f"r{o}", "deprecated", deprecation=iso(-30), retirement=iso(o),
                             retirement_by_sku={"ProvisionedManaged": iso(o - 1)}) for o in (-1, 0, 1, 2)]
    entries.append(version_entry("listed", "retired", deprecation=iso(-30)))  # retired, no date
    return catalog_from_data(catalog_data(("dep", entries)), "retired-or-deprecated")


@pytest.mark.parametrize("version", ["r-1", "r0", "r1", "r2", "listed"])
@pytest.mark.parametrize("sku", ["Standard", "ProvisionedManaged", MISSING])
def test_a_deprecated_version_is_reported_by_exactly_one_of_the_two_rules(version: str, sku: Any) -> None:
    """Retired for the deployment's SKU on the as-of date: retired-model-version; before: deprecated-model-version."""
    from versionguard.core.rules.base import catalog_entry, retired, retirement

    ctx = context(_deprecated_catalog())
    rec = record(model="dep", version=version, sku=sku)
    entry = catalog_entry(rec, ctx)
    assert entry is not None
    gone = retired(entry, retirement(rec, entry)[0], ctx)
    expected = {"r-1": True, "r0": True, "r1": sku != "Standard", "r2": False, "listed": True}[version]
    assert gone == expected
    assert bool(outcomes(POLICY, rec, ctx)) == gone
    assert bool(outcomes("deprecated-model-version", rec, ctx)) == (not gone)
