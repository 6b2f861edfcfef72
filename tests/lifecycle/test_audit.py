"""``versionguard audit``: ARM JSON judged by the same rules, waivers, formats and exit codes as check."""

from __future__ import annotations

import json

import pytest
from lifecycle_helpers import ARM, SMALL_CATALOG, arm_item, write_json

from versionguard.adapters.azure.arm_deployments import load_live, read_items
from versionguard.cli import app
from versionguard.core.errors import InputError
from versionguard.reporters import FORMATS

SEED = ARM / "deployments-seed.json"
CRAFTED = ARM / "deployments-crafted.json"
AZ = ARM / "deployments-az.json"
PIN = ["--as-of", "2026-05-01"]  # the small catalog (as of 2026-04-20)
BUNDLED_PIN = ["--as-of", "2026-12-07"]  # on or after the bundled catalog (2026-12-04)
SMALL = [*PIN, "--catalog", str(SMALL_CATALOG)]
SEED_ID = ("/subscriptions/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeeb/resourceGroups/az-test-openai/providers/"
           "Microsoft.CognitiveServices/accounts/aztestopenai001/deployments/gpt-35-turbo")


def audit_json(runner, *args: str) -> tuple[int, dict]:
    result = runner.invoke(app, ["audit", *args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def triples(data: dict) -> set[tuple[str, str, str]]:
    return {(f["resource"], f["policy"], f["level"]) for f in data["findings"] if not f["waived"]}


def test_seed_example_with_bundled_catalog(runner, tmp_path):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers: []\n", "utf-8")
    code, data = audit_json(runner, str(SEED), *BUNDLED_PIN, "--waivers", str(waivers))
    assert code == 1
    assert set(data) == {"as_of", "catalog_as_of", "stacks", "findings", "summary", "runs"}  # check's JSON shape
    assert data["stacks"] == ["live"] and data["as_of"] == "2026-12-07"
    [finding] = data["findings"]
    assert finding["policy"] == "retired-model-version" and finding["level"] == "mandatory"
    assert finding["resource"] == "aztestopenai001/gpt-35-turbo"
    assert finding["type"] == "Microsoft.CognitiveServices/accounts/deployments"
    assert finding["urn"] == SEED_ID
    assert "gpt-35-turbo 0301 retired on 2025-02-13" in finding["message"]
    assert data["summary"] == {"mandatory": 1, "advisory": 0, "waived": 0, "deployments": 1, "errors": 0}


def test_seed_example_with_small_catalog(runner):
    code, data = audit_json(runner, str(SEED), *SMALL)
    assert code == 1
    assert triples(data) == {("aztestopenai001/gpt-35-turbo", "retired-model-version", "mandatory")}
    assert "listed as retired" in data["findings"][0]["message"]


def test_crafted_items_are_judged_fail_closed_not_crashed(runner):
    code, data = audit_json(runner, str(CRAFTED), *SMALL)
    assert code == 1
    assert triples(data) == {
        ("aif-neu/ptu-auto", "auto-update-requires-standard-sku", "mandatory"),  # lowercase enums canonicalized
        ("aif-weu/cohere", "no-auto-upgrade-near-retirement", "mandatory"),  # non-OpenAI format, in catalog
        ("aif-weu/list-model", "model-version-pinned", "mandatory"),  # model is a list: fail closed
        ("aif-weu/list-model", "retired-model-version", "mandatory"),
        ("aif-weu/list-model", "model-version-known", "advisory"),
        ("aif-weu/list-model", "preview-model-version", "advisory"),
        ("aif-weu/list-model", "auto-upgrade-needs-target", "mandatory"),
        ("aif-weu/list-model", "deprecated-model-version", "advisory"),
        ("aif-weu/list-model", "cross-model-upgrade", "advisory"),
        ("aif-weu/list-model", "legacy-model-version", "advisory"),
        ("aif-weu/null-props", "model-version-pinned", "mandatory"),  # properties: null
        ("aif-weu/null-props", "upgrade-option-explicit", "advisory"),
        ("aif-weu/numeric-option", "auto-update-requires-standard-sku", "mandatory"),  # option 42
        ("aif-weu/numeric-option", "no-auto-upgrade-near-retirement", "mandatory"),
        ("aif-weu/numeric-option", "upgrade-option-explicit", "advisory"),
        ("aif-weu/numeric-option", "auto-upgrade-needs-target", "mandatory"),
        ("aif-weu/portal-made", "model-version-pinned", "mandatory"),  # no properties, no sku at all
        ("aif-weu/portal-made", "upgrade-option-explicit", "advisory"),
        ("aif-weu/string-sku", "auto-update-requires-standard-sku", "mandatory"),  # sku is a string
        ("aif-weu/string-sku", "provisioned-migration-due", "mandatory"),
        ("aif-weu/string-sku", "auto-upgrade-needs-target", "mandatory"),
        ("aif-weu/null-option", "upgrade-option-explicit", "advisory"),  # explicit null = absent
    }
    by_resource = {f["resource"]: f for f in data["findings"]}
    assert "properties.model is a list" in by_resource["aif-weu/list-model"]["message"]
    assert all(f["urn"].endswith("/deployments/" + f["resource"].split("/")[1]) for f in data["findings"])


def test_unknown_sku_is_non_standard_within_a_wider_window(runner, tmp_path):
    config = write_json(tmp_path / "live.json", {"provisioned-migration-due": {"retirementWindowDays": 180},
                                                  "no-auto-upgrade-near-retirement": {"retirementWindowDays": 180}})
    _, data = audit_json(runner, str(CRAFTED), *SMALL, "--policy-config", str(config))
    odd = {(p, lvl) for r, p, lvl in triples(data) if r == "aif-weu/odd-sku"}
    assert odd == {("provisioned-migration-due", "mandatory"), ("no-auto-upgrade-near-retirement", "mandatory")}


def test_policy_config_levels_apply(runner, tmp_path):
    config = write_json(tmp_path / "c.json", {"retired-model-version": "advisory"})
    code, data = audit_json(runner, str(SEED), *SMALL, "--policy-config", str(config))
    assert code == 0 and triples(data) == {("aztestopenai001/gpt-35-turbo", "retired-model-version", "advisory")}
    bad = write_json(tmp_path / "bad.json", {"retired-model-versio": "advisory"})
    result = runner.invoke(app, ["audit", str(SEED), *SMALL, "--policy-config", str(bad)])
    assert result.exit_code == 2 and "bad.json" in result.stderr and "retired-model-versio" in result.stderr


def test_az_array_form(runner):
    code, data = audit_json(runner, str(AZ), *SMALL)
    assert code == 1
    assert triples(data) == {("aif-contoso-prod-swc/prod-chat-ptu", "provisioned-migration-due", "mandatory")}
    assert "2026-07-15" in data["findings"][0]["message"]  # the per-SKU date of ProvisionedManaged


def test_clean_input_exits_zero_and_stack_label(runner, tmp_path):
    path = write_json(tmp_path / "ok.json", {"value": [arm_item("acct", "chat", sku="GlobalStandard")]})
    result = runner.invoke(app, ["audit", str(path), *SMALL, "--stack-label", "prod-live"])
    assert result.exit_code == 0, result.output
    assert "PASS audit of prod-live" in result.stdout


def test_waivers_by_name_qualified_name_and_arm_id(runner, tmp_path):
    items = [arm_item("a1", "n1", option="NoAutoUpgrade", sku="GlobalStandard",
                      model={"name": "cohere-command-a", "version": "1", "format": "Cohere"}),
             arm_item("a2", "n2", option="NoAutoUpgrade", sku="GlobalStandard",
                      model={"name": "cohere-command-a", "version": "1", "format": "Cohere"}),
             arm_item("a3", "n3", option="NoAutoUpgrade", sku="GlobalStandard",
                      model={"name": "cohere-command-a", "version": "1", "format": "Cohere"})]
    path = write_json(tmp_path / "live.json", {"value": items})
    policy = "no-auto-upgrade-near-retirement"
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(f"""waivers:
  - {{policy: {policy}, resource: n1, reason: "by name", expires: 2026-06-15}}
  - {{policy: {policy}, resource: a2/n2, reason: "by account/name", expires: 2026-06-15}}
  - {{policy: {policy}, resource: "{items[2]['id'].upper()}", reason: "by ARM id, any case", expires: 2026-06-15}}
""", "utf-8")
    code, data = audit_json(runner, str(path), *SMALL, "--waivers", str(waivers))
    assert code == 0
    waived = {(f["resource"], f["waiver"]["reason"]) for f in data["findings"] if f["waived"]}
    assert waived == {("a1/n1", "by name"), ("a2/n2", "by account/name"), ("a3/n3", "by ARM id, any case")}
    assert data["summary"] == {"mandatory": 0, "advisory": 0, "waived": 3, "deployments": 3, "errors": 0}


def test_stack_scoped_and_expired_waivers(runner, tmp_path):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("""waivers:
  - {policy: retired-model-version, resource: gpt-35-turbo, stacks: [prod], reason: "prod only", expires: 2026-06-01}
""", "utf-8")
    code, data = audit_json(runner, str(SEED), *SMALL, "--waivers", str(waivers))
    assert code == 1  # default label "live" is not prod
    code, data = audit_json(runner, str(SEED), *SMALL, "--waivers", str(waivers), "--stack-label", "prod")
    assert code == 0 and data["summary"]["waived"] == 1
    code, data = audit_json(runner, str(SEED), "--as-of", "2026-06-02", "--catalog", str(SMALL_CATALOG),
                            "--waivers", str(waivers), "--stack-label", "prod")
    assert code == 1  # expired: silences nothing, and waiver-hygiene says so
    assert ("(stack)", "waiver-hygiene", "mandatory") in triples(data)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_and_exit_code(runner, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    result = runner.invoke(app, ["audit", str(SEED), *SMALL, "--format", fmt, "--output", str(out)])
    assert result.exit_code == 1, result.output
    text = out.read_text("utf-8")
    assert "gpt-35-turbo" in text


def test_duplicates_across_files_are_judged_once(runner, tmp_path):
    copy = tmp_path / "again.json"
    copy.write_text(SEED.read_text("utf-8"), "utf-8")
    result = runner.invoke(app, ["audit", str(SEED), str(copy), *SMALL, "--format", "json"])
    assert result.exit_code == 1
    assert len(json.loads(result.stdout)["findings"]) == 1
    assert "judged once" in result.stderr


def test_conflicting_duplicates_are_judged_both_never_dropped(runner, tmp_path):
    """Issue 20.5: the same ARM id in two exports with different content (taken at different times):
    the retired copy must not vanish behind the first one, in either order."""
    current = json.loads(SEED.read_text("utf-8"))
    current["value"][0]["properties"]["model"].update(name="gpt-4o", version="2024-08-06")  # upgraded since
    newer = write_json(tmp_path / "newer.json", current)
    for order in ([str(newer), str(SEED)], [str(SEED), str(newer)]):
        result = runner.invoke(app, ["audit", *order, *SMALL, "--format", "json"])
        data = json.loads(result.stdout)
        versions = {f["message"] for f in data["findings"] if f["urn"].casefold() == SEED_ID.casefold()}
        assert any("0301" in m for m in versions), versions  # the retired copy is judged whatever the order
        assert data["summary"]["deployments"] == 2
        assert result.exit_code == 1
        assert "with different content; both judged" in result.stderr
        assert "newer.json" in result.stderr and "deployments-seed.json" in result.stderr


def test_identical_duplicates_differing_only_outside_the_judged_content_are_merged(runner, tmp_path):
    again = json.loads(SEED.read_text("utf-8"))
    item = again["value"][0]
    item["etag"] = '"later"'
    item["id"] = item["id"].upper()  # ARM compares ids case-insensitively
    copy = write_json(tmp_path / "again.json", again)
    result = runner.invoke(app, ["audit", str(SEED), str(copy), *SMALL, "--format", "json"])
    assert json.loads(result.stdout)["summary"]["deployments"] == 1
    assert "with the same content; judged once" in result.stderr


def test_next_link_is_an_error_unless_partial_input_is_allowed(tmp_path):
    path = write_json(tmp_path / "page1.json", {"value": [arm_item("a", "b")], "nextLink": "https://example.invalid/next"})
    with pytest.raises(InputError) as caught:
        load_live([path])
    assert (caught.value.source, caught.value.key) == (str(path), "nextLink")
    live = load_live([path], allow_partial=True)
    assert len(live.deployments) == 1
    assert [str(g) for g in live.gaps] == [f"{path}: an ARM Deployments-List page with a nextLink (1 deployment): "
                                           "the pages after it are not in the file"]


def test_record_fields_come_from_arm():
    [d] = read_items([arm_item("acct-1", "dep-1", sku="DataZoneStandard")], "value", "x.json")
    assert (d.account, d.name, d.resource) == ("acct-1", "dep-1", "acct-1/dep-1")
    assert d.record.account == "acct-1" and d.record.urn == d.arm_id and d.record.sku_name == "DataZoneStandard"
    assert d.record.model_name == "gpt-4o" and d.record.upgrade_option == "OnceCurrentVersionExpired"


# --- malformed envelopes: exit 2 naming the file and the JSON path ---------------------------------

MALFORMED = [
    pytest.param("{not json", "line 1 column 2", id="not-json"),
    pytest.param('{"items": []}', "(top level)", id="object-without-value"),
    pytest.param('"text"', "(top level)", id="string"),
    pytest.param('{"value": {"a": 1}}', "value: expected a list of deployments", id="value-not-list"),
    pytest.param('{"value": [ITEM, 7]}', "value[1]: expected a deployment object", id="item-not-object"),
    pytest.param('{"value": [ITEM, NONAME]}', "value[1].name", id="missing-name"),
    pytest.param("[NOID]", "[0].id", id="az-array-missing-id"),
    pytest.param('{"value": [BADID]}', "value[0].id", id="id-not-a-deployment"),
    pytest.param('{"value": [ITEM, ITEM, WRONGTYPE]}', "value[2].type", id="wrong-type"),
]


@pytest.mark.parametrize(("text", "where"), MALFORMED)
def test_malformed_input_exits_2_naming_file_and_path(runner, tmp_path, text, where):
    item = arm_item("a", "b")
    noname = {k: v for k, v in item.items() if k != "name"}
    noid = {k: v for k, v in item.items() if k != "id"}
    badid = {**item, "id": "/subscriptions/x/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a"}
    wrong = {**item, "type": "Microsoft.CognitiveServices/accounts"}
    for key, value in {"NONAME": noname, "NOID": noid, "BADID": badid, "WRONGTYPE": wrong, "ITEM": item}.items():
        text = text.replace(key, json.dumps(value))
    path = tmp_path / "broken-input.json"
    path.write_text(text, "utf-8")
    result = runner.invoke(app, ["audit", str(SEED), str(path), *SMALL])
    assert result.exit_code == 2, result.output
    assert "broken-input.json" in result.stderr and where in result.stderr
    assert result.stdout == ""


def test_bad_options_exit_2(runner, tmp_path):
    assert runner.invoke(app, ["audit", str(SEED), "--as-of", "2026-13-01"]).exit_code == 2
    assert runner.invoke(app, ["audit", str(SEED), *BUNDLED_PIN, "--format", "yaml"]).exit_code == 2
    missing_catalog = str(tmp_path / "none.yaml")
    assert runner.invoke(app, ["audit", str(SEED), *BUNDLED_PIN, "--catalog", missing_catalog]).exit_code == 2
    assert runner.invoke(app, ["audit", str(tmp_path / "missing.json"), *BUNDLED_PIN]).exit_code == 2
