"""``versionguard catalog import|fetch|import-docs|diff``: typer wiring for :mod:`versionguard.commands.catalog`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from versionguard.adapters.files.catalog_file import BUNDLED
from versionguard.cli.options import (
    ArmEndpointOpt,
    Output,
    TextFormat,
    choose_format,
    fail,
    live_progress,
    note,
    parse_as_of,
    write_text,
)
from versionguard.core.errors import InputError
from versionguard.reporters.inert import inert_line

CatalogOutput = Annotated[Path | None, typer.Option("--output", "-o", help="Write the catalog here (default: "
                                                    "stdout).")]
CatalogAsOf = Annotated[str | None, typer.Option("--as-of", help="The import date YYYY-MM-DD, the catalog's as_of "
                                                 "(default: $VERSIONGUARD_AS_OF, else today UTC).")]


def catalog_import(
    files: Annotated[list[Path], typer.Argument(help="ARM Models-List responses or `az cognitiveservices model "
                                                "list` output (JSON), e.g. one per region.")],
    output: CatalogOutput = None,
    as_of: CatalogAsOf = None,
    previous: Annotated[str | None, typer.Option(
        "--previous", help=f"A catalog (file or {BUNDLED}) to carry default_since and deprecation dates over from "
        "(the API does not report them).")] = None,
) -> None:
    """Build a catalog (docs/catalog.md format) from Models-List data; several regions are merged."""
    # Imported here: the other commands (check) need not load the importers, the web client and the diff.
    from versionguard.commands.catalog import import_models

    try:
        result = import_models(files, parse_as_of(as_of), previous)
    except InputError as e:
        raise fail(e) from None
    for message in result.notes:
        note(message)
    target = f" -> {inert_line(str(output))}" if output else ""
    summary = (f"catalog import: {len(result.data['models'])} models, {result.versions} versions from "
               f"{result.files} file(s), as of {result.data['as_of']}{target}\n")
    write_text(result.to_yaml(), output, summary)


def catalog_fetch(
    location: Annotated[list[str], typer.Option("--location", "-l", help="Azure region whose Models-List to "
                                                "fetch (repeatable), e.g. eastus.", show_default=False)],
    subscription: Annotated[str | None, typer.Option(
        "--subscription", help="Subscription to call the API in (default: $AZURE_SUBSCRIPTION_ID, else the first "
        "one the credential can read).")] = None,
    output: CatalogOutput = None,
    as_of: CatalogAsOf = None,
    previous: Annotated[str | None, typer.Option(
        "--previous", help=f"A catalog (file or {BUNDLED}) to carry default_since and deprecation dates over from, "
        f"and to diff against (default for the diff: {BUNDLED}).")] = None,
    arm_endpoint: ArmEndpointOpt = None,
) -> None:
    """Build a catalog from the Models-List API of each region (DefaultAzureCredential), as catalog import
    does from files, and print what changed against the previous catalog."""
    status = live_progress("Models - List")
    # Imported here: the other commands (check) need not load the importers, the web client and the diff.
    from versionguard.commands.catalog import fetch_models
    from versionguard.reporters.catalog_diff import headline

    try:
        result = fetch_models(location, subscription, arm_endpoint, parse_as_of(as_of), previous,
                              progress=None if status is None else lambda region, n: status(f"{region}: {n} models"))
    except InputError as e:
        raise fail(e) from None
    if status is not None:
        status("done", done=True)
    imported = result.imported
    for line in imported.notes:
        note(line)
    target = f" -> {output}" if output else ""
    summary = inert_line(f"catalog fetch: {len(imported.data['models'])} models, {imported.versions} versions from "
                         f"{imported.files} region(s), as of {imported.data['as_of']}{target}")
    changes = inert_line(headline(result.diff))
    write_text(imported.to_yaml(), output, f"{summary}\n{changes}\n")
    if output is None:
        typer.echo(f"{summary}\n{changes}", err=True)


def catalog_import_docs(
    sources: Annotated[list[str], typer.Argument(
        help="The Model retirement schedule in Markdown: a file (the Learn page's Markdown or the docs "
        "repository's include file) or an https:// URL of either.", show_default=False)],
    previous: Annotated[str | None, typer.Option(
        "--previous", help=f"A catalog (file or {BUNDLED}) to carry over what the page does not state (defaults, "
        f"released, per-SKU dates, lead days) and to diff against (default for the diff: {BUNDLED}).")] = None,
    output: CatalogOutput = None,
    as_of: CatalogAsOf = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds a URL may take to download.")] = 30.0,
) -> None:
    """Build a catalog from Microsoft's published Model retirement schedule (Markdown) and print what
    changed against the previous catalog, as catalog diff does."""
    # Imported here: the other commands (check) need not load the importers, the web client and the diff.
    from versionguard.commands.catalog import import_docs
    from versionguard.reporters.catalog_diff import render

    try:
        if not timeout > 0:
            raise InputError("--timeout", "--timeout", "a number of seconds > 0", timeout)
        result = import_docs(sources, parse_as_of(as_of), previous, timeout)
    except InputError as e:
        raise fail(e) from None
    for line in result.skipped:
        note(line)
    imported = result.imported
    target = f" -> {output}" if output else ""
    summary = inert_line(f"catalog import-docs: {len(imported.data['models'])} models, {imported.versions} versions "
                         f"from {result.rows} table rows of {imported.files} page(s), {len(result.skipped)} rows "
                         f"without a version left out, as of {imported.data['as_of']}{target}")
    changes = render(result.diff, "table", color=sys.stderr.isatty())
    write_text(imported.to_yaml(), output, f"{summary}\n")
    typer.echo(changes, err=True, nl=False)
    if output is None:
        typer.echo(summary, err=True)


def catalog_diff(
    old: Annotated[str, typer.Argument(help=f"The catalog before (a file, or {BUNDLED} for the bundled one).")],
    new: Annotated[str, typer.Argument(help=f"The catalog after (a file, or {BUNDLED}).")],
    fmt: TextFormat = "table",
    output: Output = None,
    fail_on_change: Annotated[bool, typer.Option("--fail-on-change", help="Exit 1 when the catalogs differ.")] = False,
) -> None:
    """Versions added and removed, and changed dates, lifecycle, default and replacement per version."""
    # Imported here: the other commands (check) need not load the importers, the web client and the diff.
    from versionguard.commands.catalog import diff
    from versionguard.reporters.catalog_diff import DIFF_FORMATS, render

    try:
        choose_format(fmt, DIFF_FORMATS)
        result = diff(old, new)
    except InputError as e:
        raise fail(e) from None
    write_text(render(result, fmt, color=output is None and fmt == "table" and sys.stdout.isatty()), output,
               render(result, "table", color=sys.stderr.isatty()) if fmt != "table" else "")
    raise typer.Exit(1 if fail_on_change and result.changed else 0)
