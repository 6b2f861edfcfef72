"""``catalog import-docs``: Microsoft's "Model retirement schedule" tables -> catalog data.

The adapter (:mod:`versionguard.adapters.files.schedule_page`) splits a page into its pipe tables, the
headings above each and the footnote definitions; this module reads the cells. It never guesses: a
table without the expected columns, a lifecycle word, date or replacement cell it cannot read is an
:class:`InputError` naming the source and the line (exit 2), never a silently smaller catalog.

What a page holds (retirement-schedule-2026-09-02.md, both the Learn Markdown and the docs include):

- one model table per provider section (``### Azure OpenAI``, ``### Cohere``, ...): Model, Version,
  Lifecycle, Retirement date, Replacement (an optional Deprecation date column is read too);
- the fine-tuned table: Model, Version, Training retirement date, Deployment retirement date, which
  becomes ``fine_tuned`` of the base version (that version must have a row in a model table);
- ``—`` means none; ``No earlier than DATE`` is ``date_status: tentative``; footnote markers (``^1^``,
  ``<sup>1</sup>``) are resolved to their text in ``notes``; bold cells and ``(already retired)`` are
  read; a Replacement is ``name``, ``name (version)`` or a list ``a, b`` (the first is the
  replacement, the whole list goes in ``notes``, as docs/catalog.md rule 5 does for alternatives).

A row whose Version is ``—`` cannot be a catalog entry (a version is part of every look-up key): it is
left out and reported (``ScheduleImport.skipped``), never dropped silently. Duplicate rows of one
(format, name, version) with different values: the earliest retirement applies (fail closed), the
most advanced lifecycle, and each row is recorded in ``notes``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .catalog import Catalog
from .catalog_merge import (
    KEY_ORDER,
    OPENAI,
    PREVIOUS_SOURCE,
    STAGE_ORDER,
    cite_previous,
    fine_tuned_data,
    models_section,
    previous_versions,
)
from .errors import InputError

# --- what the adapter hands over ------------------------------------------------------------------


@dataclass(frozen=True)
class PageRow:
    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class PageTable:
    line: int  # the header row's line
    headings: tuple[str, ...]  # the headings above it, outermost first (## section, ### provider, ...)
    header: tuple[str, ...]
    rows: tuple[PageRow, ...]


@dataclass(frozen=True)
class Footnote:
    line: int
    marker: str
    text: str


@dataclass(frozen=True)
class SchedulePage:
    source: str  # the path or URL, as given: every error names it
    source_id: str
    title: str
    url: str | None
    ms_date: dt.date | None  # the page's ms.date (front matter), when it states one
    tables: tuple[PageTable, ...]
    footnotes: tuple[Footnote, ...] = ()


@dataclass(frozen=True)
class ScheduleImport:
    data: dict[str, Any]  # catalog data, not yet validated
    skipped: list[str]  # rows that cannot be catalog entries, for the terminal
    rows: int  # table rows read


# --- vocabulary -----------------------------------------------------------------------------------

LIFECYCLE_WORDS: dict[str, str] = {
    "preview": "preview",
    "ga": "ga",
    "generally available": "ga",
    "legacy": "legacy",
    "deprecated": "deprecated",  # the docs' word: closed to new customers (subscriptions)
    "retired": "retired",
}
_LIFECYCLE_EXPECTED = "Preview, GA, Generally available, Legacy, Deprecated or Retired"
# The provider section's heading -> the ``model.format`` Azure deployments of its models carry. Only
# "Azure OpenAI" is documented (format OpenAI); for other providers the heading is used as written,
# which is an inference (docs/lifecycle-commands.md says so).
PROVIDER_FORMATS = {"azure openai": OPENAI}
# Models listed under another provider's heading but deployed with format OpenAI (docs/catalog.md,
# "Decisions on conflicts": model-router is listed under Microsoft).
MODEL_FORMATS = {"model-router": OPENAI}

_COLUMNS: dict[str, tuple[str, ...]] = {
    "model": ("model", "model name"),
    "version": ("version", "model version"),
    "lifecycle": ("lifecycle", "lifecycle status", "lifecycle stage"),
    "deprecation": ("deprecation date", "deprecation"),
    "retirement": ("retirement date", "retirement"),
    "replacement": ("replacement", "replacement model", "suggested replacement"),
    "training": ("training retirement date", "training retirement"),
    "deployment": ("deployment retirement date", "deployment retirement"),
}
MODEL_TABLE = ("model", "version", "lifecycle", "retirement", "replacement")
MODEL_OPTIONAL = ("deprecation",)
FINE_TUNED_TABLE = ("model", "version", "training", "deployment")
_EXPECTED_COLUMNS = ("columns Model | Version | Lifecycle | Retirement date | Replacement (optionally Deprecation "
                     "date), or the fine-tuned table's Model | Version | Training retirement date | Deployment "
                     "retirement date")

_NONE = frozenset({"—", "–", "-", "--"})
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_NOT_BEFORE = re.compile(r"^no\s+earlier\s+than\s+(.+)$", re.IGNORECASE)
_ALREADY_RETIRED = re.compile(r"^(.+?)\s*\(already retired\)$", re.IGNORECASE)
_MARKER = re.compile(r"\^([0-9A-Za-z]{1,8})\^|<sup>\s*([0-9A-Za-z]{1,8})\s*</sup>", re.IGNORECASE)
_BOLD = re.compile(r"\*\*(.*?)\*\*|__(.*?)__")
_LINK = re.compile(r"\[([^\[\]]*)\]\([^()\s]*\)")
_TOKEN = r"[A-Za-z0-9][A-Za-z0-9._\-]*"
_NAME = re.compile(rf"^{_TOKEN}$")
_ANNOTATED_NAME = re.compile(rf"^({_TOKEN})\s+\(([^()]+)\)$")
_REPLACEMENT = re.compile(rf"^({_TOKEN})(?:\s*\(({_TOKEN})\))?$")
_LEFTOVER = re.compile(r"[<>\[\]*`|\\]")


# --- cells ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Cell:
    """One cell's text without its Markdown (bold, links, code, footnote markers) and its footnotes."""

    text: str
    footnotes: tuple[str, ...]


