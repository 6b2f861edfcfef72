"""Environment variables, typed rule settings, and the --policy-pack-config merge."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from google.protobuf import empty_pb2, json_format

from tests.support import ROOT
from tests.unit.testkit import (
    AS_OF,
    CLASSIC,
    DEFAULT_LEVELS,
    NATIVE,
    Pack,
    deployment,
    iso,
    make_runtime,
    only,
    sample_catalog_data,
    struct_of,
    urn_of,
)
from versionguard.adapters.crossguard.analyzer import OfflineAnalyzer, StackEnv
from versionguard.adapters.evaluation_inputs import load_runtime
from versionguard.adapters.files.catalog_file import load_catalog
from versionguard.adapters.files.env_vars import ENV_AS_OF, ENV_CATALOG, ENV_WAIVERS, as_of_from_env, path_from_env
from versionguard.adapters.files.policy_config import PolicyInfo, load_policy_config, reconcile
from versionguard.adapters.program.resource import Resource
from versionguard.core.catalog import BUNDLED_CATALOG
from versionguard.core.errors import InputError
from versionguard.core.rules import RULES
from versionguard.core.settings import RuleSettings, rule_settings

CONFIG_DIR = ROOT / "policies" / "config"


# --- environment --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [("2026-01-15", AS_OF), (" 2030-12-31 ", dt.date(2030, 12, 31))])
def test_as_of_from_env_good(value: str, expected: dt.date) -> None:
    assert as_of_from_env({ENV_AS_OF: value}) == expected


@pytest.mark.parametrize("value", ["2026-1-15", "2026-02-30", "15/01/2026", "today", "2026-01-15T00:00:00Z"])
def test_as_of_from_env_bad(value: str) -> None:
    with pytest.raises(InputError) as err:
        as_of_from_env({ENV_AS_OF: value})
    assert (err.value.source, err.value.key) == ("environment", "VERSIONGUARD_AS_OF")
    assert repr(value) in str(err.value)


def test_as_of_from_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_AS_OF, "2027-03-04")
    assert as_of_from_env() == dt.date(2027, 3, 4)


@pytest.mark.parametrize("name", [ENV_CATALOG, ENV_WAIVERS])
def test_path_from_env(tmp_path: Path, name: str) -> None:
    good = tmp_path / "f.yaml"
    good.write_text("x: 1\n")
    assert path_from_env(name, {name: str(good)}) == good
    assert path_from_env(name, {}) is None
    for bad in (tmp_path / "missing.yaml", tmp_path):
        with pytest.raises(InputError) as err:
            path_from_env(name, {name: str(bad)})
        assert (err.value.source, err.value.key) == ("environment", name)
        assert "the path of an existing file" in str(err.value)


def _write_catalog(tmp_path: Path, **changes: Any) -> Path:
    data = sample_catalog_data()
    data.update(changes)
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_load_runtime_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(f"waivers:\n  - {{policy: retired-model-version, resource: dep, reason: r, "
                       f"expires: {iso(5)}}}\n")
    monkeypatch.setenv(ENV_AS_OF, AS_OF.isoformat())
    monkeypatch.setenv(ENV_CATALOG, str(_write_catalog(tmp_path)))
    monkeypatch.setenv(ENV_WAIVERS, str(waivers))
    runtime = load_runtime()
    assert runtime.as_of == AS_OF
    assert runtime.catalog.origin == str(tmp_path / "catalog.yaml")
    assert runtime.catalog.lookup("m", "far") is not None
    assert [w.resource for w in runtime.waivers.items] == ["dep"]


def test_explicit_arguments_win_over_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_AS_OF, "2000-01-01")
    monkeypatch.setenv(ENV_CATALOG, str(tmp_path / "nope.yaml"))  # would be an error if read
    runtime = load_runtime(as_of=AS_OF, catalog_path=_write_catalog(tmp_path))
    assert runtime.as_of == AS_OF
    assert runtime.catalog.lookup("m", "far") is not None


def test_defaults_without_environment() -> None:
    runtime = load_runtime(as_of=load_catalog().as_of)
    assert runtime.catalog.origin == BUNDLED_CATALOG


@pytest.mark.parametrize(("name", "value"), [(ENV_AS_OF, "yesterday"), (ENV_CATALOG, "/no/such/catalog.yaml"),
                                             (ENV_WAIVERS, "/no/such/waivers.yaml")])
def test_load_runtime_bad_variable_is_an_error(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(InputError) as err:
        load_runtime()
    assert err.value.key == name


def test_load_runtime_bad_catalog_content_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write_catalog(tmp_path, as_of="someday")
    monkeypatch.setenv(ENV_CATALOG, str(path))
    with pytest.raises(InputError) as err:
        load_runtime(as_of=AS_OF)
    assert (err.value.source, err.value.key) == (str(path), "as_of")


def test_as_of_env_drives_the_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_CATALOG, str(_write_catalog(tmp_path, as_of=iso(-10))))
    monkeypatch.setenv(ENV_AS_OF, iso(-2))
    assert only(Pack(load_runtime()).analyze(deployment("native", version="past")), "retired-model-version") == []
    monkeypatch.setenv(ENV_AS_OF, iso(-1))
    assert len(only(Pack(load_runtime()).analyze(deployment("native", version="past")), "retired-model-version")) == 1


# --- typed rule settings ------------------------------------------------------------------------------

@pytest.mark.parametrize(("config", "expected"), [
    (None, RuleSettings()),
    ({}, RuleSettings()),
    ({"retirementWindowDays": 90.0}, RuleSettings(retirement_window_days=90)),
    ({"retirementWindowDays": 30}, RuleSettings(retirement_window_days=30)),
    ({"retirementWindowDays": 0.0}, RuleSettings(retirement_window_days=0)),
    ({"maxCatalogAgeDays": 7.0, "maxWaiverDays": 14.0}, RuleSettings(max_catalog_age_days=7, max_waiver_days=14)),
    ({"failOnUnknown": True}, RuleSettings(fail_on_unknown=True)),
])
def test_rule_settings_good(config: dict[str, Any] | None, expected: RuleSettings) -> None:
    assert rule_settings(config, "policy config of x") == expected


def test_rule_settings_defaults_are_the_documented_ones() -> None:
    assert RuleSettings() == RuleSettings(retirement_window_days=90, fail_on_unknown=False, max_catalog_age_days=120,
                                          max_waiver_days=90)


@pytest.mark.parametrize(("key", "value"), [
    ("retirementWindowDays", 90.5), ("retirementWindowDays", -1.0), ("retirementWindowDays", True),
    ("retirementWindowDays", "90"), ("retirementWindowDays", None), ("retirementWindowDays", float("inf")),
    ("retirementWindowDays", float("nan")), ("maxCatalogAgeDays", -5), ("maxWaiverDays", 1.5),
    ("failOnUnknown", "true"), ("failOnUnknown", 1), ("failOnUnknown", 1.0), ("failOnUnknown", None),
    ("settingNames", [" "]), ("settingNames", ["A", ""]), ("settingNames", "A"), ("retirementWindowDays", 10**30),
    ("maxWaiverDays", 36_501),
])
def test_rule_settings_bad(key: str, value: Any) -> None:
    """Also: a whitespace-only setting name, a day count beyond a century (date arithmetic overflows)."""
    with pytest.raises(InputError) as err:
        rule_settings({key: value}, "policy config of x")
    assert (err.value.source, err.value.key) == ("policy config of x", key)


def test_bad_config_reaching_the_pack_fails_closed() -> None:
    """If a config value slipped past the engine's schema check, the policy reports instead of passing."""
    pack = Pack(make_runtime(), {"no-auto-upgrade-near-retirement": {"retirementWindowDays": 90.5}})
    (diag,) = only(pack.analyze(deployment("native", version="far", option="NoAutoUpgrade")),
                   "no-auto-upgrade-near-retirement")
    assert diag.level == "mandatory"
    assert diag.message == ("versionguard cannot evaluate this resource: policy config of "
                            "no-auto-upgrade-near-retirement: retirementWindowDays: expected a whole number of days "
                            "from 0 to 36500, got 90.5")


