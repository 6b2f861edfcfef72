"""legacy-model-version through the real CrossGuard servicer (as of testkit.AS_OF, 2026-01-15).

Shapes of the 2026-09-02 schedule: gpt-4.1 2025-04-14 is Legacy with no replacement, gpt-4o
2024-11-20 is Legacy naming gpt-5.1.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.testkit import (
    FLAVOURS,
    MISSING,
    UNKNOWN,
    Pack,
    catalog_data,
    context,
    iso,
    outcomes,
    record,
    version_entry,
)
from versionguard.core.catalog import catalog_from_data
from versionguard.core.rules.base import Violation

POLICY = "legacy-model-version"

CATALOG = catalog_from_data(catalog_data(("leg", [
    version_entry("plain", "legacy", retirement=iso(400)),
    version_entry("named", "legacy", retirement=iso(400), replacement={"name": "gpt-5.1"}),
    version_entry("dated", "legacy", deprecation=iso(10), retirement=iso(400)),
    version_entry("deprecated-now", "legacy", deprecation=iso(0), retirement=iso(400)),
    version_entry("undated", "legacy"),
    version_entry("gone", "legacy", retirement=iso(0)),
    version_entry("split", "legacy", retirement=iso(400), retirement_by_sku={"Standard": iso(-1)}),
    version_entry("ga", retirement=iso(400)),
    version_entry("dep", "deprecated", retirement=iso(400)),
])), "legacy-test")


@pytest.fixture
def lpack(make_pack: Any) -> Pack:
    return make_pack(catalog=CATALOG)


def diags(pack: Pack, flavour: str = "native", version: str = "plain", **fields: Any):
    return pack.flavour(flavour, POLICY, model="leg", version=version, **fields)


@pytest.mark.parametrize("sku", ["Standard", "GlobalStandard", "DataZoneStandard", "ProvisionedManaged", "GlobalBatch",
                                 "DeveloperTier"])
@pytest.mark.parametrize("option", ["OnceNewDefaultVersionAvailable", "OnceCurrentVersionExpired", "NoAutoUpgrade",
                                    MISSING])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_legacy_is_an_advisory_whatever_option_and_type(lpack: Pack, flavour: str, option: Any, sku: str) -> None:
    (diag,) = diags(lpack, flavour, option=option, sku=sku)
    assert diag.level == "advisory"
    assert diag.message == (
        "leg plain is a legacy version: newer models exist and Microsoft asks customers to plan their migration. It "
        "is not deprecated: it stays open to new deployments until its deprecation, and existing deployments keep "
        f"working; it retires on {iso(400)} for the {sku} deployment type. Plan the migration now.")


def test_names_the_replacement_and_the_deprecation_day(lpack: Pack) -> None:
    assert diags(lpack, version="named")[0].message.endswith("Plan the migration now. Azure names gpt-5.1 as its "
                                                             "replacement.")
    assert f"until its deprecation on {iso(10)}" in diags(lpack, version="dated")[0].message
    assert diags(lpack, version="undated")[0].message.endswith("and existing deployments keep working. Plan the "
                                                               "migration now.")


@pytest.mark.parametrize(("version", "fires"), [
    ("dated", True),  # deprecation tomorrow-ish: still legacy
    ("deprecated-now", False),  # the deprecation day: deprecated-model-version's
    ("gone", False),  # the retirement day: retired-model-version's
    ("ga", False), ("dep", False),
])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_boundaries_and_other_stages(lpack: Pack, flavour: str, version: str, fires: bool) -> None:
    assert len(diags(lpack, flavour, version=version)) == int(fires)


@pytest.mark.parametrize(("sku", "fires"), [("Standard", False), ("standard", False), ("GlobalStandard", True)])
def test_per_sku_retirement(lpack: Pack, sku: str, fires: bool) -> None:
    assert len(diags(lpack, version="split", sku=sku)) == int(fires)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_case_variants_of_names(lpack: Pack, flavour: str) -> None:
    assert len(lpack.flavour(flavour, POLICY, model="LEG", version="PLAIN", sku="globalstandard")) == 1


@pytest.mark.parametrize(("field", "path"), [("version", "properties.model.version"),
                                             ("model", "properties.model.name")])
def test_unknown_needed_value(make_pack: Any, field: str, path: str) -> None:
    fields = {"model": "leg", "version": "plain", field: UNKNOWN}
    (skip,) = make_pack(catalog=CATALOG).flavour("native", POLICY, **fields)
    assert skip.level == "advisory" and skip.is_preview_skip and f".{path} can't be known" in skip.raw
    (diag,) = make_pack({POLICY: {"failOnUnknown": True}}, catalog=CATALOG).flavour("native", POLICY, **fields)
    assert diag.message == f"value at .{path} can't be known during preview and failOnUnknown is set."


def test_unknown_sku_or_option_does_not_matter(make_pack: Any) -> None:
    pack = make_pack({POLICY: {"failOnUnknown": True}}, catalog=CATALOG)
    (diag,) = pack.flavour("native", POLICY, model="leg", version="plain", sku=UNKNOWN, option=UNKNOWN)
    assert diag.message.startswith("leg plain is a legacy version")


def test_engine_and_levels(make_pack: Any) -> None:
    (out,) = outcomes(POLICY, record("native", model="leg", version="plain"), context(CATALOG))
    assert isinstance(out, Violation)
    assert diags(make_pack({POLICY: "disabled"}, catalog=CATALOG)) == []
    assert diags(make_pack({POLICY: "mandatory"}, catalog=CATALOG))[0].level == "mandatory"
