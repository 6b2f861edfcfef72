"""Generators of hostile input: documents for every reader, strings for every output format.

Documents are built from a *valid* file of each kind and then broken in one known way (a family), so
a test knows the only right answer is exit 2 naming the file; the ``mutation`` family (random edits
that may or may not break the file) only has to end cleanly.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import yaml
from hypothesis import strategies as st

# --- strings for output formats ---------------------------------------------------------------------

MARKUP = ["[/]", "[/bold]", "gpt-4o[/]", "prod[/bold]", "[link=https://evil.example]x[/link]", "[bold red]",
          "\\[", "[", "]", "[@click=app.bell]", ":warning:", "$\\frac{1}{", "$x$", "$"]
ESCAPES = ["\x1b[31m", "\x1b]8;;https://evil.example\x07link\x1b]8;;\x07", "\x1b]0;title\x07", "\x1b[2J\x1b[H",
           "\x07", "\x9b31m", "\x9d8;;https://evil.example\x9c", "\x1bP+q\x1b\\", "\r", "\x08", "\x00", "\x7f",
           "\u202e", "\u2066", "\u200f", "\u2028", "\u2029", "\ud800", "\udfff", "\ufffe", "\x85"]
MARKDOWN = ["|", "\\|", "<script>alert(1)</script>", "[x](https://evil.example)", "![i](https://t.example/p.png)",
            "`", "```", "***", "&amp;", "&#x1b;", "\\", "<!--", "\n\n# heading", "- [ ] task", "<details>"]

# What GitHub turns into a notification or a link after rendering (issue 20, item 13).
MENTIONS = ["@octocat", "@acme/platform-team", "#123", "acme/repo#7", "GH-42", "gh-42", "https://evil.example/x",
            "HTTP://evil.example", "www.evil.example", "WWW.evil.example/p", "ops@evil.example",
            "mailto:ops@evil.example", "xmpp:ops@evil.example", "acme/repo@1a2b3c4", "x@y", "@", "#", "(@octocat)"]

hostile_text = st.lists(
    st.one_of(st.sampled_from(MARKUP), st.sampled_from(ESCAPES), st.sampled_from(MARKDOWN), st.sampled_from(MENTIONS),
              st.text(max_size=12), st.text(st.characters(codec=None), max_size=6)),
    min_size=1, max_size=8,
).map("".join)
huge_text = st.integers(2_000, 10_000).map(lambda n: ("\x1b[31m[/]" + "x" * 97) * (n // 100))
any_hostile_text = st.one_of(hostile_text, hostile_text, hostile_text, hostile_text, huge_text)

_BIDI_AND_SEPARATORS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029")


# A mention, an issue reference or an autolink start, as GitHub finds them in rendered text.
LIVE_GITHUB = re.compile(r"@[A-Za-z0-9_-]|(?<![&\w])#[0-9]|\bGH-[0-9]|://|\bwww\.", re.IGNORECASE)


def live_github(markdown: str) -> list[str]:
    """What in ``markdown`` GitHub would turn into a mention, an issue link or an autolink."""
    return LIVE_GITHUB.findall(markdown)


def forbidden(text: str, allowed: str = "\n\t") -> list[str]:
    """Characters that act on a terminal or reader: controls (C0, DEL, C1), lone surrogates, bidi
    controls and line/paragraph separators, except ``allowed``."""
    return sorted({ch for ch in text if ch not in allowed and (
        unicodedata.category(ch) in ("Cc", "Cs") or ch in _BIDI_AND_SEPARATORS or ch in "\ufffe\uffff")})


# --- documents for readers --------------------------------------------------------------------------

Families = dict[str, Callable[[Any, str], st.SearchStrategy[bytes]]]


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def dump(data: Any, kind: str) -> str:
    if kind == "json":
        return json.dumps(data, indent=2, default=_json_default, ensure_ascii=False)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value in the document (the root included)."""
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += _paths(value, (*prefix, i))
    return out


def _replace(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy: Any = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _replace(data[path[0]], path[1:], value)
    return copy


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


class _Raw:
    """A piece of document text spliced in verbatim by :func:`_emit`."""

    def __init__(self, text: str) -> None:
        self.text = text


def _emit(data: Any) -> str:
    """JSON text (also YAML flow text) that may carry :class:`_Raw` pieces and duplicate keys
    (a list of pairs tagged ``("__pairs__", [...])``)."""
    if isinstance(data, _Raw):
        return data.text
    if isinstance(data, tuple) and data and data[0] == "__pairs__":
        return "{" + ", ".join(f"{json.dumps(str(k))}: {_emit(v)}" for k, v in data[1]) + "}"
    if isinstance(data, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))}: {_emit(v)}" for k, v in data.items()) + "}"
    if isinstance(data, list):
        return "[" + ", ".join(_emit(v) for v in data) + "]"
    return json.dumps(data, default=_json_default)


@st.composite
def deep(draw: st.DrawFn, data: Any, kind: str) -> bytes:
    """A value somewhere in the document replaced by lists/objects nested deeper than the cap."""
    depth = draw(st.integers(65, 20_000))
    opener, closer = draw(st.sampled_from([("[", "]"), ('{"a": ', "}")]))
    nested = _Raw(opener * depth + "1" + closer * depth)
    return _emit(_replace(data, draw(st.sampled_from(_paths(data))), nested)).encode()


