"""model-version-pinned through the real CrossGuard servicer (and a few engine-level cases)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.testkit import (
    FLAVOURS,
    MISSING,
    UNKNOWN,
    Pack,
    context,
    deployment,
    outcomes,
    record,
)
from versionguard.core.records import Unknown
from versionguard.core.rules.base import NeedsValue, Violation

POLICY = "model-version-pinned"
VERSION_PATH = {"native": "properties.model.version", "versioned": "properties.model.version",
                "classic": "model.version"}


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_pinned_version_passes(pack: Pack, flavour: str) -> None:
    assert pack.flavour(flavour, POLICY, version="far", option="NoAutoUpgrade") == []


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("version", [MISSING, None, "", "   "], ids=["missing", "null", "empty", "blank"])
def test_missing_or_empty_version_is_a_mandatory_violation(pack: Pack, flavour: str, version: Any) -> None:
    (diag,) = pack.flavour(flavour, POLICY, version=version)
    assert diag.level == "mandatory"
    assert f"{VERSION_PATH[flavour]} is missing or empty for model m" in diag.message


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_model_object_missing_entirely(pack: Pack, flavour: str) -> None:
    props = deployment(flavour)
    body = props if flavour == "classic" else props["properties"]
    del body["model"]
    (diag,) = [d for d in pack.analyze(props, FLAVOURS[flavour]) if d.policy == POLICY]
    assert diag.level == "mandatory"
    assert "missing or empty for model (none)" in diag.message


@pytest.mark.parametrize("version", ["today", "past", "gone", "not-in-catalog"])
def test_verdict_ignores_retirement_and_catalog(pack: Pack, version: str) -> None:
    """Pinned means written down: a retiring, retired or unknown version is still pinned."""
    assert pack.flavour("native", POLICY, version=version) == []


@pytest.mark.parametrize("sku", ["Standard", "GlobalStandard", "STANDARD", "ProvisionedManaged", MISSING])
def test_verdict_ignores_sku(pack: Pack, sku: Any) -> None:
    assert pack.flavour("native", POLICY, version="split", sku=sku) == []
    assert len(pack.flavour("native", POLICY, version=MISSING, sku=sku)) == 1


@pytest.mark.parametrize("option", ["noautoupgrade", "ONCECURRENTVERSIONEXPIRED", "OnceNewDefaultVersionAvailable"])
def test_mixed_case_enums_do_not_change_the_verdict(pack: Pack, option: str) -> None:
    assert pack.flavour("classic", POLICY, option=option, sku="GLOBALSTANDARD") == []


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_unknown_version_gets_crossguard_preview_skip(pack: Pack, flavour: str) -> None:
    (diag,) = pack.flavour(flavour, POLICY, version=UNKNOWN)
    assert diag.level == "advisory"
    assert diag.is_preview_skip
    assert f"string value at .{VERSION_PATH[flavour]} can't be known during preview" in diag.raw


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_unknown_version_with_fail_on_unknown_is_mandatory(make_pack: Any, flavour: str) -> None:
    pack = make_pack({POLICY: {"failOnUnknown": True}})
    (diag,) = pack.flavour(flavour, POLICY, version=UNKNOWN)
    assert diag.level == "mandatory"
    assert not diag.is_preview_skip
    assert diag.message == f"value at .{VERSION_PATH[flavour]} can't be known during preview and failOnUnknown is set."


def test_unknown_elsewhere_does_not_matter(make_pack: Any) -> None:
    pack = make_pack({POLICY: {"failOnUnknown": True}})
    assert pack.flavour("native", POLICY, option=UNKNOWN, sku=UNKNOWN, model=UNKNOWN) == []


@pytest.mark.parametrize("level", ["advisory", "mandatory"])
def test_configured_level_is_reported(make_pack: Any, level: str) -> None:
    (diag,) = make_pack({POLICY: level}).flavour("native", POLICY, version=MISSING)
    assert diag.level == level


def test_disabled_reports_nothing(make_pack: Any) -> None:
    assert make_pack({POLICY: "disabled"}).flavour("native", POLICY, version=MISSING) == []


@pytest.mark.parametrize("type_", [
    "azure-native:cognitiveservices:Account",
    "azure-native:cognitiveservices/v20230501:Account",
    "azure:cognitive/account:Account",
    "azure-native:machinelearningservices:OnlineDeployment",
    "azure-native:cognitiveservices:DeploymentSomething",
])
def test_non_deployment_types_are_ignored(pack: Pack, type_: str) -> None:
    props = deployment("native", version=MISSING)
    assert pack.analyze(props, type_) == []
    assert pack.analyze({"properties": "x", "model": [1]}, type_) == []


@pytest.mark.parametrize(("flavour", "version", "violations"), [
    ("native", "far", 0), ("native", "", 1), ("classic", MISSING, 1), ("classic", "x", 0), ("versioned", None, 1),
])
def test_engine_level_outcomes(flavour: str, version: Any, violations: int) -> None:
    found = outcomes(POLICY, record(flavour, version=version), context())
    assert [type(o) for o in found] == [Violation] * violations


def test_engine_turns_unknown_into_needs_value() -> None:
    unknown = Unknown(("properties", "model", "version"), UNKNOWN)
    (needs,) = outcomes(POLICY, record("native", version=unknown), context())
    assert isinstance(needs, NeedsValue)
    assert needs.unknown.dotted == "properties.model.version"
