"""The typed reader of ``az`` exports (adapters/azure/az_export.py) against the strict reader it stands in for.

``read_deployments`` either returns what the strict path (``parse_export`` → ``listing_of`` →
``read_items``) returns for the same bytes, or None (the caller then reads the file the strict way, so
every error is the strict reader's). It must return a list for a realistic export, None for any
defect in a value the verdict reads (a repeated read key, nesting past 64, ``1e400``), for any defect
of the text (invalid UTF-8, control characters, NaN, truncation), for a ``\\u`` escape, for a read-key
name used elsewhere and for anything but a bare array. The documented relaxation is pinned too: a
repeated key, deep nesting, ``1e400`` or a 5,000-digit integer inside a value the verdict does not read
changes nothing.

``records`` memoizes a content per plain key across calls (``_NATIVE_CONTENT``): every reading here
starts from an empty memo, so that an answer depends on the bytes read and not on what was read before.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from versionguard.adapters.azure import az_export
from versionguard.adapters.azure.arm_deployments import LiveDeployment, listing_of, read_file, read_items
from versionguard.adapters.files.fast_json import parse_export
from versionguard.cli import app
from versionguard.core import records
from versionguard.core.errors import InputError

SEEDED = settings(derandomize=True, database=None, deadline=None, max_examples=300,
                  suppress_health_check=[HealthCheck.too_slow])

SOURCE = "x.json"
AS_OF = "2026-12-07"
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "arm" / "deployments-az.json"
BASE: list[dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))
ARM_TYPE = "Microsoft.CognitiveServices/accounts/deployments"
READ_KEYS = ("id", "name", "type", "properties", "sku", "model", "format", "version", "versionUpgradeOption")
READ_TOKEN = re.compile(r'"(?:id|name|type|properties|sku|model|format|version|versionUpgradeOption)"')

Path_ = tuple[str | int, ...]
Site = tuple[Path_, str]  # an object (its path from the document) and a key in it

# Where the verdict reads, in each fixture item; and values it does not read (a new key "zz" is added).
READ_SITES: list[Site] = [site for i in (0, 1) for site in (
    ((i,), "id"), ((i,), "name"), ((i,), "type"), ((i,), "properties"), ((i,), "sku"),
    ((i, "properties"), "model"), ((i, "properties"), "versionUpgradeOption"),
    ((i, "properties", "model"), "format"), ((i, "properties", "model"), "name"),
    ((i, "properties", "model"), "version"), ((i, "sku"), "name"))]
OTHER_SITES: list[Site] = [
    ((0,), "etag"), ((1,), "resourceGroup"), ((1,), "tags"), ((0,), "systemData"), ((1,), "zz"),
    ((0, "systemData"), "createdBy"), ((0, "properties"), "capabilities"), ((1, "properties"), "raiPolicyName"),
    ((0, "properties", "model"), "publisher"), ((1, "properties", "model"), "zz"), ((0, "sku"), "capacity"),
    ((1, "sku"), "zz"), ((0, "properties", "rateLimits", 0), "key"), ((0, "properties", "capabilities"), "area"),
]
# Objects holding keys the verdict does not read, and one such key each.
OTHER_OBJECTS: list[Site] = [
    ((0,), "etag"), ((1,), "zz"), ((0, "systemData"), "createdBy"), ((0, "properties"), "raiPolicyName"),
    ((1, "properties", "model"), "source"), ((0, "sku"), "capacity"), ((0, "properties", "rateLimits", 0), "count"),
    ((0, "properties", "capabilities"), "chatCompletion"),
]


# --- readers ---------------------------------------------------------------------------------------


def fast(data: bytes) -> list[LiveDeployment] | None:
    records._NATIVE_CONTENT.clear()
    return az_export.read_deployments(data, SOURCE)


def strict(data: bytes) -> list[LiveDeployment]:
    records._NATIVE_CONTENT.clear()
    listing = listing_of(parse_export(data, SOURCE), SOURCE)
    return read_items(listing.items, listing.prefix, SOURCE, listing.graph)


def outcome(read: Callable[[bytes], Any], data: bytes) -> tuple[str, Any]:
    try:
        return "value", read(data)
    except InputError as exc:
        return "error", str(exc)


def audit(path: Path, out: Path | None = None) -> Any:
    records._NATIVE_CONTENT.clear()
    argv = ["audit", str(path), "--as-of", AS_OF] + ([] if out is None else ["-f", "json", "-o", str(out)])
    return CliRunner().invoke(app, argv)


def report(path: Path, data: bytes) -> tuple[int, str]:
    """The exit code and the JSON report of ``audit`` on a file holding ``data``."""
    path.write_bytes(data)
    out = path.with_name("report.json")
    out.unlink(missing_ok=True)
    result = audit(path, out)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.stderr
    return result.exit_code, out.read_text(encoding="utf-8") if out.exists() else ""


def assert_exits_2_naming(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    result = audit(path)
    assert result.exit_code == 2, (result.exit_code, result.stdout[-500:])
    assert f"versionguard: error: {path}: " in result.stderr, result.stderr


# --- texts with repeated keys and raw values (what json.dumps cannot write) -----------------------


class Raw(str):
    """Text written as it is (a key spelled with an escape, ``1e400``, ``NaN``, deep brackets)."""


class Obj(list[tuple[Any, Any]]):
    """A JSON object as its pairs, in order: a key may repeat."""


def dump(value: Any, indent: int | None = None, level: int = 0) -> str:
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, dict):
        value = Obj(value.items())
    if isinstance(value, Obj):
        parts = [f"{k if isinstance(k, Raw) else json.dumps(k, ensure_ascii=False)}: {dump(v, indent, level + 1)}"
                 for k, v in value]
        ends = "{}"
    elif isinstance(value, list):
        parts, ends = [dump(v, indent, level + 1) for v in value], "[]"
    else:
        return json.dumps(value, ensure_ascii=False)
    if not parts:
        return ends
    if indent is None:
        return ends[0] + ", ".join(parts) + ends[1]
    pad = "\n" + " " * indent * (level + 1)
    return ends[0] + pad + ("," + pad).join(parts) + "\n" + " " * indent * level + ends[1]


def edit(doc: Any, path: Path_, change: Callable[[list[tuple[Any, Any]]], list[tuple[Any, Any]]]) -> Any:
    """``doc`` with the pairs of the object at ``path`` changed."""
    if not path:
        return Obj(change(list(doc.items() if isinstance(doc, dict) else doc)))
    head, rest = path[0], path[1:]
    if type(doc) is list:
        return [edit(v, rest, change) if i == head else v for i, v in enumerate(doc)]
    pairs = doc.items() if isinstance(doc, dict) else doc
    return Obj((k, edit(v, rest, change) if k == head else v) for k, v in pairs)


def put(doc: Any, site: Site, value: Any) -> Any:
    """``doc`` with the key of ``site`` set to ``value`` (added at the end when absent)."""
    path, key = site

    def change(pairs: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
        if any(k == key for k, _ in pairs):
            return [(k, value if k == key else v) for k, v in pairs]
        return [*pairs, (key, value)]
    return edit(doc, path, change)


def repeat(doc: Any, site: Site, other: Any, first: bool) -> Any:
    """``doc`` with the key of ``site`` written twice: ``other`` as the first or the last occurrence."""
    path, key = site

    def change(pairs: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
        if not any(k == key for k, _ in pairs):
            pairs = [*pairs, (key, "zz-value")]
        out: list[tuple[Any, Any]] = []
        for k, v in pairs:
            out += ([(k, other), (k, v)] if first else [(k, v), (k, other)]) if k == key else [(k, v)]
        return out
    return edit(doc, path, change)


def rename(doc: Any, site: Site, spelling: Raw) -> Any:
    path, key = site
    return edit(doc, path, lambda pairs: [(spelling if k == key else k, v) for k, v in pairs])


def deep(levels: int, mix: bool = True) -> Raw:
    """A value nested ``levels`` deep: a list (an object at a read site would be read as a struct), holding
    lists and objects whose key is not a read-key name."""
    opens = ["[" if not mix or i % 3 != 2 else '{"k": ' for i in range(levels)]
    closes = ["]" if o == "[" else "}" for o in reversed(opens)]
    return Raw("".join(opens) + "1" + "".join(closes))


def text(doc: Any, indent: int | None = 2) -> bytes:
    return dump(doc, indent).encode()


def test_dump_writes_what_json_dumps_writes() -> None:
    for indent in (None, 2):
        assert json.loads(text(BASE, indent)) == BASE
        assert text(BASE, indent) == json.dumps(BASE, indent=indent, ensure_ascii=False).encode()


# --- 1. parity on clean documents ------------------------------------------------------------------

POOL = ["", " ", "OpenAI", " OpenAI ", "gpt-4o", "2024-08-06", " 2024-08-06", "GlobalStandard", "standard",
        "Standard", "NoAutoUpgrade", "noautoupgrade ", "OnceNewDefaultVersionAvailable", "Bogus", "name", "version",
        "x\ny", "é", "[\"{"]
pooled = st.sampled_from(POOL)
scalars = (pooled | st.none() | st.booleans() | st.integers(-2**70, 2**70)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=6))
keys = st.sampled_from([*READ_KEYS, "etag", "tags", "capacity", "systemData", ""]) | st.text(max_size=4)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
                      max_leaves=10)
fields = pooled | pooled | st.none() | scalars | st.just([]) | values  # a read value: mostly a pooled string
ids = st.builds("{}/providers/{}/accounts/{}/deployments/{}{}".format,
                st.sampled_from(["", "/subscriptions/s1/resourceGroups/rg", "/subscriptions/S1/resourceGroups/r g"]),
                st.sampled_from(["Microsoft.CognitiveServices", "microsoft.cognitiveservices"]),
                st.sampled_from(["acct", "Acct"]), st.sampled_from(["d1", "d2", "D1"]), st.sampled_from(["", "/"]))
types = st.sampled_from([ARM_TYPE, ARM_TYPE.lower(), ARM_TYPE.upper(), "Microsoft.Other/things"])


@st.composite
def objects(draw: st.DrawFn, read: dict[str, st.SearchStrategy[Any]]) -> dict[str, Any]:
    """An object holding some of the ``read`` keys and some keys not read, in any order."""
    pairs = [(key, draw(strategy)) for key, strategy in read.items() if draw(st.booleans())]
    pairs += list(draw(st.dictionaries(keys, values, max_size=2)).items())
    return dict(draw(st.permutations(pairs)))


def odd(container: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """An object, mostly; else anything (null, a string, ``[]``, a list, a number)."""
    return container | container | container | fields


models = odd(objects({"format": fields, "name": fields, "version": fields}))
bodies = odd(objects({"model": models, "versionUpgradeOption": fields}))
skus = odd(objects({"name": fields, "capacity": values}))
items = objects({"id": ids | ids | ids | fields, "name": pooled | st.just("d1") | fields, "type": types | fields,
                 "properties": bodies, "sku": skus})
documents = st.lists(items | items | items | values, max_size=4)


def _item(name: str, sku: Any) -> dict[str, Any]:
    arm_id = f"/subscriptions/s/resourceGroups/g/providers/Microsoft.CognitiveServices/accounts/a/deployments/{name}"
    model = {"format": "OpenAI", "name": "gpt-4o", "version": "2024-08-06"}
    return {"id": arm_id, "name": name, "properties": {"model": model}, "sku": sku}


@SEEDED
@given(doc=documents, indent=st.sampled_from([None, 2]), ensure_ascii=st.booleans())
# A string sku (not an object) and an object sku of the same name, same model: the plain key is the same.
@example(doc=[_item("a", {"name": "Standard"}), _item("b", "Standard")], indent=None, ensure_ascii=False)
@example(doc=[_item("a", "Standard"), _item("b", {"name": "Standard"})], indent=None, ensure_ascii=False)
def test_clean_documents_read_as_the_strict_reader_reads_them(doc: list[Any], indent: int | None,
                                                             ensure_ascii: bool) -> None:
    """A list from the typed path is the strict path's list; a document the strict path refuses is None."""
    data = json.dumps(doc, indent=indent, ensure_ascii=ensure_ascii).encode()
    found = fast(data)
    expected = outcome(strict, data)
    if found is not None:
        assert expected == ("value", found), data[:400]
    if expected[0] == "error":
        assert found is None, (expected, data[:400])


