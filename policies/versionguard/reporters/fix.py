"""What ``versionguard fix`` shows: a unified diff per file, a summary, and a Markdown PR description.

Every text that comes from the project (file contents, names, values, messages) passes through
:mod:`reporters.inert`: a control character in a stack file shows as an escape, never acts on the
terminal, and Markdown cells cannot break the PR body. A ``secure:`` value in a diff's context lines is
shown as ``[secret]`` (the ciphertext is not the reviewer's business).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from versionguard.commands.fix import ByHand, Edit, FixResult, Move
from versionguard.core.catalog import Catalog, VersionInfo

from .inert import inert, inert_line, md_cell

_SECURE = re.compile(r"(secure\s*:\s*)(\S+)")


def render_diff(result: FixResult) -> str:
    """A unified diff per edited file (``a/`` and ``b/`` paths as in git), made inert."""
    out: list[str] = []
    for edit in result.plan.files:
        name = inert_line(edit.shown)  # a newline in a path must not start a line of its own
        before = _lines(edit.before.decode("utf-8", "replace"))
        after = _lines(edit.after.decode("utf-8", "replace"))
        for line in difflib.unified_diff(before, after, f"a/{name}", f"b/{name}"):
            text = line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
            out.append(inert(_SECURE.sub(r"\1[secret]", text)))
    return "".join(out)


def _lines(text: str) -> list[str]:
    """Lines as git splits them: at ``\n`` only (``str.splitlines`` would also split at ``\r``, ``\x85``…)."""
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def render_summary(result: FixResult) -> str:
    """Plain text for the terminal: each move, what is left by hand, and the verdict."""
    plan = result.plan
    lines = [f"versionguard fix: {len(plan.moves)} deployment(s) to move, {len(plan.edits)} edit(s) in "
             f"{len(plan.files)} file(s){' (applied)' if result.applied else ' (dry run: nothing written)'}"]
    for move in plan.moves:
        lines.append(inert_line(f"  move {move.stack}/{move.resource}: {move.current.label} -> "
                                f"{move.target.entry.label}{_risk_tag(move)}"))
    for edit in plan.edits:
        lines.append(inert_line(f"  edit {edit.place.label}: {edit.field} {edit.place.value} -> {edit.new}"))
    for hand in plan.by_hand:
        lines.append(inert_line(f"  fix by hand {hand.stack}/{hand.resource}: {hand.reason} "
                                f"[{', '.join(sorted({f.policy for f in hand.findings}))}]"))
    if result.recheck is not None:
        left = result.remaining
        lines.append(f"re-check: {len(left)} mandatory finding(s) left")
        reasons = {(h.stack, h.resource): h.reason for h in plan.by_hand}
        for f in left:
            why = reasons.get((f.stack, f.resource), "fix did not resolve it")
            lines.append(inert_line(f"  left {f.stack}/{f.resource} {f.policy}: {why}"))
    elif plan.report.errors:
        lines.append("not planned: some stacks could not be checked (see the errors)")
    return "\n".join(lines) + "\n"


def _risk_tag(move: Move) -> str:
    tags = []
    if move.target.cross_model:
        tags.append("CROSS-MODEL MOVE: behaviour changes")
    if move.target.migration:
        tags.append("provisioned: a migration you run")
    return f" [{'; '.join(tags)}]" if tags else ""


def render_pr_body(result: FixResult) -> str:
    """The pull request's description: each change, the findings it resolves, dates with their catalog
    sources, the risk of each move, and what is left to do by hand."""
    plan = result.plan
    catalog = plan.catalog
    lines = ["## versionguard fix: move model deployments off retiring versions", "",
             f"As of **{plan.report.as_of.isoformat()}** · catalog checked **{catalog.as_of.isoformat()}** "
             f"({md_cell(catalog.origin)})", ""]
    if not plan.moves:
        lines += ["No deployment could be moved automatically.", ""]
    for move in plan.moves:
        lines += _move_section(move, [e for e in plan.edits if move in e.moves], catalog)
    if plan.by_hand:
        lines += ["### Fix by hand", "", "| Stack | Resource | Findings | Why fix did not edit it |",
                  "| --- | --- | --- | --- |"]
        lines += [f"| {md_cell(h.stack)} | {md_cell(h.resource)} | {md_cell(_policies(h))} | {md_cell(h.reason)} |"
                  for h in plan.by_hand]
        lines.append("")
    if result.recheck is not None:
        left = result.remaining
        lines.append(f"Re-check after the edits: **{len(left)}** mandatory finding(s) left.")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _policies(h: ByHand) -> str:
    return ", ".join(sorted({f.policy for f in h.findings}))


def _move_section(move: Move, edits: Iterable[Edit], catalog: Catalog) -> list[str]:
    title = f"### {md_cell(move.stack)} / {md_cell(move.resource)}: {md_cell(move.current.label)} → " \
            f"{md_cell(move.target.entry.label)}"
    lines = [title, ""]
    if move.target.cross_model:
        lines += [f"> **Cross-model move** ({md_cell(move.current.model)} → {md_cell(move.target.model)}): the "
                  "model's behaviour changes (answers, token use, tool calling, content filtering). Run your "
                  "evaluations and review prompts before merging.", ""]
    if move.target.migration:
        lines += [f"> **Provisioned deployment** ({md_cell(move.sku or '')}): Azure does not upgrade it; applying "
                  "this change is a migration (in place or by a new deployment); check capacity first.", ""]
    lines.append(f"Why this target: {md_cell(move.target.why)}.")
    lines.append("")
    lines += ["Resolves:", ""]
    lines += [f"- `{f.policy}`: {md_cell(f.message)}" for f in move.findings]
    lines += ["", "Changes:", ""]
    lines += [f"- {md_cell(e.place.label)}: `{e.field}` {md_cell(e.place.value)} → {md_cell(e.new)}" for e in edits]
    lines += ["", "Dates (catalog):", ""]
    lines += [_dates(move.current, move.sku, catalog, "now"), _dates(move.target.entry, move.sku, catalog, "target")]
    lines.append("")
    return lines


def _dates(entry: VersionInfo, sku: str | None, catalog: Catalog, role: str) -> str:
    parts = [f"{role} {md_cell(entry.label)} ({md_cell(entry.lifecycle)})"]
    if entry.deprecation:
        parts.append(f"deprecation {entry.deprecation.isoformat()}")
    retires = entry.retirement_for(sku)
    parts.append(f"retirement {retires.isoformat() if retires else 'not announced'}"
                 + (f" for {md_cell(sku)}" if sku and entry.retirement_by_sku else ""))
    sources = [catalog.sources.get(s) for s in entry.sources]
    cited = [f"{md_cell(s.id)}: {md_cell(s.title)}" + (f" <{md_cell(s.url)}>" if s.url else "") for s in sources if s]
    parts.append("sources: " + ("; ".join(cited) if cited else "none recorded"))
    return "- " + " · ".join(parts)
