"""``versionguard check``: run each stack's program offline and judge it with the policy pack."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

import pulumi

from versionguard.adapters.analyzer import OfflineAnalyzer, StackEnv
from versionguard.adapters.offline import ProgramRun, run_program
from versionguard.adapters.project import Project
from versionguard.adapters.runtime import load_runtime
from versionguard.core.errors import InputError
from versionguard.core.findings import STACK_RESOURCE, Finding, Report
from versionguard.core.records import deployment_flavour
from versionguard.core.waivers import Waiver

Progress = Callable[[str], None]


def check_stacks(
    project: Project,
    stacks: Sequence[str],
    policy_config_dir: Path,
    as_of: dt.date | None = None,
    catalog_path: Path | None = None,
    waivers_path: Path | None = None,
    progress: Progress | None = None,
) -> Report:
    waived: list[tuple[str, str, str, str, Waiver]] = []
    runtime = load_runtime(as_of, catalog_path, waivers_path,
                           on_waived=lambda *hit: waived.append(hit))  # type: ignore[arg-type]
    findings: list[Finding] = []
    counts: dict[str, int] = {}
    for stack in stacks:
        if progress:
            progress(stack)
        config = project.stack_config(stack)
        resources = run_stack(project, stack, config).resources
        counts[stack] = sum(deployment_flavour(r.type) is not None for r in resources)
        config_path = policy_config_dir / f"{stack}.json"
        analyzer = OfflineAnalyzer(runtime, config_path if config_path.is_file() else None)
        types = {r.urn: r.type for r in resources}
        for d in analyzer.analyze(resources, StackEnv(project.name, stack, config)):
            res = d.resource
            findings.append(Finding(stack, d.policy, d.level, res.name if res else STACK_RESOURCE,
                                    res.type if res else "pulumi:pulumi:Stack", d.urn, d.message))
        for policy, name, urn, message, waiver in waived:
            findings.append(Finding(stack, policy, _level(analyzer, policy), name, types.get(urn, ""), urn, message,
                                    waived=True, waiver_reason=waiver.reason, waiver_expires=waiver.expires))
        waived.clear()
    return Report(runtime.as_of, runtime.catalog.as_of, list(stacks), findings, extra={"deployments": counts})


def _level(analyzer: OfflineAnalyzer, policy: str) -> str:
    level = analyzer.settings[policy].level
    return "mandatory" if level == "remediate" else level


def run_stack(project: Project, stack: str, config: dict[str, str]) -> ProgramRun:
    """Run one stack's program offline; program and config errors become InputError naming the stack file."""
    source = str(project.stack_file(stack))
    try:
        return run_program(project.root, project.name, stack, config)
    except InputError as e:
        # The program names the stack file Pulumi would read; with --stack-dir the real one differs.
        if Path(e.source).name == project.stack_file(stack).name and e.source != source:
            raise InputError(source, e.key, e.expected, e.got) from None
        raise
    except pulumi.ConfigMissingError as e:
        raise InputError(source, f"config.{e.key}", "a value for this required key") from None
    except pulumi.ConfigTypeError as e:
        raise InputError(source, f"config.{e.key}", f"a value of type {e.expect_type}", e.value) from None
    except Exception as e:  # the program itself failed: bad input from the user's point of view
        raise InputError(source, "(program)", "a program that runs for this stack",
                         f"{type(e).__name__}: {e}") from None
