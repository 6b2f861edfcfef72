"""``versionguard fix``: typer wiring for :mod:`versionguard.commands.fix` (check's project options)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from versionguard.adapters.program.project import load_project
from versionguard.cli.options import (
    DEFAULT_JOBS,
    AllOpt,
    AsOf,
    CatalogOpt,
    JobsOpt,
    PolicyConfigDirOpt,
    ProjectOpt,
    PythonOpt,
    StackDirOpt,
    StackOpt,
    StackOutputsOpt,
    TimeoutOpt,
    WaiversOpt,
    fail,
    parse_as_of,
    require_policy_config_dir,
    runner_options,
    show_errors,
    show_runs,
    stack_names,
    write_file,
)
from versionguard.core.errors import InputError


def fix(
    stack: StackOpt = None,
    all_stacks: AllOpt = False,
    apply: Annotated[bool, typer.Option("--apply", help="Write the edits (default: a dry run that prints the "
                                        "diff and changes nothing), then re-check the stacks.")] = False,
    pr_body: Annotated[Path | None, typer.Option("--pr-body", help="Write a Markdown pull-request description "
                                                 "of the changes to this file.")] = None,
    as_of: AsOf = None,
    catalog: CatalogOpt = None,
    waivers: WaiversOpt = None,
    project: ProjectOpt = Path("."),
    policy_config_dir: PolicyConfigDirOpt = None,
    stack_dir: StackDirOpt = None,
    python: PythonOpt = None,
    stack_outputs: StackOutputsOpt = None,
    timeout: TimeoutOpt = None,
    jobs: JobsOpt = DEFAULT_JOBS,
) -> None:
    """Move deployments with mandatory lifecycle findings to a version that outlives the window, editing the
    stack file value or program literal each comes from (a unified diff; --apply writes it)."""
    try:
        require_policy_config_dir(policy_config_dir)
        proj = load_project(project, stack_dir)
        config_dir = policy_config_dir or proj.root / "policies" / "config"
        names = stack_names(all_stacks, stack, proj.stacks(), proj.stack_dir)
        runner = runner_options(proj, python, stack_outputs, timeout, jobs)
        day = parse_as_of(as_of)
        # Imported here: it loads Pulumi, which the other commands need not pay for.
        from versionguard.commands.fix import FixResult, apply_plan, plan_fix
        from versionguard.reporters.fix import render_diff, render_pr_body, render_summary

        plan = plan_fix(proj, names, config_dir, day, catalog, waivers, runner)
        result = FixResult(plan)
        if apply and not plan.report.errors:
            result = apply_plan(plan, proj, names, config_dir, day, catalog, waivers, runner)
    except InputError as e:
        raise fail(e) from None
    show_runs(plan.report.runs)
    show_errors([r.error for r in plan.report.errors if r.error])
    typer.echo(render_diff(result), nl=False)
    typer.echo(render_summary(result), nl=False, err=True)  # stdout stays a patch `git apply` takes
    if pr_body is not None and not plan.report.errors:
        write_file(pr_body, render_pr_body(result), "--pr-body")
    raise typer.Exit(result.exit_code)
