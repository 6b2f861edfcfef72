"""The fleet's own export, read typed: the bare array ``az cognitiveservices account deployment list``
prints, one per account, 2,000 of them for a fleet of 100,000 deployments.

:mod:`versionguard.adapters.files.fast_json` builds every value of every item (``systemData``, ``etag``,
``rateLimits``, ``capabilities``…) and then proves, over the whole value, what the strict reader
would prove (no duplicate key, nesting at most 64 levels): three quarters of a fleet audit's reading
time, for values no rule reads. This path decodes each item into msgspec structs holding only what
the verdict reads (the ARM id, ``name``, ``type``, ``properties.model.format|name|version``,
``properties.versionUpgradeOption`` and ``sku.name``) and proves, for those:

- **the whole text** is one well-formed JSON array in UTF-8: msgspec checks the syntax of every value
  it skips (``NaN``, ``Infinity``, control characters and bad escapes are errors), and the bytes are
  checked as UTF-8 here (msgspec does not check the strings it skips); the byte order mark, NUL and
  memory rules are :mod:`fast_json`'s own;
- **each value read** has the type the strict path gives it (a string, null, a number, a boolean, an
  empty list, or one of the objects above); anything else (a non-empty list or an object where a
  string belongs: it could nest past 64 levels) goes through the strict path;
- **no key read is repeated** where it is read: msgspec keeps the last of two equal keys, so the
  occurrences of the read key names in the text (``"id"``, ``"name"``… with their quotes; a key
  cannot be spelled otherwise in a text without ``\\u`` escapes, and such a text goes the strict way)
  must equal the fields the structs hold. A key name that also appears elsewhere (a tag named
  ``name``) only sends the file the strict way, where it is read as before.

What it does **not** prove, unlike the strict reader: a repeated key, nesting deeper than 64 levels
(up to msgspec's own guard, about 1,000), a number beyond a float's range (``1e400``) or an integer
longer than Python's 4,300-digit conversion limit inside a value the verdict does not read. None of
them can change a verdict or a report (those values are neither held nor written); every other input
(the ARM ``{"value": [...]}`` response, Resource Graph results, anything odd) is read by the strict
path, whose errors name the file and the key or line.

Anything this path cannot vouch for returns None and the caller reads the file the strict way, so
errors are always the strict reader's.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from versionguard.adapters.azure.arm_deployments import ARM_DEPLOYMENT_TYPE, ARM_ID, TYPE_FOLDED, LiveDeployment
from versionguard.adapters.files import fast_json
from versionguard.core.records import native_record

Scalar = str | int | float | bool | None


class _Model(msgspec.Struct, gc=False):
    format: Any = UNSET
    name: Any = UNSET
    version: Any = UNSET


class _Properties(msgspec.Struct, gc=False):
    model: _Model | list[Any] | Scalar | UnsetType = UNSET
    versionUpgradeOption: Any = UNSET  # ARM's spelling


class _Sku(msgspec.Struct, gc=False):
    name: Any = UNSET


class _Item(msgspec.Struct, gc=False):
    id: Any = UNSET
    name: Any = UNSET
    type: Any = UNSET
    properties: _Properties | list[Any] | Scalar | UnsetType = UNSET
    sku: _Sku | list[Any] | Scalar | UnsetType = UNSET


_DECODER = msgspec.json.Decoder(list[_Item])
# Every key name a struct above holds, as the text writes a key: the count proves none is repeated.
_READ_KEYS = re.compile(rb'"(?:id|name|type|properties|sku|model|format|version|versionUpgradeOption)"')
_ESCAPED_CHARACTER = re.compile(rb"\\u")  # a search three times as fast as `in` here (backslashes are common)
_PLAIN = (str, type(None))  # a plain key holds strings and nulls


def read_deployments(data: bytes, source: str) -> list[LiveDeployment] | None:
    """The deployments of an ``az`` export (``LiveDeployment`` s, as :func:`arm_deployments.read_items`
    makes them from the strict path's value), or None when this path cannot vouch for the text."""
    data = fast_json.vetted(data, source)
    if data.lstrip()[:1] != b"[" or _ESCAPED_CHARACTER.search(data):
        return None
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
    try:
        items = _DECODER.decode(data)
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError, ValueError):
        return None
    found, held = _read(items, source)
    if found is None or held != len(_READ_KEYS.findall(data)):
        return None
    return found


def _read(items: list[_Item], source: str) -> tuple[list[LiveDeployment] | None, int]:
    """Each item as a deployment, and how many read fields the items hold; (None, 0) at the first item
    the strict path must read (to name what is wrong with it, or to read an odd value)."""
    found: list[LiveDeployment] = []
    add = found.append
    held = 0
    unset, plain, match_id = UNSET, _PLAIN, ARM_ID.match
    for i, item in enumerate(items):
        arm_id, name, arm_type, body, sku = item.id, item.name, item.type, item.properties, item.sku
        match = match_id(arm_id) if type(arm_id) is str else None
        if match is None or type(name) is not str or not (name := name.strip()):
            return None, 0
        if arm_type is unset:
            arm_type = ARM_DEPLOYMENT_TYPE
            held += 2
        elif type(arm_type) is str and (arm_type == ARM_DEPLOYMENT_TYPE or arm_type.casefold() == TYPE_FOLDED):
            held += 3
        else:
            return None, 0
        # Read fields held (for the count of key names), and the plain key of normalize's memo
        # (records._plain_native_key: plain objects down to the model, strings and nulls in them).
        key: tuple[Any, ...] | None = None
        sku_name: Any = None
        plain_sku = True  # an object or null, as records._plain_native_key requires
        if type(sku) is _Sku:
            sku_name = sku.name
            held += 1 + (sku_name is not unset)
        elif sku is not unset:
            held += 1
            plain_sku = sku is None  # a string, number, list: the full path names it malformed
        if type(body) is _Properties:
            model, option = body.model, body.versionUpgradeOption
            held += 1 + (model is not unset) + (option is not unset)
            if type(model) is _Model:
                form, model_name, version = model.format, model.name, model.version
                held += (form is not unset) + (model_name is not unset) + (version is not unset)
                if plain_sku:
                    key = (None if form is unset else form, None if model_name is unset else model_name,
                           None if version is unset else version, None if option is unset else option,
                           None if sku_name is unset else sku_name)
                    if not (type(key[0]) in plain and type(key[1]) in plain and type(key[2]) in plain
                            and type(key[3]) in plain and type(key[4]) in plain):
                        key = None
        elif body is not unset:
            held += 1
        if key is None and not all(map(_shallow, _values(body, sku))):
            return None, 0  # a container where a string belongs: the strict path proves its nesting
        add(LiveDeployment(native_record(key, _plain_data, item, name, arm_id, match.group(3)), arm_id,
                           match.group(3), name, arm_type, source, f"[{i}]", match.group(1), match.group(2)))
    return found, held


def _plain_data(item: _Item) -> Any:
    """The item as the strict path reads it, less the fields no rule reads."""
    return msgspec.to_builtins(item)


def _values(body: Any, sku: Any) -> list[Any]:
    """What the rules read, as held: for an odd shape, the value itself."""
    values = [body, sku]
    if type(body) is _Properties:
        values[0] = body.versionUpgradeOption
        model = body.model
        values += [model.format, model.name, model.version] if type(model) is _Model else [model]
    if type(sku) is _Sku:
        values[1] = sku.name
    return values


def _shallow(value: Any) -> bool:
    """A value the rules may read as the strict path gives it, with no nesting to prove."""
    return value is UNSET or type(value) in (str, int, float, bool, type(None)) or value == []
