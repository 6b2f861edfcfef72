"""Hostile input for the Resource Graph reader (seeded property-based tests).

Whatever the file holds: never a traceback; a broken envelope is exit 2 naming the file; and a row
whose model version cannot be read never passes (exit 0).
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lifecycle_helpers import AS_OF, SMALL_CATALOG, graph_row

from versionguard.adapters.azure.arm_deployments import load_live
from versionguard.cli import app
from versionguard.commands.audit import audit
from versionguard.core.errors import InputError

SEEDED = settings(derandomize=True, database=None, deadline=None, max_examples=150,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12)
ROW = graph_row("11111111-2222-3333-4444-555555555555", "rg", "acct", "dep",
                {"format": "OpenAI", "name": "gpt-4o", "version": "2024-08-06"})
KEYS = ["id", "type", "name", "sku", "properties", "subscriptionId", "resourceGroup"]
PROPERTY_KEYS = ["model", "versionUpgradeOption"]
MODEL_KEYS = ["name", "version", "format"]


def envelopes(rows: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Both Resource Graph shapes around ``rows``, with paging fields that may be wrong too."""
    az = st.fixed_dictionaries({"data": rows}, optional={"count": json_values, "skip_token": json_values,
                                                          "total_records": json_values})
    rest = st.fixed_dictionaries({"data": rows}, optional={"totalRecords": json_values, "count": json_values,
                                                            "$skipToken": json_values, "resultTruncated": json_values})
    return az | rest


@st.composite
def mutated_rows(draw: st.DrawFn) -> dict[str, Any]:
    """A valid row with some fields, at any depth, deleted or replaced by arbitrary JSON."""
    row = json.loads(json.dumps(ROW))
    for _ in range(draw(st.integers(1, 4))):
        target, keys = draw(st.sampled_from([(row, KEYS), (row.get("properties"), PROPERTY_KEYS),
                                             (_model(row), MODEL_KEYS)]))
        if not isinstance(target, dict):
            continue
        key = draw(st.sampled_from(keys))
        if draw(st.booleans()):
            target.pop(key, None)
        else:
            target[key] = draw(json_values)
    return row


def _model(row: dict[str, Any]) -> Any:
    props = row.get("properties")
    return props.get("model") if isinstance(props, dict) else None


def _version_readable(row: dict[str, Any]) -> bool:
    model = _model(row)
    version = model.get("version") if isinstance(model, dict) else None
    return isinstance(version, str) and bool(version.strip())


def all_versions_readable(rows: list[dict[str, Any]]) -> bool:
    """Over the rows that are judged: every row (a repeated id is merged only when its content is the
    same, and then its version reads the same)."""
    return all(_version_readable(row) for row in rows)


def assert_no_crash(result: Any) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


def write(tmp_path, data: Any) -> Any:
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data), "utf-8")
    return path


@SEEDED
@given(data=json_values | envelopes(json_values) | envelopes(st.lists(json_values, max_size=3)))
def test_any_json_is_read_or_refused_with_an_input_error(tmp_path, data):
    try:
        live = load_live([write(tmp_path, data)])
    except InputError as e:
        assert "hostile.json" in str(e)
        return
    assert all(d.arm_id for d in live.deployments)


@SEEDED
@given(page=envelopes(st.lists(mutated_rows(), min_size=1, max_size=3)))
def test_mutated_rows_are_refused_or_judged_and_an_unreadable_version_never_passes(tmp_path, small_catalog, page):
    try:
        live = load_live([write(tmp_path, page)])
    except InputError as e:
        assert "hostile.json" in str(e)
        return
    report = audit(live.deployments, small_catalog, AS_OF)
    if not all_versions_readable(page["data"]):
        assert report.exit_code == 1, [f.message for f in report.findings]


