"""``versionguard audit`` on Azure Resource Graph results (az graph query output and the REST response)."""

from __future__ import annotations

import json

import pytest
from lifecycle_helpers import ARM, SMALL_CATALOG, arm_item, graph_row, write_json

from versionguard.adapters.azure.arm_deployments import load_live
from versionguard.cli import app

AZ = ARM / "resource-graph-az.json"
REST = ARM / "resource-graph-rest.json"
PIN = ["--as-of", "2026-12-07"]
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
    # advisories: the missing option, and gpt-4o 2024-08-06, closed to new customers
    # (deprecated-model-version); gpt-4.1 2025-04-14 is Legacy in the 2026-09-02 schedule, not deprecated
    # (legacy-model-version)
    assert data["summary"] == {"mandatory": 2, "advisory": 3, "waived": 0, "deployments": 4, "errors": 0}
    assert sorted(f["policy"] for f in data["findings"] if f["level"] == "advisory") == [
        "deprecated-model-version", "legacy-model-version", "upgrade-option-explicit"]


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
    row, other = graph_row(SUB_A, "rg", "acct", "dep"), graph_row(SUB_A, "rg", "acct", "dep-2")
    page1 = write_json(tmp_path / "p1.json", {"totalRecords": 2, "count": 1, "data": [row], "$skipToken": "tok"})
    shouting = {**row, "id": row["id"].upper()}
    page2 = write_json(tmp_path / "p2.json", {"totalRecords": 2, "count": 2, "data": [shouting, other]})
    live = load_live([page1, page2])
    assert len(live.deployments) == 2 and live.gaps == []  # two distinct rows: the whole result of 2
    assert any("judged once" in n for n in live.notes)


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
    pytest.param({"count": 2, "data": ["ROW", {"id": "/subscriptions/s/resourceGroups/g/providers/"
                                                     "Microsoft.CognitiveServices/accounts/a"}]},
                 "data[1].id", id="account-id"),
    pytest.param({"count": 2, "data": ["ROW", "WRONGTYPE"]}, "data[1].type", id="wrong-type"),
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


# --- a verdict covers everything asked for: partial and ambiguous input ------------------------------

ROWS = [graph_row(SUB_A, "rg", "acct", f"dep-{i}") for i in range(5)]


def audit_cli(runner, *files, extra: tuple[str, ...] = ()):
    return runner.invoke(app, ["audit", *map(str, files), *PIN, "--catalog", str(SMALL_CATALOG), *extra])


