"""Malformed props never raise out of a validation and fail closed, naming the property path."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pulumi_policy import proxy

from tests.unit.testkit import (
    ALL_POLICIES,
    FLAVOURS,
    RESOURCE_POLICIES,
    Diag,
    Pack,
    deployment,
    make_runtime,
    struct_to_dict,
)
from versionguard.adapters.crossguard.policies import to_plain
from versionguard.core.records import Unknown, normalize

(PINNED, EXPLICIT, NO_AUTO, RETIRED, AUTO_STD, MIGRATION, KNOWN, PREVIEW, TARGET, DEPRECATED, CROSS,
 LEGACY) = RESOURCE_POLICIES
# need model name/version whatever the SKU and option
MODEL_RULES = {PINNED, RETIRED, KNOWN, PREVIEW, DEPRECATED, CROSS, LEGACY}
MANDATORY = {PINNED, NO_AUTO, RETIRED, AUTO_STD, MIGRATION, TARGET}


def _with(props: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    node = props
    *parents, last = path.split(".")
    for part in parents:
        node = node[part]
    node[last] = value
    return props


def _native(path: str, value: Any, **fields: Any) -> dict[str, Any]:
    return _with(deployment("native", **fields), path, value)


def _classic(path: str, value: Any, **fields: Any) -> dict[str, Any]:
    return _with(deployment("classic", **fields), path, value)


# (type, props, {policy that must fail closed}, the path its message must name)
CASES: list[tuple[str, str, dict[str, Any], set[str], str]] = [
    ("version-number", FLAVOURS["native"], _native("properties.model.version", 1, option="NoAutoUpgrade"),
     MODEL_RULES | {NO_AUTO}, "properties.model.version is a number (1)"),
    ("version-object", FLAVOURS["versioned"],
     _native("properties.model.version", {"a": [1, {"b": None}]}, option="NoAutoUpgrade"),
     MODEL_RULES | {NO_AUTO}, "properties.model.version is an object"),
    # classic without an option = OnceNewDefaultVersionAvailable on GlobalStandard: TARGET needs the model
    ("version-list", FLAVOURS["classic"], _classic("model.version", ["2024-08-06"]), MODEL_RULES | {TARGET},
     "model.version is a list"),
    ("name-bool", FLAVOURS["native"], _native("properties.model.name", True), MODEL_RULES - {PINNED} | {TARGET},
     "properties.model.name is a boolean (True)"),
    ("model-list", FLAVOURS["native"], _native("properties.model", [{"name": "m"}], option="NoAutoUpgrade"),
     MODEL_RULES | {NO_AUTO}, "properties.model is a list"),
    ("model-string", FLAVOURS["classic"], _classic("model", "m far"), MODEL_RULES | {TARGET},
     "model is a string ('m far')"),
    ("properties-string", FLAVOURS["native"], _native("properties", "oops"),
     MODEL_RULES | {EXPLICIT, NO_AUTO, AUTO_STD, TARGET}, "properties is a string ('oops')"),
    ("properties-list", FLAVOURS["versioned"], _native("properties", [1, 2]),
     MODEL_RULES | {EXPLICIT, NO_AUTO, AUTO_STD, TARGET}, "properties is a list"),
    ("properties-number", FLAVOURS["native"], _native("properties", 7, sku="ProvisionedManaged"),
     MODEL_RULES | {EXPLICIT, NO_AUTO, AUTO_STD, MIGRATION, TARGET}, "properties is a number (7)"),
    ("option-number", FLAVOURS["native"], _native("properties.versionUpgradeOption", 2),
     {EXPLICIT, NO_AUTO, AUTO_STD, TARGET}, "properties.versionUpgradeOption is a number (2)"),
    ("option-list", FLAVOURS["classic"], _classic("versionUpgradeOption", ["NoAutoUpgrade"]),
     {EXPLICIT, NO_AUTO, AUTO_STD, TARGET}, "versionUpgradeOption is a list"),
    ("option-typo", FLAVOURS["classic"], deployment("classic", option="NoAutoUpgrad"),
     {EXPLICIT, NO_AUTO, AUTO_STD, TARGET}, "versionUpgradeOption is a string ('NoAutoUpgrad'), expected one of"),
    ("sku-list", FLAVOURS["native"], _native("sku", ["Standard"], option="OnceNewDefaultVersionAvailable"),
     {AUTO_STD, MIGRATION, TARGET}, "sku is a list"),
    ("sku-string", FLAVOURS["classic"], _classic("sku", "Standard"), {AUTO_STD, MIGRATION, TARGET},
     "sku is a string ('Standard')"),
    ("sku-name-number", FLAVOURS["native"],
     _native("sku.name", 5, version="split", option="NoAutoUpgrade"),
     {NO_AUTO, RETIRED, MIGRATION, CROSS}, "sku.name is a number (5)"),
    ("sku-name-object", FLAVOURS["classic"], _classic("sku.name", {"name": "Standard"}, version="split-gone"),
     {AUTO_STD, RETIRED, MIGRATION, TARGET, CROSS}, "sku.name is an object"),
]


@pytest.fixture(scope="module")
def module_pack() -> Pack:
    return Pack(make_runtime())


def _closed(diags: list[Diag], policy: str) -> list[Diag]:
    return [d for d in diags if d.policy == policy and d.message.startswith("cannot judge this deployment: ")]


@pytest.mark.parametrize(("type_", "props", "needs", "path"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_value_fails_closed_naming_the_path(module_pack: Pack, type_: str, props: dict[str, Any],
                                                      needs: set[str], path: str) -> None:
    diags = module_pack.analyze(props, type_)
    assert {d.policy for d in diags} <= ALL_POLICIES
    for policy in needs:
        (diag,) = _closed(diags, policy)
        assert path in diag.message, policy
        assert diag.level == ("mandatory" if policy in MANDATORY else "advisory")
    for policy in set(RESOURCE_POLICIES) - needs:
        assert _closed(diags, policy) == [], policy
    assert not any("internal error" in d.message for d in diags)


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("props", [
    {}, {"properties": None}, {"properties": {}}, {"model": None, "sku": None}, {"sku": {}},
    {"properties": {"model": {}}, "sku": {"name": None}}, {"properties": {"model": None}},
], ids=["empty", "properties-null", "properties-empty", "nulls", "sku-empty", "model-empty", "model-null"])
def test_absent_values_are_treated_as_missing(module_pack: Pack, flavour: str, props: dict[str, Any]) -> None:
    diags = module_pack.analyze(props, FLAVOURS[flavour])
    (pinned,) = [d for d in diags if d.policy == PINNED]
    assert "version is missing or empty" in pinned.message
    (explicit,) = [d for d in diags if d.policy == EXPLICIT]
    assert "is not set" in explicit.message
    assert not any(d.message.startswith("cannot judge") for d in diags)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_whole_props_unknown_is_a_preview_skip(module_pack: Pack, flavour: str) -> None:
    props = {"properties": proxy.UNKNOWN_OBJECT_VALUE, "model": proxy.UNKNOWN_OBJECT_VALUE,
             "sku": proxy.UNKNOWN_OBJECT_VALUE, "versionUpgradeOption": proxy.UNKNOWN_STRING_VALUE}
    diags = module_pack.analyze(props, FLAVOURS[flavour])
    assert diags
    assert all(d.is_preview_skip and d.level == "advisory" for d in diags)


# --- property-based: arbitrary JSON-ish props ---------------------------------------------------------

SENTINELS = [proxy.UNKNOWN_STRING_VALUE, proxy.UNKNOWN_OBJECT_VALUE, proxy.UNKNOWN_ARRAY_VALUE,
             proxy.UNKNOWN_NUMBER_VALUE, proxy.UNKNOWN_BOOLEAN_VALUE]
WORDS = ["m", "far", "soon", "split", "past", "today", "preview", "gone", "Standard", "globalstandard",
         "ProvisionedManaged", "NoAutoUpgrade", "noautoupgrade", "OnceNewDefaultVersionAvailable",
         "OnceCurrentVersionExpired", "", " "]
KEYS = ["properties", "model", "name", "version", "format", "versionUpgradeOption", "sku", "scale", "type",
        "capacity"]

scalars = st.one_of(
    st.none(), st.booleans(), st.floats(allow_nan=False, allow_infinity=False), st.integers(-10**6, 10**6),
    st.text(max_size=8), st.sampled_from(SENTINELS), st.sampled_from(WORDS),
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), children, max_size=5),
    max_leaves=20,
)
props_strategy = st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), json_values, max_size=6)


@st.composite
def mutated_deployment(draw: st.DrawFn, flavour: str) -> dict[str, Any]:
    """A well-formed deployment with one subtree replaced by an arbitrary value."""
    props = deployment(flavour, version=draw(st.sampled_from(WORDS)), option=draw(st.sampled_from(WORDS)),
                       sku=draw(st.sampled_from(WORDS)))
    paths = ["sku", "sku.name", "model" if flavour == "classic" else "properties"]
    paths += (["model.version", "model.name", "versionUpgradeOption"] if flavour == "classic" else
              ["properties.model", "properties.model.version", "properties.model.name",
               "properties.versionUpgradeOption"])
    return _with(props, draw(st.sampled_from(paths)), draw(json_values))


@pytest.fixture(scope="module")
def remediating_pack() -> Pack:
    return Pack(make_runtime(), {"all": "mandatory", "upgrade-option-explicit": "remediate"})


def _check_never_raises(pack: Pack, props: dict[str, Any], type_: str) -> None:
    """No validation raises, and the judgement fails closed: a deployment whose model version is not a
    readable string always gets a model-version-pinned verdict (mandatory, or the preview skip for an
    unknown), never a silent pass; no message leaks an unknown-value sentinel."""
    diags = pack.analyze(props, type_)
    for d in diags:
        assert d.policy in ALL_POLICIES
        assert d.level in ("advisory", "mandatory")
        assert "internal error" not in d.message, d.message
        assert not any(sentinel in d.message for sentinel in SENTINELS), d.message
    version = normalize(type_, to_plain(props), "dep").model_version
    pinned = [d for d in diags if d.policy == PINNED]
    if isinstance(version, str):
        assert pinned == []
    elif isinstance(version, Unknown):
        assert [(d.level, d.is_preview_skip) for d in pinned] == [("advisory", True)]
    else:  # absent, blank or of the wrong shape
        assert [d.level for d in pinned] == ["mandatory"], (version, diags)
    response = pack.remediate(props, type_)
    for r in response.remediations:
        assert r.policyName == "upgrade-option-explicit"
        assert r.diagnostic == ""
        after = pack.analyze(struct_to_dict(r.properties), type_)
        assert all(d.policy in ALL_POLICIES and "internal error" not in d.message for d in after)
        assert not any(d.policy == EXPLICIT and not d.is_preview_skip for d in after)  # the remediation took


@pytest.mark.parametrize("flavour", FLAVOURS)
@settings(max_examples=120, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(props=props_strategy)
def test_arbitrary_props_never_raise(module_pack: Pack, remediating_pack: Pack, flavour: str,
                                     props: dict[str, Any]) -> None:
    _check_never_raises(module_pack, props, FLAVOURS[flavour])
    _check_never_raises(remediating_pack, props, FLAVOURS[flavour])


@pytest.mark.parametrize("flavour", FLAVOURS)
@settings(max_examples=120, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_deployments_never_raise(module_pack: Pack, remediating_pack: Pack, flavour: str,
                                         data: st.DataObject) -> None:
    props = data.draw(mutated_deployment(flavour))
    _check_never_raises(module_pack, props, FLAVOURS[flavour])
    _check_never_raises(remediating_pack, props, FLAVOURS[flavour])
