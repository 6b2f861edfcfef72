"""Lifecycle semantics shared by the rules and the forecast, stated only as far as Azure documents them.

* **Upgrade targets** (lifecycle-2026-10, sched-2026-09). When a version retires, Azure upgrades a
  Standard-family deployment (``Standard``, ``GlobalStandard``, ``DataZoneStandard``) whose option is
  ``OnceCurrentVersionExpired``, ``OnceNewDefaultVersionAvailable`` or a default to one of them to the
  **replacement named in the schedule** — which may be *another model* (gpt-4o → gpt-5.1; o3 →
  gpt-5.6-sol). A replacement without a version means that model's default version on the day.
  Without a named replacement the same-model rule applies (:func:`upgrade_path`: the newest newer GA
  default of the same model that outlives the day, no downgrades). Neither → the deployment stops
  working. **Preview** versions are force-upgraded at retirement to their named replacement whatever
  the option; with none they retire with no replacement. :func:`upgrade_target` is the one function
  that decides this, for every rule, the forecast and ``versionguard fix``.
* ``OnceNewDefaultVersionAvailable`` also moves a deployment to a newly designated default of the same
  model before retirement ("within two weeks of that designation change", working-with-models):
  :func:`new_default`, :func:`next_preview`.
* **Version order** (:func:`is_newer`): dated versions by date; all-digit versions numerically
  (``1`` < ``2``, ``001``) except four-digit month-day versions (``0125`` vs ``1106``: no year, so no
  order); else by the catalog's ``released`` dates; else unknown — and an unknown order is never an
  upgrade.
* **Fine-tuned deployments** (``<base>-<base version>.ft-<id>``, legacy ``<base>.ft-<id>``) are judged
  on their base version's ``fine_tuned`` dates (:func:`resolve`).
* **Deployment types.** Azure upgrades the Standard types only; provisioned deployments move by an
  in-place or side-by-side migration you run; Batch deployments migrate side by side (deploy the new
  model, resubmit the jobs, remove the old deployment); for developer types Azure documents nothing
  (:func:`not_upgraded_reason` says exactly that much).
* **Catalog staleness**: the one warning ``catalog-freshness``, ``forecast`` and ``audit`` print.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, replace
from typing import Any

from .catalog import Catalog, VersionInfo
from .dates import add_days
from .vocabulary import AUTO_UPDATE, BATCH_SKUS, PROVISIONED_SKUS, UPGRADE_ON_EXPIRY, is_standard_sku, known_sku

# Versions an automatic upgrade may land on: generally available releases. ``deprecated`` is a GA
# version closed to new customers; Azure still names such versions as the default (gpt-4o 2024-08-06).
# ``legacy`` is a GA version with newer models about, still open to new deployments (lifecycle-2026-10).
GA_RELEASES = frozenset({"ga", "deprecated", "legacy"})
UPGRADING_OPTIONS = frozenset({AUTO_UPDATE, UPGRADE_ON_EXPIRY})
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


_DIGITS = re.compile(r"^\d+$")
_MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$")  # 0125, 1106: a month and day, no year


def version_order(a: VersionInfo, b: VersionInfo) -> int | None:
    """1 when ``a`` is a later release than ``b``, -1 when earlier, 0 when the same, None when the
    order is unknown. Dated versions (``2024-05-13``) by date; all-digit versions (``1`` < ``2``,
    ``001``) numerically, except four-digit month-day versions (``0125``/``1106`` have no year); else
    by ``released`` dates when both have one; else unknown."""
    x, y = a.version.strip(), b.version.strip()
    if _ISO.match(x) and _ISO.match(y):
        return _sign(dt.date.fromisoformat(x), dt.date.fromisoformat(y))
    if _DIGITS.match(x) and _DIGITS.match(y) and not (_MONTH_DAY.match(x) and _MONTH_DAY.match(y)):
        return _sign(int(x), int(y))
    if a.released is not None and b.released is not None:
        return _sign(a.released, b.released)
    return None


def _sign(x: Any, y: Any) -> int:
    return (x > y) - (x < y)


def is_newer(candidate: VersionInfo, deployed: VersionInfo) -> bool:
    """Whether ``candidate`` is a later release than ``deployed`` (:func:`version_order`); an unknown
    order is never an upgrade."""
    return version_order(candidate, deployed) == 1


def alive_on(v: VersionInfo, sku: str | None, day: dt.date) -> bool:
    """Still serving deployments of this SKU on ``day`` (the retirement day itself is retired)."""
    retires = v.retirement_for(sku)
    if retires is None:
        return v.lifecycle != "retired"
    return retires > day


def upgrade_day(entry: VersionInfo, sku: str | None) -> dt.date | None:
    """When Azure's upgrade on expiry fires for this SKU: retirement minus the catalog's lead days."""
    retires = entry.retirement_for(sku)
    return None if retires is None else add_days(retires, -entry.lead_days_for(sku))


# --------------------------------------------------------------------------------- upgrade targets


@dataclass(frozen=True)
class Upgrade:
    """Where an automatic upgrade about ``day`` can take a deployment of ``entry`` on ``sku``. For
    an upgrade on expiry ``day`` is the deployed version's retirement day, so a target must outlive
    it (a default retiring the same day is no target).

    ``candidates``: GA versions of the same model, newer than the deployed one and still serving
    that SKU after ``day``, newest first (what the catalog *could* upgrade to). ``target``: the
    newest of them that is the default by ``day`` (where Azure upgrades when no replacement is
    named); None means the same-model rule has no target (:func:`upgrade_target` decides the rest).
    """

    day: dt.date
    target: VersionInfo | None
    candidates: tuple[VersionInfo, ...]


def upgrade_path(catalog: Catalog, entry: VersionInfo, sku: str | None, day: dt.date) -> Upgrade:
    """The second-round same-model rule, one step of :func:`upgrade_target` (call that instead): the
    newest GA default of the same model that is newer than ``entry`` and outlives ``day`` for ``sku``
    (no downgrades, no preview targets, per-SKU dates, the default as of ``day``)."""
    pool = [v for v in catalog.versions_of(entry.model, entry.format)
            if v is not entry and v.lifecycle in GA_RELEASES and is_newer(v, entry) and alive_on(v, sku, day)]
    newest_first = sorted(pool, key=newest_key, reverse=True)
    target = next((v for v in newest_first if v.default and (v.default_since is None or v.default_since <= day)),
                  None)
    return Upgrade(day, target, tuple(newest_first))


def newest_key(v: VersionInfo) -> Any:
    """Sort key, newest last: :func:`version_order` (unordered pairs compare equal)."""
    return functools.cmp_to_key(lambda a, b: version_order(a, b) or 0)(v)


# How a deployment leaves its version at retirement (:attr:`Move.how`).
REPLACEMENT = "replacement"  # to the replacement named in the schedule (maybe another model)
SAME_MODEL = "same-model"  # to the newest newer GA default of the same model
STOPS = "stops-working"  # upgraded, but to nothing: no named replacement and no same-model default
NOT_UPGRADED = "not-upgraded"  # never upgraded: NoAutoUpgrade, a non-Standard type, or an unknown option


@dataclass(frozen=True)
class Move:
    """What happens to a deployment of ``entry`` (on ``sku``, with ``option``) when its version retires.

    ``day``: the retirement day for the SKU (None: none announced; the move is then undated).
    ``fires``: when the upgrade starts (``day`` minus the catalog's ``upgrade_lead_days``).
    ``how``: :data:`REPLACEMENT`, :data:`SAME_MODEL`, :data:`STOPS` or :data:`NOT_UPGRADED`.
    ``forced``: a preview version, force-upgraded whatever its option (lifecycle-2026-10).
    ``model`` / ``version``: the target; ``version`` None with a ``model`` = a replacement named
    without a version whose default on the day the catalog does not know ("an unknown version of X").
    ``target``: the target's catalog entry, when catalogued. ``candidates``: newer GA versions of the
    same model that outlive the day (what Azure could still designate as default, and a same-model
    version ``fix`` may propose), newest first; filled whatever ``how`` is, empty for previews and
    for an undated retirement.
    """

    entry: VersionInfo
    day: dt.date | None
    fires: dt.date | None
    how: str
    forced: bool = False
    model: str | None = None
    version: str | None = None
    target: VersionInfo | None = None
    candidates: tuple[VersionInfo, ...] = ()

    @property
    def upgraded(self) -> bool:
        """Azure moves the deployment to a target (a known model) at retirement."""
        return self.model is not None

    @property
    def cross_model(self) -> bool:
        """The target is a different model (gpt-4o → gpt-5.1), not another version of this one."""
        return self.model is not None and self.model.strip().casefold() != self.entry.model.strip().casefold()

    @property
    def target_label(self) -> str:
        """``gpt-5.1 2025-11-13``; ``an unknown version of gpt-5.6-sol``; empty when not upgraded."""
        if self.model is None:
            return ""
        if self.target is not None:
            return self.target.label
        return f"{self.model} {self.version}" if self.version else f"an unknown version of {self.model}"


def upgrade_target(catalog: Catalog, entry: VersionInfo, sku: str | None, option: str | None,
                   day: dt.date | None = None) -> Move:
    """THE upgrade-target decision — every rule, the forecast and ``versionguard fix`` call this.

    ``upgrade_target(catalog, entry, sku, option, day=None) -> Move``

    * ``catalog``: the catalog to resolve targets in; ``entry``: the deployed version (from
      :func:`resolve`); ``sku``: the deployment type as written (case-insensitive; None = none);
      ``option``: the *effective* ``versionUpgradeOption`` (the provider's default already applied:
      ``DeploymentRecord.effective_upgrade_option``), canonical spelling, None when unknown;
      ``day``: the retirement day to judge (default: ``entry.retirement_for(sku)``).
    * A preview ``entry`` is force-upgraded to its named ``replacement`` whatever ``option`` and
      ``sku`` (``forced``); without one it stops working (:data:`STOPS`).
    * A Standard-family ``sku`` with ``OnceCurrentVersionExpired`` / ``OnceNewDefaultVersionAvailable``
      goes to the named ``replacement`` (:data:`REPLACEMENT`, possibly another model; without a version
      = that model's GA default on ``day`` that outlives it, else "an unknown version"), else to the
      same-model target of :func:`upgrade_path` (:data:`SAME_MODEL`), else :data:`STOPS`.
    * Anything else (``NoAutoUpgrade``, provisioned, batch, developer, unknown types or options):
      :data:`NOT_UPGRADED`; ``model`` is None. The replacement stays on ``entry.replacement`` as the
      migration target to name.

    Pure and cheap; never raises for a well-formed catalog.
    """
    day = entry.retirement_for(sku) if day is None else day
    fires = None if day is None else add_days(day, -entry.lead_days_for(sku))
    forced = entry.lifecycle == "preview"
    # Same-model versions that outlive the day: Azure's fallback target, and what `fix` may propose.
    path = upgrade_path(catalog, entry, sku, day) if day is not None and not forced else None
    candidates = path.candidates if path is not None else ()
    if not forced and not (is_standard_sku(sku) and option in UPGRADING_OPTIONS):
        return Move(entry, day, fires, NOT_UPGRADED, candidates=candidates)
    if entry.replacement is not None:
        model, version = entry.replacement.name, entry.replacement.version
        target = named_replacement(catalog, entry, sku, day)
        if target is not None:
            model, version = target.model, target.version
        return Move(entry, day, fires, REPLACEMENT, forced, model, version, target, candidates)
    if path is not None and path.target is not None:
        return Move(entry, day, fires, SAME_MODEL, False, path.target.model, path.target.version, path.target,
                    candidates)
    return Move(entry, day, fires, STOPS, forced, candidates=candidates)


def named_replacement(catalog: Catalog, entry: VersionInfo, sku: str | None,
                      day: dt.date | None) -> VersionInfo | None:
    """The catalog entry of ``entry``'s named replacement: its named version, else that model's GA
    default on ``day`` that still serves ``sku`` (None: not catalogued, or no such default)."""
    named = entry.replacement
    if named is None:
        return None
    if named.version is not None:
        return catalog.lookup(named.name, named.version, entry.format)
    return _default_on(catalog, named.name, entry.format, sku, day)


def _default_on(catalog: Catalog, model: str, model_format: str, sku: str | None,
                day: dt.date | None) -> VersionInfo | None:
    """A named model's GA default version on ``day`` that still serves ``sku`` after it, newest."""
    found = [v for v in catalog.versions_of(model, model_format)
             if v.default and v.lifecycle in GA_RELEASES
             and (day is None or ((v.default_since is None or v.default_since <= day) and alive_on(v, sku, day)))]
    return max(found, key=newest_key, default=None)


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
             and alive_on(v, sku, add_days(v.released, PREVIEW_UPGRADE_DAYS))]
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
    Azure documents it (provisioned: a migration you run; batch: side by side (lifecycle-2026-10);
    developer, unknown: not documented)."""
    known = known_sku(sku)
    standard_only = "Azure documents automatic model updates for Standard deployment types only"
    if known in PROVISIONED_SKUS:
        return (f"Azure does not upgrade {known} deployments automatically: their model version changes only by "
                "an in-place or multi-deployment migration that you run")
    if known in BATCH_SKUS:
        return (f"Azure does not upgrade {known} deployments automatically: they migrate side by side (deploy the "
                "new model, resubmit the jobs, remove the old deployment)")
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
