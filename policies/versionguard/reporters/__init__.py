"""Output formats. Each module renders a :class:`~versionguard.core.findings.Report` to text."""

from __future__ import annotations

from collections.abc import Callable

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