def _clean(raw: str, source: str, line: int, column: str) -> _Cell:
    markers = tuple(a or b for a, b in _MARKER.findall(raw))
    text = _MARKER.sub("", raw)
    text = _BOLD.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)
    text = _LINK.sub(lambda m: m.group(1), text).replace("`", "")
    text = text.replace("&nbsp;", " ").replace("\u00a0", " ")
    text = " ".join(text.split())
    if _LEFTOVER.search(text) or not text.isprintable():
        raise InputError(source, f"line {line}", f"a {column} cell of plain text (bold, links, code and footnote "
                         "markers are read)", raw.strip())
    return _Cell(text, markers)


def _date(text: str, source: str, line: int, column: str) -> tuple[dt.date | None, bool, str | None]:
    """(date, tentative, remark) of a date cell: ``—``, ``YYYY-MM-DD``, ``No earlier than YYYY-MM-DD``,
    either followed by ``(already retired)``."""
    if text in _NONE:
        return None, False, None
    remark = None
    retired = _ALREADY_RETIRED.match(text)
    if retired:
        text, remark = retired.group(1), "already retired"
    tentative = False
    not_before = _NOT_BEFORE.match(text)
    if not_before:
        text, tentative = not_before.group(1).strip(), True
    found = _ISO.match(text)
    day = None
    if found:
        try:
            day = dt.date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        except ValueError:
            day = None
    if day is None:
        raise InputError(source, f"line {line}", f"a {column} YYYY-MM-DD, 'No earlier than YYYY-MM-DD' or '—'",
                         text)
    return day, tentative, remark


def _lifecycle(text: str, source: str, line: int) -> str:
    found = LIFECYCLE_WORDS.get(text.casefold())
    if found is None:
        raise InputError(source, f"line {line}", f"a Lifecycle of {_LIFECYCLE_EXPECTED}", text)
    return found


def _model_name(text: str, source: str, line: int) -> tuple[str, str | None]:
    """The model name and an annotation the page adds in parentheses (``x (gated research preview)``)."""
    if _NAME.match(text):
        return text, None
    annotated = _ANNOTATED_NAME.match(text)
    if annotated:
        return annotated.group(1), annotated.group(2).strip()
    raise InputError(source, f"line {line}", "a Model name (one word, optionally followed by a remark in "
                     "parentheses)", text)


