"""The forecast as ``table`` (rich), ``json`` or ``markdown``."""

from __future__ import annotations

from versionguard.core.forecast import Event, Forecast, kind_label

from .inert import md_cell, md_code, plain

FORECAST_FORMATS = ("table", "json", "markdown")
_KIND_STYLE = {"auto-upgrade": "cyan", "upgrade-on-expiry": "blue", "cross-model-upgrade": "bold yellow",
               "stops-working": "bold red",
               "migration-required": "red", "deprecation": "yellow", "api-version-unsupported": "magenta",
               "api-version-retired": "bold magenta"}


def render(result: Forecast, fmt: str, color: bool = False) -> str:
    """The forecast as ``table`` (rich), ``json`` or ``markdown``."""
    if fmt == "json":
        import json

        return json.dumps(result.to_json(), indent=2) + "\n"
    if fmt == "markdown":
        return _markdown(result)
    return _table(result, color)


def _headline(result: Forecast) -> str:
    stacks = ", ".join(result.stacks) or "no stacks"
    count = sum(result.deployments.values())
    apps = [e for e in result.events if e.kind.startswith("api-version")]  # core.api_forecast events
    deployments = {(e.stack, e.deployment) for e in result.events if not e.kind.startswith("api-version")}
    return (f"forecast of {stacks} as of {result.as_of}, horizon {result.horizon_days} days (to "
            f"{result.horizon_end}; catalog {result.catalog_as_of}): {len(result.events) - len(apps)} events for "
            f"{len(deployments)} of {count} deployments" + (f", {len(apps)} api-version events" if apps else ""))


def _when(e: Event) -> str:
    return "today" if e.days_from_as_of == 0 else (f"in {e.days_from_as_of} d" if e.days_from_as_of > 0
                                                   else f"{-e.days_from_as_of} d ago")


def _date(e: Event, sep: str = " – ") -> str:
    """The day, or the window ``start – latest`` (an auto-upgrade happens *within* two weeks)."""
    return f"{e.date}{sep}{e.latest}" if e.latest else str(e.date)


def _table(result: Forecast, color: bool) -> str:
    import io

    from rich.console import Console
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=160, highlight=False)
    if result.events:
        table = Table(header_style="bold", expand=True)
        table.add_column("date", no_wrap=True, min_width=10)
        table.add_column("deployment", overflow="fold", ratio=2)
        table.add_column("model, sku, option", overflow="fold", min_width=30)
        table.add_column("event", overflow="fold", min_width=14)
        table.add_column("detail", overflow="fold", ratio=5)
        for e in result.events:
            table.add_row(f"{_date(e, chr(10) + '– ')}\n{_when(e)}", plain(f"{e.stack}/{e.deployment}"),
                          plain(f"{e.model} {e.version}\n{e.sku or '(no SKU)'}\n{e.option}"),
                          plain(kind_label(e.kind), _KIND_STYLE.get(e.kind, "")), plain(e.detail))
        console.print(table)
    for s in result.skipped:
        console.print(plain(f"not forecast: {s.stack}/{s.deployment}: {s.reason}"))
    for w in result.warnings:
        console.print(plain(f"warning: {w}"))
    console.print(plain(_headline(result)))
    return buffer.getvalue()


def _markdown(result: Forecast) -> str:
    lines = [f"## versionguard forecast as of {result.as_of}", "",
             f"Horizon {result.horizon_days} days (to {result.horizon_end}); catalog as of {result.catalog_as_of}; "
             f"stacks: {', '.join(map(md_cell, result.stacks)) or '(none)'}.", ""]
    if result.events:
        lines += ["| date | when | stack | deployment | model version | SKU | option | event | detail |",
                  "|---|---|---|---|---|---|---|---|---|"]
        lines += [f"| {_date(e)} | {_when(e)} | {md_cell(e.stack)} | {md_cell(e.deployment)} | "
                  f"{md_cell(f'{e.model} {e.version}')} | {md_cell(e.sku or '(none)')} | {md_cell(e.option)} | "
                  f"{kind_label(e.kind)} | {md_cell(e.detail)} |" for e in result.events]
    else:
        lines.append(f"No lifecycle events within {result.horizon_days} days.")
    if result.skipped:
        lines += ["", "Not forecast:", ""]
        lines += [f"- {md_code(f'{s.stack}/{s.deployment}')}: {md_cell(s.reason)}" for s in result.skipped]
    if result.warnings:
        lines += [""] + [f"> **Warning:** {md_cell(w)}" for w in result.warnings]
    headline = md_cell(_headline(result))
    lines += ["", headline[0].upper() + headline[1:] + "."]
    return "\n".join(lines) + "\n"
