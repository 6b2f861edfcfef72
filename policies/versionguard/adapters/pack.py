"""The CrossGuard adapter: one pulumi_policy policy per rule, all backed by the engine.

``build_policies`` is what ``policies/__main__.py`` hands to ``PolicyPack`` and what the offline
``check`` hands to pulumi_policy's analyzer servicer, so both judge through the same code path.
Validations never raise: bad input becomes a violation naming it (fail closed); only
``UnknownValueError`` is raised on purpose, to get CrossGuard's standard advisory skip. Secret inputs
are shown as ``[secret]`` in every message (``pack_secrets``).
"""

from __future__ import annotations

import os
import sys
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
    StackValidationPolicy,
)
from pulumi_policy import proxy as _proxy
from pulumi_policy.proxy import UnknownValueError

from versionguard.adapters import pack_secrets
from versionguard.adapters.runtime import Runtime, load_runtime
from versionguard.core import engine
from versionguard.core.errors import InputError
from versionguard.core.records import Unknown, deployment_flavour, normalize
from versionguard.core.rules import RULES
from versionguard.core.rules.base import Context, Level, NeedsValue, Rule
from versionguard.core.settings import rule_settings

PACK_NAME = "versionguard"

_UNKNOWN_SENTINELS = frozenset({
    _proxy.UNKNOWN_BOOLEAN_VALUE, _proxy.UNKNOWN_NUMBER_VALUE, _proxy.UNKNOWN_STRING_VALUE,
    _proxy.UNKNOWN_ARRAY_VALUE, _proxy.UNKNOWN_ASSET_VALUE, _proxy.UNKNOWN_ARCHIVE_VALUE,
    _proxy.UNKNOWN_OBJECT_VALUE,
})
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
    if isinstance(value, str) and value in _UNKNOWN_SENTINELS:
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
            return Unknown(path, value) if value in _UNKNOWN_SENTINELS else value
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


def _resource_validator(rule: Rule, runtime: Runtime):
    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        secrets = pack_secrets.take()
        if deployment_flavour(args.resource_type) is None:
            return
        if secrets is None:  # the secrets hook did not see this request: no message may show a value
            report("versionguard cannot tell this resource's secret inputs from plain ones, failing closed.")
            return

        def report_violation(message: str) -> None:
            report(pack_secrets.redact(message, secrets))

        try:
            settings = rule_settings(args.get_config(), f"policy config of {rule.meta.id}")
            record = normalize(args.resource_type, _SafeView(args.props), args.name, args.urn)
            ctx = Context(runtime.as_of, runtime.catalog, settings, runtime.waivers, _stack())
            outcomes = engine.evaluate(rule, record, ctx)
        except InputError as e:
            report_violation(f"versionguard cannot evaluate this resource: {e}")
            return
        except Exception as e:  # fail closed: a bug must never look like a pass
            report_violation(f"versionguard internal error, failing closed: {type(e).__name__}: {e}")
            return
        for outcome in outcomes:
            if isinstance(outcome, NeedsValue):
                if not settings.fail_on_unknown:
                    raise UnknownValueError(outcome.unknown.sentinel or _proxy.UNKNOWN_STRING_VALUE,
                                            list(outcome.unknown.path))
                message = f"{engine.unknown_message(outcome)} and failOnUnknown is set."
            else:
                message = outcome.message
            waiver = runtime.waivers.find(rule.meta.id, args.name, args.urn, ctx.stack, runtime.as_of)
            if waiver is None:
                report_violation(message)
            elif runtime.on_waived is not None:
                runtime.on_waived(rule.meta.id, args.name, args.urn, pack_secrets.redact(message, secrets), waiver)

    return validate


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
    pack_secrets.install()  # messages must be able to tell secret inputs apart
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
            policies.append(StackValidationPolicy(validate=_stack_validator(rule, runtime), **common))
        else:
            remediate = _write_default_upgrade_option if meta.id == "upgrade-option-explicit" else None
            policies.append(ResourceValidationPolicy(
                validate=_resource_validator(rule, runtime), remediate=remediate, **common))
    return policies


def load_runtime_or_exit() -> Runtime:
    """For the pack process: a bad catalog, waivers file or variable stops the pack, loudly."""
    try:
        return load_runtime()
    except InputError as e:
        print(f"versionguard policy pack cannot start: {e}", file=sys.stderr)
        raise SystemExit(2) from None

