"""The catalog: the bundled file, look-ups, and broken catalogs that name the entry."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.unit.testkit import catalog_data, version_entry
from versionguard.adapters.files.catalog_file import load_catalog, parse_catalog
from versionguard.core.catalog import BUNDLED_CATALOG, catalog_from_data
from versionguard.core.errors import InputError
from versionguard.core.vocabulary import KNOWN_SKUS, LIFECYCLES


@pytest.fixture(scope="module")
def bundled() -> Any:
    return load_catalog()


# --- the bundled catalog ------------------------------------------------------------------------------

def test_bundled_catalog_loads(bundled: Any) -> None:
    assert bundled.origin == BUNDLED_CATALOG
    assert len(bundled.versions) > 80
    assert isinstance(bundled.as_of, dt.date)


def test_every_bundled_version_cites_sources_that_exist(bundled: Any) -> None:
    for v in bundled.versions:
        assert v.sources, v.label
        for sid in v.sources:
            assert sid in bundled.sources, (v.label, sid)
            assert bundled.sources[sid].title


def test_bundled_values_are_in_their_vocabularies(bundled: Any) -> None:
    for v in bundled.versions:
        assert v.lifecycle in LIFECYCLES
        assert set(v.retirement_by_sku) <= set(KNOWN_SKUS)
        for when in (v.deprecation, v.retirement, *v.retirement_by_sku.values()):
            assert when is None or isinstance(when, dt.date)


def test_bundled_versions_are_unique(bundled: Any) -> None:
    keys = [(v.model.casefold(), v.version.casefold()) for v in bundled.versions]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(("model", "version", "retires", "noted"), [
    # 2026-09-02 schedule 2026-10-01 vs the Oct-2026 lifecycle page's 2026-12-09: the earliest applies
    ("gpt-4o", "2024-05-13", dt.date(2026, 10, 1), "CONFLICT between the newest sources"),
    ("gpt-4o", "2024-08-06", dt.date(2027, 4, 14), "retirement 2027-10-01"),
    ("gpt-4o-mini", "2024-07-18", dt.date(2027, 4, 14), "retirement 2027-10-01"),
    # duplicated schedule rows (2027-04-06 and 2026-09-21): the earliest applies
    ("gpt-realtime-mini", "2025-10-06", dt.date(2026, 9, 21), "lists this version 2 times"),
    ("gpt-realtime-mini", "2025-12-15", dt.date(2026, 12, 15), "lists this version 2 times"),
])
def test_dates_follow_the_newest_source(bundled: Any, model: str, version: str, retires: dt.date,
                                        noted: str) -> None:
    """The 2026-09-02 schedule gives one date per version (no per-SKU override or lead days); the
    conflicts and the April values are in the version's notes (docs/catalog.md)."""
    v = bundled.lookup(model, version)
    assert v is not None
    assert v.retirement_by_sku == {} and v.upgrade_lead_days is None and v.upgrade_lead_by_sku == {}
    for sku in ("Standard", "standard", "GlobalStandard", "ProvisionedManaged", None):
        assert v.retirement_for(sku) == retires
    assert "sched-2026-09" in v.sources
    assert noted in (v.notes or ""), v.notes


def test_bundled_default_of_gpt_4o(bundled: Any) -> None:
    assert [v.version for v in bundled.versions_of("GPT-4O") if v.default] == ["2024-08-06"]
    assert bundled.versions_of("no-such-model") == []


def test_lookup_is_case_and_space_insensitive(bundled: Any) -> None:
    assert bundled.lookup(" GPT-4o ", "2024-08-06 ") == bundled.lookup("gpt-4o", "2024-08-06")
    assert bundled.lookup("gpt-4o", "1999-01-01") is None


def test_bundled_catalog_matches_loading_it_from_its_file(tmp_path: Path, bundled: Any) -> None:
    import versionguard

    source = Path(versionguard.__file__).parent / "data" / "catalog.yaml"
    copy_path = tmp_path / "catalog.yaml"
    copy_path.write_text(source.read_text("utf-8"), "utf-8")
    loaded = load_catalog(copy_path)
    assert loaded.origin == str(copy_path)
    assert loaded.versions == bundled.versions


# --- a small catalog ----------------------------------------------------------------------------------

