"""Lifecycle semantics shared by the rules and the forecast, stated only as far as Azure documents them.

* **Upgrade targets.** Azure's automatic upgrade moves a deployment to the model's default version
  ("OnceCurrentVersionExpired: … upgrades to the current default version"; "OnceNewDefaultVersionAvailable:
  … upgrades to the default version within two weeks of that designation change", working-with-models).
  That is always a version of the *same* model, never the catalog's ``replacement`` (another model).
  :func:`upgrade_path` is the one place that decides what a deployment can be upgraded to: no
  downgrades, no preview or retired targets, per-SKU dates.
* **Fine-tuned deployments** (``<base>-<base version>.ft-<id>``, legacy ``<base>.ft-<id>``) are judged
  on their base version's ``fine_tuned`` dates (:func:`resolve`).
* **Deployment types.** Azure documents automatic updates for the Standard types only and manual
  migration for provisioned types; it says nothing about batch or developer types
  (:func:`not_upgraded_reason` says exactly that much).
* **Catalog staleness**: the one warning ``catalog-freshness``, ``forecast`` and ``audit`` print.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from .catalog import Catalog, VersionInfo
from .vocabulary import PROVISIONED_SKUS, known_sku

# Versions an automatic upgrade may land on: generally available releases. ``deprecated`` is a GA
# version closed to new customers; Azure still names such versions as the default (gpt-4o 2024-08-06).
GA_RELEASES = frozenset({"ga", "deprecated"})
# "within two weeks of that designation change" / "starting two weeks after the new preview version
# is released" (working-with-models, Auto update to default).
AUTO_UPGRADE_DAYS = 14
PREVIEW_UPGRADE_DAYS = 14
OPENAI = "OpenAI"
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FINE_TUNED = re.compile(r"^(?P<stem>.+?)\.ft-(?P<id>.+)$", re.IGNORECASE)
_UNRESOLVED = object()
_DATED_STEM = re.compile(r"^(?P<name>.+)-(?P<version>\d{4}-\d{2}-\d{2}|\d{4})$")


# --------------------------------------------------------------------------------- ordering


def _release_key(v: VersionInfo, other: VersionInfo) -> tuple[dt.date, dt.date] | None:
    if v.released is not None and other.released is not None:
        return v.released, other.released
    if _ISO.match(v.version) and _ISO.match(other.version):
        return dt.date.fromisoformat(v.version), dt.date.fromisoformat(other.version)
    return None


def is_newer(candidate: VersionInfo, deployed: VersionInfo) -> bool:
    """Whether ``candidate`` is a later release than ``deployed``: by ``released`` dates when both
    have one, else by dated version strings. Otherwise (``0125`` vs ``1106``) the order is unknown,
    and an unknown order is never an upgrade."""
    pair = _release_key(candidate, deployed)
    return pair is not None and pair[0] > pair[1]


def alive_on(v: VersionInfo, sku: str | None, day: dt.date) -> bool:
    """Still serving deployments of this SKU on ``day`` (the retirement day itself is retired)."""
    retires = v.retirement_for(sku)
    if retires is None:
        return v.lifecycle != "retired"
    return retires > day


def upgrade_day(entry: VersionInfo, sku: str | None) -> dt.date | None:
    """When Azure's upgrade on expiry fires for this SKU: retirement minus the catalog's lead days."""
    retires = entry.retirement_for(sku)
    return None if retires is None else retires - dt.timedelta(days=entry.lead_days_for(sku))


# --------------------------------------------------------------------------------- upgrade targets


@dataclass(frozen=True)
class Upgrade:
    """Where an automatic upgrade about ``day`` can take a deployment of ``entry`` on ``sku``. For
    an upgrade on expiry ``day`` is the deployed version's retirement day, so a target must outlive
    it (a default retiring the same day is no target).

    ``candidates``: GA versions of the same model, newer than the deployed one and still serving
    that SKU after ``day``, newest first (what the catalog *could* upgrade to). ``target``: the
    newest of them that is the default by ``day`` (what Azure documents it upgrades to); None means
    the deployment has nowhere to go and stops working at retirement.
    """

    day: dt.date
    target: VersionInfo | None
    candidates: tuple[VersionInfo, ...]


def upgrade_path(catalog: Catalog, entry: VersionInfo, sku: str | None, day: dt.date) -> Upgrade:
    """The one upgrade-target function used by every rule and the forecast (no downgrades, no
    preview targets, per-SKU dates, the default as of ``day``)."""
    pool = [v for v in catalog.versions_of(entry.model, entry.format)
            if v is not entry and v.lifecycle in GA_RELEASES and is_newer(v, entry) and alive_on(v, sku, day)]
    newest_first = sorted(pool, key=_newest_key, reverse=True)
    target = next((v for v in newest_first if v.default and (v.default_since is None or v.default_since <= day)),
                  None)
    return Upgrade(day, target, tuple(newest_first))


def _newest_key(v: VersionInfo) -> tuple[dt.date, str]:
    return v.released or (dt.date.fromisoformat(v.version) if _ISO.match(v.version) else dt.date.min), v.version


def new_default(catalog: Catalog, entry: VersionInfo, sku: str | None) -> VersionInfo | None:
    """The first dated designation of a newer GA default that an auto-update deployment of
    ``entry`` follows (alive for the SKU when designated), or None."""
    found = [v for v in catalog.versions_of(entry.model, entry.format)
             if v.default and v.default_since is not None and v.lifecycle in GA_RELEASES
             and is_newer(v, entry) and alive_on(v, sku, v.default_since)]
    return min(found, key=lambda v: v.default_since or dt.date.max, default=None)


def next_preview(catalog: Catalog, entry: VersionInfo, sku: str | None) -> VersionInfo | None:
    """For a preview version with auto-update: the first newer preview with a ``released`` date that
    still serves the SKU two weeks after its release ("updates automatically when a new preview
    version is available starting two weeks after the new preview version is released")."""
    if entry.lifecycle != "preview":
        return None
    found = [v for v in catalog.versions_of(entry.model, entry.format)
             if v.lifecycle == "preview" and v.released is not None and is_newer(v, entry)
             and alive_on(v, sku, v.released + dt.timedelta(days=PREVIEW_UPGRADE_DAYS))]
    return min(found, key=lambda v: v.released or dt.date.max, default=None)


# --------------------------------------------------------------------------------- look-ups


@dataclass(frozen=True)
class FineTunedName:
    """A fine-tuned model name split into its base; ``legacy`` for ``<base>.ft-<id>``, whose base
    version is the deployment's ``model.version``."""

    base_model: str
    base_version: str
    legacy: bool


def parse_fine_tuned(catalog: Catalog, name: str, version: str, model_format: str | None = None
                     ) -> FineTunedName | None:
    """``gpt-4o-mini-2024-07-18.ft-0e20…`` → gpt-4o-mini 2024-07-18; ``babbage-002.ft-…`` (legacy) →
    babbage-002 at the deployment's version. The split is the one the catalog knows, else a
    dated suffix; None when the name is not a fine-tuned name."""
    m = _FINE_TUNED.match(name.strip())
    if m is None:
        return None
    stem = m.group("stem")
    if catalog.versions_of(stem, model_format):
        return FineTunedName(stem, version.strip(), legacy=True)
    for i in range(len(stem) - 1, 0, -1):  # longest model name first: gpt-4o-mini before gpt-4o
        if stem[i] == "-" and catalog.lookup(stem[:i], stem[i + 1:], model_format) is not None:
            return FineTunedName(stem[:i], stem[i + 1:], legacy=False)
    dated = _DATED_STEM.match(stem)
    if dated:
        return FineTunedName(dated.group("name"), dated.group("version"), legacy=False)
    return FineTunedName(stem, version.strip(), legacy=True)


def resolve(catalog: Catalog, model_format: str | None, name: str, version: str) -> VersionInfo | None:
    """The catalog entry a deployment is judged on: the (format, name, version) entry, or for a
    fine-tuned model an entry built from its base version's ``fine_tuned`` dates (retirement =
    deployment retirement; no deprecation, default or replacement, since Azure publishes none for
    fine-tuned models). None when neither is catalogued."""
    key = (model_format, name, version)
    found = catalog.memo.get(key, _UNRESOLVED)
    if found is _UNRESOLVED:
        found = catalog.memo[key] = _resolve(catalog, model_format, name, version)
    return found  # type: ignore[return-value]


def _resolve(catalog: Catalog, model_format: str | None, name: str, version: str) -> VersionInfo | None:
    entry = catalog.lookup(name, version, model_format)
    if entry is not None or ".ft-" not in name.casefold():
        return entry
    parsed = parse_fine_tuned(catalog, name, version, model_format)
    if parsed is None:
        return None
    base = catalog.lookup(parsed.base_model, parsed.base_version, model_format)
    if base is None or base.fine_tuned is None:
        return None
    tuned = base.fine_tuned
    return replace(
        base, model=name.strip(), version=version.strip(),
        lifecycle="preview" if base.lifecycle == "preview" else "ga",
        default=False, default_since=None, deprecation=None, deprecation_status=None, released=None,
        retirement=tuned.deployment_retirement, retirement_by_sku={}, date_status=tuned.date_status,
        upgrade_lead_days=None, upgrade_lead_by_sku={}, replacement=None, notes=None, base=base)


def is_openai(model_format: str | None) -> bool:
    """Azure OpenAI models; a missing format is read as OpenAI, the only format the docs cover."""
    return model_format is None or model_format.strip().casefold() == OPENAI.casefold()


def format_caveat(model_format: str | None) -> str:
    """What Azure does (not) document about upgrades of a non-OpenAI model; empty for OpenAI."""
    if is_openai(model_format):
        return ""
    return (f" Azure documents these upgrade options for Azure OpenAI models; for {model_format} models it says "
            "update policies vary by model and provider, so what happens to this deployment is not documented.")


# --------------------------------------------------------------------------------- deployment types


def not_upgraded_reason(sku: str | None) -> str:
    """Why versionguard does not count on Azure upgrading a non-Standard deployment, as far as
    Azure documents it (provisioned: manual migration; batch, developer, unknown: not documented)."""
    known = known_sku(sku)
    standard_only = "Azure documents automatic model updates for Standard deployment types only"
    if known in PROVISIONED_SKUS:
        return (f"Azure does not upgrade {known} deployments automatically: their model version changes only by "
                "an in-place or multi-deployment migration that you run")
    if known is not None:
        return f"{standard_only} and does not document what happens to {known} deployments"
    if sku is None:
        return standard_only
    return f"{sku} is not a documented deployment type, and {standard_only}"


# --------------------------------------------------------------------------------- catalog


def catalog_staleness(catalog: Catalog, as_of: dt.date, max_age_days: int) -> str | None:
    """The staleness warning (``catalog-freshness``, ``forecast``, ``audit``), or None when fresh."""
    age = (as_of - catalog.as_of).days
    if age <= max_age_days:
        return None
    return (f"the catalog ({catalog.origin}) was last checked on {catalog.as_of}, {age} days ago "
            f"(limit {max_age_days}).")


def catalog_problems(catalog: Catalog) -> list[str]:
    """Where a well-formed catalog breaks its own rules (docs/catalog.md): a default version that has
    retired by the catalog's ``as_of``, a deprecation after the retirement, a fine-tuned deployment
    retiring before training does. For reviews and tests; loading does not reject them."""
    out: list[str] = []
    for v in catalog.versions:
        retires = v.retirement_for(None)
        if v.default and (v.lifecycle == "retired" or (retires is not None and retires <= catalog.as_of)):
            out.append(f"{v.label} is marked default but has retired (as of {catalog.as_of})")
        if v.deprecation and v.retirement and v.deprecation > v.retirement:
            out.append(f"{v.label} is deprecated on {v.deprecation}, after it retires on {v.retirement}")
        ft = v.fine_tuned
        if ft and ft.training_retirement and ft.deployment_retirement and \
                ft.deployment_retirement < ft.training_retirement:
            out.append(f"{v.label}: fine-tuned deployments retire before fine-tuning does")
    return out
