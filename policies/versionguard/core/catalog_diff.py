"""The difference between two catalogs: what a reviewer checks when the catalog is refreshed.

Compares two loaded catalogs version by version (format, model name and version compared
case-insensitively, as look-ups are: the same name and version under two formats are two entries):
versions added and removed, and per version the fields the rules and the forecast read — lifecycle,
default, dates (per SKU too), date statuses, lead days, replacement, format, release date and
fine-tuned dates. ``notes`` and ``sources`` are commentary and are not compared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .api_catalog import API_VERSION, ApiVersionInfo
from .catalog import Catalog, VersionInfo

_DATE_FIELDS = ("default_since", "deprecation", "retirement", "auto_upgrade_start")


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "old": _plain(self.old), "new": _plain(self.new), "note": self.note}


@dataclass(frozen=True)
class VersionDiff:
    model: str
    version: str
    status: str  # added | removed | changed
    changes: tuple[Change, ...] = ()
    summary: str = ""  # for added/removed: lifecycle and retirement
    format: str | None = None  # model versions: the catalog's format (api-versions: None)

    @property
    def label(self) -> str:
        """The model column: the name, with its format when that is not OpenAI (the default)."""
        return self.model if self.format in (None, "OpenAI") else f"{self.model} ({self.format})"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"model": self.model, "version": self.version, "status": self.status}
        if self.format is not None:
            out["format"] = self.format
        if self.summary:
            out["summary"] = self.summary
        if self.changes:
            out["changes"] = [c.to_json() for c in self.changes]
        return out


@dataclass(frozen=True)
class CatalogDiff:
    old: str
    new: str
    old_as_of: dt.date
    new_as_of: dt.date
    versions: tuple[VersionDiff, ...] = field(default_factory=tuple)
    api_versions: tuple[VersionDiff, ...] = field(default_factory=tuple)  # model "api-version"

    def count(self, status: str) -> int:
        return sum(v.status == status for v in (*self.versions, *self.api_versions))

    @property
    def changed(self) -> bool:
        return bool(self.versions or self.api_versions)

    def to_json(self) -> dict[str, Any]:
        return {
            "old": {"catalog": self.old, "as_of": self.old_as_of.isoformat()},
            "new": {"catalog": self.new, "as_of": self.new_as_of.isoformat()},
            "summary": {s: self.count(s) for s in ("added", "removed", "changed")},
            "versions": [v.to_json() for v in self.versions],
            "api_versions": [v.to_json() for v in self.api_versions],
        }


def diff_catalogs(old: Catalog, new: Catalog) -> CatalogDiff:
    """Versions paired by (name, version, format): a catalog may list one name and version under two
    formats, and each is its own entry (as look-ups are)."""
    versions = _entry_diffs(old.versions, new.versions, _version_key, version_changes, _summary)
    return CatalogDiff(old.origin, new.origin, old.as_of, new.as_of, versions, api_version_diffs(old, new))


_API_FIELDS = ("lifecycle", "released", "superseded_by", "support_ends", "retirement")


def api_version_diffs(old: Catalog, new: Catalog) -> tuple[VersionDiff, ...]:
    """Added, removed and changed data-plane api-versions (``notes``/``sources`` not compared)."""
    return _entry_diffs(old.api_versions.entries, new.api_versions.entries, _api_key, _api_changes, _api_summary)


Entry = TypeVar("Entry", VersionInfo, ApiVersionInfo)


def _entry_diffs(old: Iterable[Entry], new: Iterable[Entry], key: Callable[[Entry], tuple[str, ...]],
                 changes: Callable[[Entry, Entry], list[Change]], summary: Callable[[Entry], str]
                 ) -> tuple[VersionDiff, ...]:
    """Entries paired by ``key`` (case-folded): added, removed, and changed when ``changes`` finds any."""
    before = {key(e): e for e in old}
    after = {key(e): e for e in new}
    out: list[VersionDiff] = []
    for k in sorted(before.keys() | after.keys()):
        a, b = before.get(k), after.get(k)
        if a is None and b is not None:
            out.append(_row(b, "added", summary=summary(b)))
        elif b is None and a is not None:
            out.append(_row(a, "removed", summary=summary(a)))
        elif a is not None and b is not None:
            found = changes(a, b)
            if found:
                out.append(_row(b, "changed", changes=tuple(found)))
    return tuple(out)


def _row(e: VersionInfo | ApiVersionInfo, status: str, **detail: Any) -> VersionDiff:
    if isinstance(e, ApiVersionInfo):
        return VersionDiff(API_VERSION, e.version, status, **detail)
    return VersionDiff(e.model, e.version, status, format=e.format, **detail)


def _version_key(v: VersionInfo) -> tuple[str, ...]:
    return v.model.casefold(), v.version.casefold(), v.format.casefold()  # sorted by name first


def _api_key(e: ApiVersionInfo) -> tuple[str, ...]:
    return (e.version.casefold(),)


def _api_changes(a: ApiVersionInfo, b: ApiVersionInfo) -> list[Change]:
    return [Change(n, getattr(a, n), getattr(b, n), _moved(getattr(a, n), getattr(b, n)))
            for n in _API_FIELDS if getattr(a, n) != getattr(b, n)]


def _api_summary(e: ApiVersionInfo) -> str:
    parts = [e.lifecycle]
    parts += [f"{label} {day}" for label, day in (("support ends", e.support_ends), ("retires", e.retirement)) if day]
    return ", ".join(parts)


def version_changes(a: VersionInfo, b: VersionInfo) -> list[Change]:
    """Field-level changes of one version, per-SKU maps expanded to one change per SKU."""
    changes: list[Change] = []
    for name in ("lifecycle", "format", "default", *_DATE_FIELDS, "date_status", "released", "deprecation_status"):
        old, new = getattr(a, name), getattr(b, name)
        if old != new:
            changes.append(Change(name, old, new, _moved(old, new)))
    for name in ("training_retirement", "deployment_retirement", "date_status", "training_status"):  # fine-tuned
        old, new = (getattr(v.fine_tuned, name) if v.fine_tuned else None for v in (a, b))
        if old != new:
            changes.append(Change(f"fine_tuned.{name}", old, new, _moved(old, new)))
    changes += _map_changes("retirement_by_sku", a.retirement_by_sku, b.retirement_by_sku)
    if a.upgrade_lead_days != b.upgrade_lead_days:
        changes.append(Change("upgrade_lead_days", a.upgrade_lead_days, b.upgrade_lead_days))
    changes += _map_changes("upgrade_lead_days", a.upgrade_lead_by_sku, b.upgrade_lead_by_sku)
    old_r, new_r = (str(a.replacement) if a.replacement else None), (str(b.replacement) if b.replacement else None)
    if old_r != new_r:
        changes.append(Change("replacement", old_r, new_r))
    return changes


def _map_changes(name: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    folded_old = {k.casefold(): (k, v) for k, v in old.items()}
    folded_new = {k.casefold(): (k, v) for k, v in new.items()}
    out = []
    for k in sorted(folded_old.keys() | folded_new.keys()):
        label = (folded_new.get(k) or folded_old[k])[0]
        o, n = folded_old.get(k, (None, None))[1], folded_new.get(k, (None, None))[1]
        if o != n:
            out.append(Change(f"{name}.{label}", o, n, _moved(o, n)))
    return out


def _moved(old: Any, new: Any) -> str:
    if isinstance(old, dt.date) and isinstance(new, dt.date):
        days = (new - old).days
        return f"{'earlier' if days < 0 else 'later'} by {abs(days)} days"
    if old is None and isinstance(new, dt.date):
        return "newly dated"
    if isinstance(old, dt.date) and new is None:
        return "date withdrawn"
    return ""


def _summary(v: VersionInfo) -> str:
    parts = [v.lifecycle]
    if v.retirement:
        parts.append(f"retires {v.retirement}")
    parts += [f"{sku} retires {d}" for sku, d in v.retirement_by_sku.items()]
    if v.default:
        parts.append("default")
    return ", ".join(parts)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def show(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(_plain(value))