def _replacement(text: str, source: str, line: int) -> tuple[dict[str, str] | None, str | None]:
    """``{name, version?}`` and, for a list of several, a note naming them all. A cell that is not
    ``name``, ``name (version)`` or a comma-separated list of those is an error."""
    if text in _NONE:
        return None, None
    parts = [p.strip() for p in text.split(",")]
    parsed = [_REPLACEMENT.match(p) for p in parts]
    if not parts or not all(parsed):
        raise InputError(source, f"line {line}", "a Replacement 'name', 'name (version)', a list 'a, b' or '—'",
                         text)
    first = parsed[0]
    assert first is not None  # every part matched
    found = {"name": first.group(1), **({"version": first.group(2)} if first.group(2) else {})}
    if len(parts) == 1:
        return found, None
    return found, (f"The schedule names {len(parts)} replacements ({text}); the first is recorded as replacement, "
                   "the target of an automatic upgrade where Azure supports one.")


def _version(text: str, source: str, line: int) -> str | None:
    if text in _NONE:
        return None
    if not _NAME.match(text):
        raise InputError(source, f"line {line}", "a Version (one word) or '—'", text)
    return text


# --- tables ---------------------------------------------------------------------------------------

def _columns(table: PageTable, source: str) -> tuple[str, dict[str, int]]:
    """Which kind of table (``model`` or ``fine-tuned``) and where each column is."""
    found: dict[str, int] = {}
    for i, name in enumerate(table.header):
        label = " ".join(_MARKER.sub("", name).replace("*", "").split()).casefold()
        key = next((k for k, names in _COLUMNS.items() if label in names), None)
        if key is None or key in found:
            raise InputError(source, f"line {table.line}", _EXPECTED_COLUMNS, " | ".join(table.header))
        found[key] = i
    if set(found) - set(MODEL_OPTIONAL) == set(MODEL_TABLE):
        return "model", found
    if set(found) == set(FINE_TUNED_TABLE):
        return "fine-tuned", found
    raise InputError(source, f"line {table.line}", _EXPECTED_COLUMNS, " | ".join(table.header))


def _provider(table: PageTable, source: str) -> str:
    """The provider section a table sits in: the nearest heading that is not the fine-tuned one."""
    for heading in reversed(table.headings):
        if "fine-tun" not in heading.casefold() and "fine tun" not in heading.casefold():
            if not heading.isprintable() or not heading.strip():
                raise InputError(source, f"line {table.line}", "a table under a provider heading of plain text",
                                 heading)
            return heading
    raise InputError(source, f"line {table.line}", "a table under a provider heading (### Azure OpenAI, ...)",
                     "no heading above it")


def format_of(provider: str, model: str) -> str:
    return MODEL_FORMATS.get(model.casefold()) or PROVIDER_FORMATS.get(provider.strip().casefold()) or provider.strip()


@dataclass
class _Row:
    """One model-table row, read."""

    page: SchedulePage
    line: int
    format: str
    name: str
    version: str
    lifecycle: str
    retirement: dt.date | None
    tentative: bool
    deprecation: dt.date | None
    deprecation_tentative: bool
    replacement: dict[str, str] | None
    notes: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, str]:
        return self.format.casefold(), self.name.casefold(), self.version.casefold()


@dataclass
class _FineTunedRow:
    page: SchedulePage
    line: int
    format: str
    name: str
    version: str
    training: dt.date | None
    deployment: dt.date | None
    tentative: bool
    notes: list[str] = field(default_factory=list)


def _footnote_text(page: SchedulePage, marker: str, line: int) -> str:
    """A footnote's text: its first definition after the row (footnotes follow their table), else the
    nearest before it."""
    after = [f for f in page.footnotes if f.marker == marker and f.line > line]
    before = [f for f in page.footnotes if f.marker == marker and f.line < line]
    found = after[0] if after else (before[-1] if before else None)
    if found is None:
        return "(its text is not on the page)"
    if not found.text.isprintable():
        raise InputError(page.source, f"line {found.line}", "a footnote of plain text", found.text)
    return found.text


def _footnote_notes(page: SchedulePage, cells: dict[str, _Cell], line: int) -> list[str]:
    return [f"{column} footnote {m}: {_footnote_text(page, m, line)}"
            for column, cell in cells.items() for m in cell.footnotes]


