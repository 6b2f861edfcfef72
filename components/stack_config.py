"""Parse and validate the structured stack config of ``foundry-deployments``.

Pure data in, frozen dataclasses out; no ``pulumi`` import, so the offline CLI can pre-validate
``stacks/Pulumi.<stack>.yaml`` cheaply and the components can reuse the same validators. Every
problem raises :class:`versionguard.errors.InputError` naming the source (a file or a component)
and the full key path, e.g. ``foundry-deployments:accounts[0].deployments[1].sku.name``.
The schema is documented in ``docs/stack-config.md``.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from versionguard.adapters.files.safe_load import read_yaml
from versionguard.core.errors import InputError
from versionguard.core.vocabulary import KNOWN_SKUS, UPGRADE_OPTIONS, canonical, closest

PROJECT = "foundry-deployments"
ACCOUNTS_KEY = f"{PROJECT}:accounts"
APPS_KEY = f"{PROJECT}:apps"
LOCATION_KEY = "azure-native:location"

ACCOUNT_KINDS: tuple[str, ...] = ("AIServices", "OpenAI")
NETWORK_ACCESS: tuple[str, ...] = ("Enabled", "Disabled")
DEFAULT_KIND = "AIServices"
DEFAULT_NETWORK_ACCESS = "Disabled"
DEFAULT_MODEL_FORMAT = "OpenAI"

# Account names double as the custom subdomain (DNS label): 2-64 alphanumerics or hyphens, no hyphen at
# either end. Deployment names: up to 64 of alphanumerics, '.', '_' and '-', starting alphanumeric.
_ACCOUNT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,62}[A-Za-z0-9]")
_DEPLOYMENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
# Container App names: 2-32 lower-case letters, digits or '-', starting with a letter, not ending with '-'.
_APP_NAME = re.compile(r"[a-z][a-z0-9-]{0,30}[a-z0-9]")
_ENVIRONMENT_ID = re.compile(
    r"/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.App/managedEnvironments/[^/]+", re.IGNORECASE)

_ACCOUNT_KEYS = (
    "name",
    "resourceGroupName",
    "location",
    "kind",
    "publicNetworkAccess",
    "ipRules",
    "tags",
    "deployments",
)
_DEPLOYMENT_KEYS = ("name", "model", "versionUpgradeOption", "sku", "raiPolicyName")
_MODEL_KEYS = ("name", "version", "format")
_SKU_KEYS = ("name", "capacity")
_APP_KEYS = ("name", "resourceGroupName", "location", "environmentId", "image", "account", "deployment", "tags")
_MISSING = object()


@dataclass(frozen=True)
class ModelSpec:
    """The model a deployment serves: ``format`` / ``name`` / ``version`` exactly as ARM spells them."""

    name: str
    version: str
    format: str = DEFAULT_MODEL_FORMAT


@dataclass(frozen=True)
class SkuSpec:
    """The deployment type (``GlobalStandard``, ``GlobalProvisionedManaged``, ...) and its capacity."""

    name: str
    capacity: int


@dataclass(frozen=True)
class DeploymentSpec:
    """One model deployment; ``name`` is both the Azure deployment name and its Pulumi resource name."""

    name: str
    model: ModelSpec
    version_upgrade_option: str
    sku: SkuSpec
    rai_policy_name: str | None = None
    key: str = field(default="", compare=False)  # config key path, for messages


@dataclass(frozen=True)
class AccountSpec:
    """A Foundry (Cognitive Services) account in an existing resource group, with its deployments."""

    name: str
    resource_group_name: str
    location: str
    deployments: tuple[DeploymentSpec, ...]
    kind: str = DEFAULT_KIND
    public_network_access: str = DEFAULT_NETWORK_ACCESS
    ip_rules: tuple[str, ...] = ()
    tags: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    key: str = field(default="", compare=False)


@dataclass(frozen=True)
class AppSpec:
    """A Container App that calls ``deployment`` of ``account`` over the v1 API (docs/stack-config.md)."""

    name: str
    resource_group_name: str
    location: str
    environment_id: str
    image: str
    account: str  # canonical name of one of the stack's accounts
    deployment: str  # canonical name of one of that account's deployments
    tags: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    key: str = field(default="", compare=False)


@dataclass(frozen=True)
class StackSpec:
    """A parsed stack file: its accounts plus the raw ``config`` mapping (for running the program)."""

    source: str
    location: str | None
    accounts: tuple[AccountSpec, ...]
    config: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}), hash=False, compare=False)
    apps: tuple[AppSpec, ...] = ()

    def deployments(self) -> Iterator[tuple[AccountSpec, DeploymentSpec]]:
        """Every deployment of the stack with the account it belongs to, in declaration order."""
        for account in self.accounts:
            for deployment in account.deployments:
                yield account, deployment


# --------------------------------------------------------------------------- value validators
# Shared with the components: ``source`` names a file or a component, ``key`` the field.


def _fail(source: str, key: str, expected: str, value: object) -> InputError:
    """An InputError that also says so when the value was YAML/JSON null (InputError omits None)."""
    if value is _MISSING:
        return InputError(source, key, f"{expected} (the key is missing)")
    if value is None:
        return InputError(source, key, f"{expected}, got null")
    return InputError(source, key, expected, value)


def _suggest(value: object, allowed: Sequence[str]) -> str:
    """`` (did you mean 'X'?)`` for the allowed value closest to ``value``, or nothing."""
    hint = closest(str(value), allowed)
    return f" (did you mean {hint!r}?)" if hint else ""


def require_text(value: object, source: str, key: str, what: str = "a non-empty string") -> str:
    """A non-empty string, stripped."""
    if not isinstance(value, str) or not value.strip():
        raise _fail(source, key, what, value)
    return value.strip()


def require_version(value: object, source: str, key: str) -> str:
    """A model version string; YAML numbers and dates are rejected with a hint to quote them."""
    if isinstance(value, bool) or not isinstance(value, int | float | dt.date):
        return require_text(value, source, key, "a non-empty version string")
    kind = "a date" if isinstance(value, dt.date) else "a number"
    # Quoting matters: YAML reads 0613 as octal 395 and 2024-07-18 as a date, losing the version.
    raise InputError(source, key, f'a version string; YAML read {kind}, so quote it (version: "...")', value)


def require_choice(value: object, allowed: Sequence[str], source: str, key: str) -> str:
    """The canonical spelling of ``value`` in ``allowed`` (case-insensitive), with a did-you-mean hint."""
    expected = "one of " + ", ".join(allowed)
    if not isinstance(value, str) or not value.strip():
        raise _fail(source, key, expected, value)
    found = canonical(value, allowed)
    if found is None:
        raise InputError(source, key, expected + _suggest(value, allowed), value)
    return found


def require_upgrade_option(value: object, source: str, key: str) -> str:
    """A ``versionUpgradeOption``; required explicitly, never defaulted."""
    return require_choice(value, UPGRADE_OPTIONS, source, key)


def require_sku_name(value: object, source: str, key: str) -> str:
    """A deployment type from the shared vocabulary."""
    return require_choice(value, KNOWN_SKUS, source, key)


def require_capacity(value: object, source: str, key: str) -> int:
    """A positive integer (``True`` is not 1 here)."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise _fail(source, key, "a positive integer", value)
    return value


