"""The CrossGuard policies: one pulumi_policy policy per rule, all backed by the engine.

``build_policies`` is what the pack process serves (:mod:`versionguard.adapters.crossguard.server`)
and what the offline ``check`` hands to the analyzer servicer, so both judge through the same code
path. Validations never raise: bad input becomes a violation naming it (fail closed); only
``UnknownValueError`` is raised on purpose, to get CrossGuard's standard advisory skip.

Two kinds of resource policy: the deployment rules (``check``) run on deployment resources only;
the api-version rules (``check_usages``) scan every resource's inputs, read from the wire form that
versionguard's servicer (:mod:`versionguard.adapters.crossguard.servicer`) hands them. A rule that
carries a ``remediate`` function gets a CrossGuard remediation that applies its property edits.
Secret inputs are shown as ``[secret]`` in every message
(:mod:`versionguard.adapters.crossguard.secrets`); the policies need versionguard's servicer for that
and fail closed under any other.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
)
from pulumi_policy import proxy as _proxy
from pulumi_policy.proxy import UnknownValueError

from versionguard.adapters.crossguard import secrets as pack_secrets
from versionguard.adapters.crossguard.secrets import SecretTexts
from versionguard.adapters.crossguard.servicer import ResourceFreeStackPolicy
from versionguard.adapters.crossguard.wire import UNKNOWN_SENTINELS, from_wire
from versionguard.adapters.evaluation_inputs import Runtime
from versionguard.core import engine
from versionguard.core.api_usage import UsageScan, scan, setting_names
from versionguard.core.errors import InputError
from versionguard.core.records import DeploymentRecord, Unknown, deployment_flavour, normalize
from versionguard.core.rules import RULES, SCOPES
from versionguard.core.rules.base import Context, Level, NeedsValue, Outcome, Rule
from versionguard.core.rules.base import Severity as RuleSeverity
from versionguard.core.settings import RuleSettings, rule_settings

_LEVELS = {
    Level.ADVISORY: EnforcementLevel.ADVISORY,
    Level.MANDATORY: EnforcementLevel.MANDATORY,
    Level.REMEDIATE: EnforcementLevel.REMEDIATE,
    Level.DISABLED: EnforcementLevel.DISABLED,
}
_SEVERITIES = {
    RuleSeverity.LOW: Severity.LOW,
    RuleSeverity.MEDIUM: Severity.MEDIUM,
    RuleSeverity.HIGH: Severity.HIGH,
    RuleSeverity.CRITICAL: Severity.CRITICAL,
}


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
            ctx = Context(runtime.as_of, runtime.catalog, settings, runtime.waivers, _stack(), SCOPES)
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

def _stack_validator(rule: Rule, runtime: Runtime):
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        try:
            settings = rule_settings(args.get_config(), f"policy config of {rule.meta.id}")
            ctx = Context(runtime.as_of, runtime.catalog, settings, runtime.waivers, _stack(), SCOPES)
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


def _remediator(rule: Rule, runtime: Runtime):
    """CrossGuard's ``remediate`` for a rule that carries one: apply the rule's property edits.

    Mutates ``args.props`` in place (the secrets-preserving proxy), so secret inputs stay secret.
    """
    remediate = rule.remediate
    assert remediate is not None

    def apply(args: ResourceValidationArgs) -> Mapping[str, Any] | None:
        if deployment_flavour(args.resource_type) is None:
            return None
        try:
            settings = rule_settings(args.get_config(), f"policy config of {rule.meta.id}")
            ctx = Context(runtime.as_of, runtime.catalog, settings, runtime.waivers, _stack(), SCOPES)
            record = normalize(args.resource_type, _SafeView(args.props), args.name, args.urn)
            edits = remediate(record, ctx)
            if not edits:
                return None
            props: Any = args.props
            for edit in edits:
                _set_path(props, edit.path.split("."), edit.value)
            return props
        except Exception:  # a failed remediation leaves the inputs alone; the validation still reports
            return None

    return apply


def _set_path(holder: Any, parts: list[str], value: Any) -> None:
    """Set ``holder[p0][p1]...`` to ``value``, creating absent (or null) parents; raise on any other
    parent, which the remediator turns into no remediation."""
    for i, part in enumerate(parts[:-1]):
        child = holder.get(part)
        if child is None:
            nested: Any = value
            for key in reversed(parts[i + 1:]):
                nested = {key: nested}
            holder[part] = nested
            return
        if not isinstance(child, Mapping):
            raise TypeError(f"{'.'.join(parts[:i + 1])} is not an object")
        holder = child
    holder[parts[-1]] = value


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
            remediate = _remediator(rule, runtime) if rule.remediate is not None else None
            policies.append(ResourceValidationPolicy(
                validate=_resource_validator(rule, runtime), remediate=remediate, **common))
    return policies
