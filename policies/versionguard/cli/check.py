"""``versionguard check``: typer wiring for :mod:`versionguard.commands.check`."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from versionguard.adapters.program.project import load_project
from versionguard.cli.options import (
    DEFAULT_JOBS,
    AllOpt,
    AsOf,
    CatalogOpt,
    Format,
    JobsOpt,
    Outputs,
    PolicyConfigDirOpt,
    ProjectOpt,
    PythonOpt,
    StackDirOpt,
    StackOpt,
    StackOutputsOpt,
    TimeoutOpt,
    WaiversOpt,
    choose_format,
    emit_all,
    fail,
    parse_as_of,
    parse_outputs,
    require_policy_config_dir,
    runner_options,
    show_catalog_age,
    show_errors,
    show_runs,
    stack_names,
)
from versionguard.core.errors import InputError
from versionguard.reporters.inert import inert_line


def check(
    stack: StackOpt = None,
    all_stacks: AllOpt = False,
    as_of: AsOf = None,
    catalog: CatalogOpt = None,
    waivers: WaiversOpt = None,
    fmt: Format = "table",
    output: Outputs = None,
    project: ProjectOpt = Path("."),
    policy_config_dir: PolicyConfigDirOpt = None,
    stack_dir: StackDirOpt = None,
    python: PythonOpt = None,
    stack_outputs: StackOutputsOpt = None,
    timeout: TimeoutOpt = None,
    jobs: JobsOpt = DEFAULT_JOBS,
) -> None:
    """Run each stack's program offline and judge every resource with the policy pack."""
    try:
        choose_format(fmt)
        outputs = parse_outputs(fmt, output)
        require_policy_config_dir(policy_config_dir)
        proj = load_project(project, stack_dir)
        config_dir = policy_config_dir or proj.root / "policies" / "config"
        names = stack_names(all_stacks, stack, proj.stacks(), proj.stack_dir)
        runner = runner_options(proj, python, stack_outputs, timeout, jobs, prime=len(names))
        # Imported here: it loads Pulumi, which the other commands (a fleet audit) need not pay for.
        from versionguard.commands.check import check_stacks

        report = check_stacks(proj, names, config_dir,
                              parse_as_of(as_of), catalog, waivers, _progress(len(names)), runner)
    except InputError as e:
        raise fail(e) from None
    show_runs(report.runs)
    if not report.errors:  # a stack that could not be judged: its error is the first line, not the age
        show_catalog_age(report.catalog_as_of, report.as_of)
    emit_all(report, fmt, outputs)
    show_errors([r.error for r in report.errors if r.error])
    raise typer.Exit(report.exit_code)


def _progress(total: int):
    """A one-line progress note on stderr when a person is watching several stacks."""
    if total < 2 or not sys.stderr.isatty():
        return None
    seen = [0]

    def note(stack: str) -> None:
        seen[0] += 1
        typer.echo(f"\r[{seen[0]}/{total}] checking {inert_line(stack)}…", err=True, nl=seen[0] == total)

    return note
