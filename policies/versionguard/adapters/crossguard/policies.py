"""The CrossGuard adapter: one pulumi_policy policy per rule, all backed by the engine.

``build_policies`` is what ``policies/__main__.py`` hands to ``PolicyPack`` and what the offline
``check`` hands to the analyzer servicer, so both judge through the same code path.
Validations never raise: bad input becomes a violation naming it (fail closed); only
``UnknownValueError`` is raised on purpose, to get CrossGuard's standard advisory skip.

Two kinds of resource policy: the deployment rules (``check``) run on deployment resources only;
the api-version rules (``check_usages``) scan every resource's inputs. :class:`VersionguardServicer`
is pulumi_policy's servicer with two changes that keep the pack affordable and secret-aware: it
reads an Analyze request's properties once for all policies (the stock one deserializes them again
for each policy) and hands the policies the wire form too, in which Pulumi secrets are still marked;
and its AnalyzeStack does not deserialize the stack's resources for versionguard's stack policies,
which read none. Secret inputs are shown as ``[secret]`` in every message
(:mod:`versionguard.adapters.crossguard.secrets`); the policies need versionguard's servicer for that and
fail closed under any other.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent import futures
from inspect import isawaitable
from typing import Any, NoReturn

import grpc
from google.protobuf import json_format
from pulumi.runtime import proto
from pulumi.runtime.proto import analyzer_pb2_grpc
from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy import policy as _policy
from pulumi_policy import proxy as _proxy
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from versionguard.adapters.crossguard import secrets as pack_secrets
from versionguard.adapters.crossguard.secrets import SecretTexts
from versionguard.adapters.crossguard.wire import UNKNOWN_SENTINELS, from_wire
from versionguard.adapters.evaluation_inputs import Runtime, load_runtime
from versionguard.core import engine
from versionguard.core.api_usage import UsageScan, scan, setting_names
from versionguard.core.errors import InputError
from versionguard.core.records import DeploymentRecord, Unknown, deployment_flavour, normalize
from versionguard.core.rules import RULES
from versionguard.core.rules.base import Context, Level, NeedsValue, Outcome, Rule
from versionguard.core.settings import RuleSettings, rule_settings

PACK_NAME = "versionguard"

_LEVELS = {
    Level.ADVISORY: EnforcementLevel.ADVISORY,
    Level.MANDATORY: EnforcementLevel.MANDATORY,
    Level.REMEDIATE: EnforcementLevel.REMEDIATE,
    Level.DISABLED: EnforcementLevel.DISABLED,
}
_SEVERITIES = {"low": Severity.LOW, "medium": Severity.MEDIUM, "high": Severity.HIGH, "critical": Severity.CRITICAL}


def to_plain(value: Any, path: tuple[str, ...] = ()) -> Any:
    """Copy CrossGuard's property proxies into plain data, unknowns as ``records.Unknown``.

    Iterating a proxy does not read values, so an unknown only matters to a rule that needs it.
    """
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key in value:
            try:
                item = value[key]
            except UnknownValueError as e:
                out[key] = Unknown(tuple(e.props), e.unknown_type_sentinel)
                continue
            out[key] = to_plain(item, (*path, str(key)))
        return out
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        items: list[Any] = []
        for i in range(len(value)):
            try:
                items.append(to_plain(value[i], (*path, str(i))))
            except UnknownValueError as e:
                items.append(Unknown(tuple(e.props), e.unknown_type_sentinel))
        return items
    if isinstance(value, str) and value in UNKNOWN_SENTINELS:
        return Unknown(path, value)
    return value


class _SafeView(Mapping[str, Any]):
    """A read-only view of CrossGuard props where an unknown reads as ``records.Unknown``.

    The engine reads half a dozen paths; wrapping lazily avoids copying every property for each
    of the eight resource policies that run on one resource.
    """

    __slots__ = ("_path", "_target")

    def __init__(self, target: Mapping[str, Any], path: tuple[str, ...] = ()) -> None:
        self._target = target
        self._path = path

    def __getitem__(self, key: str) -> Any:
        path = (*self._path, str(key))
        try:
            value = self._target[key]
        except UnknownValueError as e:
            return Unknown(tuple(e.props), e.unknown_type_sentinel)
        if isinstance(value, str):
            return Unknown(path, value) if value in UNKNOWN_SENTINELS else value
        if isinstance(value, Mapping):
            return _SafeView(value, path)
        if isinstance(value, Sequence):
            return to_plain(value, path)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        # Not ``key in target``: Mapping.__contains__ reads the value, which raises on unknowns.
        try:
            return self[key]
        except KeyError:
            return default

    def __iter__(self):
        return iter(self._target)

    def __len__(self) -> int:
        return len(self._target)


def _stack() -> str | None:
    # The language host sets PULUMI_STACK for the pack; the offline check sets it too.
    return os.environ.get("PULUMI_STACK") or None


class _NotJudgeable(UnknownValueError):
    """CrossGuard's advisory skip with versionguard's own reason (an api-version the catalog lacks)."""

    def __init__(self, outcome: NeedsValue) -> None:
        super().__init__(outcome.unknown.sentinel or _proxy.UNKNOWN_STRING_VALUE, list(outcome.unknown.path))
        self.message = outcome.reason


def _resource_validator(rule: Rule, runtime: Runtime):
    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        if rule.check is not None and deployment_flavour(args.resource_type) is None:
            return
        secrets = pack_secrets.secrets_of(args)  # the texts themselves only when a message is reported
        if secrets is None:  # no message may show a value that might be a secret
            report("versionguard cannot tell this resource's secret inputs from plain ones, failing closed.")
            return

        def report_violation(message: str) -> None:
            report(secrets.redact(message))

        try:
            settings = rule_settings(args.get_config(), f"policy config of {rule.meta.id}")
            ctx = Context(runtime.as_of, runtime.catalog, settings, runtime.waivers, _stack())
            if rule.check_usages is not None:
                usages = usage_scan(args, settings)
                if usages.empty:
                    return
                outcomes = engine.evaluate_usages(rule, usages, ctx)
            else:
                outcomes = engine.evaluate(rule, deployment_record(args), ctx)
        except InputError as e:
            report_violation(f"versionguard cannot evaluate this resource: {e}")
            return
        except Exception as e:  # fail closed: a bug must never look like a pass
            report_violation(f"versionguard internal error, failing closed: {type(e).__name__}: {e}")
            return
        _report(rule, runtime, args, ctx, outcomes, report_violation, secrets)

    return validate


def _report(rule: Rule, runtime: Runtime, args: ResourceValidationArgs, ctx: Context, outcomes: Sequence[Outcome],
            report_violation: ReportViolation, secrets: SecretTexts) -> None:
    for outcome in outcomes:
        if isinstance(outcome, NeedsValue):
            if not ctx.settings.fail_on_unknown:
                if outcome.reason:
                    raise _NotJudgeable(outcome)
                raise UnknownValueError(outcome.unknown.sentinel or _proxy.UNKNOWN_STRING_VALUE,
                                        list(outcome.unknown.path))
            message = f"{engine.unknown_message(outcome)} and failOnUnknown is set."
        else:
            message = outcome.message
        waiver = runtime.waivers.find(rule.meta.id, args.name, args.urn, ctx.stack, runtime.as_of)
        if waiver is None:
            report_violation(message)
        elif runtime.on_waived is not None:
            runtime.on_waived(rule.meta.id, args.name, args.urn, secrets.redact(message), waiver)


def usage_scan(args: ResourceValidationArgs, settings: RuleSettings) -> UsageScan:
    """The api-version usages of the resource, read from the request's wire form (where Pulumi
    secrets are still marked, so they are not read), once per request and setting names."""
    wire = getattr(args, "wire", None)
    if wire is None:  # not under versionguard's servicer: secrets_of failed the validation closed already
        raise RuntimeError("no wire form: the api-version scan needs versionguard's servicer")
    names = setting_names(settings.setting_names)
    shared: dict[Any, Any] | None = getattr(args, "shared", None)
    if shared is None:
        shared = {}
    found = shared.get(names)
    if found is None:
        if "plain" not in shared:
            shared["plain"] = from_wire(wire)
        found = shared[names] = scan(args.resource_type, shared["plain"], args.name, args.urn, names)
    return found


def deployment_record(args: ResourceValidationArgs) -> DeploymentRecord:
    """The resource's deployment record, normalized once per request (every deployment rule reads
    the same one; a record is immutable)."""
    shared: dict[Any, Any] | None = getattr(args, "shared", None)
    record = shared.get("record") if shared is not None else None
    if record is None:
        record = normalize(args.resource_type, _SafeView(args.props), args.name, args.urn)
        if shared is not None:
            shared["record"] = record
    return record


class _Args(ResourceValidationArgs):
    """Validation args that also carry the wire-form properties and a per-request cache."""

    def __init__(self, *args: Any, wire: Mapping[str, Any], shared: dict[Any, Any]) -> None:
        super().__init__(*args)
        self.wire = wire
        self.shared = shared


class ResourceFreeStackPolicy(StackValidationPolicy):
    """A stack policy whose validation reads no resource of the stack (``args.resources`` is empty):
    versionguard's stack rules judge the catalog and the waivers, never a resource."""


