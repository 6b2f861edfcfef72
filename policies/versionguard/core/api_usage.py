"""Data-plane api-version usages in a resource's inputs: the engine's second subject kind.

Apps call the deployments with an ``api-version``: in an app setting or environment variable
(``OPENAI_API_VERSION``, ``AZURE_OPENAI_API_VERSION``, plus any configured ``settingNames``) or in
the query of a URL on an Azure OpenAI host. :func:`scan` finds them in **any** resource's inputs
(plain data from an adapter) and returns a :class:`UsageScan`; the api-version rules judge that.

Resource-type knowledge lives in one table, :data:`RESOURCE_TYPES`: where each known type keeps its
name/value lists, string maps and URLs. The table does not limit what is found (every string and
every ``{name, value}`` pair of every resource is looked at); it says which shapes must hold, so a
malformed env list is reported (fail closed) instead of silently skipped, and where an unknown
value may hide an api-version.

Not judged, because the value is not readable: secret references (``secretRef``, ``secretName``,
``valueFrom``, ``secureValue``, Key Vault references ``@Microsoft.KeyVault(...)``), Pulumi secrets
(:class:`records.Secret`, marked by the adapter; the scan never reads its value) and unknown values
away from the table's locations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from .api_catalog import DATED, PREVIEW_SUFFIX
from .records import Malformed, Secret, Unknown
from .type_tokens import canonical_type

SETTING_NAMES: tuple[str, ...] = ("OPENAI_API_VERSION", "AZURE_OPENAI_API_VERSION")
HOST_SUFFIXES: tuple[str, ...] = (".openai.azure.com", ".cognitiveservices.azure.com", ".services.ai.azure.com")
V1_PREVIEW = "preview"  # api-version=preview on a v1 path opts into v1 preview features
MAX_DEPTH = 64  # deeper inputs are reported as malformed rather than walked without bound
_KEY_VAULT_REF = "@microsoft.keyvault("
_URL = re.compile(r"https?://([^/\s\"'<>?#]+)([^\s\"'<>]*)", re.IGNORECASE)
_API_VERSION_PARAM = re.compile(r"[?&]api-version=([^&#\s\"'<>]*)", re.IGNORECASE)
_V1_PATH = re.compile(r"/openai/v1(/|$|\?)", re.IGNORECASE)


SECRET = Secret()  # a Pulumi secret whose value does not matter: the scan never reads one


@dataclass(frozen=True)
class Location:
    """Where a resource type keeps settings. ``path`` is dotted; ``[]`` means every item of a list."""

    path: str
    shape: Literal["name-value", "map", "url"]
    value_key: str = "value"

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.path.split("."))


def _k8s_pod(prefix: str) -> tuple[Location, ...]:
    return (Location(f"{prefix}.containers[].env", "name-value"),
            Location(f"{prefix}.initContainers[].env", "name-value"))


_APP_SERVICE_CLASSIC = (Location("appSettings", "map"),)

# The one table of resource-type knowledge (api-versions.md "Where apps keep it"). Versioned
# azure-native tokens (azure-native:web/v20240401:WebApp, parameterized packages) use their unversioned
# entry (core.type_tokens).
RESOURCE_TYPES: Mapping[str, tuple[Location, ...]] = {
    "azure-native:web:WebApp": (Location("siteConfig.appSettings", "name-value"),),
    "azure-native:web:WebAppSlot": (Location("siteConfig.appSettings", "name-value"),),
    "azure-native:web:WebAppApplicationSettings": (Location("properties", "map"),),
    "azure-native:web:WebAppApplicationSettingsSlot": (Location("properties", "map"),),
    "azure-native:app:ContainerApp": (
        Location("template.containers[].env", "name-value"),
        Location("template.initContainers[].env", "name-value")),
    "azure-native:app:Job": (
        Location("template.containers[].env", "name-value"),
        Location("template.initContainers[].env", "name-value")),
    "azure-native:containerinstance:ContainerGroup": (
        Location("containers[].environmentVariables", "name-value"),
        Location("initContainers[].environmentVariables", "name-value")),
    "azure-native:apimanagement:Backend": (Location("url", "url"),),
    "azure-native:apimanagement:Api": (Location("serviceUrl", "url"),),
    "azure:appservice:LinuxWebApp": _APP_SERVICE_CLASSIC,
    "azure:appservice:WindowsWebApp": _APP_SERVICE_CLASSIC,
    "azure:appservice:LinuxWebAppSlot": _APP_SERVICE_CLASSIC,
    "azure:appservice:WindowsWebAppSlot": _APP_SERVICE_CLASSIC,
    "azure:appservice:LinuxFunctionApp": _APP_SERVICE_CLASSIC,
    "azure:appservice:WindowsFunctionApp": _APP_SERVICE_CLASSIC,
    "azure:containerapp:App": (
        Location("template.containers[].envs", "name-value"),),
    "kubernetes:apps/v1:Deployment": _k8s_pod("spec.template.spec"),
    "kubernetes:apps/v1:StatefulSet": _k8s_pod("spec.template.spec"),
    "kubernetes:apps/v1:DaemonSet": _k8s_pod("spec.template.spec"),
    "kubernetes:batch/v1:Job": _k8s_pod("spec.template.spec"),
    "kubernetes:batch/v1:CronJob": _k8s_pod("spec.jobTemplate.spec.template.spec"),
    "kubernetes:core/v1:Pod": _k8s_pod("spec"),
    "kubernetes:core/v1:ConfigMap": (Location("data", "map"),),
}


def locations_of(resource_type: str) -> tuple[Location, ...]:
    found = RESOURCE_TYPES.get(resource_type)
    return found or RESOURCE_TYPES.get(canonical_type(resource_type)) or ()


@dataclass(frozen=True)
class ApiUsage:
    """One api-version an app calls the deployments with."""

    parts: tuple[str | int, ...]  # where in the inputs, as walked: ("siteConfig", "appSettings", 2)
    origin: str  # "setting OPENAI_API_VERSION" | "URL on <host>"
    value: str  # the api-version as written (stripped)
    v1: bool  # on a v1 path (/openai/v1/), or the v1 'preview' value

    @property
    def path(self) -> str:
        """``parts`` for people: siteConfig.appSettings[2]."""
        return _dotted(self.parts)

    @property
    def dated(self) -> bool:
        return DATED.match(self.value) is not None

    @property
    def preview(self) -> bool:
        folded = self.value.casefold()
        return folded == V1_PREVIEW or folded.endswith(PREVIEW_SUFFIX)

    @property
    def where(self) -> str:
        return f"{self.path} ({self.origin})"


@dataclass(frozen=True)
class UsageScan:
    """Every api-version usage of one resource, and what could not be read."""

    name: str
    resource_type: str
    urn: str = ""
    usages: tuple[ApiUsage, ...] = ()
    unknowns: tuple[Unknown, ...] = ()  # where an api-version may be but the value is unknown
    malformed: tuple[Malformed, ...] = ()  # a known location of the wrong shape (fail closed)

    @property
    def empty(self) -> bool:
        return not (self.usages or self.unknowns or self.malformed)


@dataclass
class _Found:
    names: frozenset[str]
    usages: list[ApiUsage] = field(default_factory=list)
    unknowns: list[Unknown] = field(default_factory=list)
    malformed: list[Malformed] = field(default_factory=list)


def setting_names(extra: Iterable[str] = ()) -> frozenset[str]:
    """The setting names looked for (case-insensitive): the two defaults plus ``settingNames``."""
    return frozenset(n.strip().casefold() for n in (*SETTING_NAMES, *extra) if n.strip())


def scan(resource_type: str, props: Any, name: str = "", urn: str = "",
         names: frozenset[str] | None = None) -> UsageScan:
    """Find every api-version usage in ``props`` (plain data: dicts, lists, strings, numbers, with
    :class:`Unknown`, :class:`Secret` and ``None``). Never raises on odd shapes."""
    found = _Found(names if names is not None else setting_names())
    _walk(props, (), found, 0)
    for loc in locations_of(resource_type):
        _check_location(props, loc, found)
    return UsageScan(name, resource_type, urn, tuple(found.usages), tuple(_unique(found.unknowns)),
                     tuple(_unique(found.malformed)))


def _unique(items: list[Any]) -> list[Any]:
    """First of each path (a value may be reached by the walk and by the table)."""
    seen: dict[Any, Any] = {}
    for item in items:
        seen.setdefault(item.path, item)
    return list(seen.values())


def _dotted(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(inputs)"


def _walk(node: Any, path: tuple[str | int, ...], found: _Found, depth: int) -> None:
    if depth > MAX_DEPTH:
        found.malformed.append(Malformed(_dotted(path), f"inputs nested at most {MAX_DEPTH} levels deep",
                                         "deeper nesting"))
        return
    if isinstance(node, str):
        if "api-version=" in node.casefold():
            _urls(node, path, found)
        return
    if isinstance(node, Mapping):
        entry_name = node.get("name")
        if isinstance(entry_name, str) and entry_name.strip().casefold() in found.names:
            _entry(node, entry_name.strip(), path, found)
        for key, value in node.items():
            if isinstance(key, str) and key.strip().casefold() in found.names:
                _setting(value, key.strip(), (*path, key), found)
            if isinstance(value, str | Mapping | list | tuple):
                _walk(value, (*path, str(key)), found, depth + 1)
        return
    if isinstance(node, list | tuple):
        for i, item in enumerate(node):
            if isinstance(item, str | Mapping | list | tuple):
                _walk(item, (*path, i), found, depth + 1)


def _entry(item: Mapping[str, Any], setting: str, path: tuple[str | int, ...], found: _Found) -> None:
    """A ``{name: <setting>, value: …}`` entry of a name/value list (an entry holding a secret
    reference instead of a value has nothing to read)."""
    if item.get("value") is not None:
        _setting(item["value"], setting, (*path, "value"), found, report_path=path)


def _setting(value: Any, setting: str, path: tuple[str | int, ...], found: _Found,
             report_path: tuple[str | int, ...] | None = None) -> None:
    """One setting's value; a secret one (Pulumi secret or Key Vault reference) is not read."""
    if isinstance(value, Unknown):
        _unreadable(value, path, found)
    elif isinstance(value, str):
        text = value.strip()
        if text and not text.casefold().startswith(_KEY_VAULT_REF):
            found.usages.append(ApiUsage(report_path if report_path is not None else path, f"setting {setting}",
                                         text, text.casefold() == V1_PREVIEW))
    elif value is not None and not isinstance(value, Secret):
        found.malformed.append(Malformed(_dotted(path), f"a string (the value of {setting})", value))


