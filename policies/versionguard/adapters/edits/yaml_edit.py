"""Edit scalar values of a YAML file in place, leaving every other byte as it was.

ruamel.yaml's composer gives each scalar node its exact position (``start_mark.index`` to
``end_mark.index``) and quoting style. An edit replaces exactly that span with the new value written
in the same style ('single', "double", plain; flow and block collections alike), so comments, key
order, indentation, blank lines and the quoting of every other value stay byte-for-byte (round-trip
*dumping* would re-flow long lines and normalise spacing; a targeted text edit cannot). A plain value
that YAML would read as something other than the text (a date, a number, ``yes``) is written
double-quoted instead, so the program still gets a string. Every edit is verified by composing the
result again: the edited leaves hold the new values, every other leaf its old value and style.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import MappingEndEvent, MappingStartEvent, SequenceEndEvent, SequenceStartEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from versionguard.core.errors import InputError

YamlPath = tuple[str | int, ...]
# A plain scalar that YAML 1.1 and 1.2 (and Go's yaml.v3) all read as this very text.
_SAFE_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9._/-]*$")
_NOT_TEXT = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"})


@dataclass(frozen=True)
class YamlLeaf:
    """A scalar value (not a key) of the document, where it is and how it is written."""

    path: YamlPath
    value: str
    start: int  # character offsets of the scalar's text, quotes included
    end: int
    style: str  # "" plain, "'" single, '"' double, "|" or ">" block
    line: int  # 1-based

    @property
    def dotted(self) -> str:
        return dotted(self.path)


def dotted(path: YamlPath) -> str:
    """``config.foundry:accounts[0].deployments[1].model.version``"""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def leaves(text: str, source: str) -> list[YamlLeaf]:
    """Every scalar value of the (single) document, with its path from the root."""
    try:
        _bounded(text, source)
        node = YAML(typ="rt").compose(io.StringIO(text))
    except YAMLError as e:
        raise InputError(source, "(file)", "valid YAML", str(e).splitlines()[0] if str(e) else "") from None
    except RecursionError:  # ruamel's composer recurses per level (_bounded keeps it far from the limit)
        raise InputError(source, "(file)", f"at most {MAX_DEPTH} levels of nesting", "deeper") from None
    return list(_walk(node, (), set(), source)) if node is not None else []


MAX_DEPTH = 64  # the shared reader's nesting bound is far below; a deeper document never reaches an edit


def _bounded(text: str, source: str) -> None:
    """Refuse deep nesting from the event stream (iterative) before the composer (recursive) sees it."""
    depth = 0
    for event in YAML(typ="rt").parse(io.StringIO(text)):
        if isinstance(event, (MappingStartEvent, SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(source, f"line {event.start_mark.line + 1}", f"at most {MAX_DEPTH} levels of nesting",
                                 "deeper")
        elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
            depth -= 1


def _walk(node: Node, path: YamlPath, seen: set[int], source: str) -> Iterator[YamlLeaf]:
    # An alias shares its node: walking it again would give one scalar two paths (and an alias bomb
    # exponential time). Stack files with aliases are refused by check's reader already.
    if id(node) in seen:
        raise InputError(source, dotted(path), "no YAML anchors or aliases (write each value out)")
    if len(path) > MAX_DEPTH:
        raise InputError(source, dotted(path), f"at most {MAX_DEPTH} levels of nesting")
    seen.add(id(node))
    if isinstance(node, ScalarNode):
        yield YamlLeaf(path, node.value, node.start_mark.index, node.end_mark.index, node.style or "",
                       node.start_mark.line + 1)
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            # Only text keys are paths (what Pulumi config keys are); a complex key's values are not edited.
            if isinstance(key, ScalarNode):
                yield from _walk(value, (*path, key.value), seen, source)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            yield from _walk(item, (*path, i), seen, source)


def render(value: str, style: str) -> str | None:
    """``value`` as a scalar in ``style`` (plain falls back to double quotes when YAML would not read it
    as this text); None when the style cannot hold it (block scalars, line breaks)."""
    if "\n" in value or "\r" in value or style in ("|", ">"):
        return None
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    if style == "" and _SAFE_PLAIN.match(value) and value.casefold() not in _NOT_TEXT:
        return value
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        return None
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def set_values(text: str, source: str, edits: Mapping[YamlPath, str]) -> str:
    """``text`` with the scalars at ``edits``' paths set to their values; nothing else changes.
    Raises InputError when a path is not a scalar value or its style cannot hold the value."""
    found = {leaf.path: leaf for leaf in leaves(text, source)}
    spans: list[tuple[int, int, str]] = []
    for path, value in edits.items():
        leaf = found.get(path)
        if leaf is None:
            raise InputError(source, dotted(path), "a scalar value to edit")
        written = render(value, leaf.style)
        if written is None:
            raise InputError(source, dotted(path), "a single-line scalar (a block scalar is edited by hand)")
        spans.append((leaf.start, leaf.end, written))
    out = text
    for start, end, written in sorted(spans, reverse=True):
        out = out[:start] + written + out[end:]
    _verify(text, out, source, edits)
    return out


def _verify(before: str, after: str, source: str, edits: Mapping[YamlPath, str]) -> None:
    old = {leaf.path: leaf for leaf in leaves(before, source)}
    new = {leaf.path: leaf for leaf in leaves(after, source)}
    if old.keys() != new.keys():
        raise InputError(source, "(edit)", "an edit that changes only the edited values",
                         "the document's shape changed")
    for path, leaf in new.items():
        want = edits.get(path, old[path].value)
        if leaf.value != want or (path not in edits and leaf.style != old[path].style):
            raise InputError(source, dotted(path), "an edit that changes only the edited values", leaf.value)
