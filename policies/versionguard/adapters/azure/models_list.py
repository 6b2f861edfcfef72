"""``versionguard catalog import``: build a catalog from ARM Models-List output.

Input: the Models-List response (``{"value": [{kind, skuName, model: {...}}], "nextLink"?}``), the
account-scoped variant (items are the model objects themselves) or the array printed by
``az cognitiveservices model list``; several files (regions) at once. Each item becomes a
:class:`Sighting`; sightings of the same model version are merged (earliest date kept, the
disagreement written to ``notes``) into the catalog format of docs/catalog.md, and the result is
validated with :func:`catalog.catalog_from_data` before it is returned.

Mapping (docs/lifecycle-commands.md has the table): ``lifecycleStatus`` GenerallyAvailable/Stable
-> ga, Preview -> preview, **Deprecating -> deprecated** (the docs' "no new customers"),
**Deprecated -> retired** (calls return 410), Legacy -> legacy; ``deprecation.inference`` ->
retirement; ``deprecation.deprecationStatus`` -> date_status; ``skus[].deprecationDate`` ->
retirement_by_sku where it differs; ``isDefaultVersion`` -> default; ``replacementConfig`` ->
replacement, upgrade_lead_days and (``autoUpgradeStartDate``) notes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from versionguard.adapters.azure.arm_json import read_arm_list
from versionguard.adapters.files.safe_load import MAX_EXPORT_BYTES, read_text
from versionguard.core.catalog import Catalog, catalog_from_data
from versionguard.core.dates import parse_timestamp
from versionguard.core.errors import InputError
from versionguard.core.vocabulary import KNOWN_SKUS, canonical

LIFECYCLE_MAP: dict[str, str] = {
    "generallyavailable": "ga",
    "stable": "ga",  # legacy spelling of GenerallyAvailable
    "preview": "preview",
    "deprecating": "deprecated",  # ARM: only existing customers may deploy = the docs' "deprecated"
    "deprecated": "retired",  # ARM: "also known as retired", inference returns 410
    "legacy": "legacy",
}
# When regions disagree on the lifecycle, the most advanced stage wins (the cautious reading).
_STAGE_ORDER = ("ga", "preview", "legacy", "deprecated", "retired")
_ENVELOPE = ('an object with a "value" list (ARM Models - List) or an array (az cognitiveservices model list)')


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


@dataclass(frozen=True)
class ImportResult:
    data: dict[str, Any]  # catalog data, validated
    notes: list[str]  # for the terminal: paged responses, dropped SKU names
    versions: int
    files: int  # input files, or regions fetched
    catalog: Catalog  # ``data`` loaded (validated once, here), named after the command
    command: str = "catalog import"

    def to_yaml(self) -> str:
        return dump_catalog(self.data, self.command)


def source_ids(paths: Sequence[Path]) -> list[str]:
    """One kebab-case source id per input file, unique (``eastus-models-json``)."""
    out: list[str] = []
    for path in paths:
        base = re.sub(r"[^a-z0-9]+", "-", path.name.lower()).strip("-") or "input"
        sid, n = base, 2
        while sid in out:
            sid, n = f"{base}-{n}", n + 1
        out.append(sid)
    return out


def parse_models_text(text: str, source: str, source_id: str) -> tuple[list[Sighting], list[str]]:
    """Sightings from one Models-List response or ``az`` array; errors name the JSON path."""
    listing = read_arm_list(text, source, "models", _ENVELOPE)
    notes = [f"{source}: the response has a nextLink; only this page was read"] if listing.paged else []
    return sightings_of(listing.items, listing.prefix, source, source_id), notes


def sightings_of(items: Sequence[Any], prefix: str, source: str, source_id: str) -> list[Sighting]:
    """Sightings from Models-List items (``{kind, skuName, model}`` or model objects), as read from a
    file or fetched from the API; errors name ``source`` and the item's path (``value[3].model…``)."""
    return [_sighting(item, f"{prefix}[{i}]", source, source_id) for i, item in enumerate(items)]


