"""``versionguard catalog diff OLD NEW``: added, removed and changed versions for a reviewer."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest
from lifecycle_helpers import SMALL_CATALOG

from versionguard.adapters.files.catalog_file import load_catalog
from versionguard.cli import app
from versionguard.core.catalog_diff import diff_catalogs

NEW = """schema: 1
as_of: 2026-05-20
models:
  - name: gpt-4o
    versions:
      - version: "2024-05-13"
        lifecycle: deprecated
        deprecation: 2026-06-30
        retirement: 2026-08-31
        replacement: {name: gpt-4.1, version: "2025-06-01"}
      - version: "2024-08-06"
        lifecycle: ga
        default: true
        default_since: 2026-05-10
        retirement: 2027-12-31
  - name: gpt-4.1
    versions:
      - version: "2025-01-01"
        lifecycle: ga
        retirement: 2026-08-31
        retirement_by_sku: {GlobalStandard: 2026-11-30, DataZoneStandard: 2026-07-31}
        upgrade_lead_days: {Standard: 10, GlobalStandard: 20}
      - version: "2025-06-01"
        lifecycle: ga
        retirement: 2027-06-30
      - version: "2025-09-01"
        lifecycle: preview
        retirement: 2027-01-01
  - name: o9-preview
    versions:
      - version: "1"
        lifecycle: preview
        retirement: 2026-06-15
        upgrade_lead_days: 7
  - name: gpt-5
    versions:
      - version: "2025-08-07"
        lifecycle: ga
        retirement: 2027-02-06
"""


@pytest.fixture
def new_catalog(tmp_path):
    path = tmp_path / "new.yaml"
    path.write_text(NEW, "utf-8")
    return path


def test_changes_per_version(small_catalog, new_catalog):
    diff = diff_catalogs(small_catalog, load_catalog(new_catalog))
    got = {(v.model, v.version, v.status): [(c.field, c.old, c.new, c.note) for c in v.changes]
           for v in diff.versions}
    D = dt.date.fromisoformat
    assert got == {
        ("cohere-command-a", "1", "removed"): [],
        ("gpt-35-turbo", "0301", "removed"): [],
        ("gpt-4.1", "2025-01-01", "changed"): [
            ("retirement_by_sku.DataZoneStandard", None, D("2026-07-31"), "newly dated"),
            ("retirement_by_sku.GlobalStandard", D("2026-10-31"), D("2026-11-30"), "later by 30 days"),
            ("retirement_by_sku.ProvisionedManaged", D("2026-07-15"), None, "date withdrawn")],
        ("gpt-4.1", "2025-06-01", "changed"): [("default", True, False, ""),
                                               ("default_since", D("2026-01-01"), None, "date withdrawn")],
        ("gpt-4o", "2024-05-13", "changed"): [
            ("lifecycle", "ga", "deprecated", ""),
            ("retirement", D("2026-09-30"), D("2026-08-31"), "earlier by 30 days"),
            ("replacement", "gpt-4o 2024-08-06", "gpt-4.1 2025-06-01", "")],
        ("gpt-5", "2025-08-07", "added"): [],
        ("o9-preview", "1", "changed"): [("date_status", "tentative", None, ""), ("upgrade_lead_days", 5, 7, "")],
    }
    assert diff.count("added") == 1 and diff.count("removed") == 2 and diff.count("changed") == 4
    added = next(v for v in diff.versions if v.status == "added")
    assert added.summary == "ga, retires 2027-02-06"


def test_cli_formats_and_exit_codes(runner, new_catalog):
    result = runner.invoke(app, ["catalog", "diff", str(SMALL_CATALOG), str(new_catalog), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["summary"] == {"added": 1, "removed": 2, "changed": 4}
    assert data["old"]["as_of"] == "2026-04-20" and data["new"]["as_of"] == "2026-05-20"
    change = next(v for v in data["versions"] if v["model"] == "gpt-4o" and v["version"] == "2024-05-13")
    assert {"field": "retirement", "old": "2026-09-30", "new": "2026-08-31", "note": "earlier by 30 days"} \
        in change["changes"]
    result = runner.invoke(app, ["catalog", "diff", str(SMALL_CATALOG), str(new_catalog), "--format", "markdown"])
    assert result.exit_code == 0 and "| changed | gpt-4o | 2024-05-13 | retirement | 2026-09-30 | 2026-08-31 |" \
        in result.stdout
    result = runner.invoke(app, ["catalog", "diff", str(SMALL_CATALOG), str(new_catalog)])
    assert result.exit_code == 0 and "1 added, 2 removed, 4 changed" in result.stdout
    assert runner.invoke(app, ["catalog", "diff", str(SMALL_CATALOG), str(new_catalog),
                               "--fail-on-change"]).exit_code == 1
    assert runner.invoke(app, ["catalog", "diff", str(SMALL_CATALOG), str(SMALL_CATALOG),
                               "--fail-on-change"]).exit_code == 0


def test_bundled_keyword_and_output_file(runner, tmp_path):
    out = tmp_path / "diff.md"
    result = runner.invoke(app, ["catalog", "diff", "@bundled", "@bundled", "-f", "markdown", "-o", str(out)])
    assert result.exit_code == 0
    assert "No differences." in out.read_text("utf-8")
    assert "0 added, 0 removed, 0 changed" in result.stderr


def test_bad_input_exits_2(runner, tmp_path, new_catalog):
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: 1\nas_of: 2026-01-01\nmodels:\n  - name: x\n    versions:\n      - version: '1'\n"
                   "        lifecycle: gone\n", "utf-8")
    result = runner.invoke(app, ["catalog", "diff", str(SMALL_CATALOG), str(bad)])
    assert result.exit_code == 2 and "bad.yaml" in result.stderr and "lifecycle" in result.stderr
    assert runner.invoke(app, ["catalog", "diff", str(tmp_path / "nope.yaml"), str(new_catalog)]).exit_code == 2
    assert runner.invoke(app, ["catalog", "diff", str(SMALL_CATALOG), str(new_catalog), "-f", "sarif"]).exit_code == 2


TWO_FORMATS = """schema: 1
as_of: 2026-05-20
models:
  - name: mistral-large
    versions:
      - version: "2411"
        lifecycle: ga
        retirement: {openai}
  - name: mistral-large
    format: Mistral AI
    versions:
      - version: "2411"
        lifecycle: ga
        retirement: 2027-01-31
