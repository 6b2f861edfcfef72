"""``versionguard audit``: judge live deployments with the same rules, levels and waivers as ``check``.

The result is a :class:`Report`, so every output format and exit code matches ``check``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from versionguard.adapters.arm_deployments import LiveDeployment, load_live
from versionguard.adapters.policy_config import PolicyInfo, PolicySetting, load_policy_config, reconcile
from versionguard.adapters.runtime import load_runtime
from versionguard.core import engine
from versionguard.core.catalog import Catalog
from versionguard.core.findings import STACK_RESOURCE, Finding, Report, StackRun
from versionguard.core.rules import RULES
from versionguard.core.rules.base import Context, Level
from versionguard.core.settings import rule_settings
from versionguard.core.waivers import Waiver, Waivers

DEFAULT_STACK_LABEL = "live"


@dataclass(frozen=True)
class AuditRun:
    report: Report
    notes: list[str]  # for the terminal: paged responses, duplicates


def audit_files(files: Sequence[Path], as_of: dt.date | None = None, catalog_path: Path | None = None,
                waivers_path: Path | None = None, stack_label: str = DEFAULT_STACK_LABEL,
                policy_config: Path | None = None) -> AuditRun:
    """Read ARM JSON files and judge every deployment in them."""
    runtime = load_runtime(as_of, catalog_path, waivers_path)
    settings = policy_settings(policy_config)
    live = load_live(files)
    report = audit(live.deployments, runtime.catalog, runtime.as_of, runtime.waivers, stack_label, settings)
    runs = [replace(r, policy_config=str(policy_config) if policy_config else None) for r in report.runs]
    return AuditRun(replace(report, runs=runs), live.notes)


def policy_settings(path: Path | None) -> dict[str, PolicySetting]:
    """Levels and properties per policy: defaults, or a ``policies/config/<stack>.json`` file merged
    the way the Pulumi engine merges ``--policy-pack-config``."""
    infos = [PolicyInfo(r.meta.id, r.meta.level.value, r.meta.config) for r in RULES]
    given = load_policy_config(path) if path is not None else {}
    return reconcile(infos, given, str(path) if path else "(defaults)")


def audit(
    live: Sequence[LiveDeployment],
    catalog: Catalog,
    as_of: dt.date,
    waivers: Waivers | None = None,
    stack_label: str = DEFAULT_STACK_LABEL,
    settings: Mapping[str, PolicySetting] | None = None,
) -> Report:
    """Judge live deployments with every rule through :func:`engine.judge`."""
    waivers = waivers or Waivers()
    settings = settings if settings is not None else policy_settings(None)
    by_record = {id(d.record): d for d in live}
    records = [d.record for d in live]
    findings: list[Finding] = []
    for rule in RULES:
        setting = settings[rule.meta.id]
        rs = rule_settings(setting.properties, f"policy config of {rule.meta.id}")
        ctx = Context(as_of, catalog, rs, waivers, stack_label)
        for j in engine.judge(records, ctx, levels={rule.meta.id: Level(setting.level)}, rules=[rule]):
            message = engine.message_of(j.outcome)
            if j.record is None:
                findings.append(Finding(stack_label, rule.meta.id, j.level.value, STACK_RESOURCE, "", "", message))
                continue
            d = by_record[id(j.record)]
            waiver = find_waiver(waivers, rule.meta.id, d, stack_label, as_of)
            findings.append(Finding(
                stack_label, rule.meta.id, j.level.value, d.resource, d.arm_type, d.arm_id,
                message, waived=waiver is not None, waiver_reason=waiver.reason if waiver else None,
                waiver_expires=waiver.expires if waiver else None))
    return Report(as_of, catalog.as_of, [stack_label], findings, command="audit",
                  runs=[StackRun(stack_label, deployments=len(live))])


def find_waiver(waivers: Waivers, policy: str, d: LiveDeployment, stack: str, as_of: dt.date) -> Waiver | None:
    """A waiver's ``resource`` may be the deployment name, ``<account>/<deployment>`` or the ARM id
    (the id compared case-insensitively, as ARM does)."""
    for name in (d.name, d.resource):
        found = waivers.find(policy, name, d.arm_id, stack, as_of)
        if found is not None:
            return found
    for w in waivers.items:
        if w.resource.casefold() == d.arm_id.casefold():
            found = waivers.find(policy, w.resource, w.resource, stack, as_of)
            if found is not None:
                return found
    return None


