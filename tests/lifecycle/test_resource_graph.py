"""``versionguard audit`` on Azure Resource Graph results (az graph query output and the REST response)."""

from __future__ import annotations

import json

import pytest
from lifecycle_helpers import ARM, SMALL_CATALOG, graph_row, write_json

from versionguard.adapters.arm_deployments import load_live
from versionguard.cli import app

AZ = ARM / "resource-graph-az.json"
REST = ARM / "resource-graph-rest.json"
PIN = ["--as-of", "2026-05-01"]
SUB_A = "11111111-2222-3333-4444-555555555555"
SUB_B = "99999999-8888-7777-6666-555555555555"


def run_json(runner, *args: str) -> tuple[int, dict]:
    result = runner.invoke(app, ["audit", *args, *PIN, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def test_az_and_rest_shapes_give_the_same_findings(runner):
    code_az, az = run_json(runner, str(AZ))
    code_rest, rest = run_json(runner, str(REST))
    assert code_az == code_rest == 1
    assert az["findings"] == rest["findings"] and az["summary"] == rest["summary"]


def test_findings_carry_arm_id_subscription_and_resource_group(runner):
    _, data = run_json(runner, str(AZ))
    retired = [f for f in data["findings"] if f["policy"] == "retired-model-version"]
    # Same account and deployment name in two subscriptions: two deployments, two findings.
    assert [(f["resource"], f["subscription"], f["resource_group"]) for f in retired] == [
        ("aif-contoso-prod/legacy", SUB_A, "rg-ai-prod"), ("aif-contoso-prod/legacy", SUB_B, "rg-ai-dev")]
    assert retired[0]["urn"] == (f"/subscriptions/{SUB_A}/resourceGroups/rg-ai-prod/providers/"
                                 "Microsoft.CognitiveServices/accounts/aif-contoso-prod/deployments/legacy")
    assert retired[0]["urn"] != retired[1]["urn"]
    assert retired[0]["type"] == "microsoft.cognitiveservices/accounts/deployments"  # as the row wrote it
    # advisories: the missing option, and two deployments on versions closed to new customers
    # (gpt-4.1 2025-04-14, gpt-4o 2024-08-06: deprecated-model-version)
    assert data["summary"] == {"mandatory": 2, "advisory": 3, "waived": 0, "deployments": 4, "errors": 0}


def test_table_and_markdown_show_subscription_and_resource_group(runner):
    table = runner.invoke(app, ["audit", str(AZ), *PIN]).stdout
    assert "subscription / resource group" in table and SUB_B in table and "rg-ai-dev" in table
    markdown = runner.invoke(app, ["audit", str(REST), *PIN, "-f", "markdown"]).stdout
    assert "| | policy | subscription | resource group | resource | message |" in markdown
    assert f"| <code>{SUB_A}</code> | <code>rg-ai-prod</code> | <code>aif-contoso-prod/legacy</code> |" in markdown
    assert f"| <code>{SUB_B}</code> | <code>rg-ai-dev</code> | <code>aif-contoso-prod/legacy</code> |" in markdown


def test_sarif_keeps_same_named_deployments_apart(runner):
    sarif = json.loads(runner.invoke(app, ["audit", str(AZ), *PIN, "-f", "sarif"]).stdout)
    results = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "retired-model-version"]
    names = {r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] for r in results}
    prints = {json.dumps(r["partialFingerprints"], sort_keys=True) for r in results}
    assert len(results) == len(names) == len(prints) == 2


def test_type_is_compared_case_insensitively_and_name_comes_from_the_id(tmp_path):
    rows = [graph_row(SUB_A, "rg", "acct", "dep-1", type="MICROSOFT.COGNITIVESERVICES/ACCOUNTS/DEPLOYMENTS"),
            {**graph_row(SUB_A, "rg", "acct", "dep-2"), "name": "acct/dep-2"}]
    live = load_live([write_json(tmp_path / "rg.json", {"count": 2, "data": rows, "skip_token": None,
                                                       "total_records": 2})])
    assert [(d.resource, d.subscription, d.resource_group) for d in live.deployments] == [
        ("acct/dep-1", SUB_A, "rg"), ("acct/dep-2", SUB_A, "rg")]
    assert live.notes == []


def test_same_id_in_two_pages_is_judged_once_and_ids_compare_case_insensitively(tmp_path):
    row = graph_row(SUB_A, "rg", "acct", "dep")
    page1 = write_json(tmp_path / "p1.json", {"totalRecords": 2, "count": 1, "data": [row], "$skipToken": "tok"})
    shouting = {**row, "id": row["id"].upper()}
    page2 = write_json(tmp_path / "p2.json", {"totalRecords": 2, "count": 1, "data": [shouting]})
    live = load_live([page1, page2])
    assert len(live.deployments) == 1
    assert any("one page (1 of 2 rows)" in n for n in live.notes) and any("judged once" in n for n in live.notes)


def test_empty_result_is_clean(runner, tmp_path):
    empty = write_json(tmp_path / "empty.json", {"count": 0, "data": [], "skip_token": None, "total_records": 0})
    code, data = run_json(runner, str(empty), "--catalog", str(SMALL_CATALOG))
    assert code == 0 and [f for f in data["findings"] if f["resource"] != "(stack)"] == []


GRAPH_MALFORMED = [
    pytest.param({"count": 1, "data": {"columns": [], "rows": []}}, "data: expected a list of row objects "
                 "(resultFormat objectArray", id="table-format"),
    pytest.param({"count": 1, "data": "rows"}, "data: expected a list of row objects", id="data-not-list"),
    pytest.param({"count": 1, "data": [7]}, "data[0]: expected a deployment object", id="row-not-object"),
    pytest.param({"count": 1, "data": [{"name": "x"}]}, "data[0].id", id="row-without-id"),
    pytest.param({"count": 1, "data": ["ROW", {"id": "/subscriptions/s/resourceGroups/g/providers/"
                                                     "Microsoft.CognitiveServices/accounts/a"}]},
                 "data[1].id", id="account-id"),
    pytest.param({"count": 1, "data": ["ROW", "WRONGTYPE"]}, "data[1].type", id="wrong-type"),
    pytest.param({"count": 1, "data": ["ROW"], "skip_token": 5}, "skip_token: expected a skip token", id="bad-token"),
    pytest.param({"totalRecords": -1, "data": ["ROW"]}, "totalRecords: expected a whole number", id="bad-total"),
]


@pytest.mark.parametrize(("data", "where"), GRAPH_MALFORMED)
def test_malformed_graph_results_exit_2_naming_file_and_path(runner, tmp_path, data, where):
    row = graph_row(SUB_A, "rg", "a", "b")
    wrong = {**row, "type": "microsoft.cognitiveservices/accounts"}
    text = json.dumps(data).replace('"ROW"', json.dumps(row)).replace('"WRONGTYPE"', json.dumps(wrong))
    path = tmp_path / "graph-broken.json"
    path.write_text(text, "utf-8")
    result = runner.invoke(app, ["audit", str(path), *PIN])
    assert result.exit_code == 2, result.output
    assert "graph-broken.json" in result.stderr and where in result.stderr and "Traceback" not in result.output
    assert result.stdout == ""


def test_bytes_that_are_not_utf8_exit_2(runner, tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"data": ["\xe9"]}')
    result = runner.invoke(app, ["audit", str(path), *PIN])
    assert result.exit_code == 2 and "latin1.json: line 1: expected UTF-8 text, got 'byte 0xe9 at offset 11" in \
        result.stderr
