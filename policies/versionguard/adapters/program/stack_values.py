"""A stack file's config values as the Pulumi CLI hands them to the program (``PULUMI_CONFIG``).

The Pulumi CLI reads a stack file with Go's yaml.v3, writes what it parsed back to YAML, reads that
again into ``config.Value`` objects and gives the program each value as text
(``sdk/go/common/workspace/loaders.go``, ``sdk/go/common/resource/config/object.go``). That is not
what a YAML 1.1 reader (PyYAML) makes of the same file, so the offline runner resolves the file the
way yaml.v3 does and writes the text the way Pulumi does; ``tests/e2e/test_stack_config_text.py``
compares the result with the real CLI's. In short:

- **Plain scalars** follow yaml.v3: only ``true``/``True``/``TRUE`` and ``false``/… are booleans
  (``yes``, ``on`` stay text); integers in base 10, ``0x``, ``0o``, ``0b`` or with a leading ``0``
  (octal), ``_`` ignored, up to uint64 (beyond: a float); floats such as ``1.5``, ``1e3``, ``.5``; no
  base-60 numbers (``10:30`` stays text). Quoted scalars are always text.
- **Dates**: a plain ``2026-12-15``, ``2026-1-5``, ``2026-12-15T10:00:00Z`` or ``2026-12-15 10:00:00``
  is a timestamp to yaml.v3, and Pulumi passes it as Go's ``time.Time.String()``:
  ``2026-12-15 00:00:00 +0000 UTC``. Date-like text yaml.v3 does not take for a timestamp
  (``2026-12-15 10:00:00+00:00``, ``2026-02-30``) and quoted dates reach the program as written.
- **Text of a value**: a string as it is; a boolean or number as JSON (``1.0`` → ``1``, ``-0.0`` →
  ``0``); null as the empty string; an object or list as Go's ``encoding/json`` writes it (compact,
  keys sorted, ``<``, ``>``, ``&`` escaped, floats in Go's notation, non-string keys as Go prints
  them).

The file is first read by :mod:`versionguard.adapters.files.safe_load` (size, encoding, nesting, anchors,
tags, duplicate keys and non-finite numbers are refused there, NaN and infinity as Pulumi refuses
them), so this second, yaml.v3-shaped reading is bounded too and meets only finite numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from versionguard.adapters.files.safe_load import parse_yaml, read_text
from versionguard.core.errors import InputError

_TAG = "tag:yaml.org,2002:"
_PLAIN = "tag:versionguard,2026:plain"  # an untagged plain scalar: resolved below as yaml.v3 resolves it
_CLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_KEYWORDS: dict[str, Any] = {
    **dict.fromkeys(("true", "True", "TRUE"), True), **dict.fromkeys(("false", "False", "FALSE"), False),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), None), **dict.fromkeys((".nan", ".NaN", ".NAN"), math.nan),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), -math.inf),
}
# Go's strconv.ParseInt(s, 0, 64): a sign, then 0x / 0o / 0b, a leading 0 (octal) or decimal digits.
_GO_INT = re.compile(r"([+-]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]*)|([1-9][0-9]*))")
_YAML_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_DOT_FLOAT = re.compile(r"\.[0-9]+(?:[eE][-+]?[0-9]+)?")
# yaml.v3's timestamp layouts, as Go's time.Parse reads them: 2006-1-2T15:4:5.999999999Z07:00 (T or t),
# 2006-1-2 15:4:5.999999999 (one or more spaces, no zone) and 2006-1-2.
_TIMESTAMP = re.compile(r"(\d{4})-(\d\d?)-(\d\d?)(?:(?:([Tt])| +)(\d\d?):(\d\d?):(\d\d?)(?:[.,](\d+))?"
                        r"(Z|[+-]\d\d:\d\d)?)?")
_GO_STRING_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                                    "\u2029": "\\u2029"})


def read_stack_yaml(path: Path, loader_type: type[_Loader] | None = None, what: str = "stack file") -> Any:
    """The stack file as the Pulumi CLI parses it (see the module docstring)."""
    source = str(path)
    text = read_text(path, what)
    parse_yaml(text, source, dates_as_text=True)  # every bound and check of the shared reader
    loader = (loader_type or _Loader)(text)
    loader.source = source
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:  # the checks above leave none; never a traceback if one slips through
        raise InputError(source, "(file)", "valid YAML", str(exc)) from None
    finally:
        loader.dispose()


def read_project_yaml(path: Path) -> Any:
    """The project file as the Pulumi CLI parses it for its ``config:`` section: as
    :func:`read_stack_yaml`, except that a plain date is an error, as Pulumi's schema validation of
    the project file refuses it (``tests/e2e/test_stack_config_text.py``)."""
    return read_stack_yaml(path, _ProjectLoader, "Pulumi project file")


def config_text(value: Any) -> str:
    """The text the program gets for one config value read by :func:`read_stack_yaml`."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return _json(value)