# What pulumi_policy's _configure_runtime_settings reads.
_RUNTIME_ENV = ("PULUMI_CONFIG", "PULUMI_PROJECT", "PULUMI_STACK", "PULUMI_DRY_RUN", "PULUMI_ORGANIZATION")


class VersionguardServicer(_policy._PolicyAnalyzerServicer):
    """pulumi_policy's analyzer servicer, reading each Analyze request's properties once and each
    AnalyzeStack request's resources only for a stack policy that reads them.

    ``Analyze`` is the stock method's loop (enforcement levels, remediate reported as mandatory,
    the advisory skip on unknown values, not-applicable) with the properties, options and provider
    deserialized before it instead of once per policy. Policies only read the shared props.
    ``AnalyzeStack`` is the stock method when any enabled stack policy may read the resources;
    when all are :class:`ResourceFreeStackPolicy` (versionguard's), the same loop without
    deserializing every resource once per policy.
    """

    def Analyze(self, request: Any, _context: Any) -> Any:
        self._configure_runtime_settings()
        response = proto.AnalyzeResponse()
        read: tuple[Any, ...] | None = None
        shared: dict[Any, Any] = {}
        for policy, report in self._enabled(ResourceValidationPolicy, response):
            if not policy.has_validation():
                response.not_applicable.append(proto.PolicyNotApplicable(
                    policy_name=policy.name, reason="Policy does not implement validate"))
                continue
            if read is None:
                wire = json_format.MessageToDict(request.properties)
                read = (unknown_checking_proxy(deserialize_properties(wire)), self._get_resource_options(request),
                        self._get_provider_resource(request), wire)
            props, opts, provider, wire = read
            args = _Args(request.type, props, request.urn, request.name, opts, provider,
                         self._get_policy_config(policy.name), self._private("stack_tags"), wire=wire, shared=shared)
            self._validate(policy, args, report, response)
        return response

    def AnalyzeStack(self, request: Any, _context: Any) -> Any:
        enabled = [p for p in self._private("policies") if isinstance(p, StackValidationPolicy)
                   and self._get_enforcement_level(p) != EnforcementLevel.DISABLED]
        if not all(isinstance(p, ResourceFreeStackPolicy) for p in enabled):
            return super().AnalyzeStack(request, _context)
        self._configure_runtime_settings()
        response = proto.AnalyzeResponse()
        for policy, report in self._enabled(StackValidationPolicy, response):
            args = StackValidationArgs([], self._get_policy_config(policy.name), self._private("stack_tags"))
            self._validate(policy, args, report, response)
        return response

    def _configure_runtime_settings(self) -> None:
        """The stock method, run again only when its inputs changed (per thread: the runtime config
        is a context variable). It parses the stack's whole ``PULUMI_CONFIG`` on every call, which
        made a stack's analysis O(resources x config size), i.e. quadratic in deployments."""
        key = tuple(os.environ.get(name) for name in _RUNTIME_ENV)
        seen: dict[int, tuple[str | None, ...]] = self.__dict__.setdefault("_runtime_env_seen", {})
        if seen.get(threading.get_ident()) == key:
            return
        super()._configure_runtime_settings()
        seen[threading.get_ident()] = key

    def _enabled(self, kind: type[Policy], response: Any) -> Iterator[tuple[Any, ReportViolation]]:
        """Each enabled policy of ``kind`` with its report function; remediate reports as mandatory."""
        for policy in self._private("policies"):
            level = self._get_enforcement_level(policy)
            if level == EnforcementLevel.DISABLED or not isinstance(policy, kind):
                continue
            if level == EnforcementLevel.REMEDIATE:
                level = EnforcementLevel.MANDATORY
            yield policy, self._create_report_violation(response, policy.name, policy.description, level,
                                                        policy.severity)

    def _validate(self, policy: Any, args: Any, report: ReportViolation, response: Any) -> None:
        """Run one validation as the stock servicer does: an unknown value is the advisory "can't run
        policy during preview" diagnostic, ``args.not_applicable()`` a not-applicable entry."""
        pack_name, pack_version = self._private("policy_pack_name"), self._private("policy_pack_version")
        try:
            result = policy.validate(args, report)
            if isawaitable(result):
                loop = asyncio.new_event_loop()
                loop.run_until_complete(result)
                loop.close()
        except UnknownValueError as e:
            response.diagnostics.append(proto.AnalyzeDiagnostic(
                policyName=policy.name, policyPackName=pack_name, policyPackVersion=pack_version,
                message=(f"can't run policy '{policy.name}' from policy pack '{pack_name}@v{pack_version}' "
                         f"during preview: {e.message}"),
                urn="", description=policy.description,
                enforcementLevel=self._map_enforcement_level(EnforcementLevel.ADVISORY)))
        except _policy._NotApplicableError as e:
            response.not_applicable.append(proto.PolicyNotApplicable(policy_name=policy.name, reason=e.reason or ""))

    def _private(self, name: str) -> Any:
        """The base class's name-mangled attribute ``__<name>``."""
        return getattr(self, f"_PolicyAnalyzerServicer__{name}")


