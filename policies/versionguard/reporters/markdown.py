"""GitHub-flavoured Markdown for a pull-request comment or a job summary.

Verdict heading, a per-stack count table, then one findings table per stack with waived findings
folded into ``<details>``. Cell text is escaped so a message cannot break the table or inject HTML.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from versionguard.core.findings import Finding, Report

from .inert import md_cell as cell
from .inert import md_code as code

_EMOJI = {"mandatory": "❌", "advisory": "⚠️"}


def render(report: Report, docs_base: str | None = None) -> str:
    """``docs_base`` prefixes the repo-relative rule links; by default it is derived from the
    GitHub Actions environment, where a relative link would resolve against the PR page."""
    base = docs_base if docs_base is not None else actions_blob_base(os.environ)
    lines = [_heading(report), "", _dates(report), "", *_errors(report)]
    if not report.findings:
        lines.append(f"No findings in {', '.join(map(cell, report.stacks)) or 'any stack'}.")
        return "\n".join([*lines, *_runs(report)]) + "\n"
    lines += _summary_table(report)
    for stack in _stacks(report):
        lines += _stack_section(stack, [f for f in report.sorted() if f.stack == stack], base)
    lines += _runs(report)
    return "\n".join(lines).rstrip("\n") + "\n"


def _heading(report: Report) -> str:
    s = report.summary
    tail = f" · {s['advisory']} advisory" if s["advisory"] else ""
    if report.partial:
        tail += " · ⚠️ partial input"
    if s["errors"]:
        return (f"## ❌ versionguard {report.command}: {s['errors']} of {len(report.runs)} stacks not judged · "
                f"{s['mandatory']} mandatory{tail}")
    if report.exit_code:
        return f"## ❌ versionguard {report.command}: {s['mandatory']} mandatory{tail}"
    return f"## ✅ versionguard {report.command}: pass{tail}"


def _dates(report: Report) -> str:
    line = f"As of **{report.as_of.isoformat()}** · catalog checked **{report.catalog_as_of.isoformat()}**"
    if report.runs:
        line += f" · **{report.summary['deployments']}** deployments judged"
    line += "".join(f" · {cell(r.coverage)}" for r in report.runs if r.coverage is not None)
    return line


def _errors(report: Report) -> list[str]:
    """Stacks that could not be judged, and input judged although it is not the whole result."""
    lines = [f"- ❌ **{cell(r.stack)}** could not be judged: {cell(r.error or '')}" for r in report.errors]
    lines += [f"- ⚠️ **{cell(r.stack)}**: partial input (--allow-partial), not covered by this verdict: {cell(gap)}"
              for r in report.runs for gap in r.partial]
    return [*lines, ""] if lines else []


def _runs(report: Report) -> list[str]:
    """Which Python ran the programs, and the stacks judged at the documented default policy config."""
    lines = [f"Programs ran with {code(python)} ({cell(source)})."
             for python, source in dict.fromkeys((r.python, r.python_source) for r in report.runs if r.python)]
    defaults = [r.stack for r in report.runs if r.error is None and r.policy_config is None]
    if defaults:
        lines.append(f"No policy config file for {cell(', '.join(defaults))}: judged at the documented defaults.")
    return ["", *lines] if lines else []


def _stacks(report: Report) -> list[str]:
    """Reported stacks in order, plus any stack that only appears in a finding."""
    return list(dict.fromkeys([*report.stacks, *(f.stack for f in report.findings)]))


def _summary_table(report: Report) -> list[str]:
    rows = ["| stack | deployments | mandatory | advisory | waived |", "|---|--:|--:|--:|--:|"]
    judged = {r.stack: str(r.deployments) if r.error is None else "not judged" for r in report.runs}
    for stack in _stacks(report):
        active = [f for f in report.findings if f.stack == stack and not f.waived]
        waived = sum(f.waived for f in report.findings if f.stack == stack)
        mandatory = sum(f.level == "mandatory" for f in active)
        rows.append(f"| {cell(stack)} | {judged.get(stack, '')} | {mandatory} | {len(active) - mandatory} | {waived} |")
    return [*rows, ""]


def _stack_section(stack: str, findings: list[Finding], base: str) -> list[str]:
    if not findings:
        return []
    out = [f"### {cell(stack)}", ""]
    active = [f for f in findings if not f.waived]
    # Live deployments (audit) also show where they sit: same-named ones in two subscriptions differ.
    scoped = any(f.subscription is not None for f in findings)
    head, rule = ("| subscription | resource group ", "|---|---") if scoped else ("", "")
    if active:
        out += [f"| | policy {head}| resource | message |", f"|---|---{rule}|---|---|"]
        out += [f"| {_EMOJI.get(f.level, '•')} | {_policy(f, base)} {_scope(f, scoped)}| {code(f.resource)} | "
                f"{cell(f.message)} |" for f in active]
        out.append("")
    waived = [f for f in findings if f.waived]
    if waived:
        out += [f"<details><summary>{len(waived)} waived in {cell(stack)}</summary>", "",
                f"| policy {head}| resource | expires | reason | message |", f"|---{rule}|---|---|---|---|"]
        out += [f"| {_policy(f, base)} {_scope(f, scoped)}| {code(f.resource)} | {f.waiver_expires or ''} | "
                f"{cell(f.waiver_reason or '')} | {cell(f.message)} |" for f in waived]
        out += ["", "</details>", ""]
    return out


def _scope(f: Finding, scoped: bool) -> str:
    """The subscription and resource group cells (with their leading bar) when the table has them."""
    if not scoped:
        return ""
    return "".join(f"| {code(part) if part else ''} " for part in (f.subscription, f.resource_group))


def _policy(f: Finding, base: str) -> str:
    return f"[{cell(f.policy)}]({docs_link(f'docs/rules.md#{f.policy}', base)})"


def actions_blob_base(env: Mapping[str, str]) -> str:
    """``<server>/<repo>/blob/<sha>/`` when running in GitHub Actions, else empty."""
    parts: Iterable[str | None] = (env.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"))
    server, repo, sha = parts
    return f"{server.rstrip('/')}/{repo}/blob/{sha}/" if server and repo and sha else ""


def docs_link(relative: str, base: str | None = None) -> str:
    """A repo-relative docs path, made absolute when a base is known (explicit or from Actions)."""
    base = actions_blob_base(os.environ) if base is None else base
    return f"{base}{relative}" if base else relative
