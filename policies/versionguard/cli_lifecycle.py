"""CLI commands between pull requests: forecast, audit, catalog (registered on ``cli.app``).

Each command is a thin shell: parse options, call the pure module (``forecast``, ``audit``,
``catalog_import``, ``catalog_diff``), print. Bad input is an :class:`InputError` -> exit 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .cli import AsOf, CatalogOpt, Format, Output, ProjectOpt, WaiversOpt, app, check_format, emit, fail, parse_as_of
from .errors import InputError

BUNDLED = "@bundled"

catalog_app = typer.Typer(no_args_is_help=True, help="Build a catalog from the ARM Models-List API and compare "
                          "catalogs.")
app.add_typer(catalog_app, name="catalog")

StackOpt = Annotated[list[str] | None, typer.Option("--stack", "-s", help="Stack to forecast (repeatable).")]
AllOpt = Annotated[bool, typer.Option("--all", help="Every stack in the stack config dir.")]
TextFormat = Annotated[str, typer.Option("--format", "-f", help="Output format: table | json | markdown")]


def _choose(fmt: str, allowed: tuple[str, ...]) -> None:
    if fmt not in allowed:
        raise InputError("--format", "--format", "one of " + ", ".join(allowed), fmt)


def _write(text: str, output: Path | None, terminal: str) -> None:
    """With --output the file gets ``text`` and stderr a short table; otherwise stdout gets ``text``."""
    if output is None:
        typer.echo(text, nl=False)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, "utf-8")
    typer.echo(terminal, err=True, nl=False)


@app.command()
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
) -> None:
    """Dated lifecycle events ahead of each deployment: auto-upgrades, upgrades on expiry, retirements."""
    from .catalog import load_catalog
    from .forecast import FORECAST_FORMATS, render, stack_records
    from .forecast import forecast as run_forecast
    from .project import load_project
    from .settings import ENV_CATALOG, as_of_from_env, path_from_env

    try:
        _choose(fmt, FORECAST_FORMATS)
        if horizon < 0:
            raise InputError("--horizon", "--horizon", "a number of days >= 0", horizon)
        if chart is not None:
            from .timeline_chart import chart_format

            chart_format(chart)
        proj = load_project(project.resolve())
        if all_stacks == bool(stack):
            raise InputError("command line", "--stack/--all", "either --stack NAME (repeatable) or --all")
        names = proj.stacks() if all_stacks else list(stack or [])
        if not names:
            raise InputError(str(proj.stack_dir), "(files)", "at least one Pulumi.<stack>.yaml")
        day = parse_as_of(as_of) or as_of_from_env()
        cat = load_catalog(catalog or path_from_env(ENV_CATALOG))
        result = run_forecast({name: stack_records(proj, name) for name in names}, cat, day, horizon)
        if chart is not None:
            from .timeline_chart import write_chart

            write_chart(result, chart)
    except InputError as e:
        raise fail(e) from None
    _write(render(result, fmt, color=output is None and fmt == "table" and sys.stdout.isatty()), output,
           render(result, "table", color=sys.stderr.isatty()) if fmt != "table" else "")
    if chart is not None:
        typer.echo(f"chart written to {chart}", err=True)


@app.command()
def audit(
    files: Annotated[list[Path], typer.Argument(help="ARM Deployments-List responses or `az cognitiveservices "
                                                "account deployment list` output (JSON).")],
    as_of: AsOf = None,
    catalog: CatalogOpt = None,
    waivers: WaiversOpt = None,
    fmt: Format = "table",
    output: Output = None,
    stack_label: Annotated[str, typer.Option(
        "--stack-label", help="Stack name the findings and waivers use.")] = "live",
    policy_config: Annotated[Path | None, typer.Option(
        "--policy-config", help="Policy levels and properties, as policies/config/<stack>.json "
        "(default: each policy's default).")] = None,
) -> None:
    """Judge deployments as they exist in Azure (ARM JSON) with the same rules and waivers as check."""
    from .audit import audit as run_audit
    from .audit import load_live, policy_settings
    from .runtime import load_runtime

    try:
        check_format(fmt)
        if not stack_label.strip():
            raise InputError("--stack-label", "--stack-label", "a non-empty label")
        runtime = load_runtime(parse_as_of(as_of), catalog, waivers)
        settings = policy_settings(policy_config)
        live = load_live(files)
    except InputError as e:
        raise fail(e) from None
    for note in live.notes:
        typer.echo(f"versionguard: note: {note}", err=True)
    report = run_audit(live.deployments, runtime.catalog, runtime.as_of, runtime.waivers, stack_label.strip(),
                       settings)
    emit(report, fmt, output)
    raise typer.Exit(report.exit_code)


@catalog_app.command("import")
def catalog_import(
    files: Annotated[list[Path], typer.Argument(help="ARM Models-List responses or `az cognitiveservices model "
                                                "list` output (JSON), e.g. one per region.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the catalog here (default: "
                                                "stdout).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Import date YYYY-MM-DD, the catalog's as_of "
                                              "(default: $VERSIONGUARD_AS_OF, else today UTC).")] = None,
    previous: Annotated[str | None, typer.Option(
        "--previous", help=f"A catalog (file or {BUNDLED}) to carry default_since and deprecation dates over from "
        "(the API does not report them).")] = None,
) -> None:
    """Build a catalog (docs/catalog.md format) from Models-List data; several regions are merged."""
    from .catalog import load_catalog
    from .catalog_import import import_catalog
    from .settings import as_of_from_env

    try:
        day = parse_as_of(as_of) or as_of_from_env()
        before = None if previous is None else load_catalog(None if previous == BUNDLED else Path(previous))
        result = import_catalog(list(files), day, before)
    except InputError as e:
        raise fail(e) from None
    for note in result.notes:
        typer.echo(f"versionguard: note: {note}", err=True)
    summary = (f"catalog import: {len(result.data['models'])} models, {result.versions} versions from "
               f"{result.files} file(s), as of {day}" + (f" -> {output}" if output else "") + "\n")
    _write(result.to_yaml(), output, summary)


@catalog_app.command("diff")
def catalog_diff(
    old: Annotated[str, typer.Argument(help=f"The catalog before (a file, or {BUNDLED} for the bundled one).")],
    new: Annotated[str, typer.Argument(help=f"The catalog after (a file, or {BUNDLED}).")],
    fmt: TextFormat = "table",
    output: Output = None,
    fail_on_change: Annotated[bool, typer.Option("--fail-on-change", help="Exit 1 when the catalogs differ.")] = False,
) -> None:
    """Versions added and removed, and changed dates, lifecycle, default and replacement per version."""
    from .catalog import load_catalog
    from .catalog_diff import DIFF_FORMATS, diff_catalogs, render

    try:
        _choose(fmt, DIFF_FORMATS)
        before = load_catalog(None if old == BUNDLED else Path(old))
        after = load_catalog(None if new == BUNDLED else Path(new))
    except InputError as e:
        raise fail(e) from None
    result = diff_catalogs(before, after)
    _write(render(result, fmt, color=output is None and fmt == "table" and sys.stdout.isatty()), output,
           render(result, "table", color=sys.stderr.isatty()) if fmt != "table" else "")
    raise typer.Exit(1 if fail_on_change and result.changed else 0)