def _stack_validator(rule: Rule, runtime: Runtime):
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        try:
            settings = rule_settings(args.get_config(), f"policy config of {rule.meta.id}")
            ctx = Context(runtime.as_of, runtime.catalog, settings, runtime.waivers, _stack())
            outcomes = engine.evaluate_stack(rule, ctx)
        except InputError as e:
            report_violation(f"versionguard cannot evaluate this stack: {e}")
            return
        except Exception as e:  # fail closed
            report_violation(f"versionguard internal error, failing closed: {type(e).__name__}: {e}")
            return
        for outcome in outcomes:
            report_violation(engine.message_of(outcome))

    return validate


def _write_default_upgrade_option(args: ResourceValidationArgs) -> Mapping[str, Any] | None:
    """Remediation of upgrade-option-explicit: write the behaviour that applies today.

    Mutates ``args.props`` in place (the secrets-preserving proxy), so secret inputs stay secret.
    """
    flavour = deployment_flavour(args.resource_type)
    if flavour is None:
        return None
    try:
        record = normalize(args.resource_type, _SafeView(args.props), args.name, args.urn)
        if record.upgrade_option is not None:
            return None
        value = record.default_upgrade_option
        props: Any = args.props
        if flavour == "classic":
            props["versionUpgradeOption"] = value
            return props
        body = props.get("properties")
        if body is None:
            props["properties"] = {"versionUpgradeOption": value}
        elif isinstance(body, Mapping):  # the record said absent (or blank): unknowns never get here
            body["versionUpgradeOption"] = value  # type: ignore[index]
        else:
            return None
        return props
    except Exception:  # a failed remediation leaves the inputs alone; the validation still reports
        return None


