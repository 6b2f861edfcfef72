"""``versionguard fix``: the edits that move each deployment with a mandatory lifecycle finding to a
version that outlives the window, at the one place its value comes from (see docs/fix.md).

:func:`plan_fix` runs ``check`` (same runner, same engine), picks each deployment's target with
:func:`core.remediation.remediation_target`, proves where the values come from
(:mod:`adapters.program.tracing`) and builds the edited files in memory. :func:`apply_plan` writes
them only if no file changed since the plan (digest), then re-checks every stack.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from google.protobuf import json_format

from versionguard.adapters.crossguard.wire import from_wire
from versionguard.adapters.edits.files import digest, read_for_edit, write_if_unchanged
from versionguard.adapters.edits.python_edit import set_literals
from versionguard.adapters.edits.yaml_edit import set_values
from versionguard.adapters.evaluation_inputs import load_runtime
from versionguard.adapters.files.policy_config import load_policy_config
from versionguard.adapters.program.project import Project
from versionguard.adapters.program.project_python import find_python
from versionguard.adapters.program.resource import Resource
from versionguard.adapters.program.stack_runner import ProgramRun, RunOptions
from versionguard.adapters.program.tracing import Place, Tracing, trace
from versionguard.commands.check import check_stacks
from versionguard.core.catalog import Catalog, VersionInfo
from versionguard.core.errors import InputError
from versionguard.core.findings import Finding, Report
from versionguard.core.lifecycle import resolve
from versionguard.core.records import normalize
from versionguard.core.remediation import NoTarget, Target, remediation_target
from versionguard.core.settings import RuleSettings, rule_settings

# The findings a move to a newer version resolves; any other mandatory finding needs another change.
VERSION_POLICIES = frozenset({"retired-model-version", "no-auto-upgrade-near-retirement", "auto-upgrade-needs-target",
                              "provisioned-migration-due", "deprecated-model-version", "preview-model-version"})


@dataclass(frozen=True)
class Move:
    """One deployment moving from ``current`` to ``target``."""

    stack: str
    resource: str
    urn: str
    sku: str | None
    current: VersionInfo
    target: Target
    findings: tuple[Finding, ...]

    @property
    def key(self) -> tuple[str, str]:
        return self.stack, self.urn


@dataclass(frozen=True)
class Edit:
    """One place set to a new value, for every deployment it serves."""

    place: Place
    field: str  # model.name | model.version
    new: str
    moves: tuple[Move, ...]


@dataclass(frozen=True)
class FileEdit:
    path: Path
    shown: str  # as the diff names it
    before: bytes
    after: bytes

    @property
    def digest(self) -> str:
        return digest(self.before)


@dataclass(frozen=True)
class ByHand:
    """A finding fix does not edit, and why."""

    stack: str
    resource: str
    reason: str
    findings: tuple[Finding, ...]


@dataclass
class FixPlan:
    report: Report  # the check the plan starts from
    catalog: Catalog
    moves: list[Move] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)
    files: list[FileEdit] = field(default_factory=list)
    by_hand: list[ByHand] = field(default_factory=list)


@dataclass
class FixResult:
    plan: FixPlan
    applied: bool = False
    recheck: Report | None = None  # after --apply

    @property
    def remaining(self) -> list[Finding]:
        """Mandatory findings left: after --apply the re-check's; in a dry run those no edit resolves."""
        if self.recheck is not None:
            return [f for f in self.recheck.findings if f.level == "mandatory" and not f.waived]
        moved = {m.key for m in self.plan.moves}
        return [f for f in self.plan.report.findings if f.level == "mandatory" and not f.waived
                and not (f.policy in VERSION_POLICIES and (f.stack, f.urn) in moved)]

    @property
    def exit_code(self) -> int:
        if self.plan.report.errors or (self.recheck is not None and self.recheck.errors):
            return 2
        return 1 if self.remaining else 0