def _sighting(item: Any, path: str, source: str, source_id: str) -> Sighting:
    if not isinstance(item, dict):
        raise InputError(source, path, "a model item object", item)
    if "model" in item:  # location-scoped list: {kind, skuName, model}
        model, path = item["model"], f"{path}.model"
        if not isinstance(model, dict):
            raise InputError(source, path, "a model object", model)
    else:  # account-scoped list: the model object itself
        model = item
    at = _Reader(model, path, source)
    deprecation = at.obj("deprecation")
    replacement = at.obj("replacementConfig")
    retirement = at.date(deprecation, "deprecation", "inference")
    status = at.text(deprecation, "deprecation", "deprecationStatus")
    if status is not None and status.casefold() not in ("planned", "tentative"):
        raise InputError(source, f"{path}.deprecation.deprecationStatus", "Planned or Tentative", status)
    lifecycle_raw = at.text(model, "", "lifecycleStatus")
    lifecycle = None
    if lifecycle_raw is not None:
        lifecycle = LIFECYCLE_MAP.get(lifecycle_raw.casefold())
        if lifecycle is None:
            raise InputError(source, f"{path}.lifecycleStatus",
                             "GenerallyAvailable, Stable, Preview, Deprecating, Deprecated or Legacy", lifecycle_raw)
    default = model.get("isDefaultVersion")
    if default is not None and not isinstance(default, bool):
        raise InputError(source, f"{path}.isDefaultVersion", "true, false or null", default)
    sku_dates, dropped = _skus(model.get("skus"), f"{path}.skus", source)
    target = at.text(replacement, "replacementConfig", "targetModelName")
    return Sighting(
        source_id=source_id, file=Path(source).name, path=path,
        name=at.required("name"), version=at.required("version"),
        format=at.text(model, "", "format") or "OpenAI",
        lifecycle=lifecycle, default=default, retirement=retirement,
        date_status=status.casefold() if status else None,
        fine_tune=at.date(deprecation, "deprecation", "fineTune"),
        sku_dates=sku_dates, dropped_skus=tuple(dropped),
        replacement=(target, at.text(replacement, "replacementConfig", "targetModelVersion")) if target else None,
        lead_days=at.lead_days(replacement),
        auto_upgrade_start=at.date(replacement, "replacementConfig", "autoUpgradeStartDate"),
    )


@dataclass(frozen=True)
class _Reader:
    """Typed reads from one model object; every error names the JSON path."""

    model: dict[str, Any]
    path: str
    source: str

    def _where(self, parent: str, key: str) -> str:
        return ".".join(p for p in (self.path, parent, key) if p)

    def obj(self, key: str) -> dict[str, Any] | None:
        value = self.model.get(key)
        if value is not None and not isinstance(value, dict):
            raise InputError(self.source, self._where("", key), "an object or null", value)
        return value

    def text(self, holder: dict[str, Any] | None, parent: str, key: str) -> str | None:
        value = None if holder is None else holder.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise InputError(self.source, self._where(parent, key), "a string or null", value)
        return value.strip() or None

    def required(self, key: str) -> str:
        value = self.text(self.model, "", key)
        if value is None:
            raise InputError(self.source, self._where("", key), "a non-empty string", self.model.get(key))
        return value

    def date(self, holder: dict[str, Any] | None, parent: str, key: str) -> dt.date | None:
        value = None if holder is None else holder.get(key)
        return None if value is None else parse_timestamp(value, self.source, self._where(parent, key))

    def lead_days(self, replacement: dict[str, Any] | None) -> int | None:
        value = None if replacement is None else replacement.get("upgradeOnExpiryLeadTimeDays")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value) \
                or not 0 <= value <= 365:
            raise InputError(self.source, self._where("replacementConfig", "upgradeOnExpiryLeadTimeDays"),
                             "a whole number of days from 0 to 365", value)
        return int(value)


