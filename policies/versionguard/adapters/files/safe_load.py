"""Bounded readers for every YAML and JSON file versionguard reads (and the pack loads).

versionguard is a gate: a file that crashes, hangs or quietly changes meaning when parsed must stop
the run with an :class:`InputError` naming the file and the line or key (exit 2), never a traceback,
a segfault or a silent pass. The rules, one place for all readers:

- **Bytes**: at most :data:`MAX_BYTES` are read, so ``/dev/zero`` or a runaway file cannot exhaust
  memory. Text must be UTF-8; a UTF-8 byte order mark is tolerated, UTF-16/UTF-32 (with or without
  a BOM), NUL bytes and invalid UTF-8 are errors naming the line.
- **Nesting** deeper than :data:`MAX_DEPTH` is refused *before* anything recursive sees it:
  libyaml's composer recurses in C (a deep document segfaults the interpreter) and the JSON decoder
  raises RecursionError. YAML is pre-scanned as parser events (libyaml's parser keeps its own
  state stack, no recursion), JSON by counting brackets outside strings.
- **YAML anchors and aliases are refused**, not capped: no versionguard file needs them (catalog
  import writes none), one refusal bounds alias bombs of any shape in time and memory without
  expansion accounting, and every value a reviewer approves is written where it applies.
- **Duplicate keys** are errors in YAML (resolved keys, so ``1`` and ``0x1`` collide) and in JSON.
- **Only JSON-shaped YAML**: explicit tags other than the core ones (``!!binary``, ``!!set``,
  ``!!python/…``, custom tags) are refused; the loader is PyYAML's safe one either way.
- Values a YAML constructor cannot build (``2026-02-30`` as a date, a 5,000-digit integer) and
  non-standard JSON constants (``NaN``, ``Infinity``) are errors naming the line or value.
- **Numbers are finite**: a JSON number too large for a float (``1e400``, which Python reads as
  infinity) and YAML's ``.nan``/``.inf`` (or ``1.0e+400``) are errors naming the line and value; a
  non-finite number compares false with everything, so it would pass any threshold it meets.

- **Present or absent**: an optional file found by its name (a stack file, a stack's policy config)
  is absent only when nothing is there. A dangling link, a FIFO, a directory or a file without read
  permission is an error naming it (:func:`is_present`), never "absent": taken as absent, it would
  run a stack with empty config or judge it with the default policy config.

API: :func:`is_present` for optional files, :func:`read_yaml` / :func:`read_json` for paths,
:func:`parse_yaml` / :func:`parse_json` for
text already in memory, :func:`read_text` for the decoded text alone.
"""

from __future__ import annotations

import codecs
import json
import math
import os
import re
import stat
from collections.abc import Hashable
from itertools import accumulate
from pathlib import Path
from typing import Any

import yaml

from versionguard.core.errors import InputError

MAX_BYTES = 64 * 1024 * 1024  # far above any catalog, stack file or policy config seen; bounds memory
# Exports of live Azure data (Resource Graph, Deployments-List, Models-List) grow with the fleet: 100,000
# Resource Graph rows are about 100 MiB and take about 0.5 GiB to parse, so these get a larger bound.
MAX_EXPORT_BYTES = 1024 * 1024 * 1024
MAX_DEPTH = 64  # the deepest real document (an ARM model item) nests about 8 levels

# libyaml's parser and composer when PyYAML was built with it: ten times faster on the bundled catalog.
_CLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = frozenset({None, "!", *(_TAG + t for t in ("str", "int", "float", "bool", "null", "map", "seq",
                                                            "timestamp"))})