def test_reconcile_applies_the_rules_own_reading_after_the_schema(tmp_path: Path) -> None:
    """A schema without the newer bounds (an older pack's, or the engine's merge) still cannot let a value
    through that the rules refuse: reconcile reads each policy's properties as the rules read them."""
    loose = [PolicyInfo("api-version-supported", "mandatory",
                        {"settingNames": {"type": "array", "items": {"type": "string", "minLength": 1}}})]
    path = _config(tmp_path, {"api-version-supported": {"settingNames": [" "]}})
    with pytest.raises(InputError) as err:
        reconcile(loose, load_policy_config(path), str(path))
    assert (err.value.source, err.value.key) == (str(path), "api-version-supported.settingNames")
    assert "a list of non-empty setting names" in str(err.value)


def test_a_blank_setting_name_reaching_the_pack_fails_closed() -> None:
    """If the engine hands the pack such a value anyway, every app it judges fails with the reason."""
    from tests.unit.api_kit import judged

    pack = Pack(make_runtime(), {"api-version-supported": {"settingNames": [" "]}})
    (diag,) = judged(pack, "api-version-supported", "setting-holding-url", "2024-10-21")
    assert diag.level == "mandatory"
    assert diag.message.endswith("versionguard cannot evaluate this resource: policy config of api-version-supported: "
                                 "settingNames: expected a list of non-empty setting names, got [' ']")