def _skus(value: Any, path: str, source: str) -> tuple[dict[str, dt.date], list[tuple[str, dt.date | None]]]:
    """Per-SKU dates under canonical SKU names (earliest wins) and the SKU names that are not deployment
    types (the API's example ``provisioned``), kept for notes."""
    if value is None:
        return {}, []
    if not isinstance(value, list):
        raise InputError(source, path, "a list of SKUs or null", value)
    dates: dict[str, dt.date] = {}
    dropped: list[tuple[str, dt.date | None]] = []
    for i, sku in enumerate(value):
        where = f"{path}[{i}]"
        if not isinstance(sku, dict):
            raise InputError(source, where, "a SKU object", sku)
        name = sku.get("name")
        if not isinstance(name, str) or not name.strip():
            raise InputError(source, f"{where}.name", "a SKU name", name)
        raw = sku.get("deprecationDate")
        day = None if raw is None else parse_timestamp(raw, source, f"{where}.deprecationDate")
        known = canonical(name, KNOWN_SKUS)
        if known is None:
            dropped.append((name.strip(), day))
        elif day is not None and (known not in dates or day < dates[known]):
            dates[known] = day
    return dates, dropped


# --- merging sightings into catalog entries ------------------------------------------------------

def merge(sightings: Sequence[Sighting]) -> dict[str, Any]:
    """One catalog version entry from every sighting of one model version."""
    first = sightings[0]
    notes: list[str] = []

    def where(values: dict[Any, list[str]]) -> str:
        return "; ".join(f"{_fmt(v)} in {', '.join(files)}" for v, files in values.items())

    lifecycles = _by_value(sightings, lambda s: s.lifecycle)
    known_stages = [v for v in lifecycles if v is not None]
    lifecycle = max(known_stages, key=_STAGE_ORDER.index) if known_stages else "ga"
    if not known_stages:
        notes.append("lifecycleStatus absent from the API data; recorded as ga.")
    elif len(lifecycles) > 1:
        notes.append(f"lifecycleStatus differs between sources ({where(lifecycles)}); kept the most advanced stage, "
                     f"{lifecycle}.")

    retirements = _by_value(sightings, lambda s: s.retirement)
    dated = [s for s in sightings if s.retirement is not None]
    retirement = min((s.retirement for s in dated), default=None)  # type: ignore[type-var]
    if len(retirements) > 1:
        notes.append(f"deprecation.inference differs between sources ({where(retirements)}); kept the earliest, "
                     f"{_fmt(retirement)}.")
    kept = next((s for s in dated if s.retirement == retirement), first)
    date_status = kept.date_status

    # A per-SKU date is an override only where it differs from its own sighting's version-level date;
    # across sources the earliest override wins, and one equal to the merged retirement is dropped.
    overrides = [(s, {k: d for k, d in s.sku_dates.items() if d != s.retirement}) for s in sightings]
    by_sku: dict[str, dt.date] = {}
    for sku in sorted({k for _, o in overrides for k in o}, key=KNOWN_SKUS.index):
        days: dict[Any, list[str]] = {}
        for s, o in overrides:
            if sku in o and s.file not in days.setdefault(o[sku], []):
                days[o[sku]].append(s.file)
        earliest = min(days)
        if len(days) > 1:
            notes.append(f"skus[{sku}].deprecationDate differs between sources ({where(days)}); kept the earliest, "
                         f"{_fmt(earliest)}.")
        if earliest != retirement:
            by_sku[sku] = earliest
    dropped = _dropped_note(sightings)
    if dropped:
        notes.append(dropped)

    defaults = _by_value(sightings, lambda s: s.default)
    default = any(s.default for s in sightings)
    if True in defaults and False in defaults:
        notes.append(f"isDefaultVersion differs between sources ({where(defaults)}); recorded as default.")

    replacements = _by_value([s for s in sightings if s.replacement], lambda s: s.replacement)
    replacement = next(iter(replacements), None)
    if len(replacements) > 1:
        notes.append(f"replacementConfig target differs between sources ({where(replacements)}); kept the first.")
    leads = _by_value([s for s in sightings if s.lead_days is not None], lambda s: s.lead_days)
    lead = max(leads, default=None)
    if len(leads) > 1:
        notes.append(f"upgradeOnExpiryLeadTimeDays differs between sources ({where(leads)}); kept the largest "
                     f"(earliest upgrade), {lead}.")
    starts = [s.auto_upgrade_start for s in sightings if s.auto_upgrade_start is not None]
    if starts:
        notes.append(f"Auto-upgrades to the replacement start {min(starts)} (replacementConfig.autoUpgradeStartDate, "
                     "for OnceNewDefaultVersionAvailable deployments).")
    fine_tunes = [s.fine_tune for s in sightings if s.fine_tune is not None]
    if fine_tunes and min(fine_tunes) != retirement:
        notes.append(f"Fine-tuning retirement (deprecation.fineTune): {min(fine_tunes)}.")

    entry: dict[str, Any] = {"version": first.version, "lifecycle": lifecycle}
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
    if replacement is not None:
        name, version = replacement
        entry["replacement"] = {"name": name, "version": version} if version else {"name": name}
    if notes:
        entry["notes"] = " ".join(notes)
    entry["sources"] = list(dict.fromkeys(s.source_id for s in sightings))
    return entry


