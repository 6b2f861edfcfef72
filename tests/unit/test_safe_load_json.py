"""The bounded JSON reader's fast depth pre-scan agrees with the real nesting, and exports get a larger bound.

The pre-scan reduces the text to quotes and brackets in C; these tests hold it to the token walk it
replaced: generated JSON with strings full of brackets, quotes and backslashes at every depth.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from versionguard.adapters.files import safe_load
from versionguard.core.errors import InputError

_TRICKY = st.text(alphabet=st.sampled_from([*'[]{}"\\ab\n', "\u00e9", "\u2603"]), max_size=12)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | _TRICKY,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TRICKY, inner, max_size=3),
    max_leaves=40,
)


def _depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


def _nest(value: Any, levels: int) -> Any:
    for _ in range(levels):
        value = [value]
    return value


@given(value=_JSON, extra=st.integers(min_value=0, max_value=80))
def test_the_pre_scan_refuses_exactly_what_nests_too_deep(value: Any, extra: int) -> None:
    nested = _nest(value, extra)
    text = json.dumps(nested, ensure_ascii=False)
    if _depth(nested) > safe_load.MAX_DEPTH:
        with pytest.raises(InputError, match="nesting at most 64 levels deep"):
            safe_load.parse_json(text, "doc.json")
    else:
        assert safe_load.parse_json(text, "doc.json") == nested


def test_exports_may_exceed_the_bound_of_configuration_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Resource Graph and ARM exports grow with the fleet (100,000 rows are about 100 MiB)."""
    monkeypatch.setattr(safe_load, "MAX_BYTES", 16)
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"data": ["x" * 32]}), "utf-8")
    with pytest.raises(InputError, match="at most 0 MiB"):
        safe_load.read_text(path, "policy config file", safe_load.MAX_BYTES)
    assert safe_load.read_text(path, "JSON file", safe_load.MAX_EXPORT_BYTES).startswith('{"data"')
    with pytest.raises(InputError, match="JSON file of at most"):
        safe_load.read_text(path, "JSON file", 16)


@pytest.mark.parametrize("text", ['"""', '["a', '"\\', '[""]"', '{"a": "b\\"}'])
def test_unterminated_strings_are_invalid_json_not_a_crash(text: str) -> None:
    with pytest.raises(InputError, match="valid JSON"):
        safe_load.parse_json(text, "doc.json")


@pytest.mark.parametrize(("text", "where", "literal"), [
    ('{"a": 1,\n "b": 1e400}', "line 2", "1e400"),
    ('[0.5,\n\n -1.5E+999]', "line 3", "-1.5E+999"),
    ('{"s": "1e400",\n "n": 1e400}', "line 2", "1e400"),  # the string on line 1 is not the number
])
def test_json_numbers_that_overflow_to_infinity_are_refused_naming_line_and_value(text: str, where: str,
                                                                                   literal: str) -> None:
    with pytest.raises(InputError) as caught:
        safe_load.parse_json(text, "doc.json")
    assert str(caught.value) == (f"doc.json: {where}: expected a finite number (magnitude at most about 1.8e308), "
                                 f"got '{literal}'")


def test_finite_json_floats_and_integers_are_kept() -> None:
    assert safe_load.parse_json('{"a": 1.5, "b": 2e-400, "c": 1e308, "d": 10000000000000000000000}', "d.json") == {
        "a": 1.5, "b": 0.0, "c": 1e308, "d": 10**22}


@pytest.mark.parametrize(("value", "got"), [(".nan", ".nan (nan)"), (".NaN", ".NaN (nan)"), (".inf", ".inf (inf)"),
                                            ("-.Inf", "-.Inf (-inf)"), ("1.0e+400", "1.0e+400 (inf)")])
@pytest.mark.parametrize("dates_as_text", [False, True])
def test_yaml_nan_and_infinity_are_refused_naming_line_and_value(value: str, got: str, dates_as_text: bool) -> None:
    with pytest.raises(InputError) as caught:
        safe_load.parse_yaml(f"a: 1.5\nb:\n  - {value}\n", "doc.yaml", dates_as_text=dates_as_text)
    assert str(caught.value) == f"doc.yaml: line 3, column 5: expected a finite number, got '{got}'"


def test_yaml_quoted_nan_is_text() -> None:
    assert safe_load.parse_yaml('a: ".nan"\nb: 2.5\n', "doc.yaml") == {"a": ".nan", "b": 2.5}


def test_a_file_is_read_whole_whatever_its_size_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """read_bytes reads what fstat reports, then whatever the file grew by, up to the bound: a file
    whose size is not known ahead (procfs says 0) is read whole, and one that grows past the bound is
    refused."""
    status = safe_load.read_bytes("/proc/self/status", "status file")
    assert status.startswith(b"Name:") and status.endswith(b"\n")
    path = tmp_path / "grows.json"
    path.write_bytes(b"[1]")
    real_fstat = safe_load.os.fstat
    monkeypatch.setattr(safe_load.os, "fstat", lambda fd: type("S", (), {"st_size": 1})())
    assert safe_load.read_bytes(path, "JSON file", 3) == b"[1]"  # said 1 byte, holds 3
    with pytest.raises(InputError, match="JSON file of at most"):
        safe_load.read_bytes(path, "JSON file", 2)
    monkeypatch.setattr(safe_load.os, "fstat", real_fstat)
    assert safe_load.read_bytes(path, "JSON file", 3) == b"[1]"
    with pytest.raises(InputError, match="JSON file of at most"):
        safe_load.read_bytes(path, "JSON file", 2)
