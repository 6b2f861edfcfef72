"""``versionguard check``: typer wiring for :mod:`versionguard.commands.check`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from versionguard.adapters.project import load_project
from versionguard.cli.options import (
    AllOpt,
    AsOf,
    CatalogOpt,
    Format,
    Outputs,
    ProjectOpt,
    StackDirOpt,
    StackOpt,
    WaiversOpt,
    choose_format,
    emit_all,
    fail,
    parse_as_of,
    parse_outputs,
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
    policy_config_dir: Annotated[Path | None, typer.Option(
        "--policy-config-dir", help="Directory of <stack>.json policy config (default: policies/config).")] = None,
    stack_dir: StackDirOpt = None,
) -> None:
    """Run each stack's program offline and judge every resource with the policy pack."""
    try:
        choose_format(fmt)
        outputs = parse_outputs(fmt, output)
        proj = load_project(project.resolve(), stack_dir)
        names = stack_names(all_stacks, stack, proj.stacks(), proj.stack_dir)
        # Imported here: it loads Pulumi, which the other commands (a fleet audit) need not pay for.
        from versionguard.commands.check import check_stacks

        report = check_stacks(proj, names, policy_config_dir or proj.root / "policies" / "config",
                              parse_as_of(as_of), catalog, waivers, _progress(len(names)))
    except InputError as e:
        raise fail(e) from None
    emit_all(report, fmt, outputs)
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
