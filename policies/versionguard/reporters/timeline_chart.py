"""``forecast --chart PATH``: the forecast as a timeline picture (SVG or PNG by extension).

One row per deployment, one mark per event (shape and colour per kind, with a legend), the as-of
date and the horizon edge as vertical lines, dates on the x axis. Events already past that lie far
to the left are pinned to the left edge with their date written beside them, so a long-overdue
event does not squash the timeline. Uses matplotlib's Agg canvas directly (no global backend).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

from versionguard.adapters.files.output_file import write_output
from versionguard.core.dates import add_days
from versionguard.core.errors import InputError
from versionguard.core.forecast import KINDS, Event, Forecast

from .inert import inert

CHART_SUFFIXES = {".svg": "svg", ".png": "png"}
# Okabe-Ito colours (distinguishable with colour-vision deficiencies) and distinct marker shapes.
STYLE: dict[str, tuple[str, str]] = {
    "auto-upgrade": ("#0072B2", "^"),
    "upgrade-on-expiry": ("#009E73", "o"),
    "cross-model-upgrade": ("#882255", "*"),  # Tol's wine: the Okabe-Ito set has no colour left that reads on white
    "stops-working": ("#D55E00", "X"),
    "migration-required": ("#CC79A7", "s"),
    "deprecation": ("#E69F00", "D"),
    "api-version-unsupported": ("#56B4E9", "v"),
    "api-version-retired": ("#000000", "P"),
}
LEGEND = {**KINDS, "deprecation": "deprecation (no new customers)"}


def chart_format(path: Path) -> str:
    fmt = CHART_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise InputError("--chart", "--chart", "a file name ending in .svg or .png", str(path))
    return fmt


def write_chart(result: Forecast, path: Path) -> None:
    """Draw the timeline of ``result`` into ``path`` (format from the extension)."""
    fmt = chart_format(path)
    try:
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - matplotlib is a declared dependency
        raise InputError("--chart", "--chart", "matplotlib installed (pip install matplotlib)") from None
    import matplotlib.dates as mdates
    from matplotlib.lines import Line2D

    rows = _rows(result.events)
    as_of, end = result.as_of, result.horizon_end
    span = max(result.horizon_days, 30)
    earliest = min((e.date for e in result.events), default=as_of)
    pad = max(span // 25, 3)
    left = add_days(min(as_of, max(earliest, add_days(as_of, -(span // 3)))), -pad)
    right = add_days(end, pad)

    fig = Figure(figsize=(13, 1.9 + 0.62 * max(len(rows), 1)), layout="constrained")
    ax = fig.add_subplot()
    ax.axvspan(left, as_of, color="#f0f0f0", linewidth=0, zorder=0)
    ax.axvline(as_of, color="#222222", linewidth=1.6, zorder=2)
    ax.axvline(end, color="#555555", linewidth=1.2, linestyle="--", zorder=1)
    ax.text(as_of, 1.005, f" as of {as_of}", transform=ax.get_xaxis_transform(), ha="left", va="bottom",
            fontsize=9, color="#222222")
    ax.text(end, 1.005, f"horizon {result.horizon_days} d ({end}) ", transform=ax.get_xaxis_transform(),
            ha="right", va="bottom", fontsize=9, color="#555555")

    for y, (_, events) in enumerate(rows):
        ax.axhline(y, color="#dddddd", linewidth=0.8, zorder=1)
        placed: list[dt.date] = []
        for e in events:
            colour, marker = STYLE.get(e.kind, ("#333333", "o"))
            pinned = e.date < left
            x = add_days(left, max(span // 60, 2)) if pinned else e.date
            if e.latest and not pinned:  # a window (auto-upgrade within two weeks): a bar to its end
                ax.plot([x, e.latest], [y, y], color=colour, linewidth=5, alpha=0.45, solid_capstyle="butt",
                        zorder=2)
            ax.plot([x], [y], marker="<" if pinned else marker, color=colour, markersize=11,
                    markeredgecolor="white", markeredgewidth=0.8, linestyle="none", zorder=3)
            close = sum(abs((x - p).days) < span / 14 for p in placed)
            label = f"{e.date:%Y-%m-%d}" + (f"–{e.latest:%m-%d}" if e.latest else "") + (" (overdue)" if pinned else "")
            near_right = (right - x).days < (right - left).days * 0.12
            ax.annotate(label, (x, y), xytext=(-7 if near_right else 7, 8 if close % 2 == 0 else -10),
                        textcoords="offset points", ha="right" if near_right else "left", fontsize=8,
                        color=colour, va="center", zorder=4)
            placed.append(x)

    ax.set_yticks(range(len(rows)), [label for label, _ in rows], fontsize=9)
    ax.set_ylim(len(rows) - 0.4 if rows else 0.5, -0.6)
    ax.set_xlim(left, right)
    locator = mdates.AutoDateLocator(minticks=5, maxticks=12)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.tick_params(axis="x", labelsize=9)
    ax.grid(axis="x", color="#e6e6e6", linewidth=0.6, zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if not rows:
        ax.text(0.5, 0.5, f"No lifecycle events within {result.horizon_days} days", transform=ax.transAxes,
                ha="center", va="center", fontsize=12, color="#555555")

    kinds = [k for k in KINDS if any(e.kind == k for e in result.events)] or list(KINDS)
    handles = [Line2D([], [], marker=STYLE[k][1], color=STYLE[k][0], linestyle="none", markersize=9,
                      label=LEGEND[k]) for k in kinds]
    handles += [Line2D([], [], color="#222222", linewidth=1.6, label="as of (today)"),
                Line2D([], [], color="#555555", linewidth=1.2, linestyle="--", label="horizon edge")]
    if any(e.date < left for e in result.events):
        handles.append(Line2D([], [], marker="<", color="#777777", linestyle="none", markersize=9,
                              label="overdue, date shown"))
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles) if len(handles) <= 6 else 4,
               fontsize=9, frameon=False)
    fig.suptitle(f"Model lifecycle forecast: {_label(', '.join(result.stacks)) or 'no stacks'}, as of {as_of}, next "
                 f"{result.horizon_days} days (catalog as of {result.catalog_as_of})", fontsize=12, x=0.01, ha="left")
    picture = io.BytesIO()
    fig.savefig(picture, format=fmt, dpi=130 if fmt == "png" else None)
    write_output(path, picture.getvalue(), "--chart")


def _rows(events: Sequence[Event]) -> list[tuple[str, list[Event]]]:
    """Deployments ordered by their first event; label ``deployment (stack)`` over model and SKU."""
    grouped: dict[tuple[str, str], list[Event]] = {}
    for e in events:
        grouped.setdefault((e.stack, e.deployment), []).append(e)
    ordered = sorted(grouped.items(), key=lambda item: (min(e.date for e in item[1]), item[0]))
    out = []
    for (stack, deployment), evs in ordered:
        first = evs[0]
        out.append((_label(f"{deployment} ({stack})\n{first.model} {first.version} · {first.sku or 'no SKU'}"), evs))
    return out


def _label(text: str) -> str:
    """User text on the picture: inert, and ``$`` escaped so matplotlib does not read it as mathtext."""
    return inert(text).replace("$", r"\$")