# --- reading -----------------------------------------------------------------------------------

class _Loader(_CLoader):  # type: ignore[misc,valid-type]
    """Plain scalars and explicitly tagged core scalars resolved the yaml.v3 way."""

    source = "(yaml)"


_Loader.yaml_implicit_resolvers = {"<": [(_TAG + "merge", re.compile(r"^<<$"))],
                                   None: [(_PLAIN, re.compile(r".*", re.DOTALL))]}


def _construct_plain(loader: _Loader, node: yaml.ScalarNode) -> Any:
    return _resolve(node.value)[1]


def _construct_tagged(loader: _Loader, node: yaml.ScalarNode) -> Any:
    """``!!int "12"`` and the like: resolved, then held to the tag as yaml.v3 holds it (int may be float)."""
    tag = node.tag.removeprefix(_TAG)
    kind, value = _resolve(node.value, tag)
    if kind == tag:
        return value
    if tag == "float" and kind == "int":
        return float(value)
    raise InputError(loader.source, f"line {node.start_mark.line + 1}, column {node.start_mark.column + 1}",
                     f"a value yaml.v3 reads as !!{tag}", f"!!{kind} {node.value!r}")


_Loader.add_constructor(_PLAIN, _construct_plain)


class _ProjectLoader(_Loader):
    """Plain dates refused (see :func:`read_project_yaml`)."""


def _construct_plain_date_text(loader: _Loader, node: yaml.ScalarNode) -> Any:
    kind, value = _resolve(node.value)
    if kind == "timestamp":  # Pulumi v3.259: "could not validate Pulumi.yaml: jsonschema: invalid jsonType: time.Time"
        raise InputError(loader.source, f"line {node.start_mark.line + 1}, column {node.start_mark.column + 1}",
                         'a quoted date ("2026-12-15"): Pulumi refuses a project file with a plain YAML date',
                         node.value)
    return value


_ProjectLoader.add_constructor(_PLAIN, _construct_plain_date_text)
for _tag in ("bool", "int", "float", "null", "timestamp"):
    _Loader.add_constructor(_TAG + _tag, _construct_tagged)


def _resolve(text: str, tag: str | None = None) -> tuple[str, Any]:
    """yaml.v3's ``resolve``: the kind and value of a scalar's text (``tag``: an explicit core tag)."""
    if text in _KEYWORDS:
        value = _KEYWORDS[text]
        return ("null" if value is None else "bool" if isinstance(value, bool) else "float"), value
    head = text[:1]
    if head == "." and _DOT_FLOAT.fullmatch(text) and math.isfinite(number := float(text)):
        return "float", number
    if head and head in "+-0123456789":
        if tag in (None, "timestamp") and (moment := go_time_text(text)) is not None:
            return "timestamp", moment
        plain = text.replace("_", "")
        integer = _go_int(plain)
        if integer is not None:
            return "int", integer
        if _YAML_FLOAT.fullmatch(plain) and math.isfinite(number := float(plain)):
            return "float", number
    return "str", text


