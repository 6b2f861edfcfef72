"""The api-version scan (core.api_usage) and what all three api-version policies share: secret
references are not judged, unknown values follow failOnUnknown, malformed env lists fail closed,
resources without Azure OpenAI settings produce nothing. Hostile inputs: never an exception,
never a pass on a broken known location."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from tests.unit.api_kit import API_POLICIES, SETTING_FLAVOURS, api_catalog, app
from tests.unit.testkit import UNKNOWN, context, policies_of, secret
from versionguard.core.api_usage import RESOURCE_TYPES, SECRET, locations_of, scan, setting_names
from versionguard.core.engine import evaluate_usages
from versionguard.core.records import Unknown
from versionguard.core.rules import BY_ID
from versionguard.core.rules.base import NeedsValue

RETIRED = "2023-12-01-preview"


@pytest.fixture
def pack(api_pack: Any) -> Any:
    return api_pack


def api_diags(pack: Any, type_: str, props: dict[str, Any]) -> list[Any]:
    return [d for d in pack.analyze(props, type_, "app") if d.policy in API_POLICIES]


# --- secret references: not judged -------------------------------------------------------------------

@pytest.mark.parametrize(("type_", "props"), [
    ("azure-native:app:ContainerApp",
     {"template": {"containers": [{"env": [{"name": "OPENAI_API_VERSION", "secretRef": "api-version"}]}]}}),
    ("azure:containerapp:App",
     {"template": {"containers": [{"envs": [{"name": "OPENAI_API_VERSION", "secretName": "api-version"}]}]}}),
    ("kubernetes:apps/v1:Deployment", {"spec": {"template": {"spec": {"containers": [{"env": [
        {"name": "OPENAI_API_VERSION", "valueFrom": {"secretKeyRef": {"name": "s", "key": "v"}}}]}]}}}}),
    ("azure-native:containerinstance:ContainerGroup",
     {"containers": [{"environmentVariables": [{"name": "OPENAI_API_VERSION", "secureValue": RETIRED}]}]}),
    ("azure-native:web:WebApp", {"siteConfig": {"appSettings": [
        {"name": "OPENAI_API_VERSION", "value": "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/v)"}]}}),
    ("azure:appservice:LinuxWebApp",
     {"appSettings": {"OPENAI_API_VERSION": "@microsoft.keyvault(VaultName=kv;SecretName=v)"}}),
], ids=["aca-secretRef", "classic-aca-secretName", "k8s-valueFrom", "aci-secureValue", "keyvault-ref-list",
        "keyvault-ref-map"])
def test_secret_references_are_not_judged(pack: Any, type_: str, props: dict[str, Any]) -> None:
    assert api_diags(pack, type_, props) == []
    assert scan(type_, props).empty  # nothing read, nothing unknown, nothing malformed


@pytest.mark.parametrize("flavour", SETTING_FLAVOURS)
def test_pulumi_secret_values_are_not_judged_nor_shown(pack: Any, flavour: str) -> None:
    type_, props = app(flavour, secret(RETIRED))
    diags = api_diags(pack, type_, props)
    assert diags == []
    assert all(RETIRED not in d.raw for d in pack.analyze(props, type_, "app"))


def test_a_pulumi_secret_list_is_not_judged(pack: Any) -> None:
    type_, props = app("web-app", RETIRED)
    props["siteConfig"]["appSettings"] = secret(props["siteConfig"]["appSettings"])
    assert api_diags(pack, type_, props) == []


# --- unknown values: failOnUnknown semantics ---------------------------------------------------------

@pytest.mark.parametrize("flavour", SETTING_FLAVOURS)
def test_unknown_setting_value_is_an_advisory_skip_or_a_violation(make_pack: Any, flavour: str) -> None:
    type_, props = app(flavour, UNKNOWN)
    default = api_diags(make_pack(catalog=api_catalog()), type_, props)
    assert {(d.policy, d.level, d.is_preview_skip) for d in default} == {(p, "advisory", True) for p in API_POLICIES}
    strict = make_pack({p: {"failOnUnknown": True} for p in API_POLICIES}, catalog=api_catalog())
    diags = api_diags(strict, type_, props)
    assert policies_of(diags) == set(API_POLICIES)
    assert {d.level for d in diags if d.policy == "api-version-supported"} == {"mandatory"}
    assert all("can't be known during preview and failOnUnknown is set" in d.message for d in diags)


@pytest.mark.parametrize(("type_", "props"), [
    ("azure-native:apimanagement:Backend", {"url": UNKNOWN}),
    ("azure-native:web:WebApp", {"siteConfig": {"appSettings": UNKNOWN}}),
    ("azure-native:app:ContainerApp", {"template": {"containers": [{"env": [{"name": UNKNOWN, "value": "x"}]}]}}),
], ids=["apim-url", "whole-list", "entry-name"])
def test_unknowns_where_an_api_version_may_be(pack: Any, type_: str, props: dict[str, Any]) -> None:
    diags = api_diags(pack, type_, props)
    assert {(d.policy, d.is_preview_skip) for d in diags} == {(p, True) for p in API_POLICIES}


def test_unknowns_elsewhere_are_not_judged(pack: Any) -> None:
    type_, props = app("web-app", "2024-10-21")
    props["serverFarmId"] = UNKNOWN
    assert {d.policy for d in api_diags(pack, type_, props)} == {"openai-v1-endpoint"}


# --- malformed known locations: fail closed -----------------------------------------------------------

@pytest.mark.parametrize(("type_", "props", "path"), [
    ("azure-native:web:WebApp", {"siteConfig": {"appSettings": {"OPENAI_API_VERSION": "2024-10-21"}}},
     "siteConfig.appSettings is an object, expected a list of {name, value} objects"),
    ("azure-native:app:ContainerApp", {"template": {"containers": [{"env": "OPENAI_API_VERSION=2024-10-21"}]}},
     "template.containers[0].env is a string"),
    ("azure-native:app:ContainerApp", {"template": {"containers": {"env": []}}}, "template.containers is an object"),
    ("azure-native:containerinstance:ContainerGroup", {"containers": [{"environmentVariables": [42]}]},
     "containers[0].environmentVariables[0] is a number (42)"),
    ("kubernetes:apps/v1:Deployment", {"spec": {"template": {"spec": {"containers": [{"env": [{"name": 7}]}]}}}},
     "spec.template.spec.containers[0].env[0].name is a number (7)"),
    ("azure-native:web:WebAppApplicationSettings", {"properties": ["OPENAI_API_VERSION"]}, "properties is a list"),
    ("kubernetes:core/v1:ConfigMap", {"data": {"OPENAI_API_VERSION": 20241021}}, "data.OPENAI_API_VERSION is a number"),
    ("azure-native:apimanagement:Backend", {"url": {"href": "https://x.openai.azure.com/"}}, "url is an object"),
    ("azure-native:web:WebApp", {"siteConfig": {"appSettings": [{"name": "OPENAI_API_VERSION", "value": True}]}},
     "siteConfig.appSettings[0].value is a boolean"),
], ids=["list-as-map", "env-as-string", "containers-as-object", "item-not-object", "name-not-string",
        "map-as-list", "map-value-number", "url-object", "value-boolean"])
def test_malformed_locations_fail_closed_in_all_three_policies(pack: Any, type_: str, props: dict[str, Any],
                                                               path: str) -> None:
    closed = [d for d in api_diags(pack, type_, props) if "cannot judge this resource's api-versions" in d.message]
    assert policies_of(closed) == set(API_POLICIES)
    assert all(path in d.message and not d.is_preview_skip for d in closed)
    assert {d.level for d in closed if d.policy == "api-version-supported"} == {"mandatory"}


# --- resources without Azure OpenAI settings ------------------------------------------------------------

@pytest.mark.parametrize(("type_", "props"), [
    ("azure-native:storage:StorageAccount", {"kind": "StorageV2", "sku": {"name": "Standard_LRS"},
                                             "networkRuleSet": {"defaultAction": "Deny", "ipRules": []}}),
    ("azure-native:web:WebApp",
     {"siteConfig": {"appSettings": [{"name": "DB_URL", "value": "https://x.test/?api-version=1"}]}}),
    ("azure-native:cognitiveservices:Deployment",
     {"properties": {"model": {"name": "gpt-4o", "version": "2024-11-20"}}}),
])
def test_nothing_to_judge(pack: Any, type_: str, props: dict[str, Any]) -> None:
    assert api_diags(pack, type_, props) == []


def test_several_usages_in_one_resource(pack: Any) -> None:
    props = {"template": {"containers": [
        {"env": [{"name": "OPENAI_API_VERSION", "value": RETIRED}]},
        {"env": [{"name": "AZURE_OPENAI_API_VERSION", "value": "2024-12-01-preview"},
                 {"name": "ENDPOINT", "value": "https://a.openai.azure.com/openai/v1/"}]}]}}
    diags = api_diags(pack, "azure-native:app:ContainerApp", props)
    supported = [d for d in diags if d.policy == "api-version-supported"]
    assert sorted(d.message.split(" ")[0] for d in supported) == ["template.containers[0].env[0]",
                                                                  "template.containers[1].env[0]"]


# --- the scan itself -------------------------------------------------------------------------------

def test_table_lists_every_flavour_of_the_reference() -> None:
    for type_ in ("azure-native:web:WebApp", "azure-native:web:WebAppSlot",
                  "azure-native:web:WebAppApplicationSettings",
                  "azure-native:app:ContainerApp", "azure-native:app:Job",
                  "azure-native:containerinstance:ContainerGroup", "azure-native:apimanagement:Backend",
                  "azure-native:apimanagement:Api", "azure:appservice:LinuxWebApp", "azure:containerapp:App",
                  "kubernetes:apps/v1:Deployment", "kubernetes:core/v1:ConfigMap"):
        assert type_ in RESOURCE_TYPES
    assert locations_of("azure-native:web/v20240401:WebApp") == RESOURCE_TYPES["azure-native:web:WebApp"]
    assert locations_of("azure-native:storage:StorageAccount") == ()


def test_setting_names_fold_and_extend() -> None:
    assert setting_names([" My_Version "]) == {"openai_api_version", "azure_openai_api_version", "my_version"}


def test_scan_skips_secrets_and_marks_v1() -> None:
    found = scan("azure-native:web:WebApp", {"siteConfig": {"appSettings": [
        {"name": "OPENAI_API_VERSION", "value": SECRET},
        {"name": "URL", "value": "https://a.openai.azure.com/openai/v1/chat/completions?api-version=preview"}]}})
    (usage,) = found.usages  # the secret setting is not read
    assert not found.unknowns and not found.malformed
    assert usage.v1 and usage.preview and not usage.dated
    assert usage.parts == ("siteConfig", "appSettings", 1, "value") and usage.path == "siteConfig.appSettings[1].value"


def test_an_api_version_missing_from_the_catalog_is_placed_where_the_scan_found_it() -> None:
    """The NeedsValue of api-version-supported carries the scan's own path, also under a key that
    holds dots and brackets (a ConfigMap key), not a re-parse of the dotted text."""
    found = scan("kubernetes:core/v1:ConfigMap", {"data": {
        "openai.url[0]": "https://a.openai.azure.com/openai/deployments/d/chat?api-version=2099-01-01"}})
    (usage,) = found.usages
    (outcome,) = evaluate_usages(BY_ID["api-version-supported"], found, context(api_catalog()))
    assert isinstance(outcome, NeedsValue) and usage.where in (outcome.reason or "")
    assert outcome.unknown.path == ("data", "openai.url[0]")


# --- hostile inputs (seeded) --------------------------------------------------------------------------

_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                  st.sampled_from(["OPENAI_API_VERSION", "2023-12-01-preview", "preview", "",
                                   "https://a.openai.azure.com/x?api-version=2024-10-21&api-version=",
                                   "@Microsoft.KeyVault(x)", "name", "value", "env"]),
                  st.text(max_size=20), st.just(SECRET), st.builds(Unknown, st.just(("x",))))
_json = st.recursive(_leaf, lambda kids: st.one_of(
    st.lists(kids, max_size=4),
    st.dictionaries(st.sampled_from(["name", "value", "env", "containers", "template", "siteConfig",
                                     "appSettings", "url", "data", "OPENAI_API_VERSION", "secretRef", "x"]),
                    kids, max_size=5)), max_leaves=30)


@seed(12)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(type_=st.sampled_from([*sorted(RESOURCE_TYPES), "x:y:Z"]), props=_json)
def test_scan_never_raises_on_hostile_input(type_: str, props: Any) -> None:
    found = scan(type_, props)
    for usage in found.usages:
        assert isinstance(usage.value, str) and usage.value


@seed(12)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(type_=st.sampled_from(sorted(RESOURCE_TYPES)),
       broken=st.one_of(st.integers(), st.booleans(), st.text(min_size=1, max_size=5),
                        st.lists(st.integers(), min_size=1, max_size=3)))
def test_a_broken_known_location_is_never_a_pass(type_: str, broken: Any) -> None:
    """Replace the first known location's container with a wrong shape: the scan reports it."""
    loc = RESOURCE_TYPES[type_][0]
    parts = loc.path.replace("[]", "").split(".")
    props: dict[str, Any] = {}
    node: Any = props
    for part in parts[:-1]:
        nxt: Any = {}
        node[part] = [nxt] if f"{part}[]" in loc.path.split(".") else nxt
        node = nxt
    if loc.shape == "url" and isinstance(broken, str):
        return  # any string is a URL-shaped value
    if loc.shape == "map" and isinstance(broken, dict):
        return
    node[parts[-1]] = broken
    found = scan(type_, props)
    assert found.malformed, (type_, props)


def test_deep_nesting_is_reported_not_walked_forever() -> None:
    props: Any = {"url": "x"}
    for _ in range(200):
        props = {"a": props}
    assert scan("x:y:Z", props).malformed


@seed(12)
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(props=st.dictionaries(st.sampled_from(["siteConfig", "template", "url", "name", "value"]),
                             st.recursive(st.one_of(st.none(), st.integers(), st.text(max_size=8),
                                                    st.sampled_from(["OPENAI_API_VERSION", RETIRED, UNKNOWN])),
                                          lambda k: st.one_of(st.lists(k, max_size=3),
                                                              st.dictionaries(st.sampled_from(
                                                                  ["appSettings", "containers", "env", "name",
                                                                   "value"]), k, max_size=3)),
                                          max_leaves=15), max_size=3),
       type_=st.sampled_from(["azure-native:web:WebApp", "azure-native:app:ContainerApp",
                              "azure-native:apimanagement:Backend"]))
def test_pack_never_raises_on_hostile_props(pack: Any, type_: str, props: dict[str, Any]) -> None:
    for d in api_diags(pack, type_, props):
        assert "internal error" not in d.message
