"""A readable terminal table (rich), coloured when writing to a terminal."""

from __future__ import annotations

import io
import os

from rich.console import Console
from rich.table import Table
from rich.text import Text

from versionguard.core.findings import Finding, Report

from .inert import inert_line, plain

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
            message = f.message + (f" (waived until {f.waiver_expires}: {f.waiver_reason})" if f.waived else "")
            scope = (plain(scope_of(f)),) if scoped else ()
            table.add_row(plain(f.stack), plain(level, _STYLE.get(level, "dim")), plain(f.policy), *scope,
                          plain(f.resource), plain(message))
        console.print(table)
    for line in run_lines(report):
        console.print(plain(line))
    console.print(summary_line(report))
    return buffer.getvalue()


def run_lines(report: Report) -> list[str]:
    """One line per stack (deployments judged, policy config) and which Python ran the programs."""
    lines = []
    for run in report.runs:
        if run.error is not None:
            lines.append(f"{run.stack}: NOT JUDGED: {run.error}")
            continue
        config = (shown_path(run.policy_config) if run.policy_config
                  else "none (no policy config file: the documented defaults)")
        lines.append(f"{run.stack}: {run.deployments} deployment{'' if run.deployments == 1 else 's'} judged, "
                     f"policy config {config}")
        if run.coverage is not None:
            lines.append(f"{run.stack}: {run.coverage}")
        lines += [f"{run.stack}: PARTIAL input (--allow-partial), not covered by this verdict: {gap}"
                  for gap in run.partial]
    pythons = dict.fromkeys((r.python, r.python_source) for r in report.runs if r.python)
    lines += [f"programs ran with {shown_path(python)} ({source})" for python, source in pythons]
    return lines


def shown_path(path: str) -> str:
    """A path relative to the working directory when it lies below it, else as given."""
    cwd = os.getcwd()
    return os.path.relpath(path, cwd) if path.startswith(cwd + os.sep) else path


def scope_of(f: Finding) -> str:
    """Subscription over resource group of a live deployment (empty for stack-level findings)."""
    return "\n".join(part for part in (f.subscription, f.resource_group) if part)


def summary_line(report: Report) -> Text:
    """The verdict line: what a terminal shows when the report goes to a file. Stack names are
    user input, so the line is built as ``Text`` (never parsed as console markup)."""
    s = report.summary
    verdict = {2: ("ERROR", "bold red"), 1: ("FAIL", "bold red")}.get(report.exit_code, ("PASS", "bold green"))
    counts = f"{s['mandatory']} mandatory, {s['advisory']} advisory, {s['waived']} waived"
    if report.runs:
        counts += f", {s['deployments']} deployment{'' if s['deployments'] == 1 else 's'}"
    if s["errors"]:
        counts += f"; {s['errors']} of {len(report.runs)} stacks could not be judged"
    coverage = [r.coverage for r in report.runs if r.coverage is not None]
    if coverage:
        counts += "; " + "; ".join(coverage)
    if report.partial:
        counts += ("; PARTIAL: the verdict covers only the accounts listed (--allow-partial)" if coverage else
                   "; PARTIAL input: the verdict covers only the pages given (--allow-partial)")
    return Text.assemble(verdict, inert_line(
        f" {report.command} of {', '.join(report.stacks) or 'no stacks'} as of {report.as_of} "
        f"(catalog {report.catalog_as_of}): {counts}"))
