"""``versionguard audit``: typer wiring for :mod:`versionguard.commands.audit`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from versionguard.adapters.evaluation_inputs import waivers_file
from versionguard.cli.options import (
    ArmEndpointOpt,
    AsOf,
    CatalogOpt,
    Format,
    Outputs,
    SubscriptionsOpt,
    WaiversOpt,
    choose_format,
    emit_all,
    fail,
    live_progress,
    note,
    parse_as_of,
    parse_outputs,
    show_catalog_age,
)
from versionguard.commands.audit import GraphProgress, audit_files, audit_resource_graph
from versionguard.core.errors import InputError


def audit(
    files: Annotated[list[Path] | None, typer.Argument(
        help="ARM Deployments-List responses, `az cognitiveservices account deployment list` output or Azure "
        "Resource Graph results (`az graph query`, REST) as JSON.", show_default=False)] = None,
    as_of: AsOf = None,
    catalog: CatalogOpt = None,
    waivers: WaiversOpt = None,
    fmt: Format = "table",
    output: Outputs = None,
    stack_label: Annotated[str, typer.Option(
        "--stack-label", help="Stack name the findings and waivers use.")] = "live",
    policy_config: Annotated[Path | None, typer.Option(
        "--policy-config", help="Policy levels and properties, as policies/config/<stack>.json "
        "(default: each policy's default).")] = None,
    resource_graph: Annotated[bool, typer.Option(
        "--resource-graph", help="Query Azure Resource Graph live for every model deployment the credential "
        "(DefaultAzureCredential) can read, instead of reading files. Needs the azure extra of versionguard.")] = False,
    subscription: SubscriptionsOpt = None,
    management_group: Annotated[list[str] | None, typer.Option(
        "--management-group", help="With --resource-graph: query this management group (repeatable).")] = None,
    arm_endpoint: ArmEndpointOpt = None,
    allow_partial: Annotated[bool, typer.Option(
        "--allow-partial", help="Judge files that are one page of a larger result (a Resource Graph skip token "
        "or a total above the rows given, an ARM nextLink) instead of stopping with exit 2; the report then says "
        "the verdict is partial.")] = False,
) -> None:
    """Judge deployments as they exist in Azure (ARM JSON, Resource Graph) with the same rules and waivers
    as check."""
    try:
        choose_format(fmt)
        outputs = parse_outputs(fmt, output)
        if not stack_label.strip():
            raise InputError("--stack-label", "--stack-label", "a non-empty label")
        if resource_graph == bool(files):
            raise InputError("command line", "FILE.../--resource-graph", "either JSON files or --resource-graph")
        if not resource_graph and (subscription or management_group or arm_endpoint):
            raise InputError("command line", "--subscription/--management-group/--arm-endpoint",
                             "these only with --resource-graph")
        if resource_graph and allow_partial:
            raise InputError("command line", "--allow-partial", "it only with JSON files (--resource-graph reads "
                             "every page)")
        # Live deployments have no project: the current directory's policies/waivers.yaml, as check's --project .
        waivers = waivers_file(waivers, Path.cwd())
        if resource_graph:
            run = audit_resource_graph(subscription or (), management_group or (), arm_endpoint,
                                       parse_as_of(as_of), catalog, waivers, stack_label.strip(), policy_config,
                                       progress=_graph_progress())
        else:
            run = audit_files(files or [], parse_as_of(as_of), catalog, waivers, stack_label.strip(), policy_config,
                              allow_partial)
    except InputError as e:
        raise fail(e) from None
    for message in run.notes:
        note(message)
    show_catalog_age(run.report.catalog_as_of, run.report.as_of)
    emit_all(run.report, fmt, outputs)
    raise typer.Exit(run.report.exit_code)


def _graph_progress() -> GraphProgress | None:
    status = live_progress("Resource Graph")
    if status is None:
        return None

    def show(rows: int, total: int | None, page: int) -> None:
        of = f" of {total:,}" if total is not None else ""
        status(f"page {page}, {rows:,}{of} rows", done=total is None or rows >= total)

    return show
