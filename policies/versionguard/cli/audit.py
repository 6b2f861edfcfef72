"""``versionguard audit``: typer wiring for :mod:`versionguard.commands.audit`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from versionguard.cli.options import (
    AsOf,
    CatalogOpt,
    Format,
    Output,
    WaiversOpt,
    choose_format,
    emit,
    fail,
    note,
    parse_as_of,
)
from versionguard.commands.audit import audit_files
from versionguard.core.errors import InputError


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
    try:
        choose_format(fmt)
        if not stack_label.strip():
            raise InputError("--stack-label", "--stack-label", "a non-empty label")
        run = audit_files(files, parse_as_of(as_of), catalog, waivers, stack_label.strip(), policy_config)
    except InputError as e:
        raise fail(e) from None
    for message in run.notes:
        note(message)
    emit(run.report, fmt, output)
    raise typer.Exit(run.report.exit_code)
