"""``versionguard forecast``: typer wiring for :mod:`versionguard.commands.forecast`."""

from __future__ import annotations

import sys
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
    Output,
    ProjectOpt,
    PythonOpt,
    StackDirOpt,
    StackOpt,
    StackOutputsOpt,
    TextFormat,
    TimeoutOpt,
    choose_format,
    fail,
    parse_as_of,
    runner_options,
    show_catalog_age,
    show_errors,
    show_runs,
    stack_names,
    write_text,
)
from versionguard.core.errors import InputError
from versionguard.reporters.inert import inert_line


def forecast(
    stack: StackOpt = None,
    all_stacks: AllOpt = False,
    as_of: AsOf = None,
    catalog: CatalogOpt = None,
    horizon: Annotated[int, typer.Option("--horizon", help="Days ahead of the as-of date to look.")] = 180,
    fmt: TextFormat = "table",
    output: Output = None,
    chart: Annotated[Path | None, typer.Option("--chart", help="Also draw a timeline picture (.svg or .png).")] = None,
    project: ProjectOpt = Path("."),
    stack_dir: StackDirOpt = None,
    python: PythonOpt = None,
    stack_outputs: StackOutputsOpt = None,
    timeout: TimeoutOpt = None,
    jobs: JobsOpt = DEFAULT_JOBS,
) -> None:
    """Dated lifecycle events ahead of each deployment: auto-upgrades, upgrades on expiry, retirements."""
    from versionguard.reporters.forecast import FORECAST_FORMATS, render  # imported here: check need not load it

    try:
        choose_format(fmt, FORECAST_FORMATS)
        if horizon < 0:
            raise InputError("--horizon", "--horizon", "a number of days >= 0", horizon)
        if chart is not None:
            from versionguard.reporters.timeline_chart import chart_format

            chart_format(chart)
        proj = load_project(project, stack_dir)
        names = stack_names(all_stacks, stack, proj.stacks(), proj.stack_dir)
        runner = runner_options(proj, python, stack_outputs, timeout, jobs)
        # Imported here: it loads Pulumi, which the other commands (a fleet audit) need not pay for.
        from versionguard.commands.forecast import forecast_stacks

        outcome = forecast_stacks(proj, names, horizon, parse_as_of(as_of), catalog, runner)
        result = outcome.forecast
        if chart is not None:
            from versionguard.reporters.timeline_chart import write_chart

            write_chart(result, chart)
    except InputError as e:
        raise fail(e) from None
    show_runs([*outcome.runs, *outcome.failures])
    show_catalog_age(result.catalog_as_of, result.as_of)
    write_text(render(result, fmt, color=output is None and fmt == "table" and sys.stdout.isatty()), output,
               render(result, "table", color=sys.stderr.isatty()) if fmt != "table" else "")
    if chart is not None:
        typer.echo(inert_line(f"chart written to {chart}"), err=True)
    show_errors([f.message for f in outcome.failures])
    if outcome.failures:
        raise typer.Exit(2)