@SEEDED
@given(docs=st.lists(documents, min_size=2, max_size=3))
@example(docs=[[_item("a", {"name": "Standard"})], [_item("b", "Standard")]])
@example(docs=[[_item("a", "Standard")], [_item("b", {"name": "Standard"})]])
@example(docs=[[_item("a", None)], [_item("b", "Standard")]])  # a null sku and a string one: one plain key?
@example(docs=[[_item("a", {})], [_item("b", [])]])
def test_what_one_reading_memoizes_never_changes_another(docs: list[list[Any]]) -> None:
    """As a fleet audit reads them: many files in one process, typed and strict readings in turn, one
    content memo (records._NATIVE_CONTENT) for all. Each reading is the one it gives from an empty memo."""
    texts = [json.dumps(doc).encode() for doc in docs]
    alone = [outcome(strict, data) for data in texts]  # each from an empty memo
    records._NATIVE_CONTENT.clear()
    for data, expected in zip(texts, alone, strict=True):
        found = az_export.read_deployments(data, SOURCE)  # no clearing between readings
        if found is not None:
            assert ("value", found) == expected, data[:400]
        assert outcome(strict_in_turn, data) == expected, data[:400]


def strict_in_turn(data: bytes) -> list[LiveDeployment]:
    """The strict path, keeping what earlier readings memoized."""
    listing = listing_of(parse_export(data, SOURCE), SOURCE)
    return read_items(listing.items, listing.prefix, SOURCE, listing.graph)