@settings(SEEDED, max_examples=40)
@given(blob=st.binary(max_size=64) | st.text(max_size=64).map(str.encode))
def test_cli_on_arbitrary_bytes_exits_2_without_a_traceback(runner, tmp_path, blob):
    path = tmp_path / "hostile.json"
    path.write_bytes(blob)
    result = runner.invoke(app, ["audit", str(path), "--as-of", "2026-05-01", "--catalog", str(SMALL_CATALOG)])
    assert_no_crash(result)
    if result.exit_code != 2:  # the only valid files this short hold no deployments: [], {"value": []}, …
        assert result.exit_code == 0 and _empty_listing(json.loads(blob)), (blob, result.output)
        return
    assert "hostile.json" in result.stderr


def _empty_listing(data: Any) -> bool:
    if isinstance(data, dict):
        data = data.get("value", data.get("data"))
    return data == []


@settings(SEEDED, max_examples=40)
@given(page=envelopes(st.lists(mutated_rows(), min_size=1, max_size=2)))
def test_cli_never_exits_0_on_a_row_it_cannot_read(runner, tmp_path, page):
    result = runner.invoke(app, ["audit", str(write(tmp_path, page)), "--as-of", "2026-05-01",
                                 "--catalog", str(SMALL_CATALOG), "-f", "json"])
    assert_no_crash(result)
    assert result.exit_code in (0, 1, 2), result.output
    if not all_versions_readable(page["data"]):
        assert result.exit_code != 0, result.output


@st.composite
def paged_results(draw: st.DrawFn) -> tuple[list[dict[str, Any]], int, bool]:
    """A Resource Graph result of n rows cut into pages (both shapes, tokens on all but the last page),
    some pages perhaps left out or given twice; whether the pages given still hold every row."""
    n = draw(st.integers(1, 6))
    rows = [graph_row("11111111-2222-3333-4444-555555555555", "rg", "acct", f"dep-{i}") for i in range(n)]
    cuts = sorted(draw(st.sets(st.integers(1, n - 1), max_size=n - 1))) if n > 1 else []
    chunks = [rows[a:b] for a, b in zip([0, *cuts], [*cuts, n], strict=True)]
    rest = draw(st.booleans())
    pages = []
    for i, chunk in enumerate(chunks):
        token = f"token-{i}" if i < len(chunks) - 1 else None
        pages.append({"count": len(chunk), "data": chunk, "skip_token": token, "total_records": n} if rest else
                     {"totalRecords": n, "count": len(chunk), "data": chunk, "$skipToken": token})
    given_pages = draw(st.lists(st.sampled_from(range(len(pages))), min_size=1, max_size=len(pages) + 1))
    complete = {i for i in given_pages} == set(range(len(pages)))
    return [pages[i] for i in given_pages], n, complete


@settings(SEEDED, max_examples=60)
@given(result=paged_results())
def test_pages_given_decide_between_a_verdict_and_exit_2(runner, tmp_path, result):
    """Every page given (in any order, any repeated): a verdict on all n rows. A page missing: exit 2
    naming a page, never a verdict on part of the fleet; with --allow-partial, a verdict that says so."""
    pages, n, complete = result
    paths = []
    for i, page in enumerate(pages):
        paths.append(tmp_path / f"page-{i}.json")
        paths[-1].write_text(json.dumps(page), "utf-8")
    argv = ["audit", *map(str, paths), "--as-of", "2026-05-01", "--catalog", str(SMALL_CATALOG), "-f", "json"]
    judged = runner.invoke(app, argv)
    assert_no_crash(judged)
    if complete:
        assert judged.exit_code in (0, 1), judged.output
        report = json.loads(judged.stdout)
        assert report["summary"]["deployments"] == n and "partial" not in report["runs"][0]
        return
    assert judged.exit_code == 2 and judged.stdout == "", judged.output
    assert "page-" in judged.stderr and "--allow-partial" in judged.stderr
    allowed = runner.invoke(app, [*argv, "--allow-partial"])
    assert allowed.exit_code in (0, 1), allowed.output
    report = json.loads(allowed.stdout)
    assert report["summary"]["deployments"] < n and report["runs"][0]["partial"]
