"""The fleet export reader (adapters/files/fast_json.py) against the strict reader it stands in for.

Whatever the bytes, ``parse_export`` returns what ``safe_load.parse_json`` returns, or raises the error
it raises (same file, same key or line, same words): duplicate keys anywhere, nesting past 64, NaN,
numbers out of range, control characters, foreign encodings. And a text whose parse would build more
objects than the bound is refused before anything is built (issue 20.9: a 115 MB export of tiny
containers took about 3 GB).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from versionguard.adapters.files import fast_json, safe_load
from versionguard.cli import app
from versionguard.core.errors import InputError

SEEDED = settings(derandomize=True, database=None, deadline=None, max_examples=300,
                  suppress_health_check=[HealthCheck.too_slow])

scalars = (st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False, allow_infinity=False)
           | st.text(max_size=8))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=4), inner, max_size=4), max_leaves=30)


def outcome(fn: Any, data: bytes) -> tuple[str, str]:
    try:
        return "value", json.dumps(fn(data), sort_keys=False)
    except InputError as exc:
        return "error", str(exc)


def strict(data: bytes) -> Any:
    return safe_load.parse_json(safe_load.decode_text(data, "x.json"), "x.json")


def fast(data: bytes) -> Any:
    return fast_json.parse_export(data, "x.json")


def same(data: bytes) -> None:
    assert outcome(fast, data) == outcome(strict, data), data[:200]


@st.composite
def texts(draw: st.DrawFn) -> bytes:
    """JSON texts in every spelling (indent, separators, escapes), then perhaps broken in a known way."""
    value = draw(values)
    text = json.dumps(value, indent=draw(st.sampled_from([None, 2])), ensure_ascii=draw(st.booleans()),
                      separators=draw(st.sampled_from([None, (",", ":"), (" , ", " : ")])))
    edit = draw(st.sampled_from(["none", "duplicate", "deep", "nan", "big", "control", "escape-key", "bom"]))
    if edit == "duplicate" and '{"' in text:  # a key repeated at any depth, first or last, plain or escaped
        at = draw(st.sampled_from([i for i in range(len(text)) if text.startswith('{"', i)])) + 1
        key = draw(st.sampled_from(['"k"', '"\\u006b"']))
        text = text[:at] + f"{key}: 1, {key}: {draw(st.sampled_from(['2', '1', '[]', '{}']))}, " + text[at:]
    elif edit == "deep":
        n = draw(st.integers(60, 70))
        text = f"[{'[' * n}{text}{']' * n}]"
    elif edit == "nan":
        text = f"[{text}, {draw(st.sampled_from(['NaN', 'Infinity', '1e400', '-1e999', '9' * 5000]))}]"
    elif edit == "control":
        text = f'[{text}, "a{chr(draw(st.integers(0, 31)))}b"]'
    elif edit == "escape-key":
        text = f'{{"a\\u003a": 1, "a:": {text}}}'
    data = text.encode()
    return b"\xef\xbb\xbf" + data if edit == "bom" else data


@SEEDED
@given(data=texts())
def test_fast_reader_returns_what_the_strict_reader_returns(data: bytes) -> None:
    same(data)


# Strings that trip a bracket count: brackets, quotes and backslashes inside them, escaped every way.
tricky = st.lists(st.sampled_from(['[', ']', '{', '}', '"', '\\', ':', 'a', '\n', '\u0022', '\\"']),
                  max_size=6).map("".join)
nested = st.recursive(tricky | st.integers(), lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(tricky, inner, max_size=3), max_leaves=12)


def deepest(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(deepest, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(deepest, value.values()), default=0)
    return 0


@SEEDED
@given(value=nested, wrap=st.integers(0, 70), ensure_ascii=st.booleans(), indent=st.sampled_from([None, 1]))
def test_nesting_scan_measures_the_value_whatever_its_strings_hold(value: Any, wrap: int, ensure_ascii: bool,
                                                                  indent: int | None) -> None:
    """The depth of brackets outside strings, exactly at and around the limit (64), whatever brackets,
    quotes and escapes the strings hold: the scan agrees with the value's own depth; and both readers
    agree on the text."""
    for _ in range(wrap):
        value = [value] if wrap % 2 else {"[{\\": value}
    text = json.dumps(value, ensure_ascii=ensure_ascii, indent=indent).encode()
    assert safe_load.depth_within_limit(text) == (deepest(value) <= safe_load.MAX_DEPTH)
    same(text)


@pytest.mark.parametrize("depth", [63, 64, 65, 66, 200])
def test_nesting_exactly_at_and_over_the_limit(depth: int) -> None:
    # A string holding brackets, an escaped backslash and an escaped quote; outside it, the levels given.
    brackets_in_a_string = rb'"]]}}\\\"[[' + b"[" * depth + rb'\\"'
    for text, levels in ((b"[" * depth + b"]" * depth, depth), (b'{"a":' * depth + b"1" + b"}" * depth, depth),
                         (b'[{"x": ' + brackets_in_a_string + b"}]", 2),
                         (b"[" * (depth - 1) + brackets_in_a_string + b"]" * (depth - 1), depth - 1)):
        assert json.loads(text) is not None
        assert safe_load.depth_within_limit(text) == (levels <= safe_load.MAX_DEPTH), text
        same(text)


@SEEDED
@given(data=st.binary(max_size=64) | st.text(max_size=64).map(str.encode))
def test_fast_reader_on_arbitrary_bytes(data: bytes) -> None:
    same(data)


@pytest.mark.parametrize("data", [
    b'[{"a":1,"a":2}]', b'{"x":{"y":"\\u003a","y":1}}', b'{"a" : 1, "a":2}', b'{"a":1, "\\u0061":2}',
    b"[" * 64 + b"]" * 64, b"[" * 65 + b"]" * 65, b'{"a":' * 64 + b"{}" + b"}" * 64,
    b"\xff\xfe[\x001\x00]\x00", b"[\x00]", b'["\xff"]', b"", b"  ", b'[{"t": "12:00", "u": "a\\"b:c"}]',
])
def test_fast_reader_edge_cases(data: bytes) -> None:
    same(data)


def test_memory_is_bounded_by_what_parsing_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fast_json, "SCREEN_FROM", 0)
    monkeypatch.setattr(fast_json, "MAX_PARSE_MEMORY", 2**20)
    tiny = b"[" + b"{}," * 20_000 + b"{}]"  # 60 KB that would be 20,000 objects
    with pytest.raises(InputError) as caught:
        fast_json.parse_export(tiny, "tiny.json")
    assert str(caught.value).startswith("tiny.json: (file): expected JSON whose parse builds at most 1 MiB")
    assert "holding 20,002 arrays and objects" in str(caught.value)
    export = json.dumps([{"id": "x" * 400, "name": "d"}] * 50).encode()  # ordinary density: read
    assert len(fast_json.parse_export(export, "ok.json")) == 50


def test_a_dense_export_is_exit_2_naming_the_file(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fast_json, "SCREEN_FROM", 0)
    monkeypatch.setattr(fast_json, "MAX_PARSE_MEMORY", 2**20)
    path = tmp_path / "dense.json"
    path.write_bytes(b"[" + b"[]," * 50_000 + b"[]]")
    result = CliRunner().invoke(app, ["audit", str(path), "--as-of", "2026-12-07"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.startswith(f"versionguard: error: {path}: (file): expected JSON whose parse builds")