def plan_fix(project: Project, stacks: Sequence[str], policy_config_dir: Path, as_of: dt.date | None = None,
             catalog_path: Path | None = None, waivers_path: Path | None = None,
             runner: RunOptions | None = None) -> FixPlan:
    """Check the stacks, choose targets, prove the places and build the edited files (nothing written)."""
    options = runner or RunOptions(find_python(project))
    runs: list[ProgramRun] = []
    configs: dict[str, Path | None] = {}

    def judged(run: ProgramRun, config: Path | None) -> None:
        runs.append(run)
        configs[run.stack] = config

    report = check_stacks(project, stacks, policy_config_dir, as_of, catalog_path, waivers_path, None, options,
                          on_judged=judged)
    catalog = load_runtime(report.as_of, catalog_path, waivers_path, project_root=project.root).catalog
    plan = FixPlan(report, catalog)
    if report.errors:
        return plan  # everything check refuses, fix refuses
    resources = {(run.stack, r.urn): r for run in runs for r in run.resources}
    for (stack, urn), found in _grouped(report.findings).items():
        name = found[0].resource
        version_findings = tuple(f for f in found if f.policy in VERSION_POLICIES)
        others = tuple(f for f in found if f.policy not in VERSION_POLICIES)
        if others:
            plan.by_hand.append(ByHand(stack, name, "fix moves model versions only; this finding needs another "
                                       "change (see the rule's fix in docs/rules.md)", others))
        if not version_findings:
            continue
        outcome = _move(catalog, resources.get((stack, urn)), stack, version_findings, report.as_of,
                        _window(configs.get(stack)))
        if isinstance(outcome, Move):
            plan.moves.append(outcome)
        else:
            plan.by_hand.append(ByHand(stack, name, outcome, version_findings))
    if plan.moves:
        _place_edits(plan, trace(project, runs, options))
    plan.by_hand.sort(key=lambda h: (h.stack, h.resource, h.reason))
    return plan


def apply_plan(plan: FixPlan, project: Project, stacks: Sequence[str], policy_config_dir: Path,
               as_of: dt.date | None = None, catalog_path: Path | None = None, waivers_path: Path | None = None,
               runner: RunOptions | None = None) -> FixResult:
    """Write the planned files (each only if unchanged since the plan), then re-check every stack."""
    for edit in plan.files:  # every file is checked before any is written: all or nothing
        if digest(read_for_edit(edit.path)) != edit.digest:
            write_if_unchanged(edit.path, edit.digest, edit.after)  # raises, naming the file
    for edit in plan.files:
        write_if_unchanged(edit.path, edit.digest, edit.after)
    recheck = check_stacks(project, stacks, policy_config_dir, as_of, catalog_path, waivers_path, None, runner)
    return FixResult(plan, applied=True, recheck=recheck)


def _grouped(findings: Sequence[Finding]) -> dict[tuple[str, str], list[Finding]]:
    out: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.level == "mandatory" and not f.waived:
            out.setdefault((f.stack, f.urn), []).append(f)
    return out


def _window(config: Path | None) -> int:
    """The longest retirement window the stack's policy config sets for a version policy (default 90)."""
    windows = [RuleSettings().retirement_window_days]
    if config is not None:
        for policy, (_, properties) in load_policy_config(config).items():
            if policy in VERSION_POLICIES:
                windows.append(rule_settings(properties, str(config)).retirement_window_days)
    return max(windows)


def _move(catalog: Catalog, resource: Resource | None, stack: str, findings: tuple[Finding, ...], as_of: dt.date,
          window: int) -> Move | str:
    """The deployment's move, or why there is none."""
    if resource is None:
        return "the finding is not on a model deployment"
    rec = normalize(resource.type, from_wire(json_format.MessageToDict(resource.properties)), resource.name,
                    resource.urn)
    values = (rec.model_name, rec.model_version)
    if not all(isinstance(v, str) for v in values):
        return "its model name or version is not a plain value (unknown, secret or malformed)"
    fmt = rec.model_format if isinstance(rec.model_format, str) else None
    entry = resolve(catalog, fmt, str(rec.model_name), str(rec.model_version))
    if entry is None:
        return f"{rec.label} is not in the catalog"
    sku = rec.sku_name if isinstance(rec.sku_name, str) else None
    target = remediation_target(catalog, entry, sku, as_of, window)
    if isinstance(target, NoTarget):
        return target.reason
    return Move(stack, resource.name, resource.urn, sku, entry, target, findings)


def _needed(move: Move) -> dict[str, str]:
    """The fields the move edits and their new values."""
    out = {"model.version": move.target.version} if move.target.version != move.current.version else {}
    if move.target.cross_model:
        out["model.name"] = move.target.model
    return out