"""


def test_same_name_and_version_under_two_formats_are_paired_per_format(runner, tmp_path):
    """Keyed by (name, version) alone, the Mistral entry shadowed the OpenAI one: 0 changed, exit 0."""
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(TWO_FORMATS.format(openai="2026-09-30"), "utf-8")
    new.write_text(TWO_FORMATS.format(openai="2026-08-31"), "utf-8")
    diff = diff_catalogs(load_catalog(old), load_catalog(new))
    assert [(v.model, v.format, v.version, v.status, [(c.field, str(c.new)) for c in v.changes])
            for v in diff.versions] == [("mistral-large", "OpenAI", "2411", "changed", [("retirement", "2026-08-31")])]
    assert runner.invoke(app, ["catalog", "diff", str(old), str(new), "--fail-on-change"]).exit_code == 1
    data = json.loads(runner.invoke(app, ["catalog", "diff", str(old), str(new), "-f", "json"]).stdout)
    assert data["summary"] == {"added": 0, "removed": 0, "changed": 1}
    assert data["versions"][0]["format"] == "OpenAI"


def test_an_entry_moving_to_another_format_is_removed_and_added_with_the_format_shown(runner, tmp_path):
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(TWO_FORMATS.format(openai="2026-09-30"), "utf-8")
    new.write_text(TWO_FORMATS.format(openai="2026-09-30").replace("format: Mistral AI", "format: Mistral"), "utf-8")
    diff = diff_catalogs(load_catalog(old), load_catalog(new))
    assert [(v.label, v.status) for v in diff.versions] == [("mistral-large (Mistral)", "added"),
                                                             ("mistral-large (Mistral AI)", "removed")]
    markdown = runner.invoke(app, ["catalog", "diff", str(old), str(new), "-f", "markdown"]).stdout
    assert "| removed | mistral-large (Mistral AI) | 2411 |" in markdown


def test_api_version_rows_carry_no_format():
    """api-versions go through the same pairing as model versions; their rows name no format."""
    from tests.unit.api_kit import api_catalog

    old, new = api_catalog(), api_catalog()
    diff = diff_catalogs(old, replace(new, api_versions=replace(new.api_versions,
                                                                entries=new.api_versions.entries[1:])))
    assert [(v.model, v.version, v.status, v.format, v.label) for v in diff.api_versions] == [
        ("api-version", "2024-06-01", "removed", None, "api-version")]
    assert "format" not in diff.api_versions[0].to_json()
