"""The ``versionguard`` command line. Exit codes: 0 clean, 1 mandatory violations, 2 bad input."""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer

from .dates import parse_date
from .errors import InputError
from .findings import Report
from .reporters import FORMATS, render
from .reporters.table import summary_line

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Judge Azure OpenAI model deployments against the model lifecycle.")

Format = Annotated[str, typer.Option("--format", "-f", help="Output format: " + " | ".join(FORMATS))]
Output = Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file.")]
AsOf = Annotated[str | None, typer.Option("--as-of", help="Evaluation date YYYY-MM-DD "
                                          "(default: $VERSIONGUARD_AS_OF, else today UTC).")]
CatalogOpt = Annotated[Path | None, typer.Option("--catalog", help="Catalog file replacing the bundled one "
                                                 "(default: $VERSIONGUARD_CATALOG).")]
WaiversOpt = Annotated[Path | None, typer.Option("--waivers", help="Waivers file (default: $VERSIONGUARD_WAIVERS, "
                                                 "else policies/waivers.yaml).")]
ProjectOpt = Annotated[Path, typer.Option("--project", help="Pulumi project directory.")]


@app.callback()
def _root() -> None:
    """Judge Azure OpenAI model deployments against the model lifecycle (check, forecast, audit, catalog)."""


def fail(error: InputError | str) -> typer.Exit:
    typer.echo(f"versionguard: error: {error}", err=True)
    return typer.Exit(2)


def parse_as_of(value: str | None) -> dt.date | None:
    return None if value is None else parse_date(value, "--as-of", "--as-of")


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise InputError("--format", "--format", "one of " + ", ".join(FORMATS), fmt)


def emit(report: Report, fmt: str, output: Path | None) -> None:
    """Write the report; with --output the file gets the format and the terminal a summary."""
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(render(report, fmt), "utf-8")
        # The terminal gets the verdict only: a table of thousands of findings belongs in the file.
        from rich.console import Console

        Console(stderr=True, no_color=not sys.stderr.isatty(), highlight=False).print(
            summary_line(report) + f" → {output}")
        return
    typer.echo(render(report, fmt, color=fmt == "table" and sys.stdout.isatty()), nl=False)


@app.command()
def check(
    stack: Annotated[list[str] | None, typer.Option("--stack", "-s", help="Stack to check (repeatable).")] = None,
    all_stacks: Annotated[bool, typer.Option("--all", help="Check every stack in the stack config dir.")] = False,
    as_of: AsOf = None,
    catalog: CatalogOpt = None,
    waivers: WaiversOpt = None,
    fmt: Format = "table",
    output: Output = None,
    project: ProjectOpt = Path("."),
    policy_config_dir: Annotated[Path | None, typer.Option(
        "--policy-config-dir", help="Directory of <stack>.json policy config (default: policies/config).")] = None,
    stack_dir: Annotated[Path | None, typer.Option(
        "--stack-dir", help="Directory of Pulumi.<stack>.yaml files (default: Pulumi.yaml's stackConfigDir).")] = None,
) -> None:
    """Run each stack's program offline and judge every resource with the policy pack."""
    from .check import check_stacks
    from .project import load_project

    try:
        check_format(fmt)
        proj = load_project(project.resolve(), stack_dir)
        if all_stacks == bool(stack):
            raise InputError("command line", "--stack/--all", "either --stack NAME (repeatable) or --all")
        names = proj.stacks() if all_stacks else list(stack or [])
        if not names:
            raise InputError(str(proj.stack_dir), "(files)", "at least one Pulumi.<stack>.yaml")
        progress = _progress(len(names))
        report = check_stacks(proj, names, policy_config_dir or proj.root / "policies" / "config",
                              parse_as_of(as_of), catalog, waivers, progress)
    except InputError as e:
        raise fail(e) from None
    emit(report, fmt, output)
    raise typer.Exit(report.exit_code)


def _progress(total: int):
    """A one-line progress note on stderr when a person is watching several stacks."""
    if total < 2 or not sys.stderr.isatty():
        return None
    seen = [0]

    def note(stack: str) -> None:
        seen[0] += 1
        typer.echo(f"\r[{seen[0]}/{total}] checking {stack}…", err=True, nl=seen[0] == total)

    return note


# Lifecycle commands (forecast, audit, catalog) register themselves here.
from . import cli_lifecycle  # noqa: E402,F401  (imports app and adds its commands)


def main() -> None:
    """Entry point. A crash must never exit 1, which means "mandatory violations": it exits 2."""
    try:
        app()  # exits through SystemExit with the command's code, or 2 for usage errors
    except Exception:
        traceback.print_exc()
        typer.echo("versionguard: internal error (a bug, please report it with the traceback above)", err=True)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
