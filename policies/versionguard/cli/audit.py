"""``versionguard audit``: typer wiring for :mod:`versionguard.commands.audit`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from versionguard.adapters.azure.sdk_clients import DEFAULT_CONCURRENCY, MAX_CONCURRENCY
from versionguard.cli.early_start import DEFAULT_AUDIT_JOBS_CAP, MAX_AUDIT_JOBS, default_jobs
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
from versionguard.core.errors import InputError

if TYPE_CHECKING:
    from versionguard.commands.audit import LiveProgress



def audit(
    files: Annotated[list[str] | None, typer.Argument(
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
    live: Annotated[bool, typer.Option(
        "--live", "--resource-graph", help="Audit Azure live instead of reading files: Azure Resource Graph finds "
        "the accounts of kind OpenAI and AIServices the credential (DefaultAzureCredential) can read, then ARM lists "
        "each account's deployments. Needs the azure extra of versionguard. (--resource-graph is its old name.)",
    )] = False,
    subscription: SubscriptionsOpt = None,
    management_group: Annotated[list[str] | None, typer.Option(
        "--management-group", help="With --live: the accounts of this management group (repeatable).")] = None,
    arm_endpoint: ArmEndpointOpt = None,
    concurrency: Annotated[int, typer.Option(
        "--concurrency", help=f"With --live: accounts listed at once (1 to {MAX_CONCURRENCY}).")] = DEFAULT_CONCURRENCY,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", help="Processes that read and judge the files at once, 1 to "
        f"{MAX_AUDIT_JOBS} (default: the usable CPUs, at most {DEFAULT_AUDIT_JOBS_CAP}; 1: in this process only). "
        "Inputs under 8 MiB are read in one process.",
        show_default=False)] = None,
    allow_partial: Annotated[bool, typer.Option(
        "--allow-partial", help="Judge what could be read instead of stopping with exit 2: files that are one page "
        "of a larger result (a Resource Graph skip token or a total above the rows given, an ARM nextLink), or with "
        "--live the accounts that could be listed; the report then names what the verdict does not cover.")] = False,
) -> None:
    """Judge deployments as they exist in Azure (live, or ARM JSON exports) with the same rules and waivers
    as check."""
    # Imported here: check need not load the ARM and Resource Graph readers.
    from versionguard.adapters.evaluation_inputs import waivers_file
    from versionguard.commands.audit import audit_files, audit_live
    from versionguard.reporters.json_report import encode_judged

    try:
        choose_format(fmt)
        outputs = parse_outputs(fmt, output)
        if not stack_label.strip():
            raise InputError("--stack-label", "--stack-label", "a non-empty label")
        if live == bool(files):
            raise InputError("command line", "FILE.../--live", "either JSON files or --live")
        if not live and (subscription or management_group or arm_endpoint or concurrency != DEFAULT_CONCURRENCY):
            raise InputError("command line", "--subscription/--management-group/--arm-endpoint/--concurrency",
                             "these only with --live")
        if jobs is not None and (live or not 1 <= jobs <= MAX_AUDIT_JOBS):
            raise InputError("--jobs", "--jobs", f"a number of processes from 1 to {MAX_AUDIT_JOBS}, with files "
                             "(--live waits on Azure, not on CPUs: see --concurrency)", jobs)
        if not 1 <= concurrency <= MAX_CONCURRENCY:
            raise InputError("--concurrency", "--concurrency", f"a number of accounts from 1 to {MAX_CONCURRENCY}",
                             concurrency)
        # Live deployments have no project: the current directory's policies/waivers.yaml, as check's --project .
        waivers = waivers_file(waivers, Path.cwd())
        if live:
            run = audit_live(subscription or (), management_group or (), arm_endpoint, parse_as_of(as_of), catalog,
                             waivers, stack_label.strip(), policy_config, concurrency=concurrency,
                             allow_partial=allow_partial, progress=_live_progress(fmt, outputs))
        else:
            # Worker processes encode the findings for the JSON report too when nothing else is written.
            json_only = all(f == "json" for f, _ in outputs) if outputs else fmt == "json"
            # Strings, made paths here: typer's own coercion of 2,000 paths costs a fifth of a second.
            run = audit_files([Path(f) for f in files or ()], parse_as_of(as_of), catalog, waivers,
                              stack_label.strip(), policy_config, allow_partial,
                              default_jobs() if jobs is None else jobs, encode_judged if json_only else None)
    except InputError as e:
        raise fail(e) from None
    for message in run.notes:
        note(message)
    show_catalog_age(run.report.catalog_as_of, run.report.as_of)
    emit_all(run.report, fmt, outputs, run.finding_texts)
    raise typer.Exit(run.report.exit_code)


def _live_progress(fmt: str, outputs: list[tuple[str, Path]]) -> LiveProgress | None:
    """Accounts found, then listed, on one stderr line: only for a person at a terminal, and not when a
    machine format goes to stdout (whoever reads it reads stderr through the same terminal, often a pipe)."""
    if not outputs and fmt != "table":
        return None
    status = live_progress("audit --live")
    if status is None:
        return None

    def show(stage: str, done: int, total: int | None) -> None:
        if stage == "accounts":
            status(f"Resource Graph: {done:,} account{'' if done == 1 else 's'} found so far")
        else:
            status(f"ARM: deployments of {done:,} of {total or 0:,} accounts listed", done=done == total)

    return show