def _read_model_row(page: SchedulePage, table: PageTable, row: PageRow, cols: dict[str, int],
                    skipped: list[str]) -> _Row | None:
    src = page.source
    cells = {k: _clean(row.cells[i], src, row.line, k) for k, i in cols.items()}
    name, remark = _model_name(cells["model"].text, src, row.line)
    lifecycle = _lifecycle(cells["lifecycle"].text, src, row.line)
    retirement, tentative, retired_remark = _date(cells["retirement"].text, src, row.line, "Retirement date")
    deprecation, dep_tentative = None, False
    if "deprecation" in cells:
        deprecation, dep_tentative, _ = _date(cells["deprecation"].text, src, row.line, "Deprecation date")
    replacement, several = _replacement(cells["replacement"].text, src, row.line)
    version = _version(cells["version"].text, src, row.line)
    if version is None:
        skipped.append(f"{src}: line {row.line}: {name} has no version ('—'); a catalog entry needs one, so the "
                       "row is not in the catalog")
        return None
    notes = [f"The schedule lists it as '{cells['model'].text}'."] if remark else []
    if retired_remark:
        notes.append(f"The schedule marks the retirement date {retirement} '(already retired)'.")
    if tentative:
        notes.append(f"Retirement no earlier than {retirement} (tentative).")
    if several:
        notes.append(several)
    notes += _footnote_notes(page, cells, row.line)
    return _Row(page, row.line, format_of(_provider(table, src), name), name, version, lifecycle, retirement,
                tentative, deprecation, dep_tentative, replacement, notes)


def _read_fine_tuned_row(page: SchedulePage, table: PageTable, row: PageRow, cols: dict[str, int]) -> _FineTunedRow:
    src = page.source
    cells = {k: _clean(row.cells[i], src, row.line, k) for k, i in cols.items()}
    name, _ = _model_name(cells["model"].text, src, row.line)
    version = _version(cells["version"].text, src, row.line)
    if version is None:
        raise InputError(src, f"line {row.line}", "the base model's Version of a fine-tuned row", "—")
    training, training_tentative, _ = _date(cells["training"].text, src, row.line, "Training retirement date")
    deployment, deployment_tentative, _ = _date(cells["deployment"].text, src, row.line, "Deployment retirement date")
    notes = [f"Fine-tuning (training) retires no earlier than {training} (tentative)."] if training_tentative else []
    if deployment_tentative:
        notes.append(f"Fine-tuned deployments retire no earlier than {deployment} (tentative).")
    notes += [f"Fine-tuned {n}" for n in _footnote_notes(page, cells, row.line)]
    return _FineTunedRow(page, row.line, format_of(_provider(table, src), name), name, version, training, deployment,
                         training_tentative or deployment_tentative, notes)


# --- merging rows into catalog entries ------------------------------------------------------------

def _where(row: _Row | _FineTunedRow) -> str:
    return f"{row.page.title} line {row.line}"


def _merge_rows(rows: list[_Row]) -> dict[str, Any]:
    """One version entry from its rows: the earliest retirement (fail closed), the most advanced lifecycle."""
    first = rows[0]
    dated = [r for r in rows if r.retirement is not None]
    kept = min(dated, key=lambda r: r.retirement) if dated else first  # type: ignore[arg-type, return-value]
    lifecycle = max((r.lifecycle for r in rows), key=STAGE_ORDER.index)
    notes: list[str] = []
    if len({(r.retirement, r.tentative, r.lifecycle, _show_replacement(r.replacement), r.deprecation)
            for r in rows}) > 1:
        listed = "; ".join(f"{_where(r)}: {r.lifecycle}, retirement {r.retirement or '—'}"
                           f"{' (no earlier than)' if r.tentative else ''}, replacement "
                           f"{_show_replacement(r.replacement)}" for r in rows)
        notes.append(f"The schedule lists this version {len(rows)} times with different values ({listed}); the "
                     f"earliest retirement applies ({kept.retirement or 'none'}), lifecycle {lifecycle}.")
    for r in rows:
        notes += [n for n in r.notes if n not in notes]
    entry: dict[str, Any] = {"version": first.version, "lifecycle": lifecycle}
    deprecations = [r for r in rows if r.deprecation is not None]
    if deprecations:
        dep = min(deprecations, key=lambda r: r.deprecation)  # type: ignore[arg-type, return-value]
        entry["deprecation"] = dep.deprecation
        if dep.deprecation_tentative:
            entry["deprecation_status"] = "tentative"
    if kept.retirement is not None:
        entry["retirement"] = kept.retirement
        if kept.tentative:
            entry["date_status"] = "tentative"
    if kept.replacement is not None:
        entry["replacement"] = kept.replacement
    if notes:
        entry["notes"] = notes
    entry["sources"] = list(dict.fromkeys(r.page.source_id for r in rows))
    return entry