def build_policies(runtime: Runtime) -> list[Policy]:
    """One CrossGuard policy per rule, with docs, severity, level and config schema."""
    policies: list[Policy] = []
    for rule in RULES:
        meta = rule.meta
        common: dict[str, Any] = dict(
            name=meta.id,
            description=meta.description,
            enforcement_level=_LEVELS[meta.level],
            config_schema=PolicyConfigSchema(properties=meta.config) if meta.config else None,
            display_name=meta.title,
            severity=_SEVERITIES[meta.severity],
            remediation_steps=meta.remediation,
            url=meta.url,
        )
        if rule.check_stack is not None:
            policies.append(ResourceFreeStackPolicy(validate=_stack_validator(rule, runtime), **common))
        else:
            remediate = _write_default_upgrade_option if meta.id == "upgrade-option-explicit" else None
            policies.append(ResourceValidationPolicy(
                validate=_resource_validator(rule, runtime), remediate=remediate, **common))
    return policies


def serve(policies: list[Policy], *, description: str, display_name: str) -> NoReturn:
    """Serve the pack as ``PolicyPack(...)`` does (same gRPC server, options and port line on stdout),
    with :class:`VersionguardServicer`. Never returns."""
    servicer = VersionguardServicer(PACK_NAME, "0.0.1", policies, EnforcementLevel.ADVISORY, None, description,
                                    display_name)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4), options=_policy._GRPC_CHANNEL_OPTIONS)
    analyzer_pb2_grpc.add_AnalyzerServicer_to_server(servicer, server)
    port = server.add_insecure_port(address="127.0.0.1:0")
    server.start()
    sys.stdout.buffer.write(f"{port}\n".encode())
    sys.stdout.flush()
    try:
        while True:
            time.sleep(24 * 60 * 60)
    except KeyboardInterrupt:
        server.stop(0)
    raise SystemExit(0)


def load_runtime_or_exit() -> Runtime:
    """For the pack process: a bad catalog, waivers file or variable stops the pack, loudly."""
    try:
        return load_runtime()
    except InputError as e:
        print(f"versionguard policy pack cannot start: {e}", file=sys.stderr)
        raise SystemExit(2) from None

