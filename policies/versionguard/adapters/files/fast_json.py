"""Fleet-sized JSON exports (ARM Deployments - List, ``az`` arrays, Resource Graph results), read fast
and within a memory bound, with exactly the rules of :mod:`versionguard.adapters.files.safe_load`.

A fleet audit reads 100,000s of deployments; the standard library's decoder with the duplicate-key
hook of :func:`safe_load.parse_json` is most of its time. This reader parses with msgspec (C, no Python
call per object) and shows, cheaply, that the strict reader would have returned the same value:

- **Bytes**: the bounded read, BOM and NUL checks of :func:`safe_load.decode_text`; msgspec checks
  UTF-8, control characters in strings and JSON syntax everywhere (``NaN``/``Infinity`` are syntax
  errors; a number out of range is refused).
- **Duplicate keys**: msgspec keeps the last value of a repeated key. The text's colons are one after
  each key it writes plus those inside its strings; the value re-encoded has one after each distinct
  key plus those inside its strings. A string's colons are the text's own unless written as the
  escape ``\\u003a`` (JSON has no other spelling of a colon), so when the text holds no ``\\u003``
  it has a duplicate key exactly when it has more colons than the value re-encoded.
- **Nesting**: the strict reader's nesting scan (:func:`safe_load.depth_within_limit`) runs over the
  value re-encoded compactly (the same brackets, fewer bytes); msgspec's own recursion guard (about
  1,000 levels) only keeps its parse safe, it cannot stand in for :data:`safe_load.MAX_DEPTH`.

Anything the fast path cannot vouch for (an error, a ``\\u003`` in the text, a colon count that
differs) is parsed again by :func:`safe_load.parse_json`, whose error names the file and the line or key.

**Memory is bounded by what parsing would build, not by the file's size**: a 115 MB export of tiny
containers (``[[],[],…]``) becomes gigabytes of Python objects. A text above :data:`SCREEN_FROM` is
first screened: its containers and values, counted in C, give an estimate of the objects the parse
builds, and above :data:`MAX_PARSE_MEMORY` it is refused (exit 2) before anything is built.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import Any

import msgspec

from versionguard.adapters.files import safe_load
from versionguard.core.errors import InputError

# The objects one export may become: one file of 100,000 ARM deployments as `az` prints them (140 MiB)
# parses to about 550 MiB (estimated 530 MiB), so this admits about 190,000 deployments in one file.
MAX_PARSE_MEMORY = 1024 * 2**20
SCREEN_FROM = 4 * 2**20  # smaller texts cannot build enough to matter (at worst ~35x: 140 MiB)
# What the parse builds, at most, per container and per value (CPython: an empty dict 64 bytes, a list
# 56, a short str about 50, plus the 8-byte slot of the container holding it).
_PER_CONTAINER = 72
_PER_VALUE = 64


def read_export(path: str | Path, what: str) -> Any:
    """Read and parse a JSON export with every rule of :mod:`safe_load`, in bounded memory."""
    return parse_export(safe_load.read_bytes(path, what, safe_load.MAX_EXPORT_BYTES), str(path))


def parse_export(data: bytes, source: str) -> Any:
    """One JSON value from UTF-8 bytes, as :func:`safe_load.parse_json` would return it."""
    data = vetted(data, source)
    # msgspec first (its own recursion guard refuses nesting past about 1,000 levels), then the strict
    # reader's nesting scan over the value re-encoded compactly: the same brackets as the text (the
    # value's nesting), in about three quarters of the bytes, and the same text the colon count needs.
    value = _NOT_SHOWN
    with suppress(msgspec.DecodeError, msgspec.ValidationError, RecursionError, ValueError):
        value = msgspec.json.decode(data)
    if value is not _NOT_SHOWN and b"\\u003" not in data:  # a colon escaped: leave it to the strict reader
        compact = msgspec.json.encode(value)
        if data.count(b":") == compact.count(b":") and safe_load.depth_within_limit(compact):
            return value
    return safe_load.parse_json(safe_load.decode_text(data, source), source)  # raises naming the line/key


_NOT_SHOWN = object()


def vetted(data: bytes, source: str) -> bytes:
    """``data`` past the byte rules (BOM removed) and the memory screen, for a parse to follow: exit 2
    naming the file (through :class:`InputError`) for bytes the strict reader refuses on sight."""
    data = _checked_bytes(data, source)
    if len(data) > SCREEN_FROM:
        screen(data, source)
    return data


def screen(data: bytes, source: str) -> None:
    """Refuse a text whose parse would build more than :data:`MAX_PARSE_MEMORY` of objects. Brackets
    and commas inside strings are counted too: the estimate is an upper bound."""
    containers = data.count(b"[") + data.count(b"{")
    values = data.count(b",") + containers
    estimate = containers * _PER_CONTAINER + values * _PER_VALUE + len(data)
    if estimate > MAX_PARSE_MEMORY:
        raise InputError(source, "(file)", f"JSON whose parse builds at most {MAX_PARSE_MEMORY // 2**20} MiB of "
                         "objects (about 190,000 ARM deployments in one file; split larger exports per account)",
                         f"{len(data) / 2**20:.1f} MiB holding {containers:,} arrays and objects and about "
                         f"{values:,} values (about {estimate / 2**20:,.0f} MiB once parsed)")


def _checked_bytes(data: bytes, source: str) -> bytes:
    """The BOM, foreign-encoding and NUL rules of :func:`safe_load.decode_text`, on bytes."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff") or data[:2] in (b"\xff\xfe", b"\xfe\xff") \
            or b"\0" in data:
        safe_load.decode_text(data, source)  # raises naming the encoding or the line
    return data