def _by_value(sightings: Iterable[Sighting], key: Any) -> dict[Any, list[str]]:
    """Distinct values (in first-seen order) and the files that gave each."""
    out: dict[Any, list[str]] = {}
    for s in sightings:
        files = out.setdefault(key(s), [])
        if s.file not in files:
            files.append(s.file)
    return out


def _dropped_note(sightings: Sequence[Sighting]) -> str | None:
    names: dict[str, list[dt.date]] = {}
    for s in sightings:
        for name, day in s.dropped_skus:
            names.setdefault(name, [])
            if day is not None and day not in names[name]:
                names[name].append(day)
    if not names:
        return None
    parts = [f"'{n}'" + (f" (deprecationDate {', '.join(map(str, sorted(d)))})" if d else "") for n, d in names.items()]
    return (f"API SKU name {', '.join(parts)} is not a deployment type (such as ProvisionedManaged or "
            "GlobalProvisionedManaged), so no per-SKU date was kept for it.")


def _fmt(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, tuple):
        return " ".join(v for v in value if v)
    return str(value)


# --- the whole import ----------------------------------------------------------------------------

def import_catalog(paths: Sequence[Path], as_of: dt.date, previous: Catalog | None = None) -> ImportResult:
    """Read every file and build a validated catalog dated ``as_of`` (the import date). With
    ``previous``, the two facts the API lacks are carried over from it (see :func:`carry_over`)."""
    ids = source_ids(paths)
    sightings: list[Sighting] = []
    notes: list[str] = []
    for path, sid in zip(paths, ids, strict=True):
        text = read_text(path, "JSON file", MAX_EXPORT_BYTES)
        found, file_notes = parse_models_text(text, str(path), sid)
        sightings += found
        notes += file_notes
    sources = {sid: {"title": path.name} for sid, path in zip(ids, paths, strict=True)}
    return finish_import(sightings, sources, as_of, previous, notes)


def finish_import(sightings: Sequence[Sighting], sources: dict[str, dict[str, str]], as_of: dt.date,
                  previous: Catalog | None, notes: Sequence[str] = (), command: str = "catalog import") -> ImportResult:
    """The merged, validated catalog of every sighting; ``sources`` maps a source id to its ``title``
    (and optionally ``url``), each dated ``as_of``. Shared by ``catalog import`` and ``catalog fetch``."""
    data, catalog = build_catalog_data(sightings, sources, as_of, previous, command)
    out = list(notes)
    for name in sorted({n for s in sightings for n, _ in s.dropped_skus}):
        out.append(f"SKU name '{name}' is not a deployment type; its dates were not kept per SKU (see notes)")
    versions = sum(len(m["versions"]) for m in data["models"])
    return ImportResult(data, out, versions, len(sources), catalog, command)


