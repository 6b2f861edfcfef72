"""Catalog lifecycle additions: released, deprecation_status, fine_tuned, (format, name, version)
look-ups, the earliest date for a missing or unknown SKU, upgrade targets, and the catalog's own rules."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from tests.unit.testkit import catalog_data, version_entry
from versionguard.adapters.files.catalog_file import load_catalog
from versionguard.core.catalog import catalog_from_data
from versionguard.core.errors import InputError
from versionguard.core.lifecycle import (
    catalog_problems,
    catalog_staleness,
    is_newer,
    parse_fine_tuned,
    resolve,
    upgrade_path,
)
from versionguard.core.rules.base import Context
from versionguard.core.rules.catalog_freshness import check_stack
from versionguard.core.settings import RuleSettings

D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def bundled() -> Any:
    return load_catalog()


def data() -> dict[str, Any]:
    return catalog_data(
        ("m", [version_entry("2024-01-01", retirement="2026-01-01", released="2024-01-10",
                             deprecation="2025-06-01", deprecation_status="tentative",
                             fine_tuned={"training_retirement": "2025-12-01", "deployment_retirement": "2026-06-01",
                                         "date_status": "tentative"}),
               version_entry("2024-06-01", retirement="2027-01-01",
                             retirement_by_sku={"Standard": "2025-09-01", "GlobalBatch": "2025-08-01"})]),
        as_of=dt.date(2025, 1, 1),
    )


# --- new fields: parsed, and validated with the entry named -------------------------------------------

def test_new_fields_are_parsed() -> None:
    v = catalog_from_data(data(), "c.yaml").lookup("m", "2024-01-01")
    assert v is not None
    assert v.released == D("2024-01-10") and v.deprecation_status == "tentative"
    assert v.fine_tuned is not None
    assert (v.fine_tuned.training_retirement, v.fine_tuned.deployment_retirement, v.fine_tuned.date_status) == (
        D("2025-12-01"), D("2026-06-01"), "tentative")


def _set(key: str, value: Any):
    def mutate(d: dict[str, Any]) -> None:
        d["models"][0]["versions"][0][key] = value
    return mutate


WHERE = "models[0] m > versions[0] 2024-01-01"


@pytest.mark.parametrize(("mutate", "where", "expected"), [
    (_set("released", "2024-13-01"), f"{WHERE} > released", "a date YYYY-MM-DD"),
    (_set("released", "2024-02-30"), f"{WHERE} > released", "a date YYYY-MM-DD"),
    (_set("released", "last week"), f"{WHERE} > released", "a date YYYY-MM-DD"),
    (_set("deprecation_status", "maybe"), f"{WHERE} > deprecation_status", "one of 'planned', 'tentative'"),
    (_set("fine_tuned", "2026-01-01"), f"{WHERE} > fine_tuned", "type object"),
    (_set("fine_tuned", {"deployment": "2026-01-01"}), f"{WHERE} > fine_tuned", "only known keys"),
    (_set("fine_tuned", {"deployment_retirement": "soon"}), f"{WHERE} > fine_tuned > deployment_retirement",
     "a date YYYY-MM-DD"),
    (_set("fine_tuned", {"training_retirement": "2026-09-31"}), f"{WHERE} > fine_tuned > training_retirement",
     "a date YYYY-MM-DD"),  # the doc's own "2026-09-31" is no calendar date
    (_set("fine_tuned", {"training_retirement": "soon"}), f"{WHERE} > fine_tuned > training_retirement",
     "a date YYYY-MM-DD"),  # refused by the schema, named the same way
    (_set("fine_tuned", {"date_status": "NET"}), f"{WHERE} > fine_tuned > date_status", "'tentative'"),
])
def test_bad_new_fields_name_file_entry_and_expectation(mutate: Any, where: str, expected: str) -> None:
    broken = copy.deepcopy(data())
    mutate(broken)
    with pytest.raises(InputError) as err:
        catalog_from_data(broken, "c.yaml")
    assert err.value.key == where
    assert str(err.value).startswith(f"c.yaml: {where}: expected ")
    assert expected in str(err.value)


# --- look-ups by (format, name, version) ----------------------------------------------------------------

def test_lookups_use_the_format() -> None:
    d = data()
    d["models"].append({"name": "m", "format": "Cohere", "versions": [version_entry("2024-01-01")]})
    c = catalog_from_data(d, "c.yaml")  # the same name and version under another format is no duplicate
    assert c.lookup("m", "2024-01-01", "OpenAI").format == "OpenAI"  # type: ignore[union-attr]
    assert c.lookup("m", "2024-01-01", "cohere").format == "Cohere"  # type: ignore[union-attr]
    assert c.lookup("m", "2024-01-01", "Meta") is None
    assert c.lookup("m", "2024-01-01") is None  # ambiguous without a format
    assert c.formats_of("m", "2024-01-01") == ["OpenAI", "Cohere"]
    assert [v.version for v in c.versions_of("m", "Cohere")] == ["2024-01-01"]
    d["models"].append({"name": "M", "format": "cohere", "versions": [version_entry("2024-01-01")]})
    with pytest.raises(InputError, match="each model version listed once per format"):
        catalog_from_data(d, "c.yaml")


# --- retirement for a missing or unknown SKU: the earliest date (DESIGN, fail closed) -------------------

@pytest.mark.parametrize(("sku", "expected"), [
    ("Standard", "2025-09-01"), ("GLOBALBATCH", "2025-08-01"),  # overrides, any case
    ("GlobalStandard", "2027-01-01"), ("ProvisionedManaged", "2027-01-01"),  # known SKU, no override
    (None, "2025-08-01"), ("FancyTier", "2025-08-01"), ("", "2025-08-01"),  # earliest over all
])
def test_retirement_for(sku: str | None, expected: str) -> None:
    v = catalog_from_data(data(), "c.yaml").lookup("m", "2024-06-01")
    assert v is not None and v.retirement_for(sku) == D(expected)


def test_earliest_date_without_a_version_level_date() -> None:
    c = catalog_from_data(catalog_data(("m", [version_entry("1", retirement_by_sku={"Standard": "2026-01-01"})])), "c")
    v = c.lookup("m", "1")
    assert v is not None and v.retirement_for(None) == D("2026-01-01") and v.retirement_for("GlobalStandard") is None


# --- fine-tuned model names -----------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "version", "base", "legacy"), [
    ("gpt-4o-mini-2024-07-18.ft-0e208ba1c7f54d1f8cb9dd4f1d7b9f3c", "1", ("gpt-4o-mini", "2024-07-18"), False),
    ("gpt-4o-2024-08-06.ft-abc", "1", ("gpt-4o", "2024-08-06"), False),  # not gpt-4o-mini
    ("GPT-4O-MINI-2024-07-18.FT-abc", "1", ("GPT-4O-MINI", "2024-07-18"), False),
    ("gpt-4o-mini.ft-abc", "2024-07-18", ("gpt-4o-mini", "2024-07-18"), True),  # legacy: version from model.version
    ("gpt-35-turbo-0613.ft-abc", "1", ("gpt-35-turbo", "0613"), False),
    ("unknown-base-2025-01-01.ft-x", "1", ("unknown-base", "2025-01-01"), False),  # parsed even if not catalogued
])
def test_fine_tuned_names_are_split_at_the_base(bundled: Any, name: str, version: str, base: tuple[str, str],
                                                legacy: bool) -> None:
    parsed = parse_fine_tuned(bundled, name, version)
    assert parsed is not None
    assert (parsed.base_model, parsed.base_version, parsed.legacy) == (*base, legacy)


def test_not_fine_tuned_names(bundled: Any) -> None:
    assert parse_fine_tuned(bundled, "gpt-4o-mini", "2024-07-18") is None
    assert resolve(bundled, "OpenAI", "gpt-4o-mini-2024-07-18", "1") is None


@pytest.mark.parametrize(("name", "version", "retires"), [
    ("gpt-4o-mini-2024-07-18.ft-0e20", "1", "2027-10-01"), ("gpt-4o-mini.ft-0e20", "2024-07-18", "2027-10-01"),
    ("gpt-4o-2024-08-06.ft-0e20", "1", "2027-10-01"), ("gpt-4.1-2025-04-14.ft-abc", "1", "2027-10-14"),
    ("gpt-4.1-nano-2025-04-14.ft-abc", "1", "2027-10-14"), ("o4-mini-2025-04-16.ft-abc", "1", "2027-10-16"),
])
def test_fine_tuned_deployments_get_the_published_deployment_retirement(bundled: Any, name: str, version: str,
                                                                        retires: str) -> None:
    """Fine-tuned deployments retire on the 2026-09-02 fine-tuned table's date (gpt-4o and gpt-4o-mini
    2027-10-01, the gpt-4.1 family 2027-10-14, o4-mini 2027-10-16), not on the base versions' own dates
    (2027-04-14; o4-mini retired 2026-10-16)."""
    v = resolve(bundled, "OpenAI", name, version)
    assert v is not None and v.base is not None
    assert v.retirement_for("Standard") == D(retires) and v.retirement_for(None) == D(retires)
    assert (v.model, v.version) == (name, version)
    assert v.label == f"{name} {version} (fine-tuned from {v.base.label})"
    assert v.deprecation is None and v.replacement is None and not v.default
    assert v.date_status is None  # the deployment date is firm; only training is "No earlier than"


def test_fine_tuned_base_without_published_dates_is_unknown(bundled: Any) -> None:
    # gpt-4.5-preview (carried over from the April catalog) has no fine-tuned row in any source
    assert bundled.lookup("gpt-4.5-preview", "2025-02-27").fine_tuned is None
    assert resolve(bundled, "OpenAI", "gpt-4.5-preview-2025-02-27.ft-abc", "1") is None


# --- ordering and upgrade targets -----------------------------------------------------------------------

def _c(*versions: dict[str, Any]):
    return catalog_from_data(catalog_data(("m", list(versions))), "c")


def test_is_newer() -> None:
    c = _c(version_entry("2024-01-01"), version_entry("2024-06-01"), version_entry("1106"), version_entry("0125"),
           version_entry("a", released="2024-01-01"), version_entry("b", released="2024-06-01"))
    get = lambda v: c.lookup("m", v)  # noqa: E731
    assert is_newer(get("2024-06-01"), get("2024-01-01")) and not is_newer(get("2024-01-01"), get("2024-06-01"))
    assert not is_newer(get("0125"), get("1106")) and not is_newer(get("1106"), get("0125"))  # order unknown
    assert is_newer(get("b"), get("a"))
    assert not is_newer(get("2024-06-01"), get("2024-06-01"))


def test_upgrade_path_target_is_the_default_of_that_day() -> None:
    c = _c(version_entry("2024-01-01", retirement="2026-01-01"),
           version_entry("2024-06-01", default=True, default_since="2025-01-01", retirement="2027-01-01"),
           version_entry("2024-09-01", default=True, default_since="2026-06-01", retirement="2027-06-01"),
           version_entry("2024-12-01", "preview", default=True, retirement="2027-06-01"))
    entry = c.lookup("m", "2024-01-01")
    path = upgrade_path(c, entry, "Standard", D("2026-01-01"))
    assert path.target is not None and path.target.version == "2024-06-01"  # 2024-09-01 not default yet
    assert [v.version for v in path.candidates] == ["2024-09-01", "2024-06-01"]  # newest first, no preview
    later = upgrade_path(c, entry, "Standard", D("2026-07-01"))
    assert later.target is not None and later.target.version == "2024-09-01"


# --- the catalog's own rules -----------------------------------------------------------------------------

def test_bundled_catalog_follows_its_own_rules(bundled: Any) -> None:
    assert catalog_problems(bundled) == []


def test_catalog_problems_are_found() -> None:
    c = catalog_from_data(catalog_data(
        ("gpt-35-turbo", [version_entry("0125", default=True, default_since="2025-01-13", retirement="2025-11-14")]),
        ("m", [version_entry("1", deprecation="2026-06-01", retirement="2026-01-01",
                             fine_tuned={"training_retirement": "2026-01-01", "deployment_retirement": "2025-01-01"})]),
        as_of=dt.date(2026, 4, 23)), "c")
    assert catalog_problems(c) == [
        "gpt-35-turbo 0125 is marked default but has retired (as of 2026-04-23)",
        "m 1 is deprecated on 2026-06-01, after it retires on 2026-01-01",
        "m 1: fine-tuned deployments retire before fine-tuning does",
    ]


def test_bundled_decisions(bundled: Any) -> None:
    t0125 = bundled.lookup("gpt-35-turbo", "0125")
    assert not t0125.default and t0125.default_since is None  # retired 2025-11-14: no longer a default
    assert [v.label for v in bundled.versions if v.default] == ["gpt-4o 2024-08-06"]
    gpt52 = bundled.lookup("gpt-5.2", "2025-12-11")
    # the Dec-2025 "no earlier than" deprecation falls after the 2026-09-02 schedule: kept, tentative
    assert gpt52.deprecation == D("2026-12-12") and gpt52.deprecation_status == "tentative"
    assert gpt52.retirement == D("2027-06-08") and gpt52.date_status is None
    for model, version, training, deployment in (("gpt-4o", "2024-08-06", "2027-04-01", "2027-10-01"),
                                                 ("gpt-4o-mini", "2024-07-18", "2027-04-01", "2027-10-01"),
                                                 ("gpt-4.1", "2025-04-14", "2027-04-14", "2027-10-14"),
                                                 ("o4-mini", "2025-04-16", "2027-04-16", "2027-10-16")):
        tuned = bundled.lookup(model, version).fine_tuned
        assert tuned is not None
        assert (tuned.training_retirement, tuned.deployment_retirement) == (D(training), D(deployment))
        assert (tuned.training_status, tuned.date_status) == ("tentative", None)
    # Legacy is not deprecated: the Dec-2025 deprecation date that had passed by 2026-09-02 is dropped
    gpt41 = bundled.lookup("gpt-4.1", "2025-04-14")
    assert (gpt41.lifecycle, gpt41.deprecation) == ("legacy", None)
    # a two-model replacement cell records no replacement, both names in notes
    rerank = bundled.lookup("Cohere-rerank-v3.5", "1", "Cohere")
    assert rerank.replacement is None
    assert "Cohere-rerank-v4.0-pro, Cohere-rerank-v4.0-fast" in (rerank.notes or "")
    assert str(bundled.lookup("sora-2", "2025-10-06").replacement) == "sora-2 2025-12-08"


def test_staleness_warning_is_the_catalog_freshness_message(bundled: Any) -> None:
    as_of = D("2027-04-04")
    text = catalog_staleness(bundled, as_of, 120)
    assert text == ("the catalog (bundled catalog) was last checked on 2026-12-04, 121 days ago (limit 120).")
    (violation,) = check_stack(Context(as_of, bundled, RuleSettings()))
    assert violation.message == text
    assert catalog_staleness(bundled, D("2027-04-03"), 120) is None  # 120 days: still fresh


def test_catalog_import_carries_the_new_fields_from_the_previous_catalog(bundled: Any) -> None:
    """The Models-List API reports none of released, deprecation_status or fine-tuned deployment
    dates: ``catalog import --previous`` keeps them, as it keeps default_since and deprecation."""
    from versionguard.adapters.azure.models_list import carry_over

    previous = catalog_from_data(catalog_data(("gpt-4o", [version_entry(
        "2024-08-06", deprecation="2025-08-06", deprecation_status="tentative", released="2024-08-06",
        fine_tuned={"deployment_retirement": "2027-03-31"})])), "previous.yaml")
    data: dict[str, Any] = {"sources": {"x": {"title": "export"}}, "models": [{"name": "gpt-4o", "versions": [
        {"version": "2024-08-06", "lifecycle": "ga", "retirement": "2027-10-01", "sources": ["x"]}]}]}
    carry_over(data, previous)
    entry = data["models"][0]["versions"][0]
    assert entry["deprecation_status"] == "tentative" and entry["released"] == D("2024-08-06")
    assert entry["fine_tuned"] == {"deployment_retirement": D("2027-03-31")}
    assert list(entry)[:6] == ["version", "lifecycle", "released", "deprecation", "deprecation_status", "retirement"]
    assert "fine_tuned dates" in entry["notes"] and "previous-catalog" in entry["sources"]
    catalog_from_data({"schema": 1, "as_of": "2026-05-01", **data}, "imported.yaml")  # still a valid catalog


def test_catalog_diff_shows_the_new_fields() -> None:
    from versionguard.core.catalog_diff import diff_catalogs

    old = catalog_from_data(data(), "old.yaml")
    changed = data()
    entry = changed["models"][0]["versions"][0]
    entry.update(released="2024-01-11", deprecation_status="planned",
                 fine_tuned={"training_retirement": "2025-12-01", "deployment_retirement": "2026-03-01"})
    [version] = diff_catalogs(old, catalog_from_data(changed, "new.yaml")).versions
    got = {c.field: (c.old, c.new, c.note) for c in version.changes}
    assert got == {
        "released": (D("2024-01-10"), D("2024-01-11"), "later by 1 days"),
        "deprecation_status": ("tentative", "planned", ""),
        "fine_tuned.deployment_retirement": (D("2026-06-01"), D("2026-03-01"), "earlier by 92 days"),
        "fine_tuned.date_status": ("tentative", None, ""),
    }
