"""A catalog diff as ``table`` (rich), ``json`` or ``markdown``."""

from __future__ import annotations

import json

from versionguard.core.catalog_diff import CatalogDiff, show

from .inert import md_cell, plain

DIFF_FORMATS = ("table", "json", "markdown")


def _rows(diff: CatalogDiff) -> list[tuple[str, str, str, str, str, str, str]]:
    rows = []
    for v in (*diff.versions, *diff.api_versions):
        if v.status != "changed":
            rows.append((v.status, v.label, v.version, "", "", "", v.summary))
        for c in v.changes:
            rows.append((v.status, v.label, v.version, c.field, show(c.old), show(c.new), c.note))
    return rows


def headline(diff: CatalogDiff) -> str:
    """One line: what was compared and how many versions were added, removed and changed."""
    return (f"catalog diff {diff.old} (as of {diff.old_as_of}) -> {diff.new} (as of {diff.new_as_of}): "
            f"{diff.count('added')} added, {diff.count('removed')} removed, {diff.count('changed')} changed")


def render(diff: CatalogDiff, fmt: str, color: bool = False) -> str:
    if fmt == "json":
        return json.dumps(diff.to_json(), indent=2) + "\n"
    if fmt == "markdown":
        lines = [f"## {md_cell(headline(diff))}", ""]
        if diff.changed:
            lines += ["| change | model | version | field | old | new | note |", "|---|---|---|---|---|---|---|"]
            lines += ["| " + " | ".join(map(md_cell, row)) + " |" for row in _rows(diff)]
        else:
            lines.append("No differences.")
        return "\n".join(lines) + "\n"
    import io

    from rich.console import Console
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=160, highlight=False)
    if diff.changed:
        table = Table(header_style="bold")
        for column in ("change", "model", "version", "field", "old", "new", "note"):
            table.add_column(column, overflow="fold")
        style = {"added": "green", "removed": "red", "changed": "yellow"}
        for row in _rows(diff):
            table.add_row(plain(row[0], style[row[0]]), *map(plain, row[1:]))
        console.print(table)
    console.print(plain(headline(diff)))
    return buffer.getvalue()