def test_config_numbers_arrive_as_floats_and_work() -> None:
    pack = Pack(make_runtime(), {"no-auto-upgrade-near-retirement": {"retirementWindowDays": 400}})
    assert len(only(pack.analyze(deployment("native", version="far", option="NoAutoUpgrade")),
                    "no-auto-upgrade-near-retirement")) == 1


# --- policy config file -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def policies() -> list[PolicyInfo]:
    """What GetAnalyzerInfo reports, as the engine sees it."""
    info = Pack(make_runtime()).servicer.GetAnalyzerInfo(empty_pb2.Empty(), None)
    names = {0: "advisory", 1: "mandatory", 2: "remediate", 3: "disabled"}
    return [PolicyInfo(p.name, names[p.enforcementLevel],
                       json_format.MessageToDict(p.configSchema).get("properties", {})) for p in info.policies]


def _config(tmp_path: Path, content: Any) -> Path:
    path = tmp_path / "config.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


def test_analyzer_info_levels_match_the_design(policies: list[PolicyInfo]) -> None:
    assert {p.name: p.level for p in policies} == DEFAULT_LEVELS
    assert DEFAULT_LEVELS == {
        "model-version-pinned": "mandatory", "upgrade-option-explicit": "advisory",
        "no-auto-upgrade-near-retirement": "mandatory", "retired-model-version": "mandatory",
        "auto-update-requires-standard-sku": "mandatory", "provisioned-migration-due": "mandatory",
        "model-version-known": "advisory", "preview-model-version": "advisory",
        "auto-upgrade-needs-target": "mandatory", "deprecated-model-version": "advisory",
        "cross-model-upgrade": "advisory", "legacy-model-version": "advisory",
        "catalog-freshness": "advisory", "waiver-hygiene": "mandatory", "api-version-supported": "mandatory",
        "api-version-preview": "advisory", "openai-v1-endpoint": "advisory",
    }


def test_schema_defaults_and_properties(policies: list[PolicyInfo]) -> None:
    merged = reconcile(policies, {}, "(defaults)")
    assert merged["no-auto-upgrade-near-retirement"].properties == {"retirementWindowDays": 90,
                                                                    "failOnUnknown": False}
    assert merged["provisioned-migration-due"].properties["retirementWindowDays"] == 90
    assert merged["auto-upgrade-needs-target"].properties == {"retirementWindowDays": 90, "failOnUnknown": False}
    assert merged["catalog-freshness"].properties == {"maxCatalogAgeDays": 120}
    assert merged["waiver-hygiene"].properties == {"maxWaiverDays": 90}
    # Microsoft names replacements about 90-120 days before retirement: the cross-model window is 120
    assert merged["cross-model-upgrade"].properties == {"retirementWindowDays": 120, "failOnUnknown": False}
    assert merged["legacy-model-version"].properties == {"failOnUnknown": False}
    for name in ("model-version-pinned", "upgrade-option-explicit", "retired-model-version",
                 "auto-update-requires-standard-sku", "model-version-known", "preview-model-version",
                 "deprecated-model-version"):
        assert merged[name].properties == {"failOnUnknown": False}, name


def test_level_strings_objects_and_all(tmp_path: Path, policies: list[PolicyInfo]) -> None:
    given = load_policy_config(_config(tmp_path, {
        "all": "mandatory",
        "upgrade-option-explicit": "remediate",
        "model-version-known": {"enforcementLevel": "disabled"},
        "no-auto-upgrade-near-retirement": {"retirementWindowDays": 30, "failOnUnknown": True},
        "environments": ["team/prod"],
    }))
    merged = reconcile(policies, given, "config.json")
    assert merged["upgrade-option-explicit"].level == "remediate"
    assert merged["model-version-known"].level == "disabled"
    assert merged["no-auto-upgrade-near-retirement"].level == "mandatory"  # from "all"
    assert merged["no-auto-upgrade-near-retirement"].properties == {"retirementWindowDays": 30, "failOnUnknown": True}
    assert merged["catalog-freshness"].level == "mandatory"
    assert merged["preview-model-version"].level == "mandatory"