def _go_int(text: str) -> int | None:
    """Go's ParseInt(text, 0, 64), else ParseUint(text, 0, 64): the value, or None."""
    match = _GO_INT.fullmatch(text)
    if match is None:
        return None
    sign, hexa, octal, binary, legacy_octal, decimal = match.groups()
    magnitude = (int(hexa, 16) if hexa else int(octal, 8) if octal else int(binary, 2) if binary
                 else int(decimal) if decimal else int(legacy_octal or "0", 8))
    value = -magnitude if sign == "-" else magnitude
    if -(2**63) <= value < 2**63 or (not sign and value < 2**64):
        return value
    return None


def go_time_text(text: str) -> str | None:
    """What Pulumi passes for a plain timestamp yaml.v3 recognises: Go's ``time.Time.String()``
    (``2026-12-15 00:00:00 +0000 UTC``); None when yaml.v3 reads ``text`` as no timestamp."""
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        return None
    year, month, day, t, hour, minute, second, fraction, zone = match.groups()
    if bool(t) != bool(zone) or not 1 <= int(month) <= 12:
        return None  # the T layouts need a zone, the space layout takes none
    y, m, d = int(year), int(month), int(day)
    h, mi, s = int(hour or 0), int(minute or 0), int(second or 0)
    if not 1 <= d <= _days_in(y, m) or h > 23 or mi > 59 or s > 59:
        return None
    nanos = (fraction or "")[:9].ljust(9, "0")
    wall = f"{y:04d}-{m:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d}" + (f".{nanos.rstrip('0')}" if int(nanos) else "")
    if zone in (None, "Z"):
        return f"{wall} +0000 UTC"
    hours, minutes = int(zone[1:3]), int(zone[4:6])
    if hours > 24 or minutes > 60:
        return None
    offset = (hours * 3600 + minutes * 60) * (-1 if zone[0] == "-" else 1)
    numeric = f"{zone[0]}{hours:02d}{minutes:02d}"
    return f"{wall} {numeric} {_local_zone_name(y, m, d, h, mi, s, offset) or numeric}"


def _days_in(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _local_zone_name(y: int, m: int, d: int, h: int, mi: int, s: int, offset: int) -> str | None:
    """Go's time.Parse names an offset after the local zone when that zone has it at that moment."""
    try:
        local = dt.datetime(y, m, d, h, mi, s, tzinfo=dt.timezone(dt.timedelta(seconds=offset))).astimezone()
    except (ValueError, OverflowError, OSError):
        return None
    return local.tzname() if local.utcoffset() == dt.timedelta(seconds=offset) else None


# --- writing -----------------------------------------------------------------------------------

def _json(value: Any) -> str:
    """``value`` as Go's encoding/json writes what Pulumi stored."""
    if isinstance(value, dict):
        pairs = sorted(((_key_text(k), v) for k, v in value.items()), key=lambda pair: pair[0])
        return "{" + ",".join(f"{_json_string(k)}:{_json(v)}" for k, v in pairs) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_json(v) for v in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _json_float(value)
    return _json_string(str(value))


def _json_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).translate(_GO_STRING_ESCAPES)


def _json_float(number: float) -> str:
    """A float64 as Go's encoding/json writes it: shortest digits, exponent only below 1e-6 or from 1e21
    (``e-07`` shortened to ``e-7``). Zero is ``0``: Pulumi's YAML round trip reads ``-0`` back as an int."""
    if number == 0:
        return "0"
    text = repr(number)
    if 1e-6 <= abs(number) < 1e21:
        return format(Decimal(text).normalize(), "f")
    mantissa, _, exponent = text.partition("e")
    return f"{mantissa}e{exponent[0]}{exponent[1:].lstrip('0')}" if exponent[0] == "-" else text


def _key_text(key: Any) -> str:
    """A mapping key as Pulumi turns it into a string (Go's ``%v``: floats with the shortest digits,
    an exponent below 1e-4 and from 1e21)."""
    if isinstance(key, str):
        return key
    if key is None:
        return "<nil>"
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, float):
        text = repr(key)
        return format(Decimal(text).normalize(), "f") if 1e16 <= abs(key) < 1e21 else text.removesuffix(".0")
    return str(key)
