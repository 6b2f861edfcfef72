"""Microsoft's "Model retirement schedule" page in Markdown, split into what ``catalog import-docs`` reads.

Two published forms are read (retirement-schedule-2026-09-02.md describes both): the Learn page's
Markdown and the docs repository's include file, which starts with YAML front matter holding
``ms.date: MM/DD/YYYY``. This module finds the front matter's ``ms.date``, the headings, every pipe
table (header, delimiter row, body rows, each with its line number) and the footnote definitions
(``^1^ text`` or ``<sup>1</sup> text``); reading the cells is
:mod:`versionguard.core.schedule_import`'s job. Fenced code blocks are skipped. A table it cannot
split (no delimiter row, a row with another number of cells than its header) is an
:class:`InputError` naming the source and the line.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from versionguard.adapters.files.safe_load import decode_text, read_text
from versionguard.core.errors import InputError
from versionguard.core.schedule_import import Footnote, PageRow, PageTable, SchedulePage

MAX_PAGE_BYTES = 8 * 1024 * 1024  # the published page is about 40 KB; bounds memory for a hostile one
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_DELIMITER_CELL = re.compile(r"^:?-{1,}:?$")
_FENCE = re.compile(r"^(```|~~~)")
_MS_DATE = re.compile(r"^ms\.date\s*:\s*(.*?)\s*$")
_US_DATE = re.compile(r"^['\"]?(\d{1,2})/(\d{1,2})/(\d{4})['\"]?$")
_ISO_DATE = re.compile(r"^['\"]?(\d{4})-(\d{2})-(\d{2})['\"]?$")
_FOOTNOTE = re.compile(r"^\s*(?:\^([0-9A-Za-z]{1,8})\^|<sup>\s*([0-9A-Za-z]{1,8})\s*</sup>)\s*(.+?)\s*$", re.IGNORECASE)
_SPLIT = re.compile(r"(?<!\\)\|")


def read_page_file(path: Path, source_id: str) -> SchedulePage:
    """A page from a local Markdown file."""
    return parse_page(read_text(path, "schedule page (Markdown)", MAX_PAGE_BYTES), str(path), source_id,
                      path.name, None)


def parse_page_bytes(data: bytes, url: str, source_id: str) -> SchedulePage:
    """A page fetched from ``url`` (UTF-8 bytes)."""
    return parse_page(decode_text(data, url), url, source_id, url, url)


def parse_page(text: str, source: str, source_id: str, title: str, url: str | None) -> SchedulePage:
    lines = [line.rstrip("\r") for line in text.split("\n")]
    start, ms_date = _front_matter(lines, source)
    headings: list[tuple[int, str]] = []  # (level, text), outermost first
    tables: list[PageTable] = []
    footnotes: list[Footnote] = []
    i, fenced = start, None
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if fenced is not None:
            if stripped.startswith(fenced):
                fenced = None
            i += 1
            continue
        fence = _FENCE.match(stripped)
        if fence:
            fenced = fence.group(1)
            i += 1
            continue
        heading = _HEADING.match(stripped) if not line.startswith((" ", "\t")) else None
        if heading:
            level = len(heading.group(1))
            headings = [h for h in headings if h[0] < level] + [(level, heading.group(2))]
        elif stripped.startswith("|"):
            table, i = _table(lines, i, tuple(h[1] for h in headings), source)
            tables.append(table)
            continue
        else:
            note = _FOOTNOTE.match(line)
            if note:
                footnotes.append(Footnote(i + 1, note.group(1) or note.group(2), note.group(3)))
        i += 1
    if fenced is not None:
        raise InputError(source, f"line {len(lines)}", "a closed code fence", fenced)
    return SchedulePage(source, source_id, title, url, ms_date, tuple(tables), tuple(footnotes))


def _front_matter(lines: list[str], source: str) -> tuple[int, dt.date | None]:
    """Where the Markdown starts after the front matter, and its ``ms.date`` (MM/DD/YYYY or YYYY-MM-DD)."""
    if not lines or lines[0].strip() != "---":
        return 0, None
    ms_date = None
    for n in range(1, len(lines)):
        if lines[n].strip() in ("---", "..."):
            return n + 1, ms_date
        found = _MS_DATE.match(lines[n].strip())
        if found:
            ms_date = _page_date(found.group(1), source, n + 1)
    raise InputError(source, "line 1", "front matter closed by a '---' line", "no closing line")


def _page_date(text: str, source: str, line: int) -> dt.date:
    us, iso = _US_DATE.match(text), _ISO_DATE.match(text)
    try:
        if us:
            return dt.date(int(us.group(3)), int(us.group(1)), int(us.group(2)))
        if iso:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    except ValueError:
        pass
    raise InputError(source, f"line {line}", "ms.date as MM/DD/YYYY (or YYYY-MM-DD)", text)


def _cells(line: str) -> tuple[str, ...]:
    text = line.strip()
    text = text[1:] if text.startswith("|") else text
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return tuple(cell.strip().replace("\\|", "|") for cell in _SPLIT.split(text))


def _table(lines: list[str], start: int, headings: tuple[str, ...], source: str) -> tuple[PageTable, int]:
    """The pipe table starting at ``start`` and the index of the first line after it."""
    header = _cells(lines[start])
    delimiter = _cells(lines[start + 1]) if start + 1 < len(lines) else ()
    if not delimiter or not all(_DELIMITER_CELL.match(c.replace(" ", "")) for c in delimiter):
        raise InputError(source, f"line {start + 1}", "a pipe table: a header row followed by a delimiter row "
                         "(| --- | --- |)", lines[start].strip()[:200])
    if len(delimiter) != len(header):
        raise InputError(source, f"line {start + 2}", f"a delimiter row of {len(header)} cells, as the header",
                         f"{len(delimiter)} cells")
    rows: list[PageRow] = []
    i = start + 2
    while i < len(lines) and lines[i].strip().startswith("|"):
        cells = _cells(lines[i])
        if len(cells) != len(header):
            raise InputError(source, f"line {i + 1}", f"a table row of {len(header)} cells, as the header "
                             f"({' | '.join(header)[:200]})", f"{len(cells)} cells")
        rows.append(PageRow(i + 1, cells))
        i += 1
    return PageTable(start + 1, headings, header, tuple(rows)), i