# --- 2. the typed path covers realistic exports ----------------------------------------------------


def _unread(s: str) -> bool:
    """No read-key name in the string as written, and no ``\\u`` (the typed path's screen for escapes
    also takes a backslash written before a ``u``, as in ``C:\\users``, for one: such a file goes the
    strict way)."""
    written = json.dumps(s, ensure_ascii=False)
    return READ_TOKEN.search(written) is None and "\\u" not in written


# No control character but newline and tab (json.dumps writes the others as \u escapes).
plain_text = st.text(st.characters(exclude_categories=("Cc", "Cs")) | st.sampled_from('\n\t"\\/ '),
                     max_size=10).filter(_unread)
plain_strings = plain_text | st.sampled_from([s for s in POOL if _unread(s)])
plain_values = st.recursive(st.none() | st.booleans() | st.integers(-2**70, 2**70)
                            | st.floats(allow_nan=False, allow_infinity=False) | plain_text,
                            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(plain_text, inner, max_size=3),
                            max_leaves=8)


@st.composite
def plain_objects(draw: st.DrawFn, read: dict[str, st.SearchStrategy[Any]], required: tuple[str, ...] = ()
                  ) -> dict[str, Any]:
    pairs = [(key, draw(strategy)) for key, strategy in read.items() if key in required or draw(st.booleans())]
    pairs += list(draw(st.dictionaries(plain_text, plain_values, max_size=3)).items())
    return dict(draw(st.permutations(pairs)))