def _show_replacement(replacement: dict[str, str] | None) -> str:
    if replacement is None:
        return "—"
    return f"{replacement['name']} ({replacement['version']})" if "version" in replacement else replacement["name"]


def _fine_tuned(entry: dict[str, Any], rows: list[_FineTunedRow]) -> None:
    """``fine_tuned`` of a base version from its fine-tuned rows (earliest dates when listed twice)."""
    training = min((r.training for r in rows if r.training), default=None)
    deployment = min((r.deployment for r in rows if r.deployment), default=None)
    block: dict[str, Any] = {}
    if training is not None:
        block["training_retirement"] = training
    if deployment is not None:
        block["deployment_retirement"] = deployment
    if any(r.tentative for r in rows):
        block["date_status"] = "tentative"
    entry["fine_tuned"] = block
    notes = entry.setdefault("notes", [])
    if len(rows) > 1:
        notes.append(f"The fine-tuned table lists this version {len(rows)} times "
                     f"({'; '.join(_where(r) for r in rows)}); the earliest dates apply.")
    for r in rows:
        notes += [n for n in r.notes if n not in notes]
    entry["sources"] = list(dict.fromkeys([*entry["sources"], *(r.page.source_id for r in rows)]))


def build_schedule_data(pages: Sequence[SchedulePage], as_of: dt.date, previous: Catalog | None = None
                        ) -> ScheduleImport:
    """Catalog data from every table of every page, dated ``as_of`` (the import date). Each page is a
    source dated by its ``ms.date`` (else ``as_of``); a page dated after ``as_of`` is an error."""
    rows: dict[tuple[str, str, str], list[_Row]] = {}
    tuned: dict[tuple[str, str, str], list[_FineTunedRow]] = {}
    skipped: list[str] = []
    count = 0
    for page in pages:
        if page.ms_date is not None and page.ms_date > as_of:
            raise InputError(page.source, "ms.date", f"a page dated on or before the as-of date {as_of}",
                             page.ms_date.isoformat())
        if not page.tables:
            raise InputError(page.source, "(page)", "at least one retirement table (| Model | Version | ... |)",
                             "no table")
        for table in page.tables:
            kind, cols = _columns(table, page.source)
            if not table.rows:
                raise InputError(page.source, f"line {table.line}", "a table with at least one row", "no rows")
            for row in table.rows:
                count += 1
                if kind == "model":
                    read = _read_model_row(page, table, row, cols, skipped)
                    if read is not None:
                        rows.setdefault(read.key, []).append(read)
                else:
                    ft = _read_fine_tuned_row(page, table, row, cols)
                    tuned.setdefault((ft.format.casefold(), ft.name.casefold(), ft.version.casefold()), []).append(ft)
    entries = {key: _merge_rows(group) for key, group in rows.items()}
    for key, group in tuned.items():
        base = key
        if base not in entries:  # a fine-tuned section beside (not under) its provider's: match name and version
            same = [k for k in entries if k[1:] == key[1:]]
            base = same[0] if len(same) == 1 else key
        if base not in entries:
            r = group[0]
            raise InputError(r.page.source, f"line {r.line}", "a fine-tuned row whose base model version has a row "
                             "in a model table of the page", f"{r.name} {r.version}")
        _fine_tuned(entries[base], group)
    entries = {key: {k: e[k] for k in KEY_ORDER if k in e} for key, e in entries.items()}
    out_models = models_section((rows[key][0].name, rows[key][0].format, entries[key])
                                for key in sorted(entries, key=lambda k: (k[1], k[0], k[2])))
    sources: dict[str, dict[str, Any]] = {}
    for page in pages:
        sources[page.source_id] = {"title": page.title, **({"url": page.url} if page.url else {}),
                                   "date": page.ms_date or as_of}
    data: dict[str, Any] = {"schema": 1, "as_of": as_of, "sources": sources, "models": out_models}
    if previous is not None:
        carry_over_docs(data, previous)
    return ScheduleImport(data, skipped, count)