def _urls(text: str, path: tuple[str | int, ...], found: _Found) -> None:
    for m in _URL.finditer(text):
        host = m.group(1).rsplit("@", 1)[-1].split(":", 1)[0].casefold()
        if not host.endswith(HOST_SUFFIXES):
            continue
        rest = m.group(2)
        for q in _API_VERSION_PARAM.finditer(rest):
            value = q.group(1).strip()
            if value:
                found.usages.append(ApiUsage(path, f"URL on {host}", value, _V1_PATH.search(rest) is not None))


def _check_location(props: Any, loc: Location, found: _Found) -> None:
    """The table's shape checks: a known location that is not of its shape is malformed; an unknown
    one may hide an api-version. Values were already read by the walk."""
    for node, path in _resolve(props, loc.parts, (), found):
        if node is None:
            continue
        if isinstance(node, Unknown | Secret):
            _unreadable(node, path, found)
        elif loc.shape == "url":
            if not isinstance(node, str):
                found.malformed.append(Malformed(_dotted(path), "a URL string", node))
        elif loc.shape == "map":
            if not isinstance(node, Mapping):
                found.malformed.append(Malformed(_dotted(path), "an object of setting names to strings", node))
        else:
            _check_name_values(node, path, loc, found)


def _check_name_values(node: Any, path: tuple[str | int, ...], loc: Location, found: _Found) -> None:
    if not isinstance(node, list | tuple):
        found.malformed.append(Malformed(_dotted(path), f"a list of {{name, {loc.value_key}}} objects", node))
        return
    for i, item in enumerate(node):
        where = (*path, i)
        name = item.get("name") if isinstance(item, Mapping) else None
        if isinstance(item, Unknown | Secret) or isinstance(name, Unknown):
            _unreadable(item if isinstance(item, Unknown | Secret) else name, where, found)
        elif not isinstance(item, Mapping):
            found.malformed.append(Malformed(_dotted(where), f"an object with name and {loc.value_key}", item))
        elif not isinstance(name, str):
            found.malformed.append(Malformed(_dotted((*where, "name")), "a setting name (string)", name))