plain = plain_strings | st.none()
plain_items = plain_objects({
    "id": ids, "name": plain_strings.filter(str.strip), "type": types.filter(lambda t: "Other" not in t),
    "properties": st.none() | plain_objects({"model": st.none() | plain_objects(
        {"format": plain, "name": plain, "version": plain}), "versionUpgradeOption": plain}),
    "sku": st.none() | plain_objects({"name": plain}),
}, required=("id", "name"))


@SEEDED
@given(doc=st.lists(plain_items, max_size=5), indent=st.sampled_from([None, 2]))
@example(doc=BASE, indent=2)
def test_realistic_exports_are_read_typed(doc: list[Any], indent: int | None) -> None:
    """Every read field a string or null, no read-key name elsewhere, no ``\\u`` escape: a list, the
    strict path's."""
    data = json.dumps(doc, indent=indent, ensure_ascii=False).encode()
    assert b"\\u" not in data
    found = fast(data)
    assert found is not None, data[:400]
    assert found == strict(data)


def test_the_fixture_is_read_typed() -> None:
    data = FIXTURE.read_bytes()
    found = fast(data)
    assert found is not None
    assert len(found) == 2
    assert found == strict(data)
    records._NATIVE_CONTENT.clear()
    typed, listing = read_file(FIXTURE)
    assert listing is None  # no listing: the typed path read it
    assert typed == [replace(d, source=str(FIXTURE)) for d in found]


