"""Normalized deployment records: one shape for every resource flavour and source.

Adapters (CrossGuard args, Pulumi mock registrations, ARM JSON) hand plain data to
:func:`normalize`. Each field is a :data:`Field`: a string, ``None`` (absent), :class:`Unknown`
(not known during preview) or :class:`Malformed` (present but of the wrong shape). Rules never
see raw props, so no rule can crash on a list where an object belongs. A :class:`Secret` in the
props (a Pulumi secret, as ``adapters.crossguard.wire`` marks it) is read through: a secret input is judged by
its value, as the pack judges it; showing it is the adapters' concern (they redact it).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any, Literal, TypeVar

from .type_tokens import canonical_type
from .vocabulary import AUTO_UPDATE, KNOWN_SKUS, UPGRADE_ON_EXPIRY, UPGRADE_OPTIONS, folding

Flavour = Literal["azure-native", "classic"]

T = TypeVar("T")
AZURE_NATIVE_TYPE = "azure-native:cognitiveservices:Deployment"
CLASSIC_TYPE = "azure:cognitive/deployment:Deployment"
_AZURE_NATIVE_FOLDED = AZURE_NATIVE_TYPE.casefold()


@dataclass(frozen=True)
class Unknown:
    """A value the engine cannot know yet (computed during preview)."""

    path: tuple[str, ...]
    sentinel: str = ""

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True)
class Malformed:
    """A value that is present but not of the expected shape."""

    path: str
    expected: str
    got: Any

    def describe(self) -> str:
        return f"{self.path} is {shape_of(self.got)}, expected {self.expected}"


class Secret:
    """A Pulumi secret input value, marked by the adapter that read the wire form. Deployment records
    read through it; the api-version scan treats it as unreadable (``api_usage``). Never shown."""

    __slots__ = ("value",)

    def __init__(self, value: Any = None) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "[secret]"


Field = str | None | Unknown | Malformed
_UNSET = (Unknown, Malformed)  # a tuple: isinstance with a tuple is faster than with a union
_OPTIONS = folding(UPGRADE_OPTIONS)
_SKUS = folding(KNOWN_SKUS)


@dataclass(frozen=True)
class Paths:
    """Where each field lives in the resource's properties (for messages and remediation)."""

    model: str
    upgrade_option: str
    sku: str


NATIVE_PATHS = Paths("properties.model", "properties.versionUpgradeOption", "sku.name")
CLASSIC_PATHS = Paths("model", "versionUpgradeOption", "sku.name")


@dataclass(frozen=True)
class DeploymentRecord:
    """One model deployment, whatever declared it."""

    name: str
    resource_type: str
    flavour: Flavour
    urn: str
    model_format: Field
    model_name: Field
    model_version: Field
    upgrade_option: Field  # canonical spelling when recognised; None when absent
    sku_name: Field  # canonical spelling for known SKUs, else the raw string
    paths: Paths
    account: str | None = None

    @property
    def default_upgrade_option(self) -> str:
        """What applies when the option is absent: ARM treats null as upgrade-on-expiry, while the
        classic provider (Terraform azurerm) documents OnceNewDefaultVersionAvailable."""
        return AUTO_UPDATE if self.flavour == "classic" else UPGRADE_ON_EXPIRY

    @property
    def effective_upgrade_option(self) -> Field:
        return self.default_upgrade_option if self.upgrade_option is None else self.upgrade_option

    @property
    def label(self) -> str:
        """``model version`` for messages; tolerant of unknown or malformed parts."""
        return f"{display(self.model_name)} {display(self.model_version)}"


# A deployment's identity; every other field is what the rules judge (tests/lifecycle/test_audit_scale.py
# checks that no rule reads these, which lets a fleet audit judge each distinct content once).
IDENTITY_FIELDS = ("name", "urn", "account")
_CONTENT_FIELDS = tuple(f.name for f in fields(DeploymentRecord) if f.name not in IDENTITY_FIELDS)
_content_of = attrgetter(*_CONTENT_FIELDS)  # builds the tuple in C: called for every deployment of a fleet


