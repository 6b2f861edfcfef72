"""Shared builders for the unit tests: a date-pinned catalog, deployment props for every resource
flavour, and a harness that drives the policies through pulumi_policy's real analyzer servicer.

Nothing here depends on today's date: every date is an offset from :data:`AS_OF`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import EnforcementLevel
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from versionguard.adapters.crossguard.policies import build_policies
from versionguard.adapters.crossguard.servicer import PACK_NAME, VersionguardServicer
from versionguard.adapters.evaluation_inputs import Runtime, WaivedHook
from versionguard.core.catalog import Catalog, catalog_from_data
from versionguard.core.engine import evaluate
from versionguard.core.records import DeploymentRecord, normalize
from versionguard.core.rules import BY_ID, RULES, SCOPES
from versionguard.core.rules.base import Context, Outcome
from versionguard.core.settings import RuleSettings
from versionguard.core.waivers import Waivers, waivers_from_data

AS_OF = dt.date(2026, 1, 15)
WINDOW = 90  # the documented default of retirementWindowDays
UNKNOWN = UNKNOWN_STRING_VALUE
SECRET_SIG = "4dabf18193072939515e22adb298388d"
SECRET_VALUE_SIG = "1b47061264138c4ac30d75fd1eb44270"

NATIVE = "azure-native:cognitiveservices:Deployment"
VERSIONED = "azure-native:cognitiveservices/v20230501:Deployment"
CLASSIC = "azure:cognitive/deployment:Deployment"
FLAVOURS: dict[str, str] = {"native": NATIVE, "versioned": VERSIONED, "classic": CLASSIC}
NATIVE_FLAVOURS = ("native", "versioned")

RESOURCE_POLICIES = tuple(r.meta.id for r in RULES if r.check is not None)
STACK_POLICIES = tuple(r.meta.id for r in RULES if r.check_stack is not None)
ALL_POLICIES = frozenset(r.meta.id for r in RULES)
DEFAULT_LEVELS: dict[str, str] = {r.meta.id: r.meta.level.value for r in RULES}

_LEVEL_VALUES = {"advisory": analyzer_pb2.ADVISORY, "mandatory": analyzer_pb2.MANDATORY,
                 "remediate": analyzer_pb2.REMEDIATE, "disabled": analyzer_pb2.DISABLED}
_LEVEL_NAMES = {v: k for k, v in _LEVEL_VALUES.items()}


def day(offset: int, base: dt.date = AS_OF) -> dt.date:
    return base + dt.timedelta(days=offset)


def iso(offset: int, base: dt.date = AS_OF) -> str:
    return day(offset, base).isoformat()


# --- catalog ---------------------------------------------------------------------------------------

def version_entry(version: str, lifecycle: str = "ga", **extra: Any) -> dict[str, Any]:
    return {"version": version, "lifecycle": lifecycle, "sources": ["src"], **extra}


def catalog_data(*models: tuple[str, list[dict[str, Any]]], as_of: dt.date = AS_OF) -> dict[str, Any]:
    return {
        "schema": 1,
        "as_of": as_of.isoformat(),
        "sources": {"src": {"title": "test source", "url": "https://example.test/src", "date": as_of.isoformat()}},
        "models": [{"name": name, "versions": versions} for name, versions in models],
    }


# Model "m": one version per interesting retirement offset (window default 90 days).
M_VERSIONS: list[dict[str, Any]] = [
    version_entry("past", "deprecated", retirement=iso(-1), replacement={"name": "m", "version": "far"}),
    version_entry("today", "deprecated", retirement=iso(0)),
    version_entry("tomorrow", retirement=iso(1)),
    version_entry("soon", retirement=iso(30), replacement={"name": "gpt-test", "version": "2024-05-13"}),
    version_entry("edge", retirement=iso(WINDOW)),
    version_entry("beyond", retirement=iso(WINDOW + 1)),
    version_entry("far", default=True, default_since=iso(-100), retirement=iso(400)),
    # Standard retires in 30 days (inside the window); every other SKU in 400 days.
    version_entry("split", retirement=iso(400), retirement_by_sku={"Standard": iso(30)}),
    # Standard has already retired; every other SKU in 400 days.
    version_entry("split-gone", retirement=iso(400), retirement_by_sku={"Standard": iso(-10)}),
    # ProvisionedManaged retires in 30 days; every other SKU in 400 days.
    version_entry("split-ptu", retirement=iso(400), retirement_by_sku={"ProvisionedManaged": iso(30)}),
    version_entry("preview", "preview", retirement=iso(200)),
    version_entry("preview-soon", "preview", retirement=iso(10)),
    version_entry("gone", "retired"),  # retired, no date recorded
    version_entry("open"),  # no retirement announced
]
OTHER_VERSIONS: list[dict[str, Any]] = [version_entry("2024-05-13", retirement=iso(400))]


def sample_catalog_data(as_of: dt.date = AS_OF) -> dict[str, Any]:
    return catalog_data(("m", M_VERSIONS), ("gpt-test", OTHER_VERSIONS), as_of=as_of)


def make_catalog(as_of: dt.date = AS_OF) -> Catalog:
    return catalog_from_data(sample_catalog_data(as_of), "test")


def offset_catalog(offsets: Iterable[int], sku_offsets: Mapping[str, int] | None = None,
                   as_of: dt.date = AS_OF) -> Catalog:
    """Model ``m`` with one version ``d<offset>`` retiring ``offset`` days after ``as_of`` (per-SKU
    overrides from ``sku_offsets``, each relative to that version's own retirement)."""
    versions = [
        version_entry(f"d{o}", retirement=iso(o, as_of),
                      **({"retirement_by_sku": {k: iso(o + d, as_of) for k, d in sku_offsets.items()}}
                         if sku_offsets else {}))
        for o in offsets
    ]
    return catalog_from_data(catalog_data(("m", versions), as_of=as_of), "offsets")


def make_runtime(
    as_of: dt.date = AS_OF,
    catalog: Catalog | None = None,
    waivers: Waivers | list[dict[str, Any]] | None = None,
    on_waived: WaivedHook | None = None,
) -> Runtime:
    if isinstance(waivers, list):
        waivers = waivers_from_data({"waivers": waivers}, "test-waivers.yaml")
    return Runtime(as_of, catalog or make_catalog(), waivers or Waivers(), on_waived)


# --- deployment props --------------------------------------------------------------------------------

class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()  # leave the property out entirely


def deployment(
    flavour: str = "native",
    model: Any = "m",
    version: Any = "far",
    option: Any = MISSING,
    sku: Any = "GlobalStandard",
    fmt: Any = "OpenAI",
) -> dict[str, Any]:
    """Props as the engine presents a deployment of the given flavour (camelCase wire names)."""
    model_obj = {k: v for k, v in (("format", fmt), ("name", model), ("version", version)) if v is not MISSING}
    if flavour == "classic":
        props: dict[str, Any] = {"name": "dep", "cognitiveAccountId": "/subscriptions/s/accounts/acct",
                                 "model": model_obj}
        if option is not MISSING:
            props["versionUpgradeOption"] = option
        if sku is not MISSING:
            props["sku"] = {"name": sku, "capacity": 10.0}
        return props
    body: dict[str, Any] = {"model": model_obj}
    if option is not MISSING:
        body["versionUpgradeOption"] = option
    props = {"accountName": "acct", "resourceGroupName": "rg", "deploymentName": "dep", "properties": body}
    if sku is not MISSING:
        props["sku"] = {"name": sku, "capacity": 10.0}
    return props


def secret(value: Any) -> dict[str, Any]:
    return {SECRET_SIG: SECRET_VALUE_SIG, "value": value}


def struct_of(props: Mapping[str, Any]) -> struct_pb2.Struct:
    s = struct_pb2.Struct()
    s.update(dict(props))
    return s


def urn_of(type_: str, name: str, stack: str = "dev") -> str:
    return f"urn:pulumi:{stack}::foundry-deployments::{type_}::{name}"


# --- the real CrossGuard path ------------------------------------------------------------------------

@dataclass(frozen=True)
class Diag:
    policy: str
    level: str
    message: str  # without CrossGuard's description prefix
    raw: str  # the message as CrossGuard sent it

    @property
    def is_preview_skip(self) -> bool:
        return self.raw.startswith(f"can't run policy '{self.policy}' from policy pack 'versionguard@v0.0.1' "
                                   "during preview:")


class Pack:
    """The pack's policies inside pulumi_policy's own analyzer servicer, configured the way the engine
    configures it: every policy with an explicit level and its schema defaults, then ``config`` (the
    ``--policy-pack-config`` shape: a level string or an object with ``enforcementLevel`` and properties)."""

    def __init__(self, runtime: Runtime, config: Mapping[str, Any] | None = None) -> None:
        self.servicer = VersionguardServicer(PACK_NAME, "0.0.1", build_policies(runtime),
                                                EnforcementLevel.ADVISORY)
        info = self.servicer.GetAnalyzerInfo(empty_pb2.Empty(), None)
        self.descriptions = {p.name: p.description for p in info.policies}
        config = dict(config or {})
        request = analyzer_pb2.ConfigureAnalyzerRequest()
        for p in info.policies:
            schema = json_format.MessageToDict(p.configSchema).get("properties", {})
            level = p.enforcementLevel
            props = {k: v["default"] for k, v in schema.items() if "default" in v}
            if isinstance(config.get("all"), str):
                level = _LEVEL_VALUES[config["all"]]
            given = config.get(p.name)
            if isinstance(given, str):
                level = _LEVEL_VALUES[given]
            elif isinstance(given, Mapping):
                given = dict(given)
                if "enforcementLevel" in given:
                    level = _LEVEL_VALUES[given.pop("enforcementLevel")]
                props.update(given)
            entry = request.policyConfig[p.name]
            entry.enforcementLevel = level
            entry.properties.update(props)
        self.servicer.Configure(request, None)

    def request(self, props: Mapping[str, Any], type_: str = NATIVE, name: str = "dep",
                urn: str | None = None) -> analyzer_pb2.AnalyzeRequest:
        return analyzer_pb2.AnalyzeRequest(type=type_, properties=struct_of(props), name=name,
                                           urn=urn or urn_of(type_, name))

    def analyze(self, props: Mapping[str, Any], type_: str = NATIVE, name: str = "dep",
                urn: str | None = None) -> list[Diag]:
        response = self.servicer.Analyze(self.request(props, type_, name, urn), None)
        return self._diags(response)

    def flavour(self, flavour: str, policy: str | None = None, **fields: Any) -> list[Diag]:
        """Analyze ``deployment(flavour, **fields)``; only ``policy``'s diagnostics when given."""
        diags = self.analyze(deployment(flavour, **fields), FLAVOURS[flavour])
        return [d for d in diags if policy is None or d.policy == policy]

    def remediate(self, props: Mapping[str, Any], type_: str = NATIVE,
                  name: str = "dep") -> analyzer_pb2.RemediateResponse:
        return self.servicer.Remediate(self.request(props, type_, name), None)

    def analyze_stack(self, resources: Iterable[tuple[str, Mapping[str, Any]]] = ()) -> list[Diag]:
        request = analyzer_pb2.AnalyzeStackRequest(resources=[
            analyzer_pb2.AnalyzerResource(type=t, properties=struct_of(p), urn=urn_of(t, f"r{i}"), name=f"r{i}")
            for i, (t, p) in enumerate(resources)
        ])
        return self._diags(self.servicer.AnalyzeStack(request, None))

    def _diags(self, response: Any) -> list[Diag]:
        out = []
        for d in response.diagnostics:
            prefix = self.descriptions.get(d.policyName, "") + "\n"
            message = d.message[len(prefix):] if d.message.startswith(prefix) else d.message
            out.append(Diag(d.policyName, _LEVEL_NAMES[d.enforcementLevel], message, d.message))
        return out


PackFactory = Callable[..., Pack]


def record(flavour: str = "native", name: str = "dep", **fields: Any) -> DeploymentRecord:
    """The engine's record of ``deployment(flavour, **fields)`` (plain data, no proxies)."""
    type_ = FLAVOURS[flavour]
    return normalize(type_, deployment(flavour, **fields), name, urn_of(type_, name))


def context(catalog: Catalog | None = None, as_of: dt.date = AS_OF, stack: str | None = "dev",
            waivers: Waivers | None = None, **settings: Any) -> Context:
    return Context(as_of, catalog or make_catalog(), RuleSettings(**settings), waivers or Waivers(), stack, SCOPES)


def outcomes(rule_id: str, rec: DeploymentRecord, ctx: Context) -> list[Outcome]:
    return evaluate(BY_ID[rule_id], rec, ctx)


def only(diags: Iterable[Diag], policy: str) -> list[Diag]:
    return [d for d in diags if d.policy == policy]


def policies_of(diags: Iterable[Diag]) -> set[str]:
    return {d.policy for d in diags}


def struct_to_dict(s: struct_pb2.Struct) -> dict[str, Any]:
    return json_format.MessageToDict(s)