def _unreadable(value: Unknown | Secret, path: tuple[str | int, ...], found: _Found) -> None:
    """An unknown value may hide an api-version; a secret is not read (not judged)."""
    if isinstance(value, Unknown):
        found.unknowns.append(value if value.path else Unknown(tuple(str(p) for p in path), value.sentinel))


def _resolve(node: Any, parts: tuple[str, ...], path: tuple[str | int, ...],
             found: _Found) -> Iterable[tuple[Any, tuple[str | int, ...]]]:
    """The nodes at a location path (``[]`` fans out over list items). A wrong-shaped parent on the
    way is malformed; an unknown or secret one is yielded as the node itself."""
    if not parts or isinstance(node, Unknown | Secret):
        yield node, path
        return
    if node is None:
        return
    if not isinstance(node, Mapping):
        found.malformed.append(Malformed(_dotted(path), "an object", node))
        return
    head = parts[0]
    key = head.removesuffix("[]")
    child, child_path = node.get(key), (*path, key)
    if not head.endswith("[]"):
        yield from _resolve(child, parts[1:], child_path, found)
    elif child is None or isinstance(child, Unknown | Secret):
        yield child, child_path
    elif not isinstance(child, list | tuple):
        found.malformed.append(Malformed(_dotted(child_path), "a list", child))
    else:
        for i, item in enumerate(child):
            yield from _resolve(item, parts[1:], (*child_path, i), found)
