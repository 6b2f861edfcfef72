"""preview-model-version through the real CrossGuard servicer."""

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
    deployment,
    iso,
    offset_catalog,
    outcomes,
    record,
    version_entry,
)
from versionguard.core.catalog import catalog_from_data
from versionguard.core.rules.base import Violation

POLICY = "preview-model-version"


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("version", ["far", "past", "gone", "open", "not-in-catalog", MISSING])
def test_non_preview_versions_pass(pack: Pack, flavour: str, version: Any) -> None:
    assert pack.flavour(flavour, POLICY, version=version) == []


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_preview_version_is_advisory(pack: Pack, flavour: str) -> None:
    (diag,) = pack.flavour(flavour, POLICY, version="preview")
    assert diag.level == "advisory"
    assert diag.message == (f"m preview is a preview version, retiring {iso(200)}. No replacement is named: on "
                            f"{iso(200)} it retires with no replacement and the deployment stops working, whatever its "
                            "versionUpgradeOption.")


def test_preview_close_to_retirement_is_still_flagged(pack: Pack) -> None:
    (diag,) = pack.flavour("native", POLICY, version="preview-soon", option="NoAutoUpgrade")
    assert diag.message.startswith(f"m preview-soon is a preview version, retiring {iso(10)}. No replacement")


def test_preview_without_retirement_date() -> None:
    catalog = catalog_from_data(catalog_data(("m", [version_entry("p", "preview")])), "t")
    (violation,) = outcomes(POLICY, record("native", version="p"), context(catalog))
    assert isinstance(violation, Violation)
    assert violation.message == ("m p is a preview version. No replacement is named: at its retirement (no date "
                                 "announced) it retires with no replacement and the deployment stops working, "
                                 "whatever its versionUpgradeOption.")


@pytest.mark.parametrize("sku", ["Standard", "GlobalStandard", "GLOBALSTANDARD", "ProvisionedManaged", MISSING])
@pytest.mark.parametrize("option", ["noautoupgrade", "OnceNewDefaultVersionAvailable", MISSING])
def test_verdict_ignores_sku_and_option(pack: Pack, sku: Any, option: Any) -> None:
    assert len(pack.flavour("native", POLICY, version="preview", sku=sku, option=option)) == 1
    assert pack.flavour("native", POLICY, version="split", sku=sku, option=option) == []


def test_case_insensitive_lookup(pack: Pack) -> None:
    assert len(pack.flavour("classic", POLICY, model="M", version="PREVIEW")) == 1


@pytest.mark.parametrize("level", ["mandatory", "disabled"])
def test_configured_level(make_pack: Any, level: str) -> None:
    diags = make_pack({POLICY: level}).flavour("native", POLICY, version="preview")
    assert [d.level for d in diags] == ([] if level == "disabled" else [level])


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_unknown_version(make_pack: Any, flavour: str) -> None:
    (skip,) = make_pack().flavour(flavour, POLICY, version=UNKNOWN)
    assert skip.is_preview_skip and skip.level == "advisory"
    (diag,) = make_pack({POLICY: {"enforcementLevel": "mandatory", "failOnUnknown": True}}).flavour(
        flavour, POLICY, version=UNKNOWN)
    assert diag.level == "mandatory"
    assert diag.message.endswith("version can't be known during preview and failOnUnknown is set.")


def test_unknown_sku_and_option_do_not_matter(make_pack: Any) -> None:
    pack = make_pack({POLICY: {"failOnUnknown": True}})
    assert len(pack.flavour("native", POLICY, version="preview", sku=UNKNOWN, option=UNKNOWN)) == 1


@pytest.mark.parametrize("type_", ["azure-native:cognitiveservices:Account", "azure:cognitive/account:Account"])
def test_non_deployment_types_are_ignored(pack: Pack, type_: str) -> None:
    assert pack.analyze(deployment("native", version="preview"), type_) == []


def test_engine_ga_versions_never_flagged() -> None:
    ctx = context(offset_catalog([-1, 0, 1, 90]))
    for offset in (-1, 0, 1, 90):
        assert outcomes(POLICY, record("native", version=f"d{offset}"), ctx) == []
