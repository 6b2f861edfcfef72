"""``versionguard check``: run each stack's program offline and judge it with the policy pack."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from versionguard.adapters.crossguard.analyzer import OfflineAnalyzer, StackEnv
from versionguard.adapters.evaluation_inputs import Runtime, load_runtime
from versionguard.adapters.files.safe_load import is_present
from versionguard.adapters.program.project import Project, repository_path
from versionguard.adapters.program.project_python import find_python
from versionguard.adapters.program.stack_runner import ProgramRun, RunOptions, StackFailure, run_stacks
from versionguard.core.errors import InputError
from versionguard.core.findings import STACK_RESOURCE, Finding, Report, StackRun
from versionguard.core.waivers import Waiver

Progress = Callable[[str], None]
WaivedHit = tuple[str, str, str, str, Waiver]  # policy, resource name, urn, message, waiver


def check_stacks(
    project: Project,
    stacks: Sequence[str],
    policy_config_dir: Path,
    as_of: dt.date | None = None,
    catalog_path: Path | None = None,
    waivers_path: Path | None = None,
    progress: Progress | None = None,
    runner: RunOptions | None = None,
) -> Report:
    """Judge every stack; a stack whose program or config fails is reported as an error (exit 2) and
    the others are still judged. ``runner`` defaults to the project's own Python (see ``project_python``)."""
    waived: list[WaivedHit] = []
    runtime = load_runtime(as_of, catalog_path, waivers_path, on_waived=lambda *hit: waived.append(hit),  # type: ignore[arg-type]
                           project_root=project.root)
    options = runner or RunOptions(find_python(project))
    findings: list[Finding] = []
    runs: list[StackRun] = []
    for outcome in run_stacks(project, stacks, options):
        if progress:
            progress(outcome.stack)
        run_info = StackRun(outcome.stack, python=str(options.python.executable),
                            python_source=options.python.source, output=outcome.output,
                            stack_file=located(project, outcome))
        if isinstance(outcome, StackFailure):
            runs.append(replace(run_info, error=outcome.message))
            continue
        config_path = policy_config_dir / f"{project.stack_name(outcome.stack).name}.json"
        try:
            # A config file there but unreadable (dangling link, FIFO, no permission) is an error, never
            # "no file": judging at the defaults would be a pass the stack's own config might refuse.
            present = is_present(config_path, "policy config file")
            judged = judge(project, outcome, runtime, config_path if present else None, waived)
        except InputError as e:  # a malformed policy config file: this stack is not judged
            runs.append(replace(run_info, error=str(e)))
            continue
        finally:
            waived.clear()  # hits belong to the stack just analyzed, never to the next one
        findings += judged
        runs.append(replace(run_info, deployments=outcome.deployments, notes=outcome.notes,
                             policy_config=str(config_path) if present else None))
    return Report(runtime.as_of, runtime.catalog.as_of, list(stacks), findings, runs=runs)


def located(project: Project, outcome: ProgramRun | StackFailure) -> str:
    """Where code scanning shows a stack's findings: the stack file the program ran with, or the project
    file when the stack has none (a stack without a stack file has empty config) or no valid name."""
    if isinstance(outcome, ProgramRun):
        path = outcome.config.path
    else:
        try:
            path = project.stack_file(outcome.stack)
        except InputError:
            path = project.file
    return repository_path(path if os.path.lexists(path) else project.file)


def judge(project: Project, run: ProgramRun, runtime: Runtime, config_path: Path | None,
          waived: list[WaivedHit]) -> list[Finding]:
    """The pack's findings on one stack's registrations, then its waived hits as waived findings."""
    analyzer = OfflineAnalyzer(runtime, config_path)
    name = project.stack_name(run.stack).name
    types = {r.urn: r.type for r in run.resources}
    out: list[Finding] = []
    for d in analyzer.analyze(run.resources, StackEnv(project.name, name, run.config.values)):
        res = d.resource
        out.append(Finding(run.stack, d.policy, d.level, res.name if res else STACK_RESOURCE,
                           res.type if res else "pulumi:pulumi:Stack", d.urn, d.message))
    for policy, resource, urn, message, waiver in waived:
        out.append(Finding(run.stack, policy, reported_level(analyzer, policy), resource, types.get(urn, ""), urn,
                           message, waived=True, waiver_reason=waiver.reason, waiver_expires=waiver.expires))
    return out


def reported_level(analyzer: OfflineAnalyzer, policy: str) -> str:
    """The level a waived finding would have had: ``remediate`` reports as mandatory."""
    level = analyzer.settings[policy].level
    return "mandatory" if level == "remediate" else level
