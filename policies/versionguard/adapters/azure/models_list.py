"""``versionguard catalog import``: build a catalog from ARM Models-List output.

Input: the Models-List response (``{"value": [{kind, skuName, model: {...}}], "nextLink"?}``), the
account-scoped variant (items are the model objects themselves) or the array printed by
``az cognitiveservices model list``; several files (regions) at once. Each item becomes a
:class:`Sighting`; sightings of the same model version are merged (earliest date kept, the
disagreement written to ``notes``) by :mod:`versionguard.core.catalog_merge` into the catalog
format of docs/catalog.md, and the result is validated with :func:`catalog.catalog_from_data` before
it is returned. This module only parses the API's JSON.

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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from versionguard.adapters.azure.arm_json import read_arm_list
from versionguard.adapters.files.safe_load import MAX_EXPORT_BYTES, read_text
from versionguard.core import catalog_merge
from versionguard.core.catalog import Catalog, catalog_from_data
from versionguard.core.catalog_merge import PREVIOUS_SOURCE, Sighting, carry_over, merge
from versionguard.core.dates import parse_timestamp
from versionguard.core.errors import InputError
from versionguard.core.vocabulary import KNOWN_SKUS, canonical

__all__ = ["PREVIOUS_SOURCE", "ImportResult", "Sighting", "build_catalog_data", "carry_over", "dump_catalog",
           "finish_import", "import_catalog", "merge", "parse_models_text", "sightings_of", "source_ids"]

LIFECYCLE_MAP: dict[str, str] = {
    "generallyavailable": "ga",
    "stable": "ga",  # legacy spelling of GenerallyAvailable
    "preview": "preview",
    "deprecating": "deprecated",  # ARM: only existing customers may deploy = the docs' "deprecated"
    "deprecated": "retired",  # ARM: "also known as retired", inference returns 410
    "legacy": "legacy",
}
_ENVELOPE = ('an object with a "value" list (ARM Models - List) or an array (az cognitiveservices model list)')


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
    """Catalog data (core.catalog_merge) and that data validated and loaded as a :class:`Catalog`
    whose origin is ``command``."""
    data = catalog_merge.build_catalog_data(sightings, sources, as_of, previous)
    catalog = catalog_from_data(data, command)  # the output must load; a failure here is a bug
    return data, catalog


def dump_catalog(data: dict[str, Any], command: str = "catalog import") -> str:
    """YAML in the bundled catalog's style: dates unquoted, versions quoted."""
    titles = ", ".join(s["title"] for s in data["sources"].values())
    titles = "".join(ch if ch.isprintable() else "?" for ch in titles)  # a comment line stays one line
    header = (f"# Generated by `versionguard {command}` on {data['as_of']} from: {titles}.\n"
              "# Review against the current retirement schedule with `versionguard catalog diff OLD NEW`.\n")
    return header + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml's emitter when built in
    """No anchors and aliases: every date is written out where it applies."""

    def ignore_aliases(self, data: Any) -> bool:
        return True
