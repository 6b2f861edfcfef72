"""deprecated-model-version through the real CrossGuard servicer (as of testkit.AS_OF, 2026-01-15)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.unit.testkit import (
    FLAVOURS,
    MISSING,
    UNKNOWN,
    Pack,
    catalog_data,
    iso,
    version_entry,
)
from versionguard.adapters.files.catalog_file import load_catalog
from versionguard.core.catalog import catalog_from_data

POLICY = "deprecated-model-version"
RETIRED = "retired-model-version"

CATALOG = catalog_from_data(catalog_data(("dep", [
    version_entry("past", "deprecated", deprecation=iso(-10), retirement=iso(200),
                  replacement={"name": "next", "version": "2026-01-01"}),
    version_entry("today", deprecation=iso(0), retirement=iso(200)),  # the deprecation day itself counts
    version_entry("tomorrow", deprecation=iso(1), retirement=iso(200)),
    version_entry("word", "deprecated"),  # listed as deprecated, no date
    version_entry("tentative", deprecation=iso(-1), deprecation_status="tentative", retirement=iso(200)),
    version_entry("gone", deprecation=iso(-100), retirement=iso(-1)),  # retired: retired-model-version's
    version_entry("split", deprecation=iso(-10), retirement=iso(400), retirement_by_sku={"Standard": iso(-1)}),
    version_entry("open", deprecation=iso(-10)),  # no retirement announced
    version_entry("fresh", retirement=iso(400)),
    version_entry("2025-01-01", deprecation=iso(-10), retirement=iso(400),
                  fine_tuned={"deployment_retirement": iso(300)}),
])), "deprecated-test")


@pytest.fixture
def dpack(make_pack: Any) -> Pack:
    return make_pack(catalog=CATALOG)


def diags(pack: Pack, flavour: str = "native", version: str = "past", **fields: Any):
    return pack.flavour(flavour, POLICY, model="dep", version=version, **fields)


@pytest.mark.parametrize("option", [MISSING, "NoAutoUpgrade", "OnceCurrentVersionExpired"])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_past_deprecation_is_an_advisory_naming_the_replacement(dpack: Pack, flavour: str, option: Any) -> None:
    (diag,) = diags(dpack, flavour, option=option)
    assert diag.level == "advisory"
    assert diag.message == (
        f"dep past has been deprecated since {iso(-10)}: closed to new customers. Azure decides \"existing "
        f"customer\" per subscription: only a subscription that already has a deployment of this version can "
        f"create new ones, so a new deployment of it in any other subscription fails; existing deployments keep "
        f"working until it retires on "
        f"{iso(200)} for the GlobalStandard deployment type. Azure names next 2026-01-01 as its replacement.")


@pytest.mark.parametrize(("version", "fires"), [
    ("today", True), ("tomorrow", False), ("word", True), ("fresh", False), ("gone", False), ("open", True),
])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_boundaries(dpack: Pack, flavour: str, version: str, fires: bool) -> None:
    assert len(diags(dpack, flavour, version)) == int(fires)


def test_retired_version_is_reported_by_retired_model_version_only(dpack: Pack) -> None:
    found = dpack.flavour("native", model="dep", version="gone")
    assert [d.policy for d in found if d.policy in (POLICY, RETIRED)] == [RETIRED]


def test_listed_as_deprecated_without_a_date(dpack: Pack) -> None:
    (diag,) = diags(dpack, version="word")
    assert diag.message.startswith("dep word is listed as deprecated: closed to new customers")
    assert diag.message.endswith("until it retires (no date announced).")


def test_tentative_deprecation_says_it_may_not_be_in_effect(dpack: Pack) -> None:
    (diag,) = diags(dpack, version="tentative")
    assert diag.message.startswith(f"dep tentative may be deprecated: its deprecation date {iso(-1)} is tentative "
                                   "('no earlier than'), so it may not be in effect yet. Once it is, the version is "
                                   "closed to new customers")


@pytest.mark.parametrize(("sku", "fires"), [("Standard", False), ("GlobalStandard", True), (MISSING, False),
                                            ("FancyTier", False)])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_per_sku_retirement(dpack: Pack, flavour: str, sku: Any, fires: bool) -> None:
    """split retired on Standard yesterday (retired-model-version's); elsewhere it runs 400 more days.
    A missing or unknown SKU gets the earliest date, so it counts as retired too."""
    found = diags(dpack, flavour, "split", sku=sku)
    assert len(found) == int(fires)
    if fires:
        assert f"until it retires on {iso(400)} for the GlobalStandard deployment type" in found[0].message


def test_fine_tuned_deployments_have_no_deprecation(dpack: Pack) -> None:
    """Azure publishes training and deployment retirement for fine-tuned models, no deprecation."""
    assert dpack.flavour("native", POLICY, model="dep-2025-01-01.ft-abc", version="1") == []
    assert len(dpack.flavour("native", POLICY, model="dep", version="2025-01-01")) == 1


@pytest.mark.parametrize(("field", "path", "version"), [
    ("version", "properties.model.version", "past"),
    ("sku", "sku.name", "split"),  # the SKU is read only when the version has per-SKU dates
])
def test_unknown_needed_value(make_pack: Any, field: str, path: str, version: str) -> None:
    fields = {"version": version, field: UNKNOWN}
    (skip,) = make_pack(catalog=CATALOG).flavour("native", POLICY, model="dep", **fields)
    assert skip.level == "advisory" and skip.is_preview_skip and f".{path} can't be known" in skip.raw
    (diag,) = make_pack({POLICY: {"failOnUnknown": True}}, catalog=CATALOG).flavour("native", POLICY, model="dep",
                                                                                 **fields)
    assert diag.level == "advisory"  # the policy's own level
    assert diag.message == f"value at .{path} can't be known during preview and failOnUnknown is set."


def test_unknown_sku_is_not_needed_without_per_sku_dates(make_pack: Any) -> None:
    (diag,) = make_pack({POLICY: {"failOnUnknown": True}}, catalog=CATALOG).flavour(
        "native", POLICY, model="dep", version="past", sku=UNKNOWN)
    assert diag.message.startswith("dep past has been deprecated since")


@pytest.mark.parametrize(("model", "version", "since", "retires"), [
    # Legacy in the 2026-09-02 schedule: not deprecated. Its Dec-2025 deprecation date (2026-04-14), which
    # the April catalog had, passed before the schedule still called it GA/Legacy, so it was dropped.
    ("gpt-4.1", "2025-04-14", None, None),
    ("gpt-4o-mini", "2024-07-18", "2025-07-18", "2027-04-14"),  # Deprecated in the schedule
    ("model-router", "2025-11-18", "2026-11-18", "2027-05-20"),  # GA on 2026-09-02; deprecated from 2026-11-18
])
def test_bundled_deprecations_on_2026_12_07(make_pack: Any, model: str, version: str, since: str | None,
                                            retires: str | None) -> None:
    pack = make_pack(catalog=load_catalog(), as_of=dt.date(2026, 12, 7))
    found = pack.flavour("native", POLICY, model=model, version=version, sku="GlobalStandard")
    assert len(found) == (0 if since is None else 1)
    if since is not None:
        assert found[0].message.startswith(f"{model} {version} has been deprecated since {since}")
        assert f"retires on {retires} for the GlobalStandard deployment type" in found[0].message


def test_levels(make_pack: Any) -> None:
    assert diags(make_pack({POLICY: "disabled"}, catalog=CATALOG)) == []
    (diag,) = diags(make_pack({POLICY: "mandatory"}, catalog=CATALOG))
    assert diag.level == "mandatory"