# --- 3. defects in what the verdict reads, and in the text: None, and the CLI exits 2 -----------

BAD_UTF8 = [b"\xff", b"\xc3", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80", b"\xe2\x82"]
MARK = "@@MARK@@"


def _marked(doc: Any, site: Site, in_key: bool) -> bytes:
    """The document with MARK in a string at ``site`` (or in a key added there), to replace in bytes."""
    return text(put(doc, (site[0], MARK), 1) if in_key else put(doc, site, f"a{MARK}b"))


@st.composite
def read_defects(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["repeat", "deep", "big", "utf8", "control", "nonfinite", "truncate"]))
    indent = draw(st.sampled_from([None, 2]))
    read_site = draw(st.sampled_from(READ_SITES))
    any_site = draw(st.sampled_from(READ_SITES + OTHER_SITES))
    if kind == "repeat":  # the same value, or another, first or last
        path, key = read_site
        current: Any = BASE
        for part in (*path, key):
            current = current[part]
        other = draw(st.sampled_from([current, current, None, "other", Raw("{}")]))
        return kind, text(repeat(BASE, read_site, other, draw(st.booleans())), indent)
    if kind == "deep":
        return kind, text(put(BASE, read_site, deep(draw(st.integers(65, 300)), draw(st.booleans()))), indent)
    if kind == "big":
        number = Raw(draw(st.sampled_from(["1e400", "-1e400", "1E400", "2e308"])))
        return kind, text(put(BASE, read_site, number), indent)
    if kind in ("utf8", "control"):
        # A string, or a key, at any site (read or not).
        data = _marked(BASE, any_site, draw(st.booleans()))
        bad = draw(st.sampled_from(BAD_UTF8)) if kind == "utf8" else chr(draw(st.integers(0, 31))).encode()
        return kind, data.replace(MARK.encode(), bad)
    if kind == "nonfinite":
        return kind, text(put(BASE, any_site, Raw(draw(st.sampled_from(["NaN", "Infinity", "-Infinity"])))), indent)
    data = text(BASE, indent).rstrip()
    return kind, data[:draw(st.integers(0, len(data) - 1))]


@SEEDED
@given(case=read_defects())
def test_defects_in_what_the_verdict_reads_are_left_to_the_strict_reader(case: tuple[str, bytes]) -> None:
    """None (a NUL: the strict reader's own error, raised), and the strict reader refuses the text."""
    kind, data = case
    expected = outcome(strict, data)
    assert expected[0] == "error", (kind, data[:400])
    got = outcome(fast, data)
    if b"\0" in data:
        assert got == expected
    else:
        assert got == ("value", None), (kind, data[:400])


