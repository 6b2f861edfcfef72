"""What every command shares: option types, input parsing, the error exit and report output."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from versionguard.adapters.files.output_file import write_output
from versionguard.core.catalog import catalog_age_line
from versionguard.core.dates import parse_date
from versionguard.core.errors import InputError
from versionguard.core.findings import Report, StackRun
from versionguard.reporters import FORMATS, render, render_pieces
from versionguard.reporters.inert import inert, inert_line
from versionguard.reporters.table import summary_line

if TYPE_CHECKING:  # the runner loads Pulumi: the commands that run programs import it when they run
    from versionguard.adapters.program.project import Project
    from versionguard.adapters.program.stack_runner import ProgramRun, RunOptions, StackFailure

Format = Annotated[str, typer.Option("--format", "-f", help="Output format: " + " | ".join(FORMATS))]
TextFormat = Annotated[str, typer.Option("--format", "-f", help="Output format: table | json | markdown")]
Output = Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file.")]
Outputs = Annotated[list[str] | None, typer.Option(
    "--output", "-o", help="Write the report to this file, in --format; or FORMAT=PATH (e.g. sarif=out/vg.sarif). "
    "Repeatable: one run writes several formats.")]
AsOf = Annotated[str | None, typer.Option("--as-of", help="Evaluation date YYYY-MM-DD "
                                          "(default: $VERSIONGUARD_AS_OF, else today UTC).")]
CatalogOpt = Annotated[Path | None, typer.Option("--catalog", help="Catalog file replacing the bundled one "
                                                 "(default: $VERSIONGUARD_CATALOG).")]
WaiversOpt = Annotated[Path | None, typer.Option(
    "--waivers", help="Waivers file (default: $VERSIONGUARD_WAIVERS, else policies/waivers.yaml of the project "
    "(check: --project; audit: the current directory) when it exists, else the policy pack's own).")]
ProjectOpt = Annotated[Path, typer.Option("--project", help="Pulumi project directory.")]
StackOpt = Annotated[list[str] | None, typer.Option("--stack", "-s", help="Stack to run on (repeatable).")]
AllOpt = Annotated[bool, typer.Option("--all", help="Every stack in the stack config dir.")]
StackDirOpt = Annotated[Path | None, typer.Option(
    "--stack-dir", help="Directory of Pulumi.<stack>.yaml files (default: Pulumi.yaml's stackConfigDir).")]
PythonOpt = Annotated[Path | None, typer.Option(
    "--python", help="Interpreter (or virtualenv) that runs the program (default: the project's own "
    "environment from Pulumi.yaml; see README).")]
StackOutputsOpt = Annotated[list[str] | None, typer.Option(
    "--stack-outputs", help="NAME=FILE: outputs of StackReference NAME from `pulumi stack output --json` "
    "(repeatable; without it they are unknown).")]
TimeoutOpt = Annotated[float | None, typer.Option(
    "--timeout", help="Seconds each stack's program may run (default: 300).")]
JobsOpt = Annotated[int, typer.Option("--jobs", "-j", help="Stacks whose programs run at once.")]
DEFAULT_JOBS = min(4, os.cpu_count() or 1)
PolicyConfigDirOpt = Annotated[Path | None, typer.Option(
    "--policy-config-dir", help="Directory of <stack>.json policy config (default: policies/config).")]
ArmEndpointOpt = Annotated[str | None, typer.Option(
    "--arm-endpoint", help="Azure Resource Manager endpoint for sovereign clouds, e.g. "
    "https://management.chinacloudapi.cn (default: https://management.azure.com).")]
SubscriptionsOpt = Annotated[list[str] | None, typer.Option(
    "--subscription", help="Azure subscription id (repeatable).")]


def live_progress(label: str):
    """A one-line progress note on stderr for live Azure calls, only when a person watches a terminal."""
    if not sys.stderr.isatty():
        return None

    def note(text: str, done: bool = False) -> None:
        typer.echo(f"\r{inert_line(f'{label}: {text}')}\033[K", err=True, nl=done)

    return note


def fail(error: InputError | str) -> typer.Exit:
    typer.echo(inert_line(f"versionguard: error: {error}"), err=True)
    return typer.Exit(2)


def note(text: str) -> None:
    """A note for the person at the terminal (paged input, duplicates); never part of the report."""
    typer.echo(inert_line(f"versionguard: note: {text}"), err=True)


def show_catalog_age(catalog_as_of: dt.date, as_of: dt.date) -> None:
    """The catalog's age, one line on stderr for every format (machine formats keep stdout clean)."""
    note(catalog_age_line(catalog_as_of, as_of))


def parse_as_of(value: str | None) -> dt.date | None:
    return None if value is None else parse_date(value, "--as-of", "--as-of")


def choose_format(fmt: str, allowed: tuple[str, ...] = FORMATS) -> None:
    if fmt not in allowed:
        raise InputError("--format", "--format", "one of " + ", ".join(allowed), fmt)