def test_all_as_object_with_level(tmp_path: Path, policies: list[PolicyInfo]) -> None:
    merged = reconcile(policies, load_policy_config(_config(tmp_path, {"all": {"enforcementLevel": "advisory"}})),
                       "c")
    assert {s.level for s in merged.values()} == {"advisory"}


def test_empty_file_means_defaults(tmp_path: Path, policies: list[PolicyInfo]) -> None:
    assert load_policy_config(_config(tmp_path, "  \n")) == {}
    assert reconcile(policies, {}, "c")["model-version-pinned"].level == "mandatory"


@pytest.mark.parametrize(("content", "key", "expected"), [
    ({"no-such-policy": "mandatory"}, "no-such-policy", "a versionguard policy name"),
    ({"upgrade-option-explicit": {"retirementWindowDays": 3}}, "upgrade-option-explicit.retirementWindowDays",
     "a property of this policy (failOnUnknown)"),
    ({"catalog-freshness": {"maxCatalogAge": 3}}, "catalog-freshness.maxCatalogAge", "a property of this policy"),
    ({"no-auto-upgrade-near-retirement": {"retirementWindowDays": "ninety"}},
     "no-auto-upgrade-near-retirement.retirementWindowDays", "is not of type 'integer'"),
    ({"provisioned-migration-due": {"retirementWindowDays": 90.5}}, "provisioned-migration-due.retirementWindowDays",
     "is not of type 'integer'"),
    ({"provisioned-migration-due": {"retirementWindowDays": -1}}, "provisioned-migration-due.retirementWindowDays",
     "less than the minimum"),
    ({"waiver-hygiene": {"maxWaiverDays": True}}, "waiver-hygiene.maxWaiverDays", "is not of type 'integer'"),
    ({"model-version-pinned": {"failOnUnknown": "yes"}}, "model-version-pinned.failOnUnknown",
     "is not of type 'boolean'"),
    ({"all": {"retirementWindowDays": 5}}, "all", "an enforcement level only"),
    # issue 20, item 11: values the schema used to let through and every resource then failed on
    ({"api-version-supported": {"settingNames": [" "]}}, "api-version-supported.settingNames.0", "does not match"),
    ({"openai-v1-endpoint": {"settingNames": ["OK", "\t"]}}, "openai-v1-endpoint.settingNames.1", "does not match"),
    ({"no-auto-upgrade-near-retirement": {"retirementWindowDays": 10**30}},
     "no-auto-upgrade-near-retirement.retirementWindowDays", "is greater than the maximum of 36500"),
])
def test_reconcile_errors_name_file_and_key(tmp_path: Path, policies: list[PolicyInfo], content: Any, key: str,
                                            expected: str) -> None:
    path = _config(tmp_path, content)
    with pytest.raises(InputError) as err:
        reconcile(policies, load_policy_config(path), str(path))
    assert (err.value.source, err.value.key) == (str(path), key)
    assert expected in str(err.value)


@pytest.mark.parametrize(("content", "key", "expected"), [
    ({"upgrade-option-explicit": "warn"}, "upgrade-option-explicit", "one of advisory, mandatory"),
    ({"upgrade-option-explicit": "Mandatory"}, "upgrade-option-explicit", "one of advisory, mandatory"),
    ({"model-version-pinned": {"enforcementLevel": "strict"}}, "model-version-pinned.enforcementLevel",
     "one of advisory"),
    ({"model-version-pinned": 3}, "model-version-pinned", "an enforcement level string or an object"),
    ({"model-version-pinned": ["mandatory"]}, "model-version-pinned", "an enforcement level string or an object"),
    ({"environments": "prod"}, "environments", "an array of strings"),
    (["model-version-pinned"], "(top level)", "a JSON object keyed by policy name"),
    ('{\n  "all": "mandatory",\n}\n', "line 3 column 1", "valid JSON"),
    ('{"all": "mandatory"', "line 1 column 20", "valid JSON"),
])
def test_load_errors_name_file_and_key(tmp_path: Path, content: Any, key: str, expected: str) -> None:
    path = _config(tmp_path, content)
    with pytest.raises(InputError) as err:
        load_policy_config(path)
    assert (err.value.source, err.value.key) == (str(path), key)
    assert expected in str(err.value)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        load_policy_config(tmp_path / "nope.json")
    assert err.value.key == "(file)"


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_shipped_config_files_reconcile(policies: list[PolicyInfo], stack: str) -> None:
    path = CONFIG_DIR / f"{stack}.json"
    merged = reconcile(policies, load_policy_config(path), str(path))
    assert set(merged) == {r.meta.id for r in RULES}
    for setting in merged.values():
        rule_settings(setting.properties, str(path))  # the pack accepts what the engine would send


