"""The catalog's ``api_versions`` section: lifecycle facts of Azure OpenAI data-plane api-versions.

Validated by the catalog's JSON schema first (shape, date format, the version pattern), then here
for what a schema cannot say: each version listed once, lifecycle matching the version's name
(``…-preview`` ⇔ ``preview``, or ``retired``), ``superseded_by`` naming a listed version, dates in
order and source ids defined. Errors name the entry (``api_versions[4] 2024-02-15-preview >
support_ends``), like model-version errors.

The "latest three previews stay supported" policy is applied when the data is compiled (each
preview's ``support_ends``), never computed here: the catalog states what the sources say.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .catalog_fields import check_sources, date_field
from .errors import InputError

API_VERSION = "api-version"  # the "model" of an api-version row (catalog diff) or event (forecast)
# A dated data-plane api-version: 2024-10-21 (GA) or 2025-04-01-preview.
DATED = re.compile(r"^\d{4}-\d{2}-\d{2}(-preview)?$", re.IGNORECASE)
PREVIEW_SUFFIX = "-preview"


@dataclass(frozen=True)
class ApiVersionInfo:
    """One dated api-version. ``support_ends``: unsupported (not necessarily failing) from that day;
    ``retirement``: no longer served from that day."""

    version: str
    lifecycle: str
    released: dt.date | None = None
    superseded_by: str | None = None
    retirement: dt.date | None = None
    support_ends: dt.date | None = None
    notes: str | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class ApiVersions:
    """The section, indexed case-insensitively."""

    entries: tuple[ApiVersionInfo, ...] = ()

    def lookup(self, version: str) -> ApiVersionInfo | None:
        return self._index.get(version.strip().casefold())

    @functools.cached_property
    def _index(self) -> dict[str, ApiVersionInfo]:
        return {e.version.casefold(): e for e in self.entries}

    def latest_ga(self) -> ApiVersionInfo | None:
        ga = [e for e in self.entries if e.lifecycle == "ga"]
        return max(ga, key=lambda e: e.version) if ga else None


def api_versions_from_data(items: Sequence[Mapping[str, Any]] | None, source_ids: Mapping[str, Any], source: str,
                           where_of: Callable[[int], str]) -> ApiVersions:
    """Build the section from schema-valid data. ``where_of(i)`` names entry ``i`` for errors."""
    entries: list[ApiVersionInfo] = []
    seen: dict[str, str] = {}
    for i, item in enumerate(items or ()):
        where = where_of(i)
        entry = _entry(item, source_ids, source, where)
        key = entry.version.casefold()
        if key in seen:
            raise InputError(source, where, f"each api-version listed once (also at {seen[key]})", entry.version)
        seen[key] = where
        entries.append(entry)
    for i, entry in enumerate(entries):
        if entry.superseded_by is not None and entry.superseded_by.casefold() not in seen:
            raise InputError(source, f"{where_of(i)} > superseded_by", "an api-version listed under api_versions",
                             entry.superseded_by)
    return ApiVersions(tuple(entries))


def _entry(e: Mapping[str, Any], source_ids: Mapping[str, Any], source: str, where: str) -> ApiVersionInfo:
    version, lifecycle = e["version"], e["lifecycle"]
    check_sources(e.get("sources"), source_ids, source, where)
    preview = version.casefold().endswith(PREVIEW_SUFFIX)
    if lifecycle == "preview" and not preview:
        raise InputError(source, f"{where} > lifecycle", "ga or retired for a version without -preview", lifecycle)
    if lifecycle == "ga" and preview:
        raise InputError(source, f"{where} > lifecycle", "preview or retired for a -preview version", lifecycle)

    released, support_ends, retirement = (date_field(e, key, source, where)
                                          for key in ("released", "support_ends", "retirement"))
    if lifecycle == "retired" and retirement is None:
        raise InputError(source, f"{where} > retirement", "the date it stopped being served (lifecycle retired)")
    for key, day in (("support_ends", support_ends), ("retirement", retirement)):
        if released is not None and day is not None and day < released:
            raise InputError(source, f"{where} > {key}", f"a date on or after released ({released})", day.isoformat())
    if support_ends is not None and retirement is not None and retirement < support_ends:
        raise InputError(source, f"{where} > retirement", f"a date on or after support_ends ({support_ends})",
                         retirement.isoformat())
    superseded = e.get("superseded_by")
    return ApiVersionInfo(
        version=version,
        lifecycle=lifecycle,
        released=released,
        superseded_by=superseded,
        retirement=retirement,
        support_ends=support_ends,
        notes=e.get("notes"),
        sources=tuple(e.get("sources") or ()),
    )