_MERGE_TAG = _TAG + "merge"
_FOREIGN_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                 (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


# --- presence ---------------------------------------------------------------------------------------

def is_present(path: str | Path, what: str) -> bool:
    """Whether the optional file ``path`` is there: False only when nothing is at the path; True for
    a readable regular file (links followed); an :class:`InputError` naming it for anything else."""
    source = str(path)
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:  # e.g. a parent that is not a directory, a name too long
        raise InputError(source, "(file)", f"a readable {what}", exc.strerror or str(exc)) from None
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        got = ("a dangling symbolic link" if stat.S_ISLNK(link.st_mode) and isinstance(exc, FileNotFoundError)
               else exc.strerror or str(exc))
        raise InputError(source, "(file)", f"a readable {what}", got) from None
    if not stat.S_ISREG(mode):
        raise InputError(source, "(file)", f"a readable {what} (a regular file)", _kind_of(mode))
    if not os.access(path, os.R_OK):
        raise InputError(source, "(file)", f"a readable {what}", "no read permission")
    return True


def _kind_of(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))
    return next((name for test, name in kinds if test(mode)), "not a regular file")


# --- bytes and text --------------------------------------------------------------------------------

def read_bytes(path: str | Path, what: str, limit: int = MAX_BYTES) -> bytes:
    """At most ``limit`` bytes of the file; errors name it. ``what`` names the kind of file for
    errors ("catalog file")."""
    try:
        with open(path, "rb") as handle:
            # Read what the file holds (a read of limit + 1 bytes makes a buffer of that size first: a
            # third of the time of 2,000 small exports), then whatever it grew by, up to the limit.
            size = min(os.fstat(handle.fileno()).st_size, limit)
            data = handle.read(size + 1)
            if len(data) > size:
                data += handle.read(limit + 1 - len(data))
    except OSError as exc:
        raise InputError(str(path), "(file)", f"a readable {what}", exc.strerror or str(exc)) from None
    if len(data) > limit:
        raise InputError(str(path), "(file)", f"a {what} of at most {limit // 2**20} MiB", "a larger file")
    return data


def read_text(path: str | Path, what: str, limit: int = MAX_BYTES) -> str:
    """The file's text: at most ``limit`` bytes, UTF-8 (BOM tolerated)."""
    return decode_text(read_bytes(path, what, limit), str(path))


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 bytes (optionally with a BOM) as text; anything else is an error naming the line."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    else:
        for bom, name in _FOREIGN_BOMS:
            if data.startswith(bom):
                raise InputError(source, "(encoding)", "UTF-8 text (save the file as UTF-8)",
                                 f"{name} (byte order mark {bom.hex(' ')})")
    nul = data.find(b"\0")
    if nul >= 0:
        raise InputError(source, _line_at(data, nul), "UTF-8 text",
                         "a NUL byte (binary data, or UTF-16/UTF-32 text without a byte order mark)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(source, _line_at(data, exc.start), "UTF-8 text",
                         f"byte 0x{data[exc.start]:02x} at offset {exc.start} ({exc.reason})") from None


def _line_at(data: bytes | str, offset: int) -> str:
    newline = b"\n" if isinstance(data, bytes) else "\n"
    return f"line {data.count(newline, 0, offset) + 1}"  # type: ignore[arg-type]


# --- YAML ------------------------------------------------------------------------------------------

class _Loader(_CLoader):  # type: ignore[misc,valid-type]
    """PyYAML's safe loader with duplicate keys and unconstructible values as InputError."""

    source = "(yaml)"

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as exc:  # e.g. 2026-02-30 as a date, int digit limit
            raise InputError(self.source, _where(node.start_mark), f"a valid {_kind(node.tag)}",
                             str(exc)) from None

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            first: dict[Any, Any] = {}
            for key_node, _ in node.value:
                if key_node.tag == _MERGE_TAG:
                    continue
                key = self.construct_object(key_node, deep=True)
                if not isinstance(key, Hashable):
                    continue  # the safe constructor reports unhashable keys itself
                if key in first:
                    raise InputError(self.source, _where(key_node.start_mark), "each key once per mapping",
                                     f"duplicate key {key!r} (first on line {first[key].line + 1})")
                first[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)