def small() -> dict[str, Any]:
    return catalog_data(
        ("m", [version_entry("2023-01-01", default=True, default_since="2023-06-01"),
               version_entry("2024-01-01", retirement="2025-01-01",
                             retirement_by_sku={"Standard": "2024-10-01"}),
               version_entry("2024-06-01", default=True, default_since="2024-09-01")]),
        ("gpt-4o-mini", [version_entry("2024-07-18")]),
        as_of=dt.date(2025, 1, 1),
    )


def test_small_catalog_from_data() -> None:
    c = catalog_from_data(small(), "test")
    assert c.as_of == dt.date(2025, 1, 1)
    assert len(c.versions) == 4
    assert c.lookup("m", "2024-01-01").retirement_for("STANDARD") == dt.date(2024, 10, 1)  # type: ignore[union-attr]
    assert [v.version for v in c.versions_of("M")] == ["2023-01-01", "2024-01-01", "2024-06-01"]


def test_dates_may_be_date_objects_or_strings() -> None:
    data = small()
    data["as_of"] = dt.date(2025, 1, 1)
    data["models"][0]["versions"][1]["retirement"] = dt.date(2025, 1, 1)
    c = catalog_from_data(data, "test")
    assert c.lookup("m", "2024-01-01").retirement == dt.date(2025, 1, 1)  # type: ignore[union-attr]


def test_yaml_dates_quoted_or_not(tmp_path: Path) -> None:
    text = ("schema: 1\nas_of: 2025-01-01\nmodels:\n  - name: m\n    versions:\n"
            "      - {version: '1', lifecycle: ga, retirement: 2025-06-01}\n"
            "      - {version: '2', lifecycle: ga, retirement: '2025-07-01'}\n")
    path = tmp_path / "c.yaml"
    path.write_text(text)
    c = load_catalog(path)
    assert c.lookup("m", "1").retirement == dt.date(2025, 6, 1)  # type: ignore[union-attr]
    assert c.lookup("m", "2").retirement == dt.date(2025, 7, 1)  # type: ignore[union-attr]


@pytest.mark.parametrize(("model", "version", "expected"), [
    ("m", "2024-01-02", "m 2024-01-01"),
    ("gpt-4o-mnii", "2024-07-18", "gpt-4o-mini 2024-07-18"),
])
def test_near_match_suggestions(model: str, version: str, expected: str) -> None:
    c = catalog_from_data(small(), "test")
    assert c.near(model, version)[0] == expected


def test_near_match_is_case_insensitive_for_capitalised_catalog_names() -> None:
    """Look-ups fold case on both sides; suggestions must too (non-OpenAI models are often capitalised)."""
    c = catalog_from_data(catalog_data(("DALL-E-3", [version_entry("3.0")])), "test")
    assert c.lookup("dall-e-3", "3.0") is not None
    assert c.near("dall-e-4", "3.0") == ["DALL-E-3 3.0"]
    assert c.near("DALL-E-4", "3.0") == ["DALL-E-3 3.0"]


def test_near_match_lists_versions_of_a_close_name() -> None:
    c = catalog_from_data(small(), "test")
    assert c.near("gpt-4o-mnii", "9") == ["gpt-4o-mini (2024-07-18)"]
    assert c.near("totally-different", "1") == []


# --- broken catalogs ----------------------------------------------------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def _version(key: str, value: Any) -> Mutation:
    def mutate(d: dict[str, Any]) -> None:
        d["models"][0]["versions"][1][key] = value
    return mutate


