"""Builders for the api-version tests: a date-pinned catalog with an ``api_versions`` section and
app resources of every flavour the reference lists (api-versions.md, "Where apps keep it").

Every date is an offset from ``testkit.AS_OF``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.unit.testkit import AS_OF, catalog_data, iso, sample_catalog_data
from versionguard.core.catalog import Catalog, catalog_from_data

API_POLICIES = ("api-version-supported", "api-version-preview", "openai-v1-endpoint")
HOST = "https://aif-test.openai.azure.com"


def api_entry(version: str, lifecycle: str, **extra: Any) -> dict[str, Any]:
    return {"version": version, "lifecycle": lifecycle, "sources": ["src"], **extra}


API_VERSIONS: list[dict[str, Any]] = [
    api_entry("2024-06-01", "ga", superseded_by="2024-10-21"),
    api_entry("2024-10-21", "ga"),
    api_entry("2025-04-01-preview", "preview"),  # one of the latest three: supported
    api_entry("2025-03-01-preview", "preview", support_ends=iso(1)),  # support ends tomorrow
    api_entry("2025-02-01-preview", "preview", support_ends=iso(0)),  # support ends today
    api_entry("2024-12-01-preview", "preview", support_ends=iso(-1)),
    api_entry("2024-09-01-preview", "preview", support_ends=iso(-30), retirement=iso(0)),  # retires today
    api_entry("2023-12-01-preview", "retired", retirement=iso(-100)),
]


def api_catalog_data(api_versions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    data = sample_catalog_data()
    data["api_versions"] = API_VERSIONS if api_versions is None else api_versions
    return data


def api_catalog(api_versions: list[dict[str, Any]] | None = None) -> Catalog:
    return catalog_from_data(api_catalog_data(api_versions), "api-test")


def empty_catalog_data() -> dict[str, Any]:
    return catalog_data(as_of=AS_OF)


# --- app resources ---------------------------------------------------------------------------------
# Each builder: (value, setting name) -> (type token, props); the setting is the 2nd of its list.

def _nv(value: Any, name: str, value_key: str = "value") -> list[dict[str, Any]]:
    return [{"name": "LOG_LEVEL", value_key: "info"}, {"name": name, value_key: value}]


def _map(value: Any, name: str) -> dict[str, Any]:
    return {"LOG_LEVEL": "info", name: value}


def _url(value: Any) -> str:
    return f"{HOST}/openai?api-version={value}"


Builder = Callable[[Any, str], tuple[str, dict[str, Any]]]

SETTING_FLAVOURS: dict[str, Builder] = {
    "web-app": lambda v, n: ("azure-native:web:WebApp", {
        "name": "app", "siteConfig": {"appSettings": _nv(v, n), "linuxFxVersion": "PYTHON|3.12"}}),
    "web-app-versioned": lambda v, n: ("azure-native:web/v20240401:WebApp", {
        "name": "app", "siteConfig": {"appSettings": _nv(v, n)}}),
    "web-app-slot": lambda v, n: ("azure-native:web:WebAppSlot", {
        "name": "app", "slot": "staging", "siteConfig": {"appSettings": _nv(v, n)}}),
    "web-app-settings": lambda v, n: ("azure-native:web:WebAppApplicationSettings", {
        "name": "app", "properties": _map(v, n)}),
    "container-app": lambda v, n: ("azure-native:app:ContainerApp", {
        "template": {"containers": [{"name": "web", "image": "img", "env": _nv(v, n)}]}}),
    "container-app-job": lambda v, n: ("azure-native:app:Job", {
        "template": {"containers": [{"name": "batch", "image": "img", "env": _nv(v, n)}]}}),
    "container-group": lambda v, n: ("azure-native:containerinstance:ContainerGroup", {
        "containers": [{"name": "c", "image": "img", "environmentVariables": _nv(v, n)}]}),
    "classic-linux-web-app": lambda v, n: ("azure:appservice:LinuxWebApp", {"appSettings": _map(v, n)}),
    "classic-container-app": lambda v, n: ("azure:containerapp:App", {
        "template": {"containers": [{"name": "web", "image": "img", "envs": _nv(v, n)}]}}),
    "k8s-deployment": lambda v, n: ("kubernetes:apps/v1:Deployment", {
        "spec": {"template": {"spec": {"containers": [{"name": "web", "image": "img", "env": _nv(v, n)}]}}}}),
    "k8s-configmap": lambda v, n: ("kubernetes:core/v1:ConfigMap", {"data": _map(v, n)}),
}
URL_FLAVOURS: dict[str, Builder] = {
    "apim-backend": lambda v, n: ("azure-native:apimanagement:Backend", {
        "protocol": "http", "url": _url(v)}),
    "apim-api": lambda v, n: ("azure-native:apimanagement:Api", {
        "path": "openai", "serviceUrl": _url(v)}),
    "any-string": lambda v, n: ("azure-native:logic:Workflow", {
        "definition": {"actions": {"call": {"inputs": {"uri": _url(v).replace("aif-test.openai", "x.services.ai")}}}}}),
    "setting-holding-url": lambda v, n: ("azure-native:web:WebApp", {
        "siteConfig": {"appSettings": _nv(f"{HOST}/openai/deployments/chat/chat/completions?api-version={v}",
                                          "CHAT_URL")}}),
}
FLAVOURS: dict[str, Builder] = {**SETTING_FLAVOURS, **URL_FLAVOURS}


def app(flavour: str, value: Any, name: str = "OPENAI_API_VERSION") -> tuple[str, dict[str, Any]]:
    return FLAVOURS[flavour](value, name)


def judged(pack: Any, policy: str, flavour: str, value: Any, name: str = "OPENAI_API_VERSION") -> list[Any]:
    """``policy``'s diagnostics for an app of ``flavour`` using ``value`` (in setting ``name``)."""
    type_, props = app(flavour, value, name)
    return [d for d in pack.analyze(props, type_, "app") if d.policy == policy]