def judged_content(rec: DeploymentRecord) -> tuple[Any, ...] | None:
    """The record without its identity, as a dict key; None when a malformed value cannot be hashed."""
    key = _content_of(rec)
    try:
        hash(key)
    except TypeError:
        return None
    return key


@functools.lru_cache(maxsize=256)  # a fleet audit asks 100,000 times about the same type token
def deployment_flavour(resource_type: str) -> Flavour | None:
    """The flavour of a resource type token, or None when versionguard does not judge it."""
    if resource_type == CLASSIC_TYPE:
        return "classic"
    # Versioned modules (cognitiveservices/v20240401preview) and parameterized packages
    # (azure-native_cognitiveservices_v20250601:…) are the same resource: see core.type_tokens.
    if canonical_type(resource_type).casefold() == _AZURE_NATIVE_FOLDED:
        return "azure-native"
    return None


def normalize(
    resource_type: str,
    props: Any,
    name: str,
    urn: str = "",
    account: str | None = None,
) -> DeploymentRecord:
    """Turn a deployment's plain-data properties into a record. Never raises on odd shapes."""
    flavour = deployment_flavour(resource_type) or "azure-native"
    key = _plain_native_key(props) if flavour == "azure-native" else None
    content = _content(flavour, props) if key is None else _known_content(key, _same, props)
    return _record(name, resource_type, flavour, urn, content, account)


def native_record(key: tuple[Any, ...] | None, props_of: Callable[[T], Any], item: T, name: str, urn: str,
                  account: str | None) -> DeploymentRecord:
    """``normalize(AZURE_NATIVE_TYPE, props_of(item), name, urn, account)`` for an item whose plain key
    (what :func:`_plain_native_key` reads from ``props_of(item)``) the caller has read itself (None:
    not plain); ``props_of`` is called only for a content not yet known, so a fleet reader builds the
    item as plain data once per distinct content, not once per deployment."""
    content = _content("azure-native", props_of(item)) if key is None else _known_content(key, props_of, item)
    return _record(name, AZURE_NATIVE_TYPE, "azure-native", urn, content, account)


def _known_content(key: tuple[Any, ...], props_of: Callable[[T], Any], item: T) -> tuple[Any, ...]:
    """The content of plain key ``key``, read from ``props_of(item)`` once: a fleet audit normalizes
    100,000s of ARM items that share a few thousand contents."""
    content = _NATIVE_CONTENT.get(key)
    if content is None:
        if len(_NATIVE_CONTENT) >= _MEMO_LIMIT:
            _NATIVE_CONTENT.clear()
        content = _NATIVE_CONTENT[key] = _content("azure-native", props_of(item))
    return content


def _same(value: T) -> T:
    return value


_new = object.__new__


def _record(name: str, resource_type: str, flavour: Flavour, urn: str, content: tuple[Any, ...],
            account: str | None) -> DeploymentRecord:
    """``DeploymentRecord(name, resource_type, flavour, urn, *content, account=account)``, the same
    object: a frozen dataclass's ``__init__`` sets each field through ``object.__setattr__`` (1.8 us;
    this, 0.5 us), 100,000s of times over in a fleet audit. Field order is the class's own
    (``tests/unit/test_records_and_engine.py`` compares the two)."""
    record = _new(DeploymentRecord)
    fields_ = record.__dict__
    fields_["name"], fields_["resource_type"], fields_["flavour"], fields_["urn"] = name, resource_type, flavour, urn
    (fields_["model_format"], fields_["model_name"], fields_["model_version"], fields_["upgrade_option"],
     fields_["sku_name"], fields_["paths"]) = content
    fields_["account"] = account
    return record


# Above a fleet's distinct contents (models x versions x options x SKUs: bench_fleet's 100,000 deployments
# hold 8,600; a limit below that clears the memo over and over), and small: a content is 5 strings.
_MEMO_LIMIT = 32768
_NATIVE_CONTENT: dict[tuple[Any, ...], tuple[Any, ...]] = {}