BROKEN: list[tuple[str, Mutation, str, str]] = [
    ("bad-date", _version("retirement", "2025-13-45"),
     "models[0] m > versions[1] 2024-01-01 > retirement", "a date YYYY-MM-DD"),
    ("impossible-date", _version("retirement", "2025-02-30"),
     "models[0] m > versions[1] 2024-01-01 > retirement", "a date YYYY-MM-DD"),
    ("word-date", _version("deprecation", "soon"),
     "models[0] m > versions[1] 2024-01-01 > deprecation", "a date YYYY-MM-DD"),
    ("number-date", _version("retirement", 20250101), "models[0] m > versions[1] 2024-01-01 > retirement", "date"),
    ("unknown-lifecycle", _version("lifecycle", "beta"),
     "models[0] m > versions[1] 2024-01-01 > lifecycle", "one of 'preview', 'ga'"),
    ("unknown-key", _version("retirment", "2025-01-01"), "models[0] m > versions[1] 2024-01-01", "retirment"),
    ("duplicate-version", _version("version", "2023-01-01"),
     "models[0] m > versions[1] 2023-01-01", "each model version listed once"),
    ("version-number", _version("version", 1), "models[0] m > versions[1] 1 > version", "type string"),
    ("undefined-source", _version("sources", ["src", "nope"]),
     "models[0] m > versions[1] 2024-01-01 > sources", "ids defined under the top-level sources"),
    ("bad-sku-key", _version("retirement_by_sku", {"Standrd": "2025-01-01"}),
     "models[0] m > versions[1] 2024-01-01 > retirement_by_sku", "'Standard'"),
    ("bad-sku-date", _version("retirement_by_sku", {"Standard": "2025-02-30"}),
     "models[0] m > versions[1] 2024-01-01 > retirement_by_sku > Standard", "a date YYYY-MM-DD"),
    ("word-sku-date", _version("retirement_by_sku", {"Standard": "soon"}),
     "models[0] m > versions[1] 2024-01-01 > retirement_by_sku > Standard", "a date YYYY-MM-DD"),
    ("version-not-mapping", lambda d: d["models"][0]["versions"].__setitem__(1, "2024-01-01"),
     "models[0] m > versions[1]", "object"),
    ("model-not-mapping", lambda d: d["models"].__setitem__(1, "gpt-4o-mini"), "models[1]", "object"),
    ("models-not-list", lambda d: d.__setitem__("models", {"m": []}), "models", "array"),
    ("missing-lifecycle", lambda d: d["models"][0]["versions"][1].pop("lifecycle"),
     "models[0] m > versions[1] 2024-01-01", "'lifecycle' is a required property"),
    ("missing-models", lambda d: d.pop("models"), "(top level)", "'models' is a required property"),
    ("bad-as-of", lambda d: d.__setitem__("as_of", "2025-02-30"), "as_of", "a date YYYY-MM-DD"),
    ("schema-version", lambda d: d.__setitem__("schema", 2), "schema", "1"),
    ("bad-source-date", lambda d: d["sources"]["src"].__setitem__("date", "2025-02-30"),
     "sources > src > date", "a date YYYY-MM-DD"),
    ("word-source-date", lambda d: d["sources"]["src"].__setitem__("date", "soon"),
     "sources > src > date", "a date YYYY-MM-DD"),
    ("duplicate-across-models", lambda d: d["models"].append({"name": "M", "versions": [version_entry("2023-01-01")]}),
     "models[2] M > versions[0] 2023-01-01", "each model version listed once"),
]


@pytest.mark.parametrize(("mutate", "where", "expected"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_broken_catalog_names_the_entry(mutate: Mutation, where: str, expected: str) -> None:
    data = copy.deepcopy(small())
    mutate(data)
    with pytest.raises(InputError) as err:
        catalog_from_data(data, "broken.yaml")
    assert err.value.source == "broken.yaml"
    assert err.value.key == where
    assert str(err.value).startswith(f"broken.yaml: {where}: expected ")
    assert expected in str(err.value)


@pytest.mark.parametrize("data", [None, [], "catalog", 3])
def test_catalog_must_be_a_mapping(data: Any) -> None:
    with pytest.raises(InputError) as err:
        catalog_from_data(data, "c.yaml")
    assert err.value.key == "(top level)"
    assert "a mapping with schema, as_of and models" in str(err.value)


@pytest.mark.parametrize(("text", "where"), [("models: [\n", "line 2, column 1"), ("a: b: c\n", "line 1, column 5"),
                                             ("models:\n\t- x\n", "line 2, column 1")])
def test_invalid_yaml_names_the_line(text: str, where: str) -> None:
    with pytest.raises(InputError) as err:
        parse_catalog(text, "c.yaml")
    assert err.value.key == where
    assert "valid YAML" in str(err.value)


def test_empty_file_is_not_a_catalog(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("")
    with pytest.raises(InputError, match="a mapping with schema, as_of and models"):
        load_catalog(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        load_catalog(tmp_path / "nope.yaml")
    assert err.value.source == str(tmp_path / "nope.yaml")
    assert err.value.key == "(file)"


def test_load_catalog_from_a_file(tmp_path: Path) -> None:
    import yaml

    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(small()))
    c = load_catalog(path)
    assert c.origin == str(path)
    assert len(c.versions) == 4
    broken = small()
    broken["models"][0]["versions"][1]["lifecycle"] = "beta"
    path.write_text(yaml.safe_dump(broken))
    with pytest.raises(InputError, match=r"mine\.yaml: models\[0\] m > versions\[1\] 2024-01-01 > lifecycle"):
        load_catalog(path)
