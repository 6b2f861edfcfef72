"""``versionguard catalog import``: Models-List / az dumps -> a catalog that loads, merged across regions."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from lifecycle_helpers import ARM, ROOT, arm_item, write_json

from versionguard.adapters.azure.models_list import import_catalog, parse_models_text
from versionguard.adapters.files.catalog_file import load_catalog
from versionguard.cli import app

SPEC = ARM / "models-list-spec.json"
EAST = ARM / "models-az-eastus.json"
SWEDEN = ARM / "models-list-swedencentral.json"
D = dt.date.fromisoformat


def imported(runner, tmp_path: Path, *files: Path, as_of: str = "2026-05-01") -> tuple[Path, Any]:
    out = tmp_path / "imported.yaml"
    result = runner.invoke(app, ["catalog", "import", *map(str, files), "--as-of", as_of, "--output", str(out)])
    assert result.exit_code == 0, result.output
    return out, load_catalog(out)


def test_spec_example_mapping(runner, tmp_path):
    _, cat = imported(runner, tmp_path, SPEC)
    old = cat.lookup("gpt-4o", "2024-05-13")
    # ARM Deprecating = the docs' deprecated (no new customers), but its inference date 2025-09-15 is before the
    # import date: a past deprecation.inference means retired, whatever lifecycleStatus says (lifecycle-2026-10)
    assert old.lifecycle == "retired" and "lifecycleStatus said deprecated" in old.notes
    assert old.retirement == D("2025-09-15") and old.date_status == "tentative"
    assert str(old.replacement) == "gpt-4.1 2025-04-14" and old.upgrade_lead_days == 7
    assert old.retirement_by_sku == {}  # 'provisioned' is not a deployment SKU name
    assert "autoUpgradeStartDate" in old.notes and "2025-03-26" in old.notes
    assert "'provisioned'" in old.notes and "not a deployment type" in old.notes
    gone = cat.lookup("gpt-35-turbo", "0301")
    assert gone.lifecycle == "retired"  # ARM Deprecated = retired (410)
    assert gone.retirement == D("2025-04-30") and gone.date_status == "planned" and not gone.default
    assert gone.retirement_by_sku == {"Standard": D("2025-02-13")}
    assert cat.as_of == D("2026-05-01")
    assert {s.id: (s.title, s.date) for s in cat.sources.values()} == {
        "models-list-spec-json": ("models-list-spec.json", D("2026-05-01"))}
    assert old.sources == ("models-list-spec-json",)


def test_az_dump_both_date_formats_and_formats(runner, tmp_path):
    _, cat = imported(runner, tmp_path, EAST)
    v = cat.lookup("gpt-4o", "2024-08-06")
    assert v.lifecycle == "ga" and v.default  # isDefaultVersion
    assert v.retirement == D("2026-10-01")  # "…T00:00:00Z"
    assert v.retirement_by_sku == {"Standard": D("2026-03-31")}  # "…+00:00"; equal per-SKU dates dropped
    assert v.upgrade_lead_days == 22 and v.date_status == "planned"  # 22.0 from az becomes 22
    assert str(v.replacement) == "gpt-5.1 2025-11-13" and "2026-03-09" in v.notes
    assert v.lead_days_for("Standard") == 22
    assert cat.lookup("text-embedding-ada-002", "2").lifecycle == "ga"  # Stable = legacy spelling of GA
    assert cat.lookup("gpt-35-turbo", "0613").lifecycle == "retired"
    assert cat.lookup("gpt-4o-realtime-preview", "2024-12-17").lifecycle == "preview"
    cohere = cat.lookup("Cohere-command-r-plus-08-2024", "1")
    assert cohere.format == "Cohere" and cohere.lifecycle == "legacy"
    assert "deprecation.fineTune" not in cat.lookup("gpt-4o", "2024-05-13").notes  # equal to inference: not said
    # the same row twice in one file (OpenAI and AIServices kinds) is one version, not a duplicate error
    assert [v.version for v in cat.versions_of("gpt-4.1")] == ["2025-04-14"]


def test_regions_merge_keeps_the_earliest_date_and_says_so(runner, tmp_path):
    _, cat = imported(runner, tmp_path, EAST, SWEDEN)
    v = cat.lookup("gpt-4o", "2024-08-06")
    assert v.retirement == D("2026-10-01")  # east 2026-10-01 vs sweden 2026-11-01
    assert v.retirement_by_sku == {"Standard": D("2026-03-31")}  # east 03-31 vs sweden "standard" 04-30
    assert "2026-10-01 in models-az-eastus.json; 2026-11-01 in models-list-swedencentral.json" in v.notes
    assert "kept the earliest, 2026-10-01" in v.notes and "kept the earliest, 2026-03-31" in v.notes
    assert "'provisioned' (deprecationDate 2026-11-01)" in v.notes
    assert v.sources == ("models-az-eastus-json", "models-list-swedencentral-json")
    g = cat.lookup("gpt-4.1", "2025-04-14")
    assert g.retirement == D("2027-09-14") and g.retirement_by_sku == {}  # sweden earlier, GlobalBatch equal in east
    assert g.lifecycle == "deprecated" and "kept the most advanced stage" in g.notes
    assert cat.lookup("o4-mini", "2025-04-16").default
    assert len(cat.sources) == 2


def test_lowercase_sku_names_map_onto_canonical_names(tmp_path):
    item = {"model": {"name": "m", "version": "1", "lifecycleStatus": "GenerallyAvailable",
                      "deprecation": {"inference": "2027-01-01T00:00:00Z"},
                      "skus": [{"name": "globalstandard", "deprecationDate": "2026-06-30T00:00:00+00:00"},
                               {"name": "DATAZONEPROVISIONEDMANAGED", "deprecationDate": "2026-07-31T00:00:00Z"},
                               {"name": "standard"}, {"name": "Batchy", "deprecationDate": "2026-01-01T00:00:00Z"}]}}
    [s], _ = parse_models_text(json.dumps([item]), "x.json", "x")
    assert s.sku_dates == {"GlobalStandard": D("2026-06-30"), "DataZoneProvisionedManaged": D("2026-07-31")}
    assert s.dropped_skus == (("Batchy", D("2026-01-01")),)


@pytest.mark.parametrize(("status", "lifecycle"), [
    ("GenerallyAvailable", "ga"), ("Stable", "ga"), ("Preview", "preview"), ("Deprecating", "deprecated"),
    ("Deprecated", "retired"), ("Legacy", "legacy"), ("generallyavailable", "ga"), (None, "ga")])
def test_lifecycle_status_mapping(tmp_path, status, lifecycle):
    model: dict[str, Any] = {"name": "m", "version": "1"}
    if status is not None:
        model["lifecycleStatus"] = status
    path = write_json(tmp_path / "m.json", {"value": [{"kind": "OpenAI", "skuName": "S0", "model": model}]})
    result = import_catalog([path], D("2026-05-01"))
    [entry] = result.data["models"][0]["versions"]
    assert entry["lifecycle"] == lifecycle
    if status is None:
        assert "lifecycleStatus absent" in entry["notes"]


def test_account_scoped_items_are_model_objects(tmp_path):
    path = write_json(tmp_path / "acct.json", {"value": [{"format": "OpenAI", "name": "gpt-4o", "version": "2024-08-06",
                                                          "lifecycleStatus": "GenerallyAvailable"}]})
    result = import_catalog([path], D("2026-05-01"))
    assert result.data["models"][0]["name"] == "gpt-4o"


def test_yaml_output_style(runner, tmp_path):
    out, _ = imported(runner, tmp_path, EAST)
    text = out.read_text("utf-8")
    assert text.startswith("# Generated by `versionguard catalog import` on 2026-05-01")
    assert "&id" not in text and "*id" not in text  # no YAML aliases
    assert "version: '0613'" in text  # versions stay strings
    data = yaml.safe_load(text)
    assert data["as_of"] == D("2026-05-01") and data["schema"] == 1


def test_stdout_and_default_as_of_from_environment(runner, monkeypatch):
    monkeypatch.setenv("VERSIONGUARD_AS_OF", "2026-02-02")
    result = runner.invoke(app, ["catalog", "import", str(SPEC)])
    assert result.exit_code == 0
    assert yaml.safe_load(result.stdout)["as_of"] == D("2026-02-02")
    assert "'provisioned' is not a deployment type" in result.stderr


def test_round_trip_import_then_audit_and_forecast(runner, tmp_path):
    out, _ = imported(runner, tmp_path, EAST, SWEDEN, as_of="2026-03-01")  # a catalog is never dated after the audit
    live = write_json(tmp_path / "live.json", {"value": [
        arm_item("acct", "chat", {"format": "OpenAI", "name": "gpt-4o", "version": "2024-08-06"}, sku="Standard",
                 option="NoAutoUpgrade"),
        arm_item("acct", "chat-global", {"format": "OpenAI", "name": "gpt-4o", "version": "2024-08-06"},
                 sku="GlobalStandard", option="NoAutoUpgrade")]})
    result = runner.invoke(app, ["audit", str(live), "--catalog", str(out), "--as-of", "2026-03-01",
                                 "--format", "json"])
    assert result.exit_code == 1, result.output
    found = {(f["resource"], f["policy"]) for f in json.loads(result.stdout)["findings"]}
    # Standard retires 2026-03-31 (per SKU, 30 days away); GlobalStandard 2026-10-01 is outside the window
    assert found == {("acct/chat", "no-auto-upgrade-near-retirement")}


def test_round_trip_check_and_forecast_of_the_project(runner, tmp_path):
    """The imported catalog drives check and forecast of the real program (prod uses gpt-4.1 2025-04-14)."""
    out, _ = imported(runner, tmp_path, EAST, SWEDEN)
    result = runner.invoke(app, ["check", "--stack", "prod", "--project", str(ROOT), "--catalog", str(out),
                                 "--as-of", "2026-05-01", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    assert data["catalog_as_of"] == "2026-05-01"
    unknown = {f["resource"] for f in data["findings"] if f["policy"] == "model-version-known"}
    assert "prod-embed" in unknown and "prod-chat" not in unknown  # text-embedding-3-large is not in the dump
    result = runner.invoke(app, ["forecast", "--stack", "prod", "--project", str(ROOT), "--catalog", str(out),
                                 "--as-of", "2026-05-01", "--horizon", "600", "--format", "json"])
    assert result.exit_code == 0, result.output
    events = {(e["deployment"], e["kind"], e["date"]) for e in json.loads(result.stdout)["events"]}
    assert ("prod-chat-ptu", "migration-required", "2027-09-14") in events  # the earliest (Sweden) date


# --- malformed input: exit 2 naming the file and the JSON path ------------------------------------

def _model(**changes: Any) -> dict[str, Any]:
    model: dict[str, Any] = {"name": "gpt-4o", "version": "2024-08-06", "lifecycleStatus": "GenerallyAvailable",
                             "deprecation": {"inference": "2026-10-01T00:00:00Z"}}
    model.update(changes)
    return {"kind": "OpenAI", "skuName": "S0", "model": model}


MALFORMED = [
    pytest.param("{oops", "line 1 column 2", id="not-json"),
    pytest.param(json.dumps(7), "(top level)", id="number"),
    pytest.param(json.dumps({"items": []}), "(top level)", id="no-value"),
    pytest.param(json.dumps({"value": "x"}), "value", id="value-not-list"),
    pytest.param(json.dumps({"value": [_model(), 3]}), "value[1]", id="item-not-object"),
    pytest.param(json.dumps({"value": [{"kind": "OpenAI", "model": None}]}), "value[0].model", id="model-null"),
    pytest.param(json.dumps([_model(version=None)]), "[0].model.version", id="no-version"),
    pytest.param(json.dumps({"value": [_model(deprecation={"inference": "soon"})]}),
                 "value[0].model.deprecation.inference", id="bad-date"),
    pytest.param(json.dumps({"value": [_model(lifecycleStatus="Retiring")]}), "value[0].model.lifecycleStatus",
                 id="unknown-lifecycle"),
    pytest.param(json.dumps({"value": [_model(skus={"name": "Standard"})]}), "value[0].model.skus", id="skus-object"),
    pytest.param(json.dumps({"value": [_model(skus=[{"name": "Standard",
                                                     "deprecationDate": "2026-13-01T00:00:00Z"}])]}),
                 "value[0].model.skus[0].deprecationDate", id="bad-sku-date"),
    pytest.param(json.dumps({"value": [_model(replacementConfig={"upgradeOnExpiryLeadTimeDays": "7"})]}),
                 "value[0].model.replacementConfig.upgradeOnExpiryLeadTimeDays", id="lead-days-string"),
    pytest.param(json.dumps({"value": [_model(deprecation={"deprecationStatus": "Maybe"})]}),
                 "value[0].model.deprecation.deprecationStatus", id="bad-status"),
]


@pytest.mark.parametrize(("text", "where"), MALFORMED)
def test_malformed_input_exits_2_naming_file_and_path(runner, tmp_path, text, where):
    path = tmp_path / "bad-models.json"
    path.write_text(text, "utf-8")
    out = tmp_path / "never.yaml"
    result = runner.invoke(app, ["catalog", "import", str(SPEC), str(path), "--as-of", "2026-05-01", "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert f"bad-models.json: {where}" in result.stderr
    assert not out.exists()


def test_missing_file_and_bad_as_of(runner, tmp_path):
    assert runner.invoke(app, ["catalog", "import", str(tmp_path / "none.json")]).exit_code == 2
    assert runner.invoke(app, ["catalog", "import", str(SPEC), "--as-of", "01/05/2026"]).exit_code == 2


def test_previous_catalog_carries_default_since_and_deprecation(runner, tmp_path):
    previous = tmp_path / "previous.yaml"
    previous.write_text("""schema: 1
as_of: 2026-04-01
models:
  - name: gpt-4o
    versions:
      - {version: "2024-08-06", lifecycle: ga, default: true, default_since: 2025-02-13, deprecation: 2025-08-06}
      - {version: "2024-05-13", lifecycle: ga, default: false, default_since: 2024-06-01}
""", "utf-8")
    out = tmp_path / "new.yaml"
    result = runner.invoke(app, ["catalog", "import", str(EAST), "--as-of", "2026-05-01", "--previous", str(previous),
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    cat = load_catalog(out)
    v = cat.lookup("gpt-4o", "2024-08-06")
    assert v.default_since == D("2025-02-13") and v.deprecation == D("2025-08-06")
    assert "carried over from the previous catalog" in v.notes and "previous-catalog" in v.sources
    assert cat.lookup("gpt-4o", "2024-05-13").default_since is None  # not default now: nothing to carry
    assert cat.sources["previous-catalog"].date == D("2026-04-01")
    bad = runner.invoke(app, ["catalog", "import", str(EAST), "--previous", str(tmp_path / "missing.yaml")])
    assert bad.exit_code == 2 and "missing.yaml" in bad.stderr