def test_shipped_prod_config_is_strict(policies: list[PolicyInfo]) -> None:
    merged = reconcile(policies, load_policy_config(CONFIG_DIR / "prod.json"), "prod.json")
    assert merged["upgrade-option-explicit"].level == "mandatory"
    assert all(s.properties.get("failOnUnknown", True) for s in merged.values())


# --- the same file through the offline analyzer ------------------------------------------------------------

def test_offline_analyzer_applies_a_config_file(tmp_path: Path) -> None:
    config = _config(tmp_path, {"no-auto-upgrade-near-retirement": {"retirementWindowDays": 400},
                                "upgrade-option-explicit": "remediate"})
    analyzer = OfflineAnalyzer(make_runtime(), config)
    resources = [
        Resource(NATIVE, "near", urn_of(NATIVE, "near"), struct_of(deployment("native", option="NoAutoUpgrade"))),
        Resource(CLASSIC, "classic", urn_of(CLASSIC, "classic"), struct_of(deployment("classic", sku="Standard"))),
    ]
    diags = analyzer.analyze(resources, StackEnv("foundry-deployments", "dev"))
    by_policy = {(d.policy, d.urn) for d in diags}
    assert ("no-auto-upgrade-near-retirement", urn_of(NATIVE, "near")) in by_policy
    # remediated before Analyze, as the engine does: no upgrade-option-explicit finding left
    assert not any(d.policy == "upgrade-option-explicit" for d in diags)


def test_offline_analyzer_rejects_a_bad_config_file(tmp_path: Path) -> None:
    config = _config(tmp_path, {"no-auto-upgrade-near-retirement": {"retirementWindowDays": "ninety"}})
    with pytest.raises(InputError) as err:
        OfflineAnalyzer(make_runtime(), config)
    assert (err.value.source, err.value.key) == (str(config), "no-auto-upgrade-near-retirement.retirementWindowDays")


def test_every_policys_default_properties_satisfy_its_own_schema() -> None:
    """reconcile() skips the schema check for a policy left at its defaults (no jsonschema load at start-up
    for a run without a policy config): that holds only while every default satisfies its schema."""
    import jsonschema

    for rule in RULES:
        schema: dict[str, Any] = {"type": "object", "properties": dict(rule.meta.config)}
        defaults = {k: v["default"] for k, v in rule.meta.config.items() if "default" in v}
        jsonschema.Draft7Validator(schema).validate(defaults)
        rule_settings(defaults, rule.meta.id)  # and the rules read them
        assert not [k for k, v in rule.meta.config.items() if v.get("required")], rule.meta.id


@pytest.mark.parametrize("value", [0, 0.0, 1, "false", None])
def test_a_value_equal_to_a_default_but_of_another_type_is_refused(tmp_path: Path, value: Any) -> None:
    """0 == False in Python: a value the file sets is checked against the schema even when it compares
    equal to the default."""
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"model-version-pinned": {"failOnUnknown": value}}))
    infos = [PolicyInfo(r.meta.id, r.meta.level.value, r.meta.config) for r in RULES]
    with pytest.raises(InputError) as caught:
        reconcile(infos, load_policy_config(path), str(path))
    assert caught.value.source == str(path) and caught.value.key == "model-version-pinned.failOnUnknown"


def test_a_property_set_to_a_bad_value_is_still_checked_against_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"waiver-hygiene": {"maxWaiverDays": "ninety"}}))
    infos = [PolicyInfo(r.meta.id, r.meta.level.value, r.meta.config) for r in RULES]
    with pytest.raises(InputError) as caught:
        reconcile(infos, load_policy_config(path), str(path))
    assert caught.value.key == "waiver-hygiene.maxWaiverDays"
