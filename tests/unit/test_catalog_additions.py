"""Catalog fields of the Dec-2026 rebuild (DESIGN.md "Catalog additions"): ``notes`` as a list,
``lifecycle: legacy``, a replacement without a version, tentative dates, and
``fine_tuned.training_status``. Each: valid, malformed and padded values (hostile ones:
tests/hostile/test_catalog_fields.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.testkit import catalog_data, version_entry
from versionguard.core.catalog import catalog_from_data
from versionguard.core.catalog_diff import version_changes
from versionguard.core.errors import InputError

WHERE = "models[0] m > versions[0] 1"


def _one(**fields: Any) -> dict[str, Any]:
    return catalog_data(("m", [version_entry("1", **fields)]))


def _load(data: dict[str, Any]) -> Any:
    return catalog_from_data(data, "cat.yaml").versions[0]


# --- notes ---------------------------------------------------------------------------------------------

def test_notes_as_a_list_are_kept_in_order() -> None:
    v = _load(_one(notes=["CONFLICT: a says 2026-10-01, b says 2026-12-09", "earliest applied"]))
    assert v.notes == "CONFLICT: a says 2026-10-01, b says 2026-12-09\nearliest applied"
    assert v.notes.splitlines() == ["CONFLICT: a says 2026-10-01, b says 2026-12-09", "earliest applied"]


def test_notes_as_text_still_load_as_one_note() -> None:
    assert _load(_one(notes="free text")).notes == "free text"
    assert _load(_one(notes=None)).notes is None
    assert _load(_one()).notes is None
    assert _load(_one(notes=[])).notes is None


@pytest.mark.parametrize("bad", [5, True, {"a": "b"}, [1], ["ok", None], [["nested"]], [{"x": 1}]])
def test_malformed_notes_name_the_entry(bad: Any) -> None:
    with pytest.raises(InputError) as err:
        _load(_one(notes=bad))
    text = str(err.value)
    assert text.startswith("cat.yaml: ") and WHERE in text and "notes" in text, text


@pytest.mark.parametrize("padded", ["", " ", " leading", "trailing ", "\tboth\n"])
def test_a_padded_or_empty_note_in_a_list_is_refused(padded: str) -> None:
    with pytest.raises(InputError) as err:
        _load(_one(notes=["fine", padded]))
    assert f"{WHERE} > notes > [1]" in str(err.value) or f"{WHERE} > notes" in str(err.value), str(err.value)
    assert "surrounding whitespace" in str(err.value)


# --- lifecycle legacy, replacement without version, tentative -------------------------------------------

def test_legacy_lifecycle_loads() -> None:
    assert _load(_one(lifecycle="legacy")).lifecycle == "legacy"


@pytest.mark.parametrize("bad", ["Legacy", "LEGACY", " legacy", "legacy ", "legacy-ish", "Deprecating", ""])
def test_lifecycle_words_are_exact(bad: str) -> None:
    with pytest.raises(InputError) as err:
        _load(_one(lifecycle=bad))
    assert f"{WHERE} > lifecycle" in str(err.value) and "'legacy'" in str(err.value)


def test_a_replacement_without_a_version_is_the_model_alone() -> None:
    v = _load(_one(replacement={"name": "gpt-5.1"}))
    assert v.replacement is not None and (v.replacement.name, v.replacement.version) == ("gpt-5.1", None)
    assert str(v.replacement) == "gpt-5.1"
    v = _load(_one(replacement={"name": "sora-2", "version": "2025-12-08"}))
    assert str(v.replacement) == "sora-2 2025-12-08"


@pytest.mark.parametrize("bad", [{"version": "1"}, {"name": ""}, {"name": " gpt-5.1"},
                                 {"name": "gpt-5.1", "version": "1 "}, {"name": "a, b", "extra": 1}, "gpt-5.1",
                                 ["gpt-5.1"]])
def test_malformed_replacements_name_the_entry(bad: Any) -> None:
    with pytest.raises(InputError) as err:
        _load(_one(replacement=bad))
    assert f"{WHERE} > replacement" in str(err.value), str(err.value)


def test_tentative_dates() -> None:
    v = _load(_one(retirement="2027-04-14", date_status="tentative"))
    assert v.date_status == "tentative"
    with pytest.raises(InputError) as err:
        _load(_one(retirement="2027-04-14", date_status="No earlier than"))
    assert f"{WHERE} > date_status" in str(err.value)


# --- fine_tuned.training_status ------------------------------------------------------------------------

def test_training_status_qualifies_the_training_date_only() -> None:
    v = _load(_one(retirement="2027-04-14", fine_tuned={"training_retirement": "2027-04-14",
                                                        "training_status": "tentative",
                                                        "deployment_retirement": "2027-10-14"}))
    assert v.fine_tuned is not None
    assert v.fine_tuned.training_status == "tentative" and v.fine_tuned.date_status is None


@pytest.mark.parametrize("bad", ["Tentative", " tentative", "no earlier than", 1, True, ["tentative"]])
def test_malformed_training_status_names_the_entry(bad: Any) -> None:
    with pytest.raises(InputError) as err:
        _load(_one(fine_tuned={"training_retirement": "2027-04-14", "training_status": bad}))
    assert f"{WHERE} > fine_tuned > training_status" in str(err.value), str(err.value)


def test_catalog_diff_sees_a_training_status_change() -> None:
    base = {"training_retirement": "2027-04-14", "deployment_retirement": "2027-10-14"}
    a = _load(_one(fine_tuned=base))
    b = _load(_one(fine_tuned={**base, "training_status": "tentative"}))
    assert [(c.field, c.old, c.new) for c in version_changes(a, b)] == [
        ("fine_tuned.training_status", None, "tentative")]