def build_catalog_data(sightings: Sequence[Sighting], sources: dict[str, dict[str, str]], as_of: dt.date,
                       previous: Catalog | None = None, command: str = "catalog import"
                       ) -> tuple[dict[str, Any], Catalog]:
    """Catalog data (docs/catalog.md) from sightings, and that data validated and loaded as a
    :class:`Catalog` whose origin is ``command``; ``sources`` maps source id -> title (and url)."""
    grouped: dict[tuple[str, str], list[Sighting]] = {}
    for s in sightings:
        grouped.setdefault((s.name.casefold(), s.version.casefold()), []).append(s)
    models: dict[str, dict[str, Any]] = {}
    for (model_key, _), group in sorted(grouped.items()):
        first = group[0]
        model = models.setdefault(model_key, {"name": first.name, "format": first.format, "versions": []})
        model["versions"].append(merge(group))
    out_models = []
    for model in models.values():
        entry: dict[str, Any] = {"name": model["name"]}
        if model["format"] != "OpenAI":
            entry["format"] = model["format"]
        entry["versions"] = model["versions"]
        out_models.append(entry)
    data = {
        "schema": 1,
        "as_of": as_of,
        "sources": {sid: {**source, "date": as_of} for sid, source in sources.items()},
        "models": out_models,
    }
    if previous is not None:
        carry_over(data, previous)
    catalog = catalog_from_data(data, command)  # the output must load; a failure here is a bug
    return data, catalog


PREVIOUS_SOURCE = "previous-catalog"
_KEY_ORDER = ("version", "lifecycle", "default", "default_since", "released", "deprecation", "deprecation_status",
              "retirement", "retirement_by_sku", "date_status", "upgrade_lead_days", "replacement", "fine_tuned",
              "notes", "sources")


def carry_over(data: dict[str, Any], previous: Catalog) -> None:
    """Copy from ``previous`` what the Models-List API does not report: ``default_since`` (only where
    the previous catalog had the same version as default), ``deprecation`` (the no-new-customers
    date, with its ``deprecation_status``), ``released`` and the ``fine_tuned`` dates. Each carried
    value is noted and cites the previous catalog as a source."""
    used = False
    for model in data["models"]:
        for i, entry in enumerate(model["versions"]):
            prev = previous.lookup(model["name"], entry["version"], model.get("format") or "OpenAI")
            if prev is None:
                continue
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
                ft = prev.fine_tuned
                entry["fine_tuned"] = {k: v for k, v in (("training_retirement", ft.training_retirement),
                                                         ("deployment_retirement", ft.deployment_retirement),
                                                         ("date_status", ft.date_status),
                                                         ("training_status", ft.training_status)) if v is not None}
                carried.append("fine_tuned dates")
            if not carried:
                continue
            used = True
            note = (f"{' and '.join(carried)} carried over from the previous catalog ({previous.origin}, as of "
                    f"{previous.as_of}); the API does not report {'them' if len(carried) > 1 else 'it'}.")
            entry["notes"] = f"{entry['notes']} {note}" if entry.get("notes") else note
            entry["sources"] = [*entry["sources"], PREVIOUS_SOURCE]
            model["versions"][i] = {k: entry[k] for k in _KEY_ORDER if k in entry}
    if used:
        data["sources"][PREVIOUS_SOURCE] = {"title": f"previous catalog ({Path(previous.origin).name})",
                                            "date": previous.as_of}


def dump_catalog(data: dict[str, Any], command: str = "catalog import") -> str:
    """YAML in the bundled catalog's style: dates unquoted, versions quoted."""
    header = (f"# Generated by `versionguard {command}` on {data['as_of']} from: "
              f"{', '.join(s['title'] for s in data['sources'].values())}.\n"
              "# Review against the current retirement schedule with `versionguard catalog diff OLD NEW`.\n")
    return header + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml's emitter when built in
    """No anchors and aliases: every date is written out where it applies."""

    def ignore_aliases(self, data: Any) -> bool:
        return True