def _cli_defects() -> list[tuple[str, bytes]]:
    version = ((0, "properties", "model"), "version")
    return [
        ("a: item name twice, same value", text(repeat(BASE, ((0,), "name"), "prod-chat", True))),
        ("a: model version twice, other value", text(repeat(BASE, version, "2024-01-01", False), None)),
        ("a: sku twice", text(repeat(BASE, ((1,), "sku"), {"name": "Standard"}, True))),
        ("a: properties twice", text(repeat(BASE, ((0,), "properties"), BASE[0]["properties"], False))),
        ("a: versionUpgradeOption twice", text(repeat(BASE, ((1, "properties"), "versionUpgradeOption"),
                                                      "NoAutoUpgrade", True))),
        ("b: read value nested 65 deep", text(put(BASE, version, deep(65)))),
        ("b: sku nested 200 deep", text(put(BASE, ((1,), "sku"), deep(200, mix=False)))),
        ("c: 1e400 as the version", text(put(BASE, version, Raw("1e400")))),
        ("d: invalid UTF-8 in a tag value", text(put(BASE, ((0,), "tags"), {"team": MARK})).replace(
            MARK.encode(), b"ops-\xff")),
        ("d: invalid UTF-8 in the name", text(put(BASE, ((1,), "name"), MARK)).replace(MARK.encode(), b"\xc3")),
        ("e: raw tab in systemData", _marked(BASE, ((0, "systemData"), "createdBy"), False).replace(
            MARK.encode(), b"\t")),
        ("e: raw newline in the version", _marked(BASE, version, False).replace(MARK.encode(), b"\n")),
        ("f: NaN in capacity", text(put(BASE, ((0, "sku"), "capacity"), Raw("NaN")))),
        ("f: Infinity as the version", text(put(BASE, version, Raw("-Infinity")))),
        ("g: truncated", FIXTURE.read_bytes()[:1000]),
        ("g: truncated before the last bracket", FIXTURE.read_bytes().rstrip()[:-1]),
    ]


@pytest.mark.parametrize("case", _cli_defects(), ids=lambda case: case[0])
def test_the_cli_exits_2_naming_a_file_with_a_defect(case: tuple[str, bytes], tmp_path: Path) -> None:
    _, data = case
    assert fast(data) is None
    assert outcome(strict, data)[0] == "error"
    assert_exits_2_naming(tmp_path / "az-export.json", data)


# --- 4. a key spelled with a \u escape: None, and the strict reader reads it --------------------


@SEEDED
@given(site=st.sampled_from(READ_SITES + OTHER_SITES), at=st.integers(0, 30), upper=st.booleans(),
       indent=st.sampled_from([None, 2]))
def test_escaped_key_spellings_go_the_strict_way(site: Site, at: int, upper: bool, indent: int | None) -> None:
    """``"n\\u0061me"``: None, and the strict reading equals the reading of the plain spelling."""
    key = site[1]
    plain_doc = put(BASE, site, "zz-value") if site in OTHER_SITES else BASE
    at %= len(key)
    escape = f"\\u{ord(key[at]):04X}" if upper else f"\\u{ord(key[at]):04x}"
    escaped = text(rename(plain_doc, site, Raw(f'"{key[:at]}{escape}{key[at + 1:]}"')), indent)
    plain_written = text(plain_doc, indent)
    assert fast(escaped) is None
    expected = strict(plain_written)
    assert strict(escaped) == expected
    assert fast(plain_written) == expected


# --- 5. defects only inside values the verdict does not read: the verdict without them ------------


@st.composite
def unread_defects(draw: st.DrawFn) -> tuple[bytes, bytes]:
    """(the document with a defect in a value not read, the same document without it)."""
    kind = draw(st.sampled_from(["repeat", "deep", "big"]))
    indent = draw(st.sampled_from([None, 2]))
    site = draw(st.sampled_from(OTHER_OBJECTS if kind == "repeat" else OTHER_SITES))
    clean = put(BASE, site, "zz-value") if kind == "repeat" else BASE
    if kind == "repeat":
        other = draw(st.sampled_from(["zz-value", "other", None, 3, Raw("[]"), Raw('{"k": [1, 2]}')]))
        return text(repeat(clean, site, other, draw(st.booleans())), indent), text(clean, indent)
    if kind == "deep":
        value = deep(draw(st.integers(65, 500)), draw(st.booleans()))
    else:
        number = draw(st.sampled_from(["1e400", "-1e400", "1E999", "9" * 5000, "-" + "1" * 4301]))
        value = Raw(draw(st.sampled_from([number, f"[1, {number}]", f'{{"k": {number}}}'])))
    return text(put(BASE, site, value), indent), text(BASE, indent)


