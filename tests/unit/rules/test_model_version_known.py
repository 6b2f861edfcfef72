"""model-version-known through the real CrossGuard servicer."""

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
    deployment,
    outcomes,
    record,
)

POLICY = "model-version-known"


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize(("model", "version"), [
    ("m", "far"), ("M", "FAR"), ("m", " far "), ("gpt-test", "2024-05-13"), ("m", "past"), ("m", "gone"),
])
def test_catalogued_versions_pass(pack: Pack, flavour: str, model: str, version: str) -> None:
    assert pack.flavour(flavour, POLICY, model=model, version=version) == []


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_unknown_version_of_a_known_model_suggests_its_versions(pack: Pack, flavour: str) -> None:
    (diag,) = pack.flavour(flavour, POLICY, version="fra")
    assert diag.level == "advisory"
    assert diag.message.startswith(f"m fra is not in the catalog (as of {AS_OF.isoformat()}), so its retirement date "
                                   "is unknown. Did you mean: ")
    assert "m far" in diag.message


def test_unknown_model_suggests_close_names(pack: Pack) -> None:
    (diag,) = pack.flavour("native", POLICY, model="gpt-tset", version="2024-05-13")
    assert "Did you mean: gpt-test 2024-05-13?" in diag.message


def test_no_suggestion_when_nothing_is_close(pack: Pack) -> None:
    (diag,) = pack.flavour("native", POLICY, model="zzzzzzzz", version="1")
    assert diag.message.endswith("so its retirement date is unknown.")


@pytest.mark.parametrize("field", ["model", "version"])
@pytest.mark.parametrize("value", [MISSING, "", None])
def test_missing_name_or_version_is_left_to_other_rules(pack: Pack, field: str, value: Any) -> None:
    assert pack.flavour("native", POLICY, **{field: value}) == []


@pytest.mark.parametrize("sku", ["Standard", "GlobalStandard", "GLOBALSTANDARD", "ProvisionedManaged", MISSING])
@pytest.mark.parametrize("option", ["noautoupgrade", MISSING])
def test_verdict_ignores_sku_and_option(pack: Pack, sku: Any, option: Any) -> None:
    assert pack.flavour("native", POLICY, version="split", sku=sku, option=option) == []
    assert len(pack.flavour("native", POLICY, version="splut", sku=sku, option=option)) == 1


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("field", ["model", "version"])
def test_unknown_name_or_version(make_pack: Any, flavour: str, field: str) -> None:
    (skip,) = make_pack().flavour(flavour, POLICY, **{field: UNKNOWN})
    assert skip.is_preview_skip and skip.level == "advisory"
    (diag,) = make_pack({POLICY: {"failOnUnknown": True}}).flavour(flavour, POLICY, **{field: UNKNOWN})
    assert diag.level == "advisory"  # the policy's own level
    assert "can't be known during preview and failOnUnknown is set." in diag.message
    (prod,) = make_pack({POLICY: {"enforcementLevel": "mandatory", "failOnUnknown": True}}).flavour(
        flavour, POLICY, **{field: UNKNOWN})
    assert prod.level == "mandatory"


def test_configured_mandatory_level(make_pack: Any) -> None:
    (diag,) = make_pack({POLICY: "mandatory"}).flavour("native", POLICY, version="fra")
    assert diag.level == "mandatory"


@pytest.mark.parametrize("type_", ["azure-native:cognitiveservices:Account", "azure:cognitive/account:Account"])
def test_non_deployment_types_are_ignored(pack: Pack, type_: str) -> None:
    assert pack.analyze(deployment("native", version="fra"), type_) == []


def test_engine_level_lookup() -> None:
    ctx = context()
    assert outcomes(POLICY, record("native", version="far"), ctx) == []
    assert len(outcomes(POLICY, record("classic", model="m", version="nope"), ctx)) == 1


# --- fine-tuned names and (format, name, version) look-ups -----------------------------------------------

def _ft_catalog():
    from tests.unit.testkit import catalog_data, iso, version_entry
    from versionguard.core.catalog import catalog_from_data

    data = catalog_data(("base", [version_entry("2025-01-01", retirement=iso(400),
                                                fine_tuned={"deployment_retirement": iso(300)}),
                                  version_entry("2025-06-01", retirement=iso(500))]))
    data["models"].append({"name": "partner", "format": "Cohere", "versions": [version_entry("1")]})
    return catalog_from_data(data, "ft-test")


@pytest.mark.parametrize(("model", "version", "message"), [
    ("base-2025-01-01.ft-abc", "1", None),  # known through its base version's fine_tuned dates
    ("base.ft-abc", "2025-01-01", None),  # legacy name, base version from model.version
    ("base-2025-06-01.ft-abc", "1", "base-2025-06-01.ft-abc 1 is a fine-tuned model of base 2025-06-01, and the "
                                    "catalog (as of 2026-01-15) has no fine-tuned retirement dates for that "
                                    "version, so its retirement date is unknown."),
    ("other-2025-01-01.ft-abc", "1", "other-2025-01-01.ft-abc 1 is a fine-tuned model of other 2025-01-01, which "
                                     "is not in the catalog (as of 2026-01-15), so its retirement date is unknown."),
])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_fine_tuned_models(make_pack: Any, flavour: str, model: str, version: str, message: str | None) -> None:
    found = make_pack(catalog=_ft_catalog()).flavour(flavour, POLICY, model=model, version=version)
    assert [d.message for d in found] == ([message] if message else [])


@pytest.mark.parametrize(("fmt", "message"), [
    ("Cohere", None), ("cohere", None),
    ("OpenAI", "partner 1 with format OpenAI is not in the catalog (as of 2026-01-15), which lists it with format "
               "Cohere; set model.format to match, so its retirement date is unknown."),
])
def test_lookup_uses_the_format(make_pack: Any, fmt: str, message: str | None) -> None:
    found = make_pack(catalog=_ft_catalog()).flavour("native", POLICY, model="partner", version="1", fmt=fmt)
    assert [d.message for d in found] == ([message] if message else [])