@st.composite
def duplicate_key(draw: st.DrawFn, data: Any, kind: str) -> bytes:
    """One mapping of the document with one of its keys given twice (flow/JSON text, or YAML block)."""
    mappings = [p for p in _paths(data) if isinstance(_at(data, p), dict) and _at(data, p)]
    path = draw(st.sampled_from(mappings))
    mapping = _at(data, path)
    key = draw(st.sampled_from(list(mapping)))
    second = draw(st.sampled_from([mapping[key], "other", 0, None]))
    if kind == "yaml" and path == () and draw(st.booleans()):
        return (dump(data, kind) + yaml.safe_dump({key: second})).encode()  # block style, top level
    pairs = [*mapping.items(), (key, second)]
    return _emit(_replace(data, path, ("__pairs__", pairs))).encode()


@st.composite
def foreign_encoding(draw: st.DrawFn, data: Any, kind: str) -> bytes:
    text = dump(data, kind)
    codec = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "latin-1", "cp1252"]))
    if codec in ("latin-1", "cp1252"):  # only non-ASCII text differs from UTF-8: put some in a string value
        strings = [p for p in _paths(data) if isinstance(_at(data, p), str)]
        text = dump(_replace(data, draw(st.sampled_from(strings)), draw(st.sampled_from(["café", "naïve", "ÿ"]))),
                    kind)
    return text.encode(codec)


@st.composite
def binary(draw: st.DrawFn, data: Any, kind: str) -> bytes:
    """Bytes with a NUL somewhere, or bytes that are not UTF-8."""
    raw = draw(st.binary(max_size=200))
    if draw(st.booleans()):
        at = draw(st.integers(0, len(raw)))
        return raw[:at] + b"\x00" + raw[at:]
    return raw + b"\xff\xfe\xc3"


@st.composite
def control_character(draw: st.DrawFn, data: Any, kind: str) -> bytes:
    """A string value with a raw control character (YAML and JSON allow none in these files)."""
    strings = [p for p in _paths(data) if isinstance(_at(data, p), str)]
    ctrl = draw(st.sampled_from([c for c in map(chr, range(32)) if c not in "\t\n\r"]))
    value = _Raw('"' + draw(st.sampled_from(["x", "gpt-4o", ""])) + ctrl + '"')
    return _emit(_replace(data, draw(st.sampled_from(strings)), value)).encode()


@st.composite
def alias_bomb(draw: st.DrawFn, data: Any, kind: str) -> bytes:
    """A few hundred bytes that expand to billions of nodes (or one alias anywhere)."""
    levels, fan = draw(st.integers(1, 9)), draw(st.integers(2, 12))
    lines = ['l0: &l0 ["lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * fan) + "]" for i in range(1, levels + 1)]
    bomb = "\n".join(lines) + "\n"
    if draw(st.booleans()):
        return (dump(data, kind) + bomb).encode()
    return (bomb + dump(data, kind)).encode()


@st.composite
def foreign_tag(draw: st.DrawFn, data: Any, kind: str) -> bytes:
    tag = draw(st.sampled_from(['!!python/object/apply:os.system ["true"]', "!!binary aGVsbG8=", "!!set {a, b}",
                                "!custom x", "!!omap [{a: 1}]", "!!python/name:os.system"]))
    return _emit(_replace(data, draw(st.sampled_from(_paths(data)[1:])), _Raw(tag))).encode()



@st.composite
def bad_number(draw: st.DrawFn, data: Any, kind: str) -> bytes:
    number = draw(st.sampled_from(["NaN", "Infinity", "-Infinity", "9" * 5000]))
    return _emit(_replace(data, draw(st.sampled_from(_paths(data)[1:])), _Raw(number))).encode()


@st.composite
def mutation(draw: st.DrawFn, data: Any, kind: str) -> bytes:
    """Random edits of a valid file: the result may be valid or not; either way it must end cleanly."""
    text = bytearray(dump(data, kind).encode())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "delete", "truncate"]))
        if op == "insert":
            text[at:at] = draw(st.binary(min_size=1, max_size=4) | st.sampled_from(
                [b"&a ", b"*a", b": ", b"- ", b"{", b"[", b'"', b"\n  ", b"!!binary ", b"\x1b"]))
        elif op == "delete":
            del text[at:at + draw(st.integers(1, 8))]
        else:
            del text[at:]
    return bytes(text)


BROKEN_FAMILIES: Families = {
    "deep": deep, "duplicate-key": duplicate_key, "encoding": foreign_encoding, "binary": binary,
    "control-character": control_character,
}
YAML_ONLY: Families = {"alias-bomb": alias_bomb, "foreign-tag": foreign_tag}
JSON_ONLY: Families = {"bad-number": bad_number}


def families(kind: str) -> Families:
    return {**BROKEN_FAMILIES, **(YAML_ONLY if kind == "yaml" else JSON_ONLY)}
