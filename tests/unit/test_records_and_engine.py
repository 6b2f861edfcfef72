"""The functional core without CrossGuard: resource flavours, normalized records and engine.judge."""

from __future__ import annotations

import pytest

from tests.unit.testkit import CLASSIC, FLAVOURS, MISSING, NATIVE, VERSIONED, context, day, make_catalog, record
from versionguard.core.engine import judge, message_of
from versionguard.core.records import Malformed, Unknown, deployment_flavour, normalize
from versionguard.core.rules.base import Level, NeedsValue, Violation


@pytest.mark.parametrize(("type_", "flavour"), [
    (NATIVE, "azure-native"), (VERSIONED, "azure-native"),
    ("azure-native:cognitiveservices/v20240401preview:Deployment", "azure-native"),
    # parameterized packages (`pulumi package add azure-native cognitiveservices v20250601`)
    ("azure-native_cognitiveservices_v20250601:cognitiveservices/v20250601:Deployment", "azure-native"),
    ("azure-native_cognitiveservices_v20250601:cognitiveservices:Deployment", "azure-native"),
    ("azure-native_cognitiveservices_v20240401preview:cognitiveservices/v20240401preview:Deployment",
     "azure-native"),
    ("Azure-Native_CognitiveServices_v20250601:CognitiveServices/v20250601:Deployment", "azure-native"),
    ("azure-native_cognitiveservices_v20250601:cognitiveservices/v20250601:Account", None),
    ("azure-native_cognitiveservices:cognitiveservices:Deployment", None),
    ("azure-native_web_v20240401:web/v20240401:Deployment", None),
    (CLASSIC, "classic"),
    ("azure-native:cognitiveservices:Account", None), ("azure:cognitive/account:Account", None),
    ("azure-native:cognitiveservices:DeploymentX", None), ("xazure-native:cognitiveservices:Deployment", None),
    ("azure-native:cognitiveservices/20230501:Deployment", None), ("", None),
])
def test_deployment_flavour(type_: str, flavour: str | None) -> None:
    assert deployment_flavour(type_) == flavour


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_record_fields_are_canonical(flavour: str) -> None:
    rec = record(flavour, model=" m ", version=" far ", option="noautoupgrade", sku="GLOBALSTANDARD")
    assert (rec.model_name, rec.model_version, rec.upgrade_option, rec.sku_name) == (
        "m", "far", "NoAutoUpgrade", "GlobalStandard")
    assert rec.flavour == ("classic" if flavour == "classic" else "azure-native")


def test_unrecognised_sku_is_kept_as_written() -> None:
    assert record("native", sku="FancyNewTier").sku_name == "FancyNewTier"


@pytest.mark.parametrize(("flavour", "default"), [("native", "OnceCurrentVersionExpired"),
                                                  ("versioned", "OnceCurrentVersionExpired"),
                                                  ("classic", "OnceNewDefaultVersionAvailable")])
def test_missing_option_default_per_flavour(flavour: str, default: str) -> None:
    rec = record(flavour, option=MISSING)
    assert rec.upgrade_option is None
    assert rec.effective_upgrade_option == default


def test_malformed_fields_carry_their_path() -> None:
    rec = normalize(NATIVE, {"properties": {"model": {"version": 1.0}, "versionUpgradeOption": "x"},
                             "sku": ["Standard"]}, "dep")
    assert isinstance(rec.model_version, Malformed)
    assert rec.model_version.describe() == "properties.model.version is a number (1), expected a string"
    assert isinstance(rec.upgrade_option, Malformed) and rec.upgrade_option.path == "properties.versionUpgradeOption"
    assert isinstance(rec.sku_name, Malformed) and rec.sku_name.describe() == "sku is a list, expected an object"


@pytest.mark.parametrize("props", [None, {}, {"properties": None}])
def test_absent_props_normalize_to_none(props: object) -> None:
    rec = normalize(NATIVE, props, "dep")
    assert (rec.model_name, rec.model_version, rec.upgrade_option, rec.sku_name) == (None, None, None, None)


def test_unknown_fields_pass_through() -> None:
    unknown = Unknown(("properties",))
    rec = normalize(NATIVE, {"properties": unknown, "sku": {"name": "Standard"}}, "dep")
    assert rec.model_version == unknown and rec.upgrade_option == unknown
    assert rec.sku_name == "Standard"


def test_judge_levels_disabled_and_remediate() -> None:
    recs = [record("native", version="past", option="NoAutoUpgrade", sku="ProvisionedManaged")]
    ctx = context()
    found = {(j.rule.meta.id, j.level) for j in judge(recs, ctx)}
    assert ("retired-model-version", Level.MANDATORY) in found
    assert ("upgrade-option-explicit", Level.ADVISORY) not in found  # the option is set
    levels = {"retired-model-version": Level.DISABLED, "model-version-known": Level.REMEDIATE}
    found = {(j.rule.meta.id, j.level) for j in judge([*recs, record("native", version="nope")], ctx, levels)}
    assert not any(rule == "retired-model-version" for rule, _ in found)
    assert ("model-version-known", Level.MANDATORY) in found


def test_judge_unknown_is_advisory_unless_fail_on_unknown() -> None:
    recs = [record("native", version=Unknown(("properties", "model", "version")))]
    soft = [j for j in judge(recs, context()) if j.rule.meta.id == "model-version-pinned"]
    assert [(type(j.outcome), j.level) for j in soft] == [(NeedsValue, Level.ADVISORY)]
    assert message_of(soft[0].outcome) == "value at .properties.model.version can't be known during preview"
    hard = [j for j in judge(recs, context(fail_on_unknown=True)) if j.rule.meta.id == "model-version-pinned"]
    assert [(type(j.outcome), j.level) for j in hard] == [(NeedsValue, Level.MANDATORY)]


def test_judge_runs_stack_rules_once() -> None:
    stale = context(make_catalog(as_of=day(-200)))
    stack = [j for j in judge([], stale) if j.record is None]
    assert [(j.rule.meta.id, type(j.outcome)) for j in stack] == [("catalog-freshness", Violation)]


@pytest.mark.parametrize("props", [
    {"properties": {"model": {"format": "OpenAI", "name": "gpt-4o", "version": "2024-11-20"},
                    "versionUpgradeOption": "NoAutoUpgrade"}, "sku": {"name": "Standard"}},
    {"properties": {"model": [1]}, "sku": "odd"}, None, {},
])
def test_the_fast_record_constructor_makes_the_dataclass_own_object(props: object) -> None:
    """records._record sets the fields without the frozen dataclass __init__: the same object, field for field."""
    from dataclasses import fields

    from versionguard.core.records import DeploymentRecord, native_record

    made = normalize(NATIVE, props, "dep", urn="/x", account="acct")
    by_init = DeploymentRecord(*(getattr(made, f.name) for f in fields(DeploymentRecord)))
    assert made == by_init  # (and so hashes alike: a frozen dataclass hashes its fields)
    assert list(vars(made)) == [f.name for f in fields(DeploymentRecord)] == list(vars(by_init))
    assert native_record(None, lambda p: p, props, "dep", "/x", "acct") == normalize(
        "azure-native:cognitiveservices:Deployment", props, "dep", urn="/x", account="acct")