@SEEDED
@given(case=unread_defects())
def test_defects_in_unread_values_give_the_verdict_without_them(case: tuple[bytes, bytes]) -> None:
    """The typed path's list is the strict path's list for the document without the defect (which the
    strict path refuses: the documented relaxation)."""
    data, clean = case
    assert outcome(strict, data)[0] == "error"
    assert fast(data) == strict(clean)


@pytest.mark.parametrize("case", [
    ("repeated key in systemData", ((0, "systemData"), "createdBy"), "repeat"),
    ("repeated unknown item key", ((1,), "etag"), "repeat"),
    ("65 levels in capabilities", ((0, "properties"), "capabilities"), "deep65"),
    ("500 levels in systemData", ((0,), "systemData"), "deep500"),
    ("1e400 in sku capacity", ((0, "sku"), "capacity"), "big"),
    ("5,000 digits in etag", ((0,), "etag"), "digits"),
], ids=lambda case: case[0])
def test_the_cli_verdict_ignores_defects_in_unread_values(case: tuple[str, Site, str], tmp_path: Path) -> None:
    _, site, kind = case
    if kind == "repeat":
        data = text(repeat(BASE, site, "other", True))
    elif kind in ("big", "digits"):
        data = text(put(BASE, site, Raw("1e400" if kind == "big" else "9" * 5000)))
    else:
        data = text(put(BASE, site, deep(int(kind[4:]))))
    path = tmp_path / "az-export.json"
    clean = report(path, FIXTURE.read_bytes())
    assert clean[0] in (0, 1) and clean[1]
    assert report(path, data) == clean


# --- 6. a read-key name used elsewhere: the strict way, the same verdict -------------------------


@st.composite
def decoys(draw: st.DrawFn) -> tuple[bytes, bytes]:
    """(the document with a read-key name where nothing is read, the document without it)."""
    name = draw(st.sampled_from(READ_KEYS))
    site = draw(st.sampled_from(OTHER_SITES))
    indent = draw(st.sampled_from([None, 2]))
    value = draw(st.sampled_from([{name: "x"}, name, [name], f'x"{name}', {"k": {name: None}}]))
    return text(put(BASE, site, value), indent), text(put(BASE, site, "zz-value"), indent)


@SEEDED
@given(case=decoys())
def test_read_key_names_elsewhere_go_the_strict_way(case: tuple[bytes, bytes]) -> None:
    data, plain_doc = case
    assert fast(data) is None
    assert strict(data) == strict(plain_doc) == fast(plain_doc)


@pytest.mark.parametrize("value", [{"name": "x"}, "version", {"sku": {"id": 1}}], ids=str)
def test_the_cli_reads_a_decoy_the_strict_way(value: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "az-export.json"
    data = text(put(BASE, ((0,), "tags"), value))
    records._NATIVE_CONTENT.clear()
    path.write_bytes(data)
    found, listing = read_file(path)
    assert listing is not None and listing.prefix == ""  # read the strict way
    assert [replace(d, source=SOURCE) for d in found] == strict(data)
    typed = report(path, data)
    with monkeypatch.context() as patched:
        patched.setattr(az_export, "read_deployments", lambda data, source: None)
        assert report(path, data) == typed
    assert report(path, FIXTURE.read_bytes()) == typed


# --- 7. not a bare array ------------------------------------------------------------------------


@pytest.mark.parametrize("envelope", [
    {"value": BASE}, {"value": BASE, "nextLink": None}, {"data": BASE, "count": 2, "totalRecords": 2},
], ids=["value", "value-nextLink", "resource-graph"])
def test_anything_but_a_bare_array_goes_the_strict_way(envelope: dict[str, Any]) -> None:
    for indent in (None, 2):
        data = json.dumps(envelope, indent=indent).encode()
        assert fast(data) is None
