"""A readable terminal table (rich), coloured when writing to a terminal."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table

from versionguard.core.findings import Finding, Report

_STYLE = {"mandatory": "bold red", "advisory": "yellow"}


def render(report: Report, color: bool = False) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=160, highlight=False)
    findings = report.sorted()
    if findings:
        table = Table(show_lines=False, header_style="bold")
        scoped = report.scoped
        columns = ("stack", "level", "policy", "subscription / resource group", "resource", "message") if scoped \
            else ("stack", "level", "policy", "resource", "message")
        for column in columns:
            table.add_column(column, overflow="fold", ratio=4 if column == "message" else None)
        for f in findings:
            level = "waived" if f.waived else f.level
            scope = (scope_of(f),) if scoped else ()
            table.add_row(f.stack, f"[{_STYLE.get(level, 'dim')}]{level}[/]", f.policy, *scope, f.resource,
                          f.message + (f" (waived until {f.waiver_expires}: {f.waiver_reason})" if f.waived else ""))
        console.print(table)
    console.print(summary_line(report))
    return buffer.getvalue()


def scope_of(f: Finding) -> str:
    """Subscription over resource group of a live deployment (empty for stack-level findings)."""
    return "\n".join(part for part in (f.subscription, f.resource_group) if part)


def summary_line(report: Report) -> str:
    """The verdict line (rich markup): what a terminal shows when the report goes to a file."""
    s = report.summary
    verdict = "[bold red]FAIL[/]" if report.exit_code else "[bold green]PASS[/]"
    return (f"{verdict} {report.command} of {', '.join(report.stacks) or 'no stacks'} as of {report.as_of} "
            f"(catalog {report.catalog_as_of}): {s['mandatory']} mandatory, {s['advisory']} advisory, "
            f"{s['waived']} waived")
