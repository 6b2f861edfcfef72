"""Output formats. Each module renders a :class:`~versionguard.core.findings.Report` to text."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from versionguard.core.findings import Report

FORMATS = ("table", "json", "sarif", "junit", "markdown")


def render(report: Report, fmt: str, color: bool = False) -> str:
    renderer: Callable[..., str]
    if fmt == "json":
        from .json_report import render as renderer
    elif fmt == "sarif":
        from .sarif import render as renderer
    elif fmt == "junit":
        from .junit import render as renderer
    elif fmt == "markdown":
        from .markdown import render as renderer
    else:
        from .table import render as renderer

        return renderer(report, color=color)
    return renderer(report)


def render_pieces(report: Report, fmt: str, json_findings: Sequence[str] | None = None) -> Iterable[str]:
    """:func:`render` for a file, in pieces where the format allows (JSON: a fleet report's findings
    are made and written a chunk at a time, never held whole). ``json_findings``: the findings already
    encoded for the JSON report, which is then the only format the report can be written in."""
    if fmt == "json":
        from .json_report import pieces

        return pieces(report, json_findings)
    if json_findings is not None:
        raise ValueError("findings encoded for the JSON report only")
    return [render(report, fmt)]
