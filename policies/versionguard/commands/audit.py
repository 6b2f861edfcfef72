"""``versionguard audit``: judge live deployments with the same rules, levels and waivers as ``check``.

The result is a :class:`Report`, so every output format and exit code matches ``check``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from versionguard.adapters.azure import sdk_clients as azure_arm
from versionguard.adapters.azure.arm_deployments import Deduplicator, LiveDeployment, bulk_load, load_live, read_items
from versionguard.adapters.azure.resource_graph import QUERY
from versionguard.adapters.evaluation_inputs import load_runtime
from versionguard.adapters.files.policy_config import PolicyInfo, PolicySetting, load_policy_config, reconcile
from versionguard.core import engine
from versionguard.core.catalog import Catalog
from versionguard.core.findings import STACK_RESOURCE, Finding, Report, StackRun
from versionguard.core.records import judged_content
from versionguard.core.rules import RULES, SCOPES
from versionguard.core.rules.base import Context, Level
from versionguard.core.settings import rule_settings
from versionguard.core.waivers import Waivers

DEFAULT_STACK_LABEL = "live"


@dataclass(frozen=True)
class AuditRun:
    report: Report
    notes: list[str]  # for the terminal: paged responses, duplicates


def audit_files(files: Sequence[Path], as_of: dt.date | None = None, catalog_path: Path | None = None,
                waivers_path: Path | None = None, stack_label: str = DEFAULT_STACK_LABEL,
                policy_config: Path | None = None, allow_partial: bool = False) -> AuditRun:
    """Read ARM JSON files and judge every deployment in them. Files that are pages of a larger
    result without the rest are an error, unless ``allow_partial``: then the report says what the
    verdict does not cover."""
    runtime = load_runtime(as_of, catalog_path, waivers_path)
    settings = policy_settings(policy_config)
    live = load_live(files, allow_partial)
    report = audit(live.deployments, runtime.catalog, runtime.as_of, runtime.waivers, stack_label, settings)
    return AuditRun(_judged_with(report, policy_config, tuple(map(str, live.gaps))), live.notes)


GraphProgress = Callable[[int, int | None, int], None]  # rows so far, total rows (if known), page number


def audit_resource_graph(subscriptions: Sequence[str] = (), management_groups: Sequence[str] = (),
                         arm_endpoint: str | None = None, as_of: dt.date | None = None,
                         catalog_path: Path | None = None, waivers_path: Path | None = None,
                         stack_label: str = DEFAULT_STACK_LABEL, policy_config: Path | None = None,
                         credential: Any = None, progress: GraphProgress | None = None) -> AuditRun:
    """Query Azure Resource Graph live for every model deployment the credential can read (or those of
    the given subscriptions / management groups), every page, and judge them. ``credential`` defaults
    to azure-identity's ``DefaultAzureCredential``."""
    runtime = load_runtime(as_of, catalog_path, waivers_path)  # bad local input fails before any request
    settings = policy_settings(policy_config)
    endpoint = azure_arm.Endpoint.of(arm_endpoint)
    credential = credential if credential is not None else azure_arm.default_credential()
    source = f"Azure Resource Graph ({endpoint.url})"
    dedup = Deduplicator()
    rows = 0
    with bulk_load():
        for page in azure_arm.graph_pages(QUERY, credential, endpoint, subscriptions, management_groups):
            dedup.add(read_items(page.rows, f"page {page.number}: data", source, graph=True))
            rows += len(page.rows)
            if progress is not None:
                progress(rows, page.total, page.number)
    live = dedup.result()
    report = audit(live.deployments, runtime.catalog, runtime.as_of, runtime.waivers, stack_label, settings)
    return AuditRun(_judged_with(report, policy_config), live.notes)


def _judged_with(report: Report, policy_config: Path | None, partial: tuple[str, ...] = ()) -> Report:
    """The report's runs name the policy config file the deployments were judged with (None: defaults)
    and, for input read with --allow-partial, what the verdict does not cover."""
    runs = [replace(r, policy_config=str(policy_config) if policy_config else None, partial=partial)
            for r in report.runs]
    return replace(report, runs=runs)


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
    members = _by_content(live)
    records = [group[0].record for group in members.values()]
    findings: list[Finding] = []
    level_text = {level: str(level.value) for level in Level}  # Enum.value is slow 100,000s of times over
    waived_policies = {w.policy for w in waivers.items}
    for rule in RULES:
        policy = rule.meta.id
        setting = settings[policy]
        rs = rule_settings(setting.properties, f"policy config of {policy}")
        ctx = Context(as_of, catalog, rs, waivers, stack_label, SCOPES)
        look_up = policy in waived_policies  # most policies have no waiver: skip the look-up
        for j in engine.judge(records, ctx, levels={policy: Level(setting.level)}, rules=[rule]):
            message = engine.message_of(j.outcome)
            level = level_text[j.level]
            if j.record is None:
                findings.append(Finding(stack_label, policy, level, STACK_RESOURCE, "", "", message))
                continue
            for d in members[id(j.record)]:
                # A waiver's resource may be the deployment name, <account>/<deployment> or the ARM id.
                waiver = waivers.find(policy, (d.name, d.resource), d.arm_id, stack_label, as_of) if look_up else None
                # Positional: 100,000s of findings, and keyword arguments cost more per call.
                findings.append(Finding(stack_label, policy, level, d.resource, d.arm_type, d.arm_id, message,
                                        waiver is not None, waiver and waiver.reason, waiver and waiver.expires,
                                        d.subscription, d.resource_group))
    return Report(as_of, catalog.as_of, [stack_label], findings, command="audit",
                  runs=[StackRun(stack_label, deployments=len(live))])


def _by_content(live: Sequence[LiveDeployment]) -> dict[int, list[LiveDeployment]]:
    """Deployments grouped by what the rules judge (model, version, option, SKU, …), keyed by the id of
    the group's first record: a fleet of 100,000 holds a few thousand distinct contents, each judged
    once. A record whose content cannot be a key (an unhashable malformed value) is its own group."""
    groups: dict[object, list[LiveDeployment]] = {}
    for d in live:
        key = judged_content(d.record)
        groups.setdefault(id(d) if key is None else key, []).append(d)
    return {id(group[0].record): group for group in groups.values()}