def require_deployment_name(value: object, source: str, key: str) -> str:
    """An Azure deployment name, which is also the Pulumi resource name of the Deployment."""
    name = require_text(value, source, key, "a deployment name")
    if not _DEPLOYMENT_NAME.fullmatch(name):
        raise InputError(source, key, "a deployment name of up to 64 letters, digits, '.', '_' or '-'", name)
    return name


def require_account_name(value: object, source: str, key: str) -> str:
    """An account name, which is also its custom subdomain."""
    name = require_text(value, source, key, "an account name")
    if not _ACCOUNT_NAME.fullmatch(name):
        raise InputError(
            source, key, "2-64 letters, digits or '-' (no '-' at either end): it is the DNS subdomain", name
        )
    return name


# --------------------------------------------------------------------------- structure


def _mapping(value: object, allowed: Sequence[str], source: str, key: str, what: str) -> Mapping[str, Any]:
    """A mapping whose keys are all in ``allowed``; a typo gets a did-you-mean hint."""
    if not isinstance(value, Mapping):
        raise _fail(source, key, what, value)
    for name in value:
        if name not in allowed:
            raise InputError(source, f"{key}.{name}", "one of the keys " + ", ".join(allowed) + _suggest(name, allowed))
    return value


def _list(value: object, source: str, key: str, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise _fail(source, key, what, value)
    return value


def _parse_model(raw: object, source: str, key: str) -> ModelSpec:
    model = _mapping(raw, _MODEL_KEYS, source, key, "a mapping with name and version")
    fmt = model.get("format", DEFAULT_MODEL_FORMAT)
    return ModelSpec(
        name=require_text(model.get("name", _MISSING), source, f"{key}.name", "a model name"),
        version=require_version(model.get("version", _MISSING), source, f"{key}.version"),
        format=require_text(fmt, source, f"{key}.format", "a model format such as OpenAI"),
    )


def _parse_sku(raw: object, source: str, key: str) -> SkuSpec:
    sku = _mapping(raw, _SKU_KEYS, source, key, "a mapping with name and capacity")
    return SkuSpec(
        name=require_sku_name(sku.get("name", _MISSING), source, f"{key}.name"),
        capacity=require_capacity(sku.get("capacity", _MISSING), source, f"{key}.capacity"),
    )


def parse_deployment(raw: object, source: str, key: str) -> DeploymentSpec:
    """One entry of an account's ``deployments`` list."""
    item = _mapping(raw, _DEPLOYMENT_KEYS, source, key, "a deployment mapping")
    rai = item.get("raiPolicyName", _MISSING)
    return DeploymentSpec(
        name=require_deployment_name(item.get("name", _MISSING), source, f"{key}.name"),
        model=_parse_model(item.get("model", _MISSING), source, f"{key}.model"),
        version_upgrade_option=require_upgrade_option(
            item.get("versionUpgradeOption", _MISSING), source, f"{key}.versionUpgradeOption"
        ),
        sku=_parse_sku(item.get("sku", _MISSING), source, f"{key}.sku"),
        rai_policy_name=None if rai is _MISSING else require_text(rai, source, f"{key}.raiPolicyName"),
        key=key,
    )


def _parse_ip_rules(raw: object, source: str, key: str) -> tuple[str, ...]:
    rules: list[str] = []
    for i, rule in enumerate(_list(raw, source, key, "a list of IPv4 addresses or CIDR ranges")):
        text = require_text(rule, source, f"{key}[{i}]", "an IPv4 address or CIDR range")
        try:
            ok = ipaddress.ip_network(text, strict=False).version == 4
        except ValueError:
            ok = False
        if not ok:  # Azure network rules take IPv4 only
            raise InputError(source, f"{key}[{i}]", "an IPv4 address or CIDR range", text)
        rules.append(text)
    return tuple(rules)


def _parse_tags(raw: object, source: str, key: str) -> Mapping[str, str]:
    if not isinstance(raw, Mapping):
        raise _fail(source, key, "a mapping of tag names to strings", raw)
    for name, value in raw.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise InputError(source, f"{key}.{name}", "a string tag value", value)
    return MappingProxyType(dict(raw))


def parse_account(raw: object, source: str, key: str, default_location: str | None = None) -> AccountSpec:
    """One entry of the ``accounts`` list; ``location`` falls back to ``default_location``."""
    item = _mapping(raw, _ACCOUNT_KEYS, source, key, "an account mapping")
    name = require_account_name(item.get("name", _MISSING), source, f"{key}.name")
    group = require_text(
        item.get("resourceGroupName", _MISSING), source, f"{key}.resourceGroupName", "a resource group name"
    )
    location = require_text(
        item.get("location", _MISSING if default_location is None else default_location),
        source,
        f"{key}.location",
        f"an Azure location (or set {LOCATION_KEY})",
    )
    kind = require_choice(item.get("kind", DEFAULT_KIND), ACCOUNT_KINDS, source, f"{key}.kind")
    access = require_choice(
        item.get("publicNetworkAccess", DEFAULT_NETWORK_ACCESS), NETWORK_ACCESS, source, f"{key}.publicNetworkAccess"
    )
    ip_rules = _parse_ip_rules(item.get("ipRules", []), source, f"{key}.ipRules")
    if ip_rules and access == "Disabled":  # the rules would be silently inert; say so instead
        raise InputError(source, f"{key}.ipRules", "no ipRules while publicNetworkAccess is Disabled")
    tags = _parse_tags(item.get("tags", {}), source, f"{key}.tags")
    deployments = _list(item.get("deployments", _MISSING), source, f"{key}.deployments", "a list of deployments")
    return AccountSpec(
        name=name,
        resource_group_name=group,
        location=location,
        deployments=tuple(parse_deployment(d, source, f"{key}.deployments[{i}]") for i, d in enumerate(deployments)),
        kind=kind,
        public_network_access=access,
        ip_rules=ip_rules,
        tags=tags,
        key=key,
    )


def _check_unique(accounts: Sequence[AccountSpec], source: str) -> None:
    """Account and deployment names are Pulumi resource names and waiver targets: unique per stack.

    Compared case-insensitively because Azure treats these names that way.
    """
    first: dict[tuple[str, str], str] = {}
    named = [(a.key, "account", a.name) for a in accounts]
    named += [(d.key, "deployment", d.name) for a in accounts for d in a.deployments]
    for key, what, name in named:
        earlier = first.setdefault((what, name.casefold()), key)
        if earlier != key:
            raise InputError(
                source, f"{key}.name", f"a {what} name unique in the stack (also used at {earlier}.name)", name
            )


def parse_accounts(raw: object, source: str, *, default_location: str | None = None) -> tuple[AccountSpec, ...]:
    """Parse the value of ``foundry-deployments:accounts`` (as ``require_object`` or YAML returns it)."""
    items = _list(raw, source, ACCOUNTS_KEY, "a non-empty list of accounts")
    if not items:
        raise InputError(source, ACCOUNTS_KEY, "a non-empty list of accounts", items)
    accounts = tuple(parse_account(a, source, f"{ACCOUNTS_KEY}[{i}]", default_location) for i, a in enumerate(items))
    _check_unique(accounts, source)
    return accounts


def parse_app(raw: object, source: str, key: str, accounts: Sequence[AccountSpec],
              default_location: str | None = None) -> AppSpec:
    """One entry of ``apps``: its ``account`` and ``deployment`` must name ones the stack declares."""
    item = _mapping(raw, _APP_KEYS, source, key, "an app mapping")
    name = require_text(item.get("name", _MISSING), source, f"{key}.name", "a Container App name")
    if not _APP_NAME.fullmatch(name):
        raise InputError(source, f"{key}.name", "2-32 lower-case letters, digits or '-', starting with a letter and "
                                                "not ending with '-' (a Container App name)", name)
    environment = require_text(item.get("environmentId", _MISSING), source, f"{key}.environmentId",
                               "a managed environment resource id")
    if not _ENVIRONMENT_ID.fullmatch(environment):
        raise InputError(source, f"{key}.environmentId", "/subscriptions/<id>/resourceGroups/<group>/providers/"
                                                         "Microsoft.App/managedEnvironments/<name>", environment)
    by_name = {a.name.casefold(): a for a in accounts}
    account_name = require_text(item.get("account", _MISSING), source, f"{key}.account", "an account name")
    account = by_name.get(account_name.casefold())
    if account is None:
        names = [a.name for a in accounts]
        raise InputError(source, f"{key}.account", f"the name of an account of this stack ({', '.join(names)})"
                         + _suggest(account_name, names), account_name)
    deployment_name = require_text(item.get("deployment", _MISSING), source, f"{key}.deployment", "a deployment name")
    deployments = {d.name.casefold(): d.name for d in account.deployments}
    if deployment_name.casefold() not in deployments:
        raise InputError(source, f"{key}.deployment", f"the name of a deployment of account {account.name} ("
                         + (", ".join(deployments.values()) or "it has none") + ")", deployment_name)
    return AppSpec(
        name=name,
        resource_group_name=require_text(item.get("resourceGroupName", _MISSING), source, f"{key}.resourceGroupName",
                                         "a resource group name"),
        location=require_text(item.get("location", _MISSING if default_location is None else default_location),
                              source, f"{key}.location", f"an Azure location (or set {LOCATION_KEY})"),
        environment_id=environment,
        image=require_text(item.get("image", _MISSING), source, f"{key}.image", "a container image reference"),
        account=account.name,
        deployment=deployments[deployment_name.casefold()],
        tags=_parse_tags(item.get("tags", {}), source, f"{key}.tags"),
        key=key,
    )


def parse_apps(raw: object, source: str, accounts: Sequence[AccountSpec], *,
               default_location: str | None = None) -> tuple[AppSpec, ...]:
    """Parse the value of ``foundry-deployments:apps`` (optional; ``None`` = no apps)."""
    if raw is None:
        return ()
    items = _list(raw, source, APPS_KEY, "a list of apps")
    apps = tuple(parse_app(a, source, f"{APPS_KEY}[{i}]", accounts, default_location) for i, a in enumerate(items))
    first: dict[str, str] = {}
    for a in apps:
        earlier = first.setdefault(a.name, a.key)
        if earlier != a.key:
            raise InputError(source, f"{a.key}.name", f"an app name unique in the stack (also used at {earlier}.name)",
                             a.name)
    return apps


def parse_stack_config(config: object, source: str) -> StackSpec:
    """Parse the ``config:`` mapping of a stack file. Keys of other namespaces are left alone."""
    if not isinstance(config, Mapping):
        raise _fail(source, "config", "a mapping of config keys", config)
    known = (ACCOUNTS_KEY, APPS_KEY)
    for name in config:
        if isinstance(name, str) and name.startswith(f"{PROJECT}:") and name not in known:
            raise InputError(source, name, f"only {' or '.join(known)}" + _suggest(name, known))
    location = config.get(LOCATION_KEY)
    if location is not None:
        location = require_text(location, source, LOCATION_KEY, "an Azure location such as swedencentral")
    accounts = parse_accounts(config.get(ACCOUNTS_KEY, _MISSING), source, default_location=location)
    apps = parse_apps(config.get(APPS_KEY), source, accounts, default_location=location)
    return StackSpec(source=source, location=location, accounts=accounts, config=MappingProxyType(dict(config)),
                     apps=apps)


def load_stack_file(path: str | os.PathLike[str]) -> StackSpec:
    """Read and validate ``stacks/Pulumi.<stack>.yaml``; every failure is an InputError naming the file.

    versionguard's bounded YAML reader: duplicate keys, aliases, deep nesting and non-UTF-8 are errors."""
    source = str(path)
    doc = read_yaml(path, "UTF-8 stack file")
    if not isinstance(doc, Mapping):
        raise _fail(source, "(top level)", "a mapping with a 'config' key", doc)
    return parse_stack_config(doc.get("config", _MISSING), source)
