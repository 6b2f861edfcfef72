"""The catalog's api_versions section: the bundled data (every version the reference lists, with
sources; the latest-three rule recorded as support_ends), loader errors naming the entry, hostile
data (never an exception other than InputError, never a silently empty section), and catalog diff."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.unit.api_kit import api_catalog_data, api_entry
from versionguard.adapters.files.catalog_file import load_catalog, parse_catalog
from versionguard.cli import app
from versionguard.core.catalog import catalog_from_data
from versionguard.core.catalog_diff import diff_catalogs
from versionguard.core.errors import InputError

GA = ["2022-12-01", "2023-05-15", "2024-02-01", "2024-06-01", "2024-10-21"]
PREVIEWS = ["2023-03-15", "2023-06-01", "2023-07-01", "2023-08-01", "2023-09-01", "2023-10-01", "2023-12-01",
            "2024-02-15", "2024-03-01", "2024-04-01", "2024-05-01", "2024-07-01", "2024-08-01", "2024-09-01",
            "2024-10-01", "2024-12-01", "2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01"]
RETIRED_2024_07 = ["2023-03-15", "2023-07-01", "2023-08-01", "2023-09-01", "2023-12-01"]


@pytest.fixture(scope="module")
def bundled() -> Any:
    return load_catalog().api_versions


def test_bundled_lists_every_ga_and_dated_preview_of_the_reference(bundled: Any) -> None:
    assert [e.version for e in bundled.entries] == GA + [f"{d}-preview" for d in PREVIEWS]
    assert bundled.latest_ga().version == "2024-10-21"


def test_bundled_entries_cite_api_lifecycle_sources() -> None:
    catalog = load_catalog()
    for e in catalog.api_versions.entries:
        assert e.sources and all(s in catalog.sources for s in e.sources), e.version
        # api-version sources only; 2022-12-01 also cites the Oct-2026 check that found it missing
        assert all(s.startswith("api-") or (e.version, s) == ("2022-12-01", "lifecycle-2026-10")
                   for s in e.sources), e.version


def test_bundled_retired_previews(bundled: Any) -> None:
    retired = {e.version for e in bundled.entries if e.lifecycle == "retired"}
    assert retired == {f"{d}-preview" for d in RETIRED_2024_07}
    assert {bundled.lookup(v).retirement for v in retired} == {dt.date(2024, 7, 1)}


def test_bundled_latest_three_rule_is_recorded_as_support_ends(bundled: Any) -> None:
    live = [d for d in PREVIEWS if d not in RETIRED_2024_07]
    for i, d in enumerate(live):
        e = bundled.lookup(f"{d}-preview")
        if d in ("2023-06-01", "2023-10-01") or i >= len(live) - 3:  # explicit exceptions, the newest three
            assert e.support_ends is None, d
        else:
            third = dt.date.fromisoformat(live[i + 3])
            assert e.support_ends == max(dt.date(2024, 7, 1), third), d
    for v in GA:
        assert bundled.lookup(v).support_ends is None and bundled.lookup(v).retirement is None


def test_lookup_is_case_and_space_insensitive(bundled: Any) -> None:
    assert bundled.lookup(" 2025-04-01-PREVIEW ").version == "2025-04-01-preview"


def test_section_is_optional() -> None:
    data = api_catalog_data()
    del data["api_versions"]
    assert catalog_from_data(data, "t").api_versions.entries == ()


Mutation = Any


def _set(i: int, key: str, value: Any) -> Mutation:
    def mutate(d: dict[str, Any]) -> None:
        d["api_versions"][i][key] = value
    return mutate


@pytest.mark.parametrize(("mutate", "where", "expected"), [
    (_set(0, "version", "2024-6-1"), "api_versions[0] 2024-6-1 > version", "an api-version YYYY-MM-DD"),
    (_set(0, "version", " 2024-06-01"), "api_versions[0]  2024-06-01 > version", "an api-version"),
    (_set(1, "lifecycle", "deprecated"), "api_versions[1] 2024-10-21 > lifecycle", "one of 'ga', 'preview'"),
    (_set(1, "lifecycle", "preview"), "api_versions[1] 2024-10-21 > lifecycle", "ga or retired"),
    (_set(2, "lifecycle", "ga"), "api_versions[2] 2025-04-01-preview > lifecycle", "preview or retired"),
    (_set(2, "support_ends", "soon"), "api_versions[2] 2025-04-01-preview > support_ends", "a date YYYY-MM-DD"),
    (_set(2, "support_ends", "2026-02-30"), "api_versions[2] 2025-04-01-preview > support_ends", "a date YYYY-MM-DD"),
    (_set(2, "sources", ["nope"]), "api_versions[2] 2025-04-01-preview > sources", "ids defined under"),
    (_set(2, "sources", []), "api_versions[2] 2025-04-01-preview > sources", "should be non-empty"),
    (_set(2, "colour", "red"), "api_versions[2] 2025-04-01-preview", "only known keys"),
    (_set(0, "superseded_by", "2030-01-01"), "api_versions[0] 2024-06-01 > superseded_by",
     "an api-version listed under api_versions"),
    (_set(7, "retirement", None), "api_versions[7] 2023-12-01-preview > retirement", "the date it stopped"),
    (_set(6, "retirement", "2000-01-01"), "api_versions[6] 2024-09-01-preview > retirement",
     "a date on or after support_ends"),
    (_set(2, "released", "2030-01-01") , "api_versions[2] 2025-04-01-preview", "ok"),
], ids=lambda x: x if isinstance(x, str) else "")
def test_broken_section_names_the_entry(mutate: Mutation, where: str, expected: str) -> None:
    data = copy.deepcopy(api_catalog_data())
    mutate(data)
    if expected == "ok":
        catalog_from_data(data, "t")  # released alone is fine
        return
    with pytest.raises(InputError) as err:
        catalog_from_data(data, "t.yaml")
    text = str(err.value)
    assert text.startswith("t.yaml: ") and where in text and expected in text, text


def test_duplicate_versions_name_both_entries() -> None:
    data = api_catalog_data([api_entry("2024-10-21", "ga"), api_entry("2024-10-21", "ga")])
    with pytest.raises(InputError, match=r"api_versions\[1\] 2024-10-21: expected each api-version listed once "
                                         r"\(also at api_versions\[0\] 2024-10-21\)"):
        catalog_from_data(data, "t")


def test_section_must_be_a_list() -> None:
    with pytest.raises(InputError, match="api_versions: expected type array"):
        catalog_from_data({**api_catalog_data(), "api_versions": {"2024-10-21": "ga"}}, "t")


def test_yaml_with_unquoted_dates() -> None:
    text = ("schema: 1\nas_of: 2026-01-01\nsources: {s: {title: t}}\nmodels: []\napi_versions:\n"
            "  - {version: 2024-10-21, lifecycle: ga, sources: [s]}\n"
            "  - {version: 2024-03-01-preview, lifecycle: preview, support_ends: 2024-07-01, sources: [s]}\n")
    section = parse_catalog(text, "t").api_versions
    assert section.lookup("2024-03-01-preview").support_ends == dt.date(2024, 7, 1)


_value = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12),
                   st.sampled_from(["2024-10-21", "2025-04-01-preview", "ga", "preview", "retired", "2024-07-01"]),
                   st.lists(st.sampled_from(["src", "x"]), max_size=2), st.dictionaries(st.text(max_size=3),
                                                                                      st.integers(), max_size=2))
_entry = st.dictionaries(st.sampled_from(["version", "lifecycle", "released", "superseded_by", "retirement",
                                          "support_ends", "notes", "sources", "x"]), _value, max_size=8)


@seed(12)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(section=st.one_of(_value, st.lists(st.one_of(_entry, _value), max_size=4)))
def test_hostile_sections_are_valid_or_an_input_error(section: Any) -> None:
    data = {**api_catalog_data(), "api_versions": section}
    try:
        catalog = catalog_from_data(data, "t")
    except InputError as e:
        assert str(e).startswith("t: ")
        return
    # Accepted: every entry made it in, none silently dropped.
    assert len(catalog.api_versions.entries) == len(section or [])


# --- catalog diff ----------------------------------------------------------------------------------

def test_diff_shows_api_version_changes(tmp_path: Any) -> None:
    old = catalog_from_data(api_catalog_data(), "old")
    new_data = api_catalog_data()
    new_data["api_versions"] = [e for e in new_data["api_versions"] if e["version"] != "2024-06-01"]
    new_data["api_versions"][0] = {**new_data["api_versions"][0]}
    new_data["api_versions"].append(api_entry("2025-05-01-preview", "preview"))
    new_data["api_versions"][1] = {**new_data["api_versions"][1], "support_ends": "2026-03-01"}
    diff = diff_catalogs(old, catalog_from_data(new_data, "new"))
    rows = {(v.version, v.status) for v in diff.api_versions}
    assert rows == {("2024-06-01", "removed"), ("2025-05-01-preview", "added"), ("2025-04-01-preview", "changed")}
    (changed,) = [v for v in diff.api_versions if v.status == "changed"]
    assert [(c.field, c.old, c.new) for c in changed.changes] == [("support_ends", None, dt.date(2026, 3, 1))]
    assert diff.changed and diff.count("added") == 1
    assert diff.to_json()["api_versions"][0]["model"] == "api-version"


def test_cli_diff_lists_api_versions(tmp_path: Any) -> None:
    import yaml

    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(yaml.safe_dump(api_catalog_data()))
    changed = api_catalog_data()
    changed["api_versions"] = [*changed["api_versions"], api_entry("2025-05-01-preview", "preview")]
    new.write_text(yaml.safe_dump(changed))
    result = CliRunner().invoke(app, ["catalog", "diff", str(old), str(new), "--format", "markdown",
                                      "--fail-on-change"])
    assert result.exit_code == 1, result.output
    assert "| added | api-version | 2025-05-01-preview |" in result.output
