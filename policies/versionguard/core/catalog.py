"""The model catalog: validation of plain data and look-ups (the file reader is in adapters).

A malformed catalog raises :class:`InputError` naming the entry (``models[3] gpt-4o >
versions[1] 2024-08-06 > retirement``); it never yields a catalog that passes everything.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from .api_catalog import ApiVersions, api_versions_from_data
from .catalog_fields import check_sources, date_at, date_field
from .dates import parse_date
from .errors import InputError
from .vocabulary import canonical, known_sku

BUNDLED_CATALOG = "bundled catalog"
# Names, versions and ids: no surrounding whitespace (a padded version never matches a deployment). Inlined in
# the schema where it applies: a $ref costs more per check than the check itself.
TRIMMED = r"^\S(?:[\s\S]*\S)?$"


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True)
class Replacement:
    name: str
    version: str | None = None

    def __str__(self) -> str:
        return f"{self.name} {self.version}" if self.version else self.name


@dataclass(frozen=True)
class FineTuned:
    """Retirement of fine-tuned models built on a base version: training (no new fine-tuning jobs)
    and deployment (fine-tuned deployments stop working) are separate dates."""

    training_retirement: dt.date | None = None
    deployment_retirement: dt.date | None = None
    date_status: str | None = None  # qualifies deployment_retirement (and training_retirement without training_status)
    training_status: str | None = None  # qualifies training_retirement alone ("No earlier than" -> tentative)


@dataclass(frozen=True)
class VersionInfo:
    """Lifecycle facts of one model version."""

    model: str
    version: str
    lifecycle: str
    format: str = "OpenAI"
    default: bool = False
    default_since: dt.date | None = None
    deprecation: dt.date | None = None
    retirement: dt.date | None = None
    retirement_by_sku: Mapping[str, dt.date] = field(default_factory=dict)
    date_status: str | None = None
    upgrade_lead_days: int | None = None
    upgrade_lead_by_sku: Mapping[str, int] = field(default_factory=dict)
    # Models API replacementConfig.autoUpgradeStartDate: from this day OnceNewDefaultVersionAvailable
    # deployments are moved to the replacement (a fact the API reports; no rule reads it yet).
    auto_upgrade_start: dt.date | None = None
    replacement: Replacement | None = None
    # Reviewer commentary (conflicts, older values); never read by a rule. A list in the file is kept
    # as one text, items joined by newlines, so readers keep treating notes as text.
    notes: str | None = None
    sources: tuple[str, ...] = ()
    released: dt.date | None = None
    deprecation_status: str | None = None
    fine_tuned: FineTuned | None = None
    # Set only on the entry built for a fine-tuned deployment: the base version it was tuned from.
    base: VersionInfo | None = None

    def retirement_for(self, sku: str | None) -> dt.date | None:
        """The retirement date that applies to a deployment of this SKU: its per-SKU override, else
        ``retirement``. A missing or unrecognised SKU gets the earliest date over all deployment
        types (fail closed: the deployment may be of the type that retires first)."""
        if not self.retirement_by_sku:
            return self.retirement
        known = known_sku(sku)
        if known is None:
            return min(d for d in (self.retirement, *self.retirement_by_sku.values()) if d is not None)
        key = canonical(known, self.retirement_by_sku)
        return self.retirement_by_sku[key] if key is not None else self.retirement

    def lead_days_for(self, sku: str | None) -> int:
        """How many days before retirement upgrade-on-expiry fires for this SKU (0 when unknown)."""
        if sku is not None:
            key = canonical(sku, self.upgrade_lead_by_sku)
            if key is not None:
                return self.upgrade_lead_by_sku[key]
        return self.upgrade_lead_days or 0

    @property
    def label(self) -> str:
        if self.base is not None:
            return f"{self.model} {self.version} (fine-tuned from {self.base.label})"
        return f"{self.model} {self.version}"


@dataclass(frozen=True)
class Catalog:
    as_of: dt.date
    versions: tuple[VersionInfo, ...]
    sources: Mapping[str, Source] = field(default_factory=dict)
    origin: str = BUNDLED_CATALOG
    api_versions: ApiVersions = field(default_factory=ApiVersions)  # data-plane api-versions (optional section)

    @functools.cached_property
    def _index(self) -> dict[tuple[str, str, str], VersionInfo]:
        return {(v.format.casefold(), v.model.casefold(), v.version.casefold()): v for v in self.versions}

    @functools.cached_property
    def _by_pair(self) -> dict[tuple[str, str], list[VersionInfo]]:
        found: dict[tuple[str, str], list[VersionInfo]] = {}
        for v in self.versions:
            found.setdefault((v.model.casefold(), v.version.casefold()), []).append(v)
        return found

    @functools.cached_property
    def memo(self) -> dict[tuple[str | None, str, str], VersionInfo | None]:
        """The one look-up memo: resolved entries by the deployment's own (format, name, version),
        as written. Every rule of every deployment asks, and the catalog never changes (see
        lifecycle.resolve)."""
        return {}

    @functools.cached_property
    def _by_model(self) -> dict[str, list[VersionInfo]]:
        grouped: dict[str, list[VersionInfo]] = {}
        for v in self.versions:
            grouped.setdefault(v.model.casefold(), []).append(v)
        return grouped

    def lookup(self, model: str, version: str, model_format: str | None = None) -> VersionInfo | None:
        """The entry of (format, name, version), compared case-insensitively. Without a format, the
        name and version must name one entry (a name listed under two formats is ambiguous). Not
        memoized: the rules and the forecast ask through :func:`lifecycle.resolve`, whose memo
        (:attr:`memo`) keeps what a fleet asks 100,000s of times."""
        key = (model.strip().casefold(), version.strip().casefold())
        if model_format is not None:
            return self._index.get((model_format.strip().casefold(), *key))
        found = self._by_pair.get(key)
        return found[0] if found is not None and len(found) == 1 else None

    def formats_of(self, model: str, version: str) -> list[str]:
        """The formats a name and version are catalogued under (for messages on a format mismatch)."""
        return [v.format for v in self._by_pair.get((model.strip().casefold(), version.strip().casefold()), [])]

    def versions_of(self, model: str, model_format: str | None = None) -> list[VersionInfo]:
        found = self._by_model.get(model.strip().casefold(), [])
        if model_format is not None:
            found = [v for v in found if v.format.casefold() == model_format.strip().casefold()]
        return list(found)

    def near(self, model: str, version: str, limit: int = 3) -> list[str]:
        """Catalog entries a typo most likely meant: known versions of the model, else close names."""
        same_model = self.versions_of(model)
        if same_model:
            labels = [v.version for v in same_model]
            close = difflib.get_close_matches(version, labels, n=limit, cutoff=0.0)
            return [f"{same_model[0].model} {v}" for v in close]
        names = sorted({v.model.casefold() for v in self.versions})
        close_names = difflib.get_close_matches(model.strip().casefold(), names, n=limit, cutoff=0.6)
        return [v.label for name in close_names for v in self.versions_of(name) if v.version == version] or [
            f"{self.versions_of(name)[0].model} ({', '.join(v.version for v in self.versions_of(name))})"
            for name in close_names
        ]


def dated_by(catalog: Catalog, as_of: dt.date) -> Catalog:
    """``catalog`` if it was checked on or before ``as_of``. A catalog dated later is an error: its
    facts cannot have been checked yet, and its ``as_of`` would silence catalog-freshness for ever."""
    if catalog.as_of > as_of:
        raise InputError(catalog.origin, "as_of", f"a date on or before the as-of date {as_of}",
                         catalog.as_of.isoformat())
    return catalog


def catalog_age_line(catalog_as_of: dt.date, as_of: dt.date) -> str:
    """The one line about the catalog's age that check, forecast and audit print (stderr: stdout
    stays the report). Whether the age is acceptable is ``catalog-freshness``'s verdict, not this line's."""
    age = (as_of - catalog_as_of).days
    return (f"the catalog was last checked against its sources on {catalog_as_of}, {age} day{'' if age == 1 else 's'} "
            f"before the as-of date {as_of}.")


@functools.cache
def _schema() -> dict[str, Any]:
    text = resources.files("versionguard").joinpath("data/catalog.schema.json").read_text("utf-8")
    return json.loads(text)


def catalog_from_data(data: Any, source: str) -> Catalog:
    """Validate plain data against the catalog schema and build the :class:`Catalog`."""
    if not isinstance(data, dict):
        raise InputError(source, "(top level)", "a mapping with schema, as_of and models", type(data).__name__)
    data = _dates_to_text(data)
    import jsonschema  # here: a CLI run starts its program interpreters before it pays for this import

    validator = jsonschema.Draft202012Validator(_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        raise InputError(source, _entry_path(data, list(error.absolute_path)), _expected(error), error.instance)
    sources = {sid: Source(sid, s["title"], s.get("url"), date_field(s, "date", source, f"sources > {sid}"))
               for sid, s in (data.get("sources") or {}).items()}
    versions: list[VersionInfo] = []
    seen: set[tuple[str, str, str]] = set()
    for mi, model in enumerate(data["models"]):
        for vi, entry in enumerate(model["versions"]):
            where = _entry_path(data, ["models", mi, "versions", vi])
            key = ((model.get("format") or "OpenAI").casefold(), model["name"].casefold(), entry["version"].casefold())
            if key in seen:
                raise InputError(source, where, "each model version listed once per format", "a duplicate")
            seen.add(key)
            versions.append(_version(model, entry, sources, source, where))
    api_versions = api_versions_from_data(data.get("api_versions"), sources, source,
                                          lambda i: _entry_path(data, ["api_versions", i]))
    return Catalog(parse_date(data["as_of"], source, "as_of"), tuple(versions), sources, source, api_versions)


def _version(model: dict[str, Any], e: dict[str, Any], sources: Mapping[str, Source], source: str,
             where: str) -> VersionInfo:
    check_sources(e.get("sources"), sources, source, where)

    def date(key: str) -> dt.date | None:
        return date_field(e, key, source, where)

    lead = e.get("upgrade_lead_days")
    replacement = e.get("replacement")
    tuned = e.get("fine_tuned")
    fine_tuned = None if tuned is None else FineTuned(
        training_retirement=date_field(tuned, "training_retirement", source, f"{where} > fine_tuned"),
        deployment_retirement=date_field(tuned, "deployment_retirement", source, f"{where} > fine_tuned"),
        date_status=tuned.get("date_status"),
        training_status=tuned.get("training_status"),
    )
    return VersionInfo(
        model=model["name"],
        version=e["version"],
        lifecycle=e["lifecycle"],
        format=model.get("format") or "OpenAI",
        default=bool(e.get("default")),
        default_since=date("default_since"),
        deprecation=date("deprecation"),
        retirement=date("retirement"),
        retirement_by_sku={sku: date_at(d, source, f"{where} > retirement_by_sku", sku)
                           for sku, d in (e.get("retirement_by_sku") or {}).items()},
        date_status=e.get("date_status"),
        upgrade_lead_days=lead if isinstance(lead, int) else None,
        upgrade_lead_by_sku=dict(lead) if isinstance(lead, dict) else {},
        auto_upgrade_start=date("auto_upgrade_start"),
        replacement=Replacement(replacement["name"], replacement.get("version")) if replacement else None,
        notes=_notes(e.get("notes")),
        sources=tuple(e.get("sources") or ()),
        released=date("released"),
        deprecation_status=e.get("deprecation_status"),
        fine_tuned=fine_tuned,
    )


def _notes(value: str | list[str] | None) -> str | None:
    """``notes`` is free text or (since the Dec-2026 catalog) a list of texts: one text for readers,
    the items joined by newlines."""
    if value is None or isinstance(value, str):
        return value
    return "\n".join(value) if value else None


def _dates_to_text(value: Any) -> Any:
    """Catalogs built in code may hold ``date`` objects; the schema checks text."""
    if isinstance(value, dict):
        return {k: _dates_to_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_to_text(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _entry_path(data: Any, path: list[Any]) -> str:
    """``models[3] gpt-4o > versions[1] 2024-08-06 > retirement``: names, not just indexes."""
    parts: list[str] = []
    node = data
    for step in path:
        if isinstance(step, int) and isinstance(node, list):
            item = node[step] if step < len(node) else None
            label = ""
            if isinstance(item, dict):
                label = str(item.get("name") or item.get("version") or "")
            if parts:
                parts[-1] = f"{parts[-1]}[{step}]" + (f" {label}" if label else "")
            else:
                parts.append(f"[{step}]")
            node = item
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return " > ".join(parts) or "(top level)"


def _expected(error: Any) -> str:  # a jsonschema.ValidationError
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "required":
        return error.message
    if list(error.absolute_path)[-1:] == ["notes"] and error.validator in ("anyOf", "type"):
        return "free text, or a list of non-empty texts without surrounding whitespace"
    if error.validator == "additionalProperties":
        return f"only known keys ({error.message})"
    if "pattern" in schema and "preview" in str(schema["pattern"]):
        return "an api-version YYYY-MM-DD or YYYY-MM-DD-preview"
    if "pattern" in schema and "\\d{4}" in str(schema["pattern"]):
        return "a date YYYY-MM-DD"
    if error.validator == "pattern" and schema.get("pattern") == TRIMMED:
        return "non-empty text without surrounding whitespace (a padded name or version never matches a deployment)"
    if error.validator == "enum":
        return "one of " + ", ".join(repr(v) for v in schema.get("enum", []))
    if error.validator == "const":
        return f"{schema.get('const')!r}"
    if error.validator == "type":
        return f"type {schema.get('type')}"
    if error.validator in ("anyOf", "oneOf"):
        return "a date YYYY-MM-DD or null" if "optionalDate" in str(error.schema_path) or _is_date_any(
            schema) else "a valid value (see docs/catalog.md)"
    return error.message


def _is_date_any(schema: dict[str, Any]) -> bool:
    return any("date" in str(alt.get("$ref", "")) for alt in schema.get("anyOf", []) if isinstance(alt, dict))