def stack_names(all_stacks: bool, stacks: list[str] | None, known: list[str], stack_dir: Path) -> list[str]:
    """The stacks a command runs on: ``--stack`` (repeatable) or ``--all``, never both or neither."""
    if all_stacks == bool(stacks):
        raise InputError("command line", "--stack/--all", "either --stack NAME (repeatable) or --all")
    names = known if all_stacks else list(stacks or [])
    if not names:
        raise InputError(str(stack_dir), "(files)", "at least one Pulumi.<stack>.yaml")
    return names


def require_policy_config_dir(given: Path | None) -> None:
    """A given ``--policy-config-dir`` must be a directory (the default, policies/config, may be absent)."""
    if given is not None and not given.is_dir():
        raise InputError(str(given), "--policy-config-dir", "an existing directory of <stack>.json policy config files")


def runner_options(project: Project, python: Path | None, stack_outputs: list[str] | None, timeout: float | None,
                   jobs: int, prime: int = 0) -> RunOptions:
    """How each stack's program runs: which Python, stack reference outputs, time limit, parallelism.
    ``prime``: the number of stacks about to run; their first interpreters start now (see
    ``interpreters.prime``), before this process loads Pulumi, gRPC, the pack and the catalog."""
    from versionguard.adapters.program import interpreters
    from versionguard.adapters.program.project_python import find_python

    if timeout is not None and not timeout > 0:
        raise InputError("--timeout", "--timeout", "a number of seconds > 0", timeout)
    if jobs < 1:
        raise InputError("--jobs", "--jobs", "a number of stacks >= 1", jobs)
    program_python = find_python(project, python)
    if prime:
        interpreters.prime(program_python.executable, project.root,
                           interpreters.program_environment(project.name, program_python.venv), prime, jobs,
                           project.program)
    from versionguard.adapters.program.stack_runner import DEFAULT_TIMEOUT, RunOptions, load_stack_outputs

    timeout = DEFAULT_TIMEOUT if timeout is None else timeout
    return RunOptions(program_python, timeout, load_stack_outputs(stack_outputs or []), jobs)


def show_runs(runs: Sequence[StackRun | ProgramRun | StackFailure]) -> None:
    """What the programs printed and the notes of each run, on stderr (stdout carries only the report).

    All of it is the program's text (its output, stack reference names in notes), so it is made inert:
    an escape sequence shows as text instead of clearing the screen, linking, or hiding what follows."""
    for run in runs:
        if run.output:
            typer.echo(inert_line(f"versionguard: output of the program for stack {run.stack}:"), err=True)
            typer.echo(inert(run.output), err=True, nl=not run.output.endswith("\n"))
        for text in getattr(run, "notes", ()):
            note(f"{run.stack}: {text}")


def show_errors(messages: Sequence[str]) -> None:
    for message in messages:
        typer.echo(inert_line(f"versionguard: error: {message}"), err=True)


def parse_outputs(fmt: str, outputs: list[str] | None) -> list[tuple[str, Path]]:
    """``--output`` values as (format, path): ``FORMAT=PATH`` names its format, a plain path takes --format."""
    parsed: list[tuple[str, Path]] = []
    for value in outputs or []:
        head, sep, tail = value.partition("=")
        named = sep and head in FORMATS
        if sep and not named and head.isalpha() and "/" not in head:
            raise InputError("--output", value, "PATH or FORMAT=PATH with FORMAT one of " + ", ".join(FORMATS), head)
        if named and not tail:
            raise InputError("--output", value, "a path after " + head + "=")
        parsed.append((head, Path(tail)) if named else (fmt, Path(value)))
    paths = [p.resolve() for _, p in parsed]
    if len(set(paths)) != len(paths):
        raise InputError("--output", "--output", "a different file for each output", ", ".join(outputs or []))
    return parsed


def emit_all(report: Report, fmt: str, outputs: list[tuple[str, Path]],
             json_findings: Sequence[str] | None = None) -> None:
    """Every requested file, the terminal getting the verdict once; without files stdout gets the report.
    ``json_findings``: the findings already encoded for the JSON report (then every format is json)."""
    if not outputs:
        text = (render(report, fmt, color=fmt == "table" and sys.stdout.isatty()) if json_findings is None
                else "".join(render_pieces(report, fmt, json_findings)))
        typer.echo(text, nl=False)
        return
    for out_fmt, path in outputs:
        write_file(path, render_pieces(report, out_fmt, json_findings))
    # The terminal gets the verdict only: a table of thousands of findings belongs in the file.
    from rich.console import Console

    Console(stderr=True, no_color=not sys.stderr.isatty(), highlight=False).print(
        summary_line(report).append(" → " + inert_line(", ".join(str(p) for _, p in outputs))), soft_wrap=True)


def write_text(text: str, output: Path | None, terminal: str) -> None:
    """With --output the file gets ``text`` and stderr ``terminal``; otherwise stdout gets ``text``."""
    if output is None:
        typer.echo(text, nl=False)
        return
    write_file(output, text)
    typer.echo(terminal, err=True, nl=False)


def write_file(path: Path, text: str | Iterable[str], flag: str = "--output") -> None:
    """Write an output file; a directory, a missing permission or a full disk is exit 2 naming it."""
    try:
        write_output(path, text, flag)
    except InputError as e:
        raise fail(e) from None