def _place_edits(plan: FixPlan, tracing: Tracing) -> None:
    """Keep the moves whose every needed field has one proven place that serves only moves wanting the same
    value; build their edits and files. Anything else goes to ``by_hand`` with the reason."""
    moves = {m.key: m for m in plan.moves}
    refused: dict[tuple[str, str], str] = {}
    changed = True
    while changed:  # dropping one move can make a shared place unsafe for another
        changed = False
        wanted: dict[tuple[str, str], tuple[Place, str, str, list[Move]]] = {}
        for key, move in moves.items():
            if key in refused:
                continue
            for name, value in _needed(move).items():
                traced = tracing.fields.get((move.stack, move.urn, name))
                if traced is None or traced.place is None:
                    refused[key] = f"{name}: {traced.reason if traced else 'not traced'}"
                    changed = True
                    break
                place = traced.place
                slot = wanted.setdefault(place.key, (place, name, value, []))
                slot[3].append(move)
                if slot[2] != value or slot[1] != name:
                    for other in slot[3]:
                        refused.setdefault(other.key, f"{place.label} serves deployments that need different "
                                           "values")
                    changed = True
        if changed:
            continue
        for key, (place, name, value, served) in wanted.items():
            if place.kind == "literal" and tracing.failed:
                reason = (f"{place.label} is program source shared by every stack, and the trace run of stack "
                          f"{min(tracing.failed)} failed, so its other uses cannot be ruled out")
                for m in served:
                    if m.key not in refused:
                        refused[m.key] = reason
                        changed = True
                continue
            for use in tracing.uses.get(key, []):
                mover = moves.get((use.stack, use.urn))
                if mover is None or (use.stack, use.urn) in refused or use.what != name or \
                        _needed(mover).get(name) != value:
                    reason = (f"{place.label} also sets {use.what} of {_resource(use.urn)} in stack {use.stack}, "
                              "which this move must not change")
                    for m in served:
                        if m.key not in refused:
                            refused[m.key] = reason
                            changed = True
                    break
    plan.moves = sorted((m for m in moves.values() if m.key not in refused), key=lambda m: (m.stack, m.resource))
    plan.by_hand += [ByHand(moves[k].stack, moves[k].resource, reason, moves[k].findings)
                     for k, reason in refused.items()]
    plan.by_hand.sort(key=lambda h: (h.stack, h.resource, h.reason))
    edits = [Edit(place, name, value, tuple(served)) for place, name, value, served in wanted.values()
             if all(m.key not in refused for m in served)] if plan.moves else []
    plan.edits = sorted(edits, key=lambda e: (e.place.shown, e.place.line, e.place.key))
    _build_files(plan)


def _resource(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def _build_files(plan: FixPlan) -> None:
    """The edited files; a file that cannot be edited safely sends every move with an edit there to by_hand
    (and their edits in other files are dropped too: a move is edited whole or not at all)."""
    while True:
        by_file: dict[Path, list[Edit]] = {}
        for edit in plan.edits:
            by_file.setdefault(edit.place.file, []).append(edit)
        plan.files = []
        gone: set[tuple[str, str]] = set()
        for path, edits in sorted(by_file.items()):
            before = read_for_edit(path)
            try:
                plan.files.append(FileEdit(path, edits[0].place.shown, before, _edited(path, before, edits)))
            except (InputError, UnicodeDecodeError) as e:
                for edit in edits:
                    for move in edit.moves:
                        if move.key not in gone:
                            gone.add(move.key)
                            plan.by_hand.append(ByHand(move.stack, move.resource, f"{edit.place.label} cannot be "
                                                       f"edited safely: {e}", move.findings))
        if not gone:
            return
        plan.moves = [m for m in plan.moves if m.key not in gone]
        plan.edits = [e for e in plan.edits if not any(m.key in gone for m in e.moves)]


def _edited(path: Path, before: bytes, edits: list[Edit]) -> bytes:
    if edits[0].place.kind == "stack-file":
        values = {e.place.yaml_path: e.new for e in edits if e.place.yaml_path is not None}
        return set_values(before.decode("utf-8"), str(path), values).encode("utf-8")
    return set_literals(before, str(path), {e.place.literal: e.new for e in edits if e.place.literal is not None})
