"""``catalog import`` / ``catalog fetch`` of the Models API 2026-09-01 (issue 18 item 4), and the two
import defects of issue 20 (items 7 and 10).

The items below follow the field names and meanings of the Models API 2026-09-01 as summarised in
/work/shared/reference/azure-model-lifecycle-2026-10.md (``lifecycleStatus`` Preview /
GenerallyAvailable / Stable / Legacy / Deprecating / Deprecated; a past ``deprecation.inference`` means
retired; ``replacementConfig.targetModelName``, ``targetModelVersion``, ``upgradeOnExpiryLeadTimeDays``,
``autoUpgradeStartDate``). Model names, lifecycles, retirement dates and replacement names are the rows
of the 2026-09-02 schedule (retirement-schedule-2026-09-02.md). The sources give no lead days and no
auto-upgrade start for these rows: those values (14, 2027-03-15) are illustrative.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from lifecycle_helpers import write_json

from versionguard.adapters.files.catalog_file import load_catalog
from versionguard.cli import app
from versionguard.core.catalog import Catalog

D = dt.date.fromisoformat
AS_OF = "2026-09-02"  # the schedule's date


def item(name: str, version: str, status: str | None, inference: str | None = None, fmt: str = "OpenAI",
         **model: Any) -> dict[str, Any]:
    """One item of a location-scoped Models - List response (api-version 2026-09-01)."""
    body: dict[str, Any] = {"format": fmt, "name": name, "version": version,
                            "systemData": {"createdAt": "2026-01-05T00:00:00Z"}}
    if status is not None:
        body["lifecycleStatus"] = status
    if inference is not None:
        body["deprecation"] = {"inference": f"{inference}T00:00:00Z"}
    body.update(model)
    return {"kind": "OpenAI" if fmt == "OpenAI" else "AIServices", "skuName": "S0", "model": body}


SCHEDULE_ITEMS = [
    # gpt-4o 2024-11-20: Legacy, 2027-04-14, replacement gpt-5.1 (schedule); the API names its version
    item("gpt-4o", "2024-11-20", "Legacy", "2027-04-14",
         replacementConfig={"targetModelName": "gpt-5.1", "targetModelVersion": "2025-11-13",
                            "upgradeOnExpiryLeadTimeDays": 14, "autoUpgradeStartDate": "2027-03-15T00:00:00Z"}),
    # o1 2024-12-17: the schedule's "Deprecated" (existing customers only) is the API's Deprecating
    item("o1", "2024-12-17", "Deprecating", "2026-10-21", replacementConfig={"targetModelName": "gpt-5.6-sol"}),
    # gpt-5-chat 2025-08-07: the schedule's "Retired" is the API's Deprecated
    item("gpt-5-chat", "2025-08-07", "Deprecated", "2026-06-29",
         replacementConfig={"targetModelName": "gpt-chat-latest"}),
    # gpt-chat-latest 2026-05-05: Preview, retirement 2026-08-05 — before the fetch date: retired
    item("gpt-chat-latest", "2026-05-05", "Preview", "2026-08-05"),
    # gpt-chat-latest 2026-08-06: Preview, 2026-12-02 — still a preview
    item("gpt-chat-latest", "2026-08-06", "Preview", "2026-12-02"),
    item("gpt-5.2", "2025-12-11", "GenerallyAvailable", "2027-06-08"),
    item("text-embedding-ada-002", "2", "Stable", "2028-02-09"),
]


def run_import(runner, tmp_path: Path, items: list[dict[str, Any]], as_of: str = AS_OF, name: str = "models.json"
               ) -> tuple[Any, Catalog | None]:
    path = write_json(tmp_path / name, {"value": items})
    out = tmp_path / "imported.yaml"
    result = runner.invoke(app, ["catalog", "import", str(path), "--as-of", as_of, "-o", str(out)])
    assert "Traceback" not in result.output
    return result, load_catalog(out) if result.exit_code == 0 else None


def test_models_api_2026_09_lifecycles_replacements_and_dates(runner, tmp_path):
    result, cat = run_import(runner, tmp_path, SCHEDULE_ITEMS)
    assert result.exit_code == 0, result.output
    legacy = cat.lookup("gpt-4o", "2024-11-20")
    assert legacy.lifecycle == "legacy" and legacy.retirement == D("2027-04-14")
    assert str(legacy.replacement) == "gpt-5.1 2025-11-13" and legacy.upgrade_lead_days == 14
    assert legacy.auto_upgrade_start == D("2027-03-15")  # its own field, not only a note
    o1 = cat.lookup("o1", "2024-12-17")
    assert o1.lifecycle == "deprecated"  # Deprecating -> deprecated (no new customers)
    assert str(o1.replacement) == "gpt-5.6-sol" and o1.replacement.version is None and o1.upgrade_lead_days is None
    assert o1.auto_upgrade_start is None
    gone = cat.lookup("gpt-5-chat", "2025-08-07")
    assert gone.lifecycle == "retired" and str(gone.replacement) == "gpt-chat-latest"  # Deprecated -> retired
    past = cat.lookup("gpt-chat-latest", "2026-05-05")
    assert past.lifecycle == "retired" and "lifecycleStatus said preview" in past.notes  # past inference
    assert cat.lookup("gpt-chat-latest", "2026-08-06").lifecycle == "preview"
    assert cat.lookup("gpt-5.2", "2025-12-11").lifecycle == "ga"
    assert cat.lookup("text-embedding-ada-002", "2").lifecycle == "ga"


@pytest.mark.parametrize(("inference", "lifecycle"), [
    ("2026-09-01", "retired"), ("2026-09-02", "retired"), ("2026-09-03", "ga")])
def test_inference_on_or_before_the_import_date_is_retired(runner, tmp_path, inference, lifecycle):
    result, cat = run_import(runner, tmp_path, [item("gpt-5", "2025-08-07", "GenerallyAvailable", inference)])
    assert result.exit_code == 0, result.output
    assert cat.lookup("gpt-5", "2025-08-07").lifecycle == lifecycle


@pytest.mark.parametrize(("status", "lifecycle"), [
    ("LEGACY", "legacy"), ("legacy", "legacy"), ("DEPRECATING", "deprecated"), ("deprecated", "retired"),
    (" Preview ", "preview"), ("STABLE", "ga")])
def test_lifecycle_words_in_any_case(runner, tmp_path, status, lifecycle):
    result, cat = run_import(runner, tmp_path, [item("gpt-5", "2025-08-07", status, "2027-02-09")])
    assert result.exit_code == 0, result.output
    assert cat.lookup("gpt-5", "2025-08-07").lifecycle == lifecycle


@pytest.mark.parametrize(("change", "where"), [
    ({"lifecycleStatus": "Retiring"}, "value[1].model.lifecycleStatus"),
    ({"lifecycleStatus": "EndOfLife"}, "value[1].model.lifecycleStatus"),
    ({"replacementConfig": {"targetModelName": "gpt-5.1", "autoUpgradeStartDate": "next spring"}},
     "value[1].model.replacementConfig.autoUpgradeStartDate"),
    ({"replacementConfig": {"targetModelName": "gpt-5.1", "autoUpgradeStartDate": "2027-02-30T00:00:00Z"}},
     "value[1].model.replacementConfig.autoUpgradeStartDate"),
    ({"replacementConfig": {"targetModelName": "gpt-5.1", "upgradeOnExpiryLeadTimeDays": -3}},
     "value[1].model.replacementConfig.upgradeOnExpiryLeadTimeDays"),
    ({"replacementConfig": {"targetModelName": 5}}, "value[1].model.replacementConfig.targetModelName"),
    ({"replacementConfig": "gpt-5.1"}, "value[1].model.replacementConfig"),
    ({"deprecation": {"inference": "2026-13-01T00:00:00Z"}}, "value[1].model.deprecation.inference"),
])
def test_bad_2026_09_fields_exit_2_naming_file_and_item(runner, tmp_path, change, where):
    bad = item("gpt-4o", "2024-11-20", "Legacy", "2027-04-14")
    bad["model"].update(change)
    result, _ = run_import(runner, tmp_path, [SCHEDULE_ITEMS[1], bad], name="bad-models.json")
    assert result.exit_code == 2, result.output
    assert f"bad-models.json: {where}" in result.stderr
    assert not (tmp_path / "imported.yaml").exists()


# --- issue 20 item 7: one model name under two formats --------------------------------------------

def test_versions_of_one_name_under_two_formats_keep_their_own_dates(runner, tmp_path):
    """Before: every version was filed under the first format seen, so the second format's version
    was looked up under the wrong format and its dates were lost for deployments of its format."""
    items = [item("Mistral-Large-3", "1", "Preview", "2026-12-15", fmt="Mistral AI"),
             item("Mistral-Large-3", "2", "GenerallyAvailable", "2027-06-30", fmt="OpenAI"),
             item("Mistral-Large-3", "1", "GenerallyAvailable", "2027-01-31", fmt="OpenAI")]
    result, cat = run_import(runner, tmp_path, items)
    assert result.exit_code == 0, result.output
    mistral = cat.lookup("Mistral-Large-3", "1", "Mistral AI")
    assert mistral.lifecycle == "preview" and mistral.retirement == D("2026-12-15")
    assert cat.lookup("Mistral-Large-3", "2", "OpenAI").retirement == D("2027-06-30")
    assert cat.lookup("Mistral-Large-3", "1", "OpenAI").retirement == D("2027-01-31")  # not merged across formats
    assert cat.lookup("Mistral-Large-3", "2", "Mistral AI") is None
    assert sorted(v.format for v in cat.versions_of("Mistral-Large-3")) == ["Mistral AI", "OpenAI", "OpenAI"]


def test_format_case_variants_are_one_format(runner, tmp_path):
    items = [item("gpt-5", "2025-08-07", "GenerallyAvailable", "2027-02-09", fmt="OpenAI"),
             item("gpt-5", "2025-08-07", "GenerallyAvailable", "2027-01-09", fmt="openai")]
    result, cat = run_import(runner, tmp_path, items)
    assert result.exit_code == 0, result.output
    [entry] = cat.versions_of("gpt-5")
    assert entry.retirement == D("2027-01-09")  # the earliest of both sightings


# --- issue 20 item 10: timestamps at the calendar's edge ------------------------------------------

@pytest.mark.parametrize(("field", "where"), [
    ("inference", "value[0].model.deprecation.inference"),
    ("sku", "value[0].model.skus[0].deprecationDate"),
    ("start", "value[0].model.replacementConfig.autoUpgradeStartDate"),
])
def test_timestamp_past_the_calendars_edge_exits_2(runner, tmp_path, field, where):
    edge = "9999-12-31T23:59:59-14:00"  # year 10000 in UTC: was an OverflowError traceback
    model: dict[str, Any] = {"name": "gpt-5", "version": "2025-08-07", "lifecycleStatus": "GenerallyAvailable"}
    if field == "inference":
        model["deprecation"] = {"inference": edge}
    elif field == "sku":
        model["skus"] = [{"name": "Standard", "deprecationDate": edge}]
    else:
        model["replacementConfig"] = {"targetModelName": "gpt-5.1", "autoUpgradeStartDate": edge}
    result, _ = run_import(runner, tmp_path, [{"kind": "OpenAI", "skuName": "S0", "model": model}], name="edge.json")
    assert result.exit_code == 2, result.output
    assert f"edge.json: {where}" in result.stderr and "between 0001-01-01 and 9999-12-31" in result.stderr


def test_timestamps_at_the_edge_that_fit_are_dates(runner, tmp_path):
    items = [item("gpt-5", "2025-08-07", "GenerallyAvailable", deprecation={"inference": "9999-12-31T23:59:59+14:00"}),
             item("gpt-5", "2025-09-01", "GenerallyAvailable", deprecation={"inference": "0001-01-01T10:00:00+09:00"})]
    result, cat = run_import(runner, tmp_path, items, as_of="2026-09-02")
    assert result.exit_code == 0, result.output
    assert cat.lookup("gpt-5", "2025-08-07").retirement == dt.date.max  # 9999-12-31T09:59:59Z
    assert cat.lookup("gpt-5", "2025-09-01").retirement == dt.date(1, 1, 1)
    assert cat.lookup("gpt-5", "2025-09-01").lifecycle == "retired"


def test_year_one_timestamp_before_the_calendar_exits_2(runner, tmp_path):
    bad = item("gpt-5", "2025-08-07", "GenerallyAvailable", deprecation={"inference": "0001-01-01T00:00:00+14:00"})
    result, _ = run_import(runner, tmp_path, [bad], name="edge.json")
    assert result.exit_code == 2, result.output
    assert "edge.json: value[0].model.deprecation.inference" in result.stderr


# --- catalog fetch: the same mapping straight from the API ----------------------------------------

def test_catalog_fetch_maps_the_2026_09_fields_as_import_does(tmp_path, monkeypatch):
    from tests.support.azure_stub import ArmStub, Running, StaticCredential
    from versionguard.commands.catalog import fetch_models

    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy",
                 "AZURE_SUBSCRIPTION_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    sub = "11111111-2222-3333-4444-555555555555"
    with Running(ArmStub(subscriptions=[sub]), tmp_path) as stub:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(stub.ca_file))
        stub.models = {"swedencentral": SCHEDULE_ITEMS}
        fetched = fetch_models(["swedencentral"], sub, stub.url, as_of=D(AS_OF), credential=StaticCredential())
    cat = fetched.imported.catalog
    assert cat.lookup("gpt-4o", "2024-11-20").lifecycle == "legacy"
    assert cat.lookup("gpt-4o", "2024-11-20").auto_upgrade_start == D("2027-03-15")
    assert cat.lookup("o1", "2024-12-17").lifecycle == "deprecated"
    assert cat.lookup("gpt-5-chat", "2025-08-07").lifecycle == "retired"
    assert cat.lookup("gpt-chat-latest", "2026-05-05").lifecycle == "retired"  # inference before the fetch date
    assert cat.lookup("gpt-chat-latest", "2026-08-06").lifecycle == "preview"
