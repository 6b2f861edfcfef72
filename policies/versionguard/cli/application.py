"""The ``versionguard`` application: builds the typer app and registers every command explicitly.

Exit codes for every command: 0 clean, 1 mandatory violations, 2 bad usage or bad input.
"""

from __future__ import annotations

import traceback

import typer

from versionguard.cli.audit import audit
from versionguard.cli.catalog import catalog_diff, catalog_fetch, catalog_import, catalog_import_docs
from versionguard.cli.check import check
from versionguard.cli.fix import fix
from versionguard.cli.forecast import forecast
from versionguard.cli.pack_path import pack_path_command

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Judge Azure OpenAI model deployments against the model lifecycle.")
catalog_app = typer.Typer(no_args_is_help=True, help="Build a catalog from the ARM Models-List API or the "
                          "published retirement schedule, and compare catalogs.")


@app.callback()
def _root() -> None:
    """Judge Azure OpenAI model deployments against the model lifecycle (check, forecast, audit, catalog)."""


app.command()(check)
app.command()(forecast)
app.command()(fix)
app.command()(audit)
app.command("pack-path")(pack_path_command)
catalog_app.command("import")(catalog_import)
catalog_app.command("fetch")(catalog_fetch)
catalog_app.command("import-docs")(catalog_import_docs)
catalog_app.command("diff")(catalog_diff)
app.add_typer(catalog_app, name="catalog")


def main() -> None:
    """Entry point. A crash must never exit 1, which means "mandatory violations": it exits 2."""
    try:
        app()  # exits through SystemExit with the command's code, or 2 for usage errors
    except Exception:
        traceback.print_exc()
        typer.echo("versionguard: internal error (a bug, please report it with the traceback above)", err=True)
        raise SystemExit(2) from None