def _plain_native_key(props: Any) -> tuple[Any, ...] | None:
    """Every raw value ``_content`` reads from an azure-native (ARM-shaped) item, when each container
    on the way is a plain dict and each value a plain string or None; else None (proxies, unknowns and
    odd shapes take the full path, which names what is wrong)."""
    if type(props) is not dict:
        return None
    body, sku = props.get("properties"), props.get("sku")
    if type(body) is not dict or (sku is not None and type(sku) is not dict):
        return None
    model = body.get("model")
    if type(model) is not dict:
        return None
    key = (model.get("format"), model.get("name"), model.get("version"), body.get("versionUpgradeOption"),
           None if sku is None else sku.get("name"))
    for value in key:
        if value is not None and type(value) is not str:
            return None
    return key


def _content(flavour: Flavour, props: Any) -> tuple[Field, Field, Field, Field, Field, Paths]:
    """model format, name, version, upgrade option, SKU name and their paths, in record order."""
    paths = CLASSIC_PATHS if flavour == "classic" else NATIVE_PATHS
    root: Any = props if props is not None else {}
    if flavour == "classic":
        body: Any = root
        sku_holder = _lookup(root, ("sku",))
        if sku_holder is None:  # provider versions before 4.0 used `scale { type }`
            scale = _lookup(root, ("scale",))
            if scale is not None:
                paths = Paths(paths.model, paths.upgrade_option, "scale.type")
    else:
        body = _lookup(root, ("properties",))
    model = _child(body, paths.model.split(".")[-1], paths.model)
    return (
        _string(_child(model, "format", f"{paths.model}.format"), f"{paths.model}.format"),
        _string(_child(model, "name", f"{paths.model}.name"), f"{paths.model}.name"),
        _string(_child(model, "version", f"{paths.model}.version"), f"{paths.model}.version"),
        _enum(_child(body, "versionUpgradeOption", paths.upgrade_option), paths.upgrade_option),
        _sku(_path_value(root, paths.sku), paths.sku),
        paths,
    )


def _path_value(root: Any, dotted: str) -> Any:
    value: Any = root
    walked = ""
    for part in dotted.split("."):
        walked = f"{walked}.{part}" if walked else part
        value = _child(value, part, walked)
        if value is None or isinstance(value, _UNSET):
            return value
    return value


def _lookup(root: Any, parts: tuple[str, ...]) -> Any:
    value = root
    for part in parts:
        value = _child(value, part, part)
        if value is None or isinstance(value, _UNSET):
            return value
    return value


def _child(parent: Any, key: str, path: str) -> Any:
    """``parent[key]`` with absent, unknown and malformed parents passed through."""
    if type(parent) is dict:  # the common case first: a fleet audit normalizes 100,000s of records
        return parent.get(key)
    if parent is None or isinstance(parent, _UNSET):
        return parent
    if type(parent) is Secret:
        return _child(parent.value, key, path)
    if type(parent) is not dict and not isinstance(parent, Mapping):
        parent_path = path.rsplit(".", 1)[0] if "." in path else "properties"
        return Malformed(parent_path, "an object", parent)
    return parent.get(key)


def _string(value: Any, path: str) -> Field:
    if type(value) is str:
        return value.strip() or None
    if value is None or isinstance(value, _UNSET):
        return value
    if isinstance(value, str):
        stripped = value.strip()
        return stripped or None
    if type(value) is Secret:
        return _string(value.value, path)
    return Malformed(path, "a string", value)


def _enum(value: Any, path: str) -> Field:
    text = _string(value, path)
    if not isinstance(text, str):
        return text
    found = _OPTIONS.get(text.casefold())
    if found is None:
        return Malformed(path, "one of " + ", ".join(UPGRADE_OPTIONS), value.value if type(value) is Secret else value)
    return found


def _sku(value: Any, path: str) -> Field:
    text = _string(value, path)
    if not isinstance(text, str):
        return text
    # An unrecognised SKU stays as written: it is simply non-Standard.
    return _SKUS.get(text.casefold(), text)


def display(value: Field) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Unknown):
        return "(unknown)"
    if isinstance(value, Malformed):
        return "(malformed)"
    return "(none)"


def shape_of(value: Any) -> str:
    """A short description of a value's JSON shape, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({value})"
    if isinstance(value, int | float):
        return f"a number ({value:g})"
    if isinstance(value, str):
        return f"a string ({value!r})"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, Sequence):
        return "a list"
    return type(value).__name__
