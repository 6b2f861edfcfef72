"""Hostile values in the catalog fields of the Dec-2026 rebuild (``notes`` lists, ``legacy``,
replacement without version, tentative statuses, ``fine_tuned.training_status``): each loads as
written or is an error naming the entry — in the core reader and through the CLI (exit 2 naming
the file, no control character on the terminal), never a traceback or a silently dropped value."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.hostile.strategies import dump, forbidden
from tests.unit.testkit import catalog_data, version_entry
from versionguard.cli import app
from versionguard.core.catalog import catalog_from_data
from versionguard.core.errors import InputError

WHERE = "models[0] m > versions[0] 1"


def _one(**fields: Any) -> dict[str, Any]:
    return catalog_data(("m", [version_entry("1", **fields)]))


def _load(data: dict[str, Any]) -> Any:
    return catalog_from_data(data, "cat.yaml").versions[0]


def _with(field: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(_one(replacement={"name": "gpt-5.1"}, fine_tuned={"training_retirement": "2027-04-14"}))
    node = data["models"][0]["versions"][0]
    path = _FIELDS[field]
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


# --- hostile values (hypothesis) ------------------------------------------------------------------------

_TEXT = st.text(st.characters(codec="utf-8"), max_size=12)
_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _TEXT,
                       lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
                       max_leaves=6)
_FIELDS = {
    "notes": ("notes",),
    "lifecycle": ("lifecycle",),
    "replacement": ("replacement",),
    "replacement.version": ("replacement", "version"),
    "date_status": ("date_status",),
    "training_status": ("fine_tuned", "training_status"),
}


@pytest.mark.parametrize("field", list(_FIELDS))
@settings(max_examples=60, deadline=None)
@given(value=_VALUES | st.lists(_TEXT, max_size=3))
def test_hostile_values_load_as_given_or_name_the_entry(field: str, value: Any) -> None:
    data = _with(field, value)
    try:
        v = _load(data)
    except InputError as err:
        assert str(err).startswith("cat.yaml: ") and WHERE in str(err), str(err)
        return
    # loaded: the value is what was written, never something else
    if field == "notes":
        if value is None or isinstance(value, str):
            assert v.notes == value
        else:  # a list: every item non-empty text without surrounding whitespace, joined by newlines
            assert all(isinstance(n, str) and n and n == n.strip() for n in value)
            assert v.notes == ("\n".join(value) if value else None)
    elif field == "lifecycle":
        assert value in ("preview", "ga", "deprecated", "retired", "legacy") and v.lifecycle == value
    elif field == "replacement":
        assert (v.replacement is None) == (value is None)
    elif field == "replacement.version":
        assert v.replacement is not None and v.replacement.version == value
    elif field == "date_status":
        assert value in ("planned", "tentative", None) and v.date_status == value
    else:
        assert v.fine_tuned is not None and value in ("planned", "tentative", None)
        assert v.fine_tuned.training_status == value


@pytest.mark.parametrize("field", list(_FIELDS))
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=_VALUES | st.lists(_TEXT, max_size=3))
def test_hostile_values_through_the_cli_end_cleanly(field: str, value: Any, tmp_path: Path) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text(dump(_with(field, value), "yaml"), "utf-8")
    result = CliRunner().invoke(app, ["catalog", "diff", "@bundled", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    ours = [line for line in result.stderr.splitlines() if line.startswith("versionguard: ")]
    assert forbidden("\n".join(ours)) == [], result.stderr
    assert result.exit_code in (0, 2), result.stderr
    if result.exit_code == 2:
        assert result.stderr.startswith(f"versionguard: error: {path}: "), result.stderr
