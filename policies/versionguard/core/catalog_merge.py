"""Catalog data from sightings: the pure merge behind ``catalog import`` and ``catalog fetch``.

A :class:`Sighting` is one model version as one input (a Models-List file or region) reports it;
the adapters parse the API's JSON into sightings and nothing else. Here the sightings of one
(format, name, version) are merged into one catalog version entry, one resolver per field, each
returning the merged value and the notes that explain a disagreement between sources (the earliest
date is kept, the disagreement is written down: never "the last one wins"). :func:`carry_over`
copies from a previous catalog what the source does not report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, TypeVar

from .catalog import Catalog, FineTuned, VersionInfo
from .vocabulary import KNOWN_SKUS

T = TypeVar("T")
Resolved = tuple[T, list[str]]  # a merged value and the notes that explain it

# When regions disagree on the lifecycle, the most advanced stage wins (the cautious reading).
STAGE_ORDER = ("ga", "preview", "legacy", "deprecated", "retired")
OPENAI = "OpenAI"


@dataclass(frozen=True)
class Sighting:
    """One model version as one item of one input file reports it."""

    source_id: str
    file: str
    path: str
    name: str
    version: str
    format: str
    lifecycle: str | None
    default: bool | None
    retirement: dt.date | None
    date_status: str | None
    fine_tune: dt.date | None
    sku_dates: dict[str, dt.date] = field(default_factory=dict)
    dropped_skus: tuple[tuple[str, dt.date | None], ...] = ()
    replacement: tuple[str, str | None] | None = None
    lead_days: int | None = None
    auto_upgrade_start: dt.date | None = None


# --- one resolver per field ----------------------------------------------------------------------

def resolve_lifecycle(sightings: Sequence[Sighting], retirement: dt.date | None = None,
                      as_of: dt.date | None = None) -> Resolved[str]:
    """The most advanced stage any source reports; ``ga`` (said so) when none reports one. A retirement
    (``deprecation.inference``) on or before ``as_of`` is ``retired`` whatever the status says (the
    Oct-2026 lifecycle policy: a past inference date means retired)."""
    lifecycles = _by_value(sightings, lambda s: s.lifecycle)
    known = [v for v in lifecycles if v is not None]
    notes = []
    if not known:
        lifecycle = "ga"
        notes.append("lifecycleStatus absent from the API data; recorded as ga.")
    else:
        lifecycle = max(known, key=STAGE_ORDER.index)
        if len(lifecycles) > 1:
            notes.append(f"lifecycleStatus differs between sources ({_where(lifecycles)}); kept the most advanced "
                         f"stage, {lifecycle}.")
    if retirement is not None and as_of is not None and retirement <= as_of and lifecycle != "retired":
        notes.append(f"deprecation.inference {retirement} is on or before the import date {as_of}: recorded as "
                     f"retired (the API's lifecycleStatus said {lifecycle if known else 'nothing'}).")
        lifecycle = "retired"
    return lifecycle, notes


def resolve_retirement(sightings: Sequence[Sighting]) -> Resolved[tuple[dt.date | None, str | None]]:
    """The earliest ``deprecation.inference`` and the date status of the sighting that gave it."""
    retirements = _by_value(sightings, lambda s: s.retirement)
    dated = [s for s in sightings if s.retirement is not None]
    retirement = min((s.retirement for s in dated), default=None)  # type: ignore[type-var]
    notes = []
    if len(retirements) > 1:
        notes.append(f"deprecation.inference differs between sources ({_where(retirements)}); kept the earliest, "
                     f"{_fmt(retirement)}.")
    kept = next((s for s in dated if s.retirement == retirement), sightings[0])
    return (retirement, kept.date_status), notes


def resolve_sku_dates(sightings: Sequence[Sighting], retirement: dt.date | None) -> Resolved[dict[str, dt.date]]:
    """Per-SKU overrides. A per-SKU date is an override only where it differs from its own sighting's
    version-level date; across sources the earliest override wins, and one equal to the merged
    retirement is dropped."""
    overrides = [(s, {k: d for k, d in s.sku_dates.items() if d != s.retirement}) for s in sightings]
    by_sku: dict[str, dt.date] = {}
    notes = []
    for sku in sorted({k for _, o in overrides for k in o}, key=KNOWN_SKUS.index):
        days: dict[Any, list[str]] = {}
        for s, o in overrides:
            if sku in o and s.file not in days.setdefault(o[sku], []):
                days[o[sku]].append(s.file)
        earliest = min(days)
        if len(days) > 1:
            notes.append(f"skus[{sku}].deprecationDate differs between sources ({_where(days)}); kept the earliest, "
                         f"{_fmt(earliest)}.")
        if earliest != retirement:
            by_sku[sku] = earliest
    return by_sku, notes


def resolve_dropped_skus(sightings: Sequence[Sighting]) -> Resolved[None]:
    """API SKU names that are not deployment types: no per-SKU date is kept, the note says so."""
    names: dict[str, list[dt.date]] = {}
    for s in sightings:
        for name, day in s.dropped_skus:
            names.setdefault(name, [])
            if day is not None and day not in names[name]:
                names[name].append(day)
    if not names:
        return None, []
    parts = [f"'{n}'" + (f" (deprecationDate {', '.join(map(str, sorted(d)))})" if d else "") for n, d in names.items()]
    return None, [f"API SKU name {', '.join(parts)} is not a deployment type (such as ProvisionedManaged or "
                  "GlobalProvisionedManaged), so no per-SKU date was kept for it."]


def resolve_default(sightings: Sequence[Sighting]) -> Resolved[bool]:
    """Default when any source says so (the cautious reading for upgrade targets), noted on disagreement."""
    defaults = _by_value(sightings, lambda s: s.default)
    default = any(s.default for s in sightings)
    if True in defaults and False in defaults:
        return default, [f"isDefaultVersion differs between sources ({_where(defaults)}); recorded as default."]
    return default, []


def resolve_replacement(sightings: Sequence[Sighting]) -> Resolved[tuple[str, str | None] | None]:
    replacements = _by_value([s for s in sightings if s.replacement], lambda s: s.replacement)
    replacement = next(iter(replacements), None)
    if len(replacements) > 1:
        return replacement, [f"replacementConfig target differs between sources ({_where(replacements)}); kept the "
                             "first."]
    return replacement, []


def resolve_lead_days(sightings: Sequence[Sighting]) -> Resolved[int | None]:
    """The largest lead (the earliest upgrade) when sources disagree."""
    leads = _by_value([s for s in sightings if s.lead_days is not None], lambda s: s.lead_days)
    lead = max(leads, default=None)
    if len(leads) > 1:
        return lead, [f"upgradeOnExpiryLeadTimeDays differs between sources ({_where(leads)}); kept the largest "
                      f"(earliest upgrade), {lead}."]
    return lead, []


def resolve_auto_upgrade_start(sightings: Sequence[Sighting]) -> Resolved[dt.date | None]:
    starts = [s.auto_upgrade_start for s in sightings if s.auto_upgrade_start is not None]
    if not starts:
        return None, []
    return min(starts), [f"Auto-upgrades to the replacement start {min(starts)} (replacementConfig."
                         "autoUpgradeStartDate, for OnceNewDefaultVersionAvailable deployments)."]


def resolve_fine_tune(sightings: Sequence[Sighting], retirement: dt.date | None) -> Resolved[None]:
    """``deprecation.fineTune`` is noted where it differs from the retirement (no catalog field holds it:
    the catalog's fine_tuned dates are about fine-tuned *deployments*, this is about fine-tuning)."""
    fine_tunes = [s.fine_tune for s in sightings if s.fine_tune is not None]
    if fine_tunes and min(fine_tunes) != retirement:
        return None, [f"Fine-tuning retirement (deprecation.fineTune): {min(fine_tunes)}."]
    return None, []


# --- one version entry, one catalog --------------------------------------------------------------

def merge(sightings: Sequence[Sighting], as_of: dt.date | None = None) -> dict[str, Any]:
    """One catalog version entry from every sighting of one model version, as of the import date
    ``as_of`` (a retirement on or before it makes the version retired)."""
    notes: list[str] = []

    def take(resolved: Resolved[T]) -> T:
        value, said = resolved
        notes.extend(said)
        return value

    (retirement, date_status), retirement_notes = resolve_retirement(sightings)
    lifecycle = take(resolve_lifecycle(sightings, retirement, as_of))  # its notes come first, as they always did
    notes.extend(retirement_notes)
    by_sku = take(resolve_sku_dates(sightings, retirement))
    take(resolve_dropped_skus(sightings))
    default = take(resolve_default(sightings))
    replacement = take(resolve_replacement(sightings))
    lead = take(resolve_lead_days(sightings))
    auto_upgrade_start = take(resolve_auto_upgrade_start(sightings))
    take(resolve_fine_tune(sightings, retirement))

    entry: dict[str, Any] = {"version": sightings[0].version, "lifecycle": lifecycle}
    if default:
        entry["default"] = True
    if retirement is not None:
        entry["retirement"] = retirement
    if by_sku:
        entry["retirement_by_sku"] = by_sku
    if date_status:
        entry["date_status"] = date_status
    if lead is not None:
        entry["upgrade_lead_days"] = lead
    if auto_upgrade_start is not None:
        entry["auto_upgrade_start"] = auto_upgrade_start
    if replacement is not None:
        name, version = replacement
        entry["replacement"] = {"name": name, "version": version} if version else {"name": name}
    if notes:
        entry["notes"] = " ".join(notes)
    entry["sources"] = list(dict.fromkeys(s.source_id for s in sightings))
    return entry


def models_section(versions: Iterable[tuple[str, str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """The catalog's ``models`` list from (name, format, version entry) triples, in their order: one model
    per (name, format) compared case-insensitively, ``format`` written only when it is not OpenAI."""
    models: dict[tuple[str, str], dict[str, Any]] = {}
    for name, model_format, entry in versions:
        model = models.setdefault((name.casefold(), model_format.casefold()),
                                  {"name": name, **({} if model_format.casefold() == OPENAI.casefold()
                                                    else {"format": model_format}), "versions": []})
        model["versions"].append(entry)
    return list(models.values())


def build_catalog_data(sightings: Sequence[Sighting], sources: dict[str, dict[str, str]], as_of: dt.date,
                       previous: Catalog | None = None) -> dict[str, Any]:
    """Catalog data (docs/catalog.md) from sightings, not yet validated; ``sources`` maps a source id
    to its ``title`` (and ``url``), each dated ``as_of``. With ``previous``, :func:`carry_over`."""
    # Keyed by (name, format, version): the catalog looks versions up by (format, name, version), so a
    # version of another format is its own model entry, never filed under the first format seen.
    grouped: dict[tuple[str, str, str], list[Sighting]] = {}
    for s in sightings:
        grouped.setdefault((s.name.casefold(), s.format.casefold(), s.version.casefold()), []).append(s)
    out_models = models_section((group[0].name, group[0].format, merge(group, as_of))
                                for _, group in sorted(grouped.items()))
    data = {
        "schema": 1,
        "as_of": as_of,
        "sources": {sid: {**source, "date": as_of} for sid, source in sources.items()},
        "models": out_models,
    }
    if previous is not None:
        carry_over(data, previous)
    return data


# --- carrying over what the source lacks ---------------------------------------------------------

PREVIOUS_SOURCE = "previous-catalog"
KEY_ORDER = ("version", "lifecycle", "default", "default_since", "released", "deprecation", "deprecation_status",
             "retirement", "retirement_by_sku", "date_status", "upgrade_lead_days", "auto_upgrade_start", "replacement",
             "fine_tuned",
             "notes", "sources")


def carry_over(data: dict[str, Any], previous: Catalog) -> None:
    """Copy from ``previous`` what the Models-List API does not report: ``default_since`` (only where
    the previous catalog had the same version as default), ``deprecation`` (the no-new-customers
    date, with its ``deprecation_status``), ``released`` and the ``fine_tuned`` dates. Each carried
    value is noted and cites the previous catalog as a source."""
    used = False
    for model, i, entry, prev in previous_versions(data, previous):
        carried = []
        if entry.get("default") and prev.default and prev.default_since:
            entry["default_since"] = prev.default_since
            carried.append(f"default_since {prev.default_since}")
        if prev.deprecation:
            entry["deprecation"] = prev.deprecation
            carried.append(f"deprecation {prev.deprecation}")
            if prev.deprecation_status:
                entry["deprecation_status"] = prev.deprecation_status
        if prev.released:
            entry["released"] = prev.released
            carried.append(f"released {prev.released}")
        if prev.fine_tuned:
            entry["fine_tuned"] = fine_tuned_data(prev.fine_tuned)
            carried.append("fine_tuned dates")
        if not carried:
            continue
        used = True
        note = (f"{' and '.join(carried)} carried over from the previous catalog ({previous.origin}, as of "
                f"{previous.as_of}); the API does not report {'them' if len(carried) > 1 else 'it'}.")
        entry["notes"] = f"{entry['notes']} {note}" if entry.get("notes") else note
        entry["sources"] = [*entry["sources"], PREVIOUS_SOURCE]
        model["versions"][i] = {k: entry[k] for k in KEY_ORDER if k in entry}
    if used:
        cite_previous(data, previous)


def previous_versions(data: dict[str, Any], previous: Catalog) -> Iterator[tuple[dict[str, Any], int, dict[str, Any],
                                                                               VersionInfo]]:
    """(model, index, version entry, the previous catalog's entry) for every version of ``data`` that
    ``previous`` also has: what both carry-overs (Models-List and schedule import) walk."""
    for model in data["models"]:
        for i, entry in enumerate(model["versions"]):
            prev = previous.lookup(model["name"], entry["version"], model.get("format") or OPENAI)
            if prev is not None:
                yield model, i, entry, prev


def fine_tuned_data(ft: FineTuned) -> dict[str, Any]:
    """A catalog's ``fine_tuned`` block as catalog data (the fields it sets)."""
    return {k: v for k, v in (("training_retirement", ft.training_retirement),
                              ("deployment_retirement", ft.deployment_retirement),
                              ("date_status", ft.date_status),
                              ("training_status", ft.training_status)) if v is not None}


def cite_previous(data: dict[str, Any], previous: Catalog) -> None:
    """Define the source id every carried value cites."""
    data["sources"][PREVIOUS_SOURCE] = {"title": f"previous catalog ({PurePath(previous.origin).name})",
                                        "date": previous.as_of}


# --- helpers -------------------------------------------------------------------------------------

def _by_value(sightings: Iterable[Sighting], key: Callable[[Sighting], Any]) -> dict[Any, list[str]]:
    """Distinct values (in first-seen order) and the files that gave each."""
    out: dict[Any, list[str]] = {}
    for s in sightings:
        files = out.setdefault(key(s), [])
        if s.file not in files:
            files.append(s.file)
    return out


def _where(values: dict[Any, list[str]]) -> str:
    return "; ".join(f"{_fmt(v)} in {', '.join(files)}" for v, files in values.items())


def _fmt(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, tuple):
        return " ".join(v for v in value if v)
    return str(value)