# --- carrying over what the page does not state ---------------------------------------------------

def carry_over_docs(data: dict[str, Any], previous: Catalog) -> None:
    """Copy from ``previous`` what the schedule does not state: ``default`` and ``default_since``
    (not onto a version the page lists as retired or whose retirement is on or before ``as_of``),
    ``released``, ``deprecation`` (when the page has
    no Deprecation date for it), per-SKU retirement dates (those that differ from the page's date),
    lead days, the auto-upgrade start and ``fine_tuned`` (when the page has no fine-tuned row for it).
    Each carried value is noted and cites the previous catalog as a source."""
    used = False
    for model, i, entry, prev in previous_versions(data, previous):
        carried = []
        retired = entry["lifecycle"] == "retired" or (
            entry.get("retirement") is not None and entry["retirement"] <= data["as_of"])
        if prev.default and not retired:  # a retired version is no default (docs/catalog.md rule 8)
            entry["default"] = True
            carried.append("default")
            if prev.default_since:
                entry["default_since"] = prev.default_since
                carried.append(f"default_since {prev.default_since}")
        if prev.released:
            entry["released"] = prev.released
            carried.append(f"released {prev.released}")
        if prev.deprecation and "deprecation" not in entry:
            entry["deprecation"] = prev.deprecation
            carried.append(f"deprecation {prev.deprecation}")
            if prev.deprecation_status:
                entry["deprecation_status"] = prev.deprecation_status
        by_sku = {sku: day for sku, day in prev.retirement_by_sku.items() if day != entry.get("retirement")}
        if by_sku:
            entry["retirement_by_sku"] = by_sku
            carried.append("per-SKU retirement dates " + ", ".join(f"{k} {d}" for k, d in by_sku.items()))
        lead: int | dict[str, int] | None = dict(prev.upgrade_lead_by_sku) or prev.upgrade_lead_days
        if lead is not None:
            entry["upgrade_lead_days"] = lead
            carried.append("upgrade_lead_days")
        if prev.auto_upgrade_start:
            entry["auto_upgrade_start"] = prev.auto_upgrade_start
            carried.append(f"auto_upgrade_start {prev.auto_upgrade_start}")
        if prev.fine_tuned and "fine_tuned" not in entry:
            entry["fine_tuned"] = fine_tuned_data(prev.fine_tuned)
            carried.append("fine_tuned dates")
        if not carried:
            continue
        used = True
        entry.setdefault("notes", []).append(
            f"{', '.join(carried)} carried over from the previous catalog ({previous.origin}, as of "
            f"{previous.as_of}); the schedule does not state {'them' if len(carried) > 1 else 'it'}.")
        entry["sources"] = [*entry["sources"], PREVIOUS_SOURCE]
        model["versions"][i] = {k: entry[k] for k in KEY_ORDER if k in entry}
    if used:
        cite_previous(data, previous)
    _carry_api_versions(data, previous)


def _carry_api_versions(data: dict[str, Any], previous: Catalog) -> None:
    """The schedule says nothing about data-plane api-versions: the previous catalog's section is kept
    as it is, with the sources it cites."""
    entries = previous.api_versions.entries
    if not entries:
        return
    out = []
    for e in entries:
        item: dict[str, Any] = {"version": e.version, "lifecycle": e.lifecycle}
        item.update({k: getattr(e, k) for k in ("released", "superseded_by", "retirement", "support_ends", "notes")
                     if getattr(e, k) is not None})
        item["sources"] = list(e.sources)
        out.append(item)
        for sid in e.sources:
            if sid not in data["sources"] and sid in previous.sources:
                src = previous.sources[sid]
                data["sources"][sid] = {"title": src.title, **({"url": src.url} if src.url else {}),
                                        **({"date": src.date} if src.date else {})}
    data["api_versions"] = out
