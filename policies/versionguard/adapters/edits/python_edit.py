"""Find and edit string literals of a Python source file as a concrete syntax tree (libcst).

Only simple string literals are candidates (``"gpt-4o"``, ``'2024-08-06'``, ``u"…"``, triple-quoted):
an f-string, a raw or bytes literal, or an implicitly concatenated string is something the program
computes, and is left to a person. An edit replaces the literal's exact byte span (libcst's
``ByteSpanPositionProvider``) with the new text in the same prefix and quotes, so every other byte
of the file stays as it was; the result is parsed again to prove the literal now holds the new value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import ByteSpanPositionProvider, MetadataWrapper, PositionProvider

from versionguard.core.errors import InputError

_PLAIN_PREFIXES = frozenset({"", "u", "U"})


@dataclass(frozen=True)
class PyLiteral:
    """A simple string literal: its value and its byte span in the file (quotes included)."""

    value: str
    start: int
    end: int
    line: int
    column: int  # 1-based, for people


def literals(source_bytes: bytes, source: str, wanted: frozenset[str] | set[str]) -> list[PyLiteral]:
    """Every simple string literal whose value is one of ``wanted``, in file order."""
    try:
        module = cst.parse_module(source_bytes)
    except cst.ParserSyntaxError as e:
        raise InputError(source, f"line {e.raw_line}", "Python source libcst can parse", e.message) from None
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    spans = wrapper.resolve(ByteSpanPositionProvider)
    positions = wrapper.resolve(PositionProvider)
    found: list[PyLiteral] = []

    class Visitor(cst.CSTVisitor):
        def visit_SimpleString(self, node: cst.SimpleString) -> None:
            if node.prefix not in _PLAIN_PREFIXES:
                return
            value = node.evaluated_value
            if isinstance(value, str) and value in wanted:
                span, pos = spans[node], positions[node]
                found.append(PyLiteral(value, span.start, span.start + span.length, pos.start.line,
                                       pos.start.column + 1))

        def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> bool:
            return False  # "gpt-" "4o": the value is built, not written in one place

    wrapper.module.visit(Visitor())
    return sorted(found, key=lambda lit: lit.start)


def written(source_bytes: bytes, literal: PyLiteral, value: str) -> bytes | None:
    """The literal's new text (same prefix and quotes), or None when the value needs escaping there."""
    old = source_bytes[literal.start:literal.end].decode("utf-8")
    node = cst.parse_expression(old)
    assert isinstance(node, cst.SimpleString)
    quote = node.quote
    if any(c in value for c in ("\\", "\n", "\r", quote[0])) or any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        return None
    return f"{node.prefix}{quote}{value}{quote}".encode()


def set_literals(source_bytes: bytes, source: str, edits: Mapping[PyLiteral, str]) -> bytes:
    """``source_bytes`` with each literal set to its new value; every other byte unchanged."""
    out = source_bytes
    for literal, value in sorted(edits.items(), key=lambda kv: kv[0].start, reverse=True):
        text = written(source_bytes, literal, value)
        if text is None:
            raise InputError(source, f"line {literal.line}", "a literal that can hold the new value unescaped", value)
        out = out[:literal.start] + text + out[literal.end:]
    _verify(out, source, edits)
    return out


def _verify(after: bytes, source: str, edits: Mapping[PyLiteral, str]) -> None:
    """Each edited literal, found again in the edited file, holds its new value."""
    shift = 0
    now = {lit.start: lit for lit in literals(after, source, set(edits.values()))}
    for literal, value in sorted(edits.items(), key=lambda kv: kv[0].start):
        hit = now.get(literal.start + shift)
        if hit is None or hit.value != value:
            raise InputError(source, f"line {literal.line}", "an edit that sets this literal", value)
        shift += (hit.end - hit.start) - (literal.end - literal.start)