def assert_refused(result, path, key: str, got: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and "Traceback" not in result.output
    assert result.stderr.startswith(f"versionguard: error: {path}: {key}: expected "), result.stderr
    assert got in result.stderr, result.stderr


def test_an_object_with_both_value_and_data_is_ambiguous(runner, tmp_path):
    """It was read as an empty ARM list: exit 0 on a file whose deployments may be in the other list."""
    path = write_json(tmp_path / "both.json", {"data": [ROWS[0]], "value": []})
    assert_refused(audit_cli(runner, path), path, "(top level)", 'either a "value" list (ARM Deployments - List) '
                   'or a "data" list (Azure Resource Graph), not both')


@pytest.mark.parametrize(("envelope", "key", "got"), [
    ({"count": 3, "data": ROWS[:1]}, "count", "the file does not hold the rows it says it does, got 3"),
    ({"count": True, "data": ROWS[:1]}, "count", "a whole number of records"),
    ({"total_records": 1, "data": ROWS[:2]}, "total_records", "at least the 2 rows in this file, got 1"),
    ({"totalRecords": 2, "data": ROWS[:2], "resultTruncated": "maybe"}, "resultTruncated", "true or false"),
])
def test_an_envelope_that_contradicts_its_rows_exits_2_even_with_allow_partial(runner, tmp_path, envelope, key, got):
    path = write_json(tmp_path / "odd.json", envelope)
    for extra in ((), ("--allow-partial",)):
        assert_refused(audit_cli(runner, path, extra=extra), path, key, got)


def test_a_total_above_the_rows_without_a_skip_token_exits_2(runner, tmp_path):
    """{"totalRecords": 5000, "data": []} passed silently: an empty fleet of 5,000 deployments."""
    path = write_json(tmp_path / "short.json", {"totalRecords": 5000, "data": []})
    assert_refused(audit_cli(runner, path), path, "totalRecords",
                   "got 'one page of a Resource Graph result of 5000 records, holding 0 distinct rows: the other "
                   "pages are not given'")
    assert "or --allow-partial to judge only what the files hold" in audit_cli(runner, path).stderr


@pytest.mark.parametrize(("envelope", "key"), [
    ({"count": 2, "data": ROWS[:2], "skip_token": "page-2", "total_records": 5}, "total_records"),
    ({"count": 2, "data": ROWS[:2], "$skipToken": "page-2", "totalRecords": 5}, "totalRecords"),
    ({"count": 2, "data": ROWS[:2], "$skipToken": "page-2"}, "$skipToken"),  # no total: cannot be added up
    ({"count": 2, "data": ROWS[:2], "resultTruncated": True}, "resultTruncated"),
])
def test_one_page_of_several_exits_2(runner, tmp_path, envelope, key):
    """A paged file got a note on stderr and exit 0 on a partial fleet."""
    path = write_json(tmp_path / "page-1.json", envelope)
    assert_refused(audit_cli(runner, path), path, key, "one page of a Resource Graph result")


def test_pages_that_add_up_to_the_total_are_the_whole_result(runner, tmp_path):
    pages = [write_json(tmp_path / f"page-{i}.json", {"count": len(chunk), "data": chunk, "total_records": 5,
                                                      "skip_token": f"tok-{i}" if i < 2 else None})
             for i, chunk in enumerate((ROWS[:2], ROWS[2:4], ROWS[4:]))]
    result = audit_cli(runner, *pages, extra=("-f", "json"))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["summary"]["deployments"] == 5 and "partial" not in data["runs"][0]
    missing = audit_cli(runner, pages[0], pages[2])
    assert_refused(missing, pages[0], "total_records",
                   f"got '2 pages of a Resource Graph result of 5 records (with {pages[2]}) hold 3 distinct rows: "
                   "the other pages are not given'")


def test_an_arm_page_with_a_next_link_exits_2(runner, tmp_path):
    path = write_json(tmp_path / "arm.json", {"value": [arm_item("a", "b")], "nextLink": "https://example.invalid/2"})
    assert_refused(audit_cli(runner, path), path, "nextLink", "an ARM Deployments-List page with a nextLink")


def test_allow_partial_judges_the_pages_given_and_every_format_says_so(runner, tmp_path):
    page = write_json(tmp_path / "page-1.json", {"count": 2, "data": ROWS[:2], "skip_token": "t", "total_records": 5})
    gap = f"{page}: one page of a Resource Graph result of 5 records, holding 2 distinct rows: the other pages are " \
          "not given"
    outs = {fmt: tmp_path / f"out.{fmt}" for fmt in ("json", "sarif", "junit", "markdown", "table")}
    result = audit_cli(runner, page, extra=("--allow-partial", *(f"-o{fmt}={path}" for fmt, path in outs.items())))
    assert result.exit_code == 0, result.output
    assert "PARTIAL input" in result.stderr  # the verdict line on the terminal
    data = json.loads(outs["json"].read_text("utf-8"))
    assert data["summary"]["deployments"] == 2 and data["runs"][0]["partial"] == [gap]
    sarif = json.loads(outs["sarif"].read_text("utf-8"))
    assert sarif["runs"][0]["properties"]["runs"][0]["partial"] == [gap]
    assert f'name="partial" value="{gap}"' in outs["junit"].read_text("utf-8")
    markdown = outs["markdown"].read_text("utf-8")
    assert "· ⚠️ partial input" in markdown.splitlines()[0]
    assert "partial input (--allow-partial), not covered by this verdict: " in markdown
    table = " ".join(outs["table"].read_text("utf-8").split())  # rich wraps long lines
    assert "live: PARTIAL input (--allow-partial), not covered by this verdict:" in table
    assert "PARTIAL input: the verdict covers only the pages given" in table