def _finite_float(loader: _Loader, node: yaml.ScalarNode) -> float:
    """YAML floats, refusing ``.nan``, ``.inf`` and overflowing literals (``1.0e+400``)."""
    value = loader.construct_yaml_float(node)
    if not math.isfinite(value):
        raise InputError(loader.source, _where(node.start_mark), "a finite number", f"{node.value} ({value})")
    return value


_Loader.add_constructor(_TAG + "float", _finite_float)


class _TextDatesLoader(_Loader):
    """Dates stay text, so one schema (and one error message) covers quoted and unquoted dates."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _TAG + "timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: str | Path, what: str, *, dates_as_text: bool = False) -> Any:
    """Read and parse a YAML file with every rule of this module."""
    return parse_yaml(read_text(path, what), str(path), dates_as_text=dates_as_text)


def parse_yaml(text: str, source: str, *, dates_as_text: bool = False) -> Any:
    """One YAML document as plain data (``None`` for an empty one)."""
    text = text.removeprefix("\ufeff")
    try:
        _scan_events(text, source)
        loader = (_TextDatesLoader if dates_as_text else _Loader)(text)
        loader.source = source
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (control characters)
        raise InputError(source, _line_at(text.encode("utf-8"), exc.position), "valid YAML",
                         f"character U+{exc.character:04X} ({exc.reason})" if isinstance(exc.character, int)
                         else exc.reason) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(source, _where(mark) if mark else "(file)", "valid YAML", problem) from None


def _scan_events(text: str, source: str) -> None:
    """Refuse aliases, anchors, foreign tags and deep nesting from the parser's event stream,
    before the (recursive) composer runs."""
    depth = 0
    for event in yaml.parse(text, Loader=_CLoader):
        kind = type(event)
        if kind is yaml.ScalarEvent or kind in _STARTS:
            if event.anchor is not None:
                raise InputError(source, _where(event.start_mark), "no YAML anchors (write each value out)",
                                 f"&{event.anchor}")
            if event.tag not in _ALLOWED_TAGS:
                raise InputError(source, _where(event.start_mark),
                                 "plain YAML values (strings, numbers, booleans, null, dates, lists, mappings)",
                                 f"the tag {event.tag.replace(_TAG, '!!')}")
            if kind is not yaml.ScalarEvent:
                depth += 1
                if depth > MAX_DEPTH:
                    raise InputError(source, _where(event.start_mark), f"nesting at most {MAX_DEPTH} levels deep",
                                     "deeper nesting")
        elif kind in _ENDS:
            depth -= 1
        elif kind is yaml.AliasEvent:
            raise InputError(source, _where(event.start_mark), "no YAML aliases (write the value out)",
                             f"*{event.anchor}")


_STARTS = frozenset({yaml.MappingStartEvent, yaml.SequenceStartEvent})
_ENDS = frozenset({yaml.MappingEndEvent, yaml.SequenceEndEvent})


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}"


def _kind(tag: str) -> str:
    return {"timestamp": "date", "int": "integer", "float": "number"}.get(tag.removeprefix(_TAG), "value")


# --- JSON ------------------------------------------------------------------------------------------

# The depth pre-scan works on bytes reduced to quotes and brackets, each bracket an opening or closing
# parenthesis (see depth_within_limit).
_KEEP_QUOTES_AND_BRACKETS = bytes(b for b in range(256) if b not in b'"[]{}')
_PARENTHESES = bytes.maketrans(b"[{]}", b"(())")
_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_QUOTED = re.compile(rb'"[^"]*"')
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)
_STEP = {"[": 1, "{": 1, "(": 1, "]": -1, "}": -1, ")": -1}
_JSON_NUMBER = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)', re.DOTALL)


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return out


def _constant(name: str) -> Any:
    raise ValueError(f"the non-standard constant {name}")


class _NonFinite(Exception):
    def __init__(self, literal: str) -> None:
        self.literal = literal


def _finite(literal: str) -> float:
    """JSON numbers with a fraction or exponent; ``1e400`` overflows to infinity and is refused.
    Called only for such numbers (integers stay on the decoder's C path), so a fleet export of
    integer fields pays nothing."""
    value = float(literal)
    if not math.isfinite(value):
        raise _NonFinite(literal)
    return value


def read_json(path: str | Path, what: str) -> Any:
    """Read and parse a JSON file with every rule of this module."""
    return parse_json(read_text(path, what), str(path))


def parse_json(text: str, source: str) -> Any:
    """One JSON value as plain data: depth-capped, duplicate keys and NaN/Infinity refused."""
    text = text.removeprefix("\ufeff")
    _check_json_depth(text, source)
    try:
        return json.loads(text, object_pairs_hook=_object, parse_constant=_constant, parse_float=_finite)
    except _NonFinite as exc:
        raise InputError(source, _number_line(text, exc.literal), "a finite number (magnitude at most about 1.8e308)",
                         exc.literal) from None
    except json.JSONDecodeError as exc:
        raise InputError(source, f"line {exc.lineno} column {exc.colno}", "valid JSON", exc.msg) from None
    except _DuplicateKey as exc:
        raise InputError(source, exc.key, "each key once per JSON object", "a duplicate key") from None
    except RecursionError:  # a backstop: the pre-scan refuses deep nesting first
        raise InputError(source, "(file)", f"nesting at most {MAX_DEPTH} levels deep", "deeper nesting") from None
    except ValueError as exc:  # NaN/Infinity, the integer digit limit
        raise InputError(source, "(value)", "standard JSON numbers", str(exc)) from None


def _number_line(text: str, literal: str) -> str:
    """The line of the first number (outside strings) written as ``literal``."""
    for match in _JSON_NUMBER.finditer(text):
        if match.group(1) == literal:
            return _line_at(text, match.start())
    return "(value)"


def depth_within_limit(data: bytes) -> bool:
    """The pre-scan's fast path on UTF-8 bytes: no bracket outside strings nests past MAX_DEPTH.

    Every escape (a backslash and the character after it) goes first, so each quote left opens or
    closes a string; then only quotes and brackets are kept, brackets as parentheses, and the strings
    (adjacent quotes first: empty strings and strings without brackets) are dropped. What is left is
    the brackets outside strings. Balanced, they empty after as many passes dropping every ``()`` as
    they nest deep: each pass drops exactly the innermost pairs, so the depth falls by one per pass. A
    sequence that does not empty within MAX_DEPTH passes (deeper, or unbalanced: malformed text) is
    measured as a running depth, as the token walk counts it."""
    if b"\\" in data:
        data = _ESCAPE.sub(b"", data)
    reduced = data.translate(_PARENTHESES, _KEEP_QUOTES_AND_BRACKETS).replace(b'""', b"")
    brackets = _QUOTED.sub(b"", reduced).replace(b'"', b"")  # a lone quote: an unterminated string
    nested = brackets
    for _ in range(MAX_DEPTH):
        if not nested:
            return True
        nested = nested.replace(b"()", b"")
    if not nested:
        return True
    return max(accumulate(map(_STEP.__getitem__, brackets.decode("ascii"))), default=0) <= MAX_DEPTH


def _check_json_depth(text: str, source: str) -> None:
    # Fast path, all in C over bytes (depth_within_limit). Only a failure walks tokens in Python, to
    # name the line; a malformed text the reduction misreads is left to the decoder to refuse.
    if depth_within_limit(text.encode("utf-8", "surrogatepass")):
        return
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        depth += _STEP.get(match.group(), 0)
        if depth > MAX_DEPTH:
            raise InputError(source, _line_at(text, match.start()), f"nesting at most {MAX_DEPTH} levels deep",
                             "deeper nesting")
