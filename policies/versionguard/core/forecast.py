"""``versionguard forecast``: the dated lifecycle events ahead of each deployment.

Pure core: :func:`forecast` takes normalized records per stack, a catalog, an as-of date and a
horizon and returns :class:`Event` s; it decides nothing the rules decide (no pass/fail), it only
dates what Azure documents it will do (working-with-models, lifecycle-2026-10). What happens at
retirement comes from :func:`lifecycle.upgrade_target`, the same function the rules use: the
replacement named in the schedule (possibly another model), else the newest default GA version of the
same model that outlives the day, else nothing.

* ``auto-upgrade`` — ``OnceNewDefaultVersionAvailable`` on a Standard type: the deployment moves to
  a newly designated default *within* two weeks (``date`` = ``default_since``, ``latest`` = + 14
  days); a preview version moves to the next preview from two weeks after its ``released`` date.
* ``upgrade-on-expiry`` — an upgrading option on a Standard type (or any preview, force-upgraded
  whatever its option) and a retiring version: upgraded to another version of the *same* model at
  retirement minus the catalog's ``upgrade_lead_days``.
* ``cross-model-upgrade`` — the same moment, when the target is a *different* model (gpt-4o →
  gpt-5.1): its own kind, because that move changes the application's behaviour.
* ``stops-working`` — ``NoAutoUpgrade`` on a Standard type, an upgrading option with no upgrade
  target, or a preview with no named replacement: calls fail from the retirement date.
* ``migration-required`` — any non-Standard type, whatever the option: Azure upgrades Standard types
  only (provisioned: migration; batch: side by side; developer: not documented).
* ``deprecation`` — the version closes to new customers (existing deployments keep running); for a
  fine-tuned deployment also the end of fine-tuning of its base (training retirement).

Retirement dates are per SKU (:meth:`VersionInfo.retirement_for`). Events already past are kept
(except deprecation) and say so: an upgrade that should have happened or a deployment that no
longer works is exactly what a reader must see. ``commands.forecast`` runs the programs offline
like ``check`` and hands the records here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .catalog import Catalog, VersionInfo
from .dates import add_days
from .lifecycle import (
    AUTO_UPGRADE_DAYS,
    PREVIEW_UPGRADE_DAYS,
    REPLACEMENT,
    Move,
    catalog_staleness,
    format_caveat,
    new_default,
    next_preview,
    not_upgraded_reason,
    resolve,
    upgrade_target,
)
from .records import DeploymentRecord, display
from .settings import RuleSettings
from .vocabulary import AUTO_UPDATE, NO_AUTO_UPGRADE, UPGRADE_ON_EXPIRY, is_standard_sku

# Events of the data-plane api-versions apps use (dated by core.api_forecast).
API_UNSUPPORTED = "api-version-unsupported"
API_RETIRED = "api-version-retired"
# Event kinds, in the order a legend lists them, with a short human label.
KINDS: dict[str, str] = {
    "auto-upgrade": "auto-upgrade to new default",
    "upgrade-on-expiry": "upgrade when expired",
    "cross-model-upgrade": "moved to another model",
    "stops-working": "stops working",
    "migration-required": "migration required",
    "deprecation": "deprecation",
    API_UNSUPPORTED: "api-version unsupported",
    API_RETIRED: "api-version retired",
}
DEFAULT_HORIZON_DAYS = 180


@dataclass(frozen=True)
class Event:
    stack: str
    deployment: str
    model: str
    version: str
    sku: str | None
    option: str
    date: dt.date
    kind: str
    detail: str
    days_from_as_of: int
    latest: dt.date | None = None  # the end of a window (auto-upgrade: designation + 14 days); None = one day

    def to_json(self) -> dict[str, Any]:
        return {
            "stack": self.stack, "deployment": self.deployment, "model": self.model, "version": self.version,
            "sku": self.sku, "option": self.option, "date": self.date.isoformat(),
            "latest": self.latest.isoformat() if self.latest else None, "kind": self.kind,
            "detail": self.detail, "days_from_as_of": self.days_from_as_of,
        }


@dataclass(frozen=True)
class Skipped:
    """A deployment the forecast cannot date (not in the catalog, unreadable fields)."""

    stack: str
    deployment: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"stack": self.stack, "deployment": self.deployment, "reason": self.reason}


@dataclass(frozen=True)
class Forecast:
    as_of: dt.date
    horizon_days: int
    catalog_as_of: dt.date
    stacks: Sequence[str]
    events: Sequence[Event]
    skipped: Sequence[Skipped] = ()
    deployments: Mapping[str, int] = field(default_factory=dict)  # deployments read per stack
    warnings: Sequence[str] = ()  # e.g. the catalog-staleness warning check prints as catalog-freshness

    @property
    def horizon_end(self) -> dt.date:
        return add_days(self.as_of, self.horizon_days)

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "horizon_days": self.horizon_days,
            "catalog_as_of": self.catalog_as_of.isoformat(),
            "stacks": list(self.stacks),
            "events": [e.to_json() for e in self.events],
            "skipped": [s.to_json() for s in self.skipped],
            "deployments": dict(self.deployments),
            "warnings": list(self.warnings),
        }


def forecast(
    records: Mapping[str, Sequence[DeploymentRecord]],
    catalog: Catalog,
    as_of: dt.date,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    extra: Sequence[Event] = (),
    max_catalog_age_days: int = RuleSettings().max_catalog_age_days,
) -> Forecast:
    """Every dated event of every deployment (``{stack: records}``) up to ``as_of + horizon_days``, plus
    ``extra`` events dated elsewhere (the api-versions apps use, ``core.api_forecast``), with the same
    catalog-staleness warning ``catalog-freshness`` reports."""
    events: list[Event] = list(extra)
    skipped: list[Skipped] = []
    for stack, recs in records.items():
        for rec in recs:
            found, reason = deployment_events(stack, rec, catalog, as_of, horizon_days)
            events += found
            if reason is not None:
                skipped.append(Skipped(stack, rec.name, reason))
    events.sort(key=lambda e: (e.date, e.stack, e.deployment, list(KINDS).index(e.kind)))
    stale = catalog_staleness(catalog, as_of, max_catalog_age_days)
    return Forecast(as_of, horizon_days, catalog.as_of, list(records), events, skipped,
                    {stack: len(recs) for stack, recs in records.items()}, [stale] if stale else [])


def deployment_events(stack: str, rec: DeploymentRecord, catalog: Catalog, as_of: dt.date,
                      horizon_days: int) -> tuple[list[Event], str | None]:
    """The events of one deployment, or a reason it cannot be forecast."""
    name, version, option = rec.model_name, rec.model_version, rec.effective_upgrade_option
    if not isinstance(name, str) or not isinstance(version, str):
        return [], f"model {display(name)} version {display(version)}: nothing to look up in the catalog"
    if not isinstance(option, str):
        return [], f"versionUpgradeOption is {display(option)}, so Azure's behaviour cannot be dated"
    fmt = rec.model_format if isinstance(rec.model_format, str) else None
    entry = resolve(catalog, fmt, name, version)
    if entry is None:
        return [], f"{name} {version} is not in the catalog (as of {catalog.as_of})"
    sku = rec.sku_name if isinstance(rec.sku_name, str) else None
    dated = _dated(entry, catalog, sku, option, as_of)
    end = add_days(as_of, horizon_days)
    events = [
        Event(stack, rec.name, entry.model, entry.version, sku, option, day, kind, detail, (day - as_of).days, latest)
        for day, kind, detail, latest in dated
        if day <= end and ((latest or day) >= as_of or kind != "deprecation")
    ]
    reason = None
    if not dated and entry.retirement_for(sku) is None and entry.lifecycle == "retired":
        reason = f"{entry.label} is listed as retired but the catalog has no retirement date"
    return events, reason


_Dated = tuple[dt.date, str, str, dt.date | None]


def _dated(entry: VersionInfo, catalog: Catalog, sku: str | None, option: str, as_of: dt.date) -> list[_Dated]:
    """(date, kind, detail, latest) for every event, unfiltered by the horizon."""
    out: list[_Dated] = []
    retires = entry.retirement_for(sku)
    where = f"for {sku}" if sku else "(no SKU)"
    tentative = " (tentative date)" if entry.date_status == "tentative" else ""
    successor = f" Migration target: {entry.replacement}, the replacement Microsoft names." if entry.replacement \
        else ""
    caveat = format_caveat(entry.format)
    moved_on: dt.date | None = None  # from this day the deployment may run another version
    upgrading = is_standard_sku(sku) and option in (AUTO_UPDATE, UPGRADE_ON_EXPIRY)
    if upgrading or entry.lifecycle == "preview":  # a preview is force-upgraded whatever option and type
        if upgrading and option == AUTO_UPDATE:
            move = _auto_update_move(entry, catalog, sku, as_of)
            if move is not None:
                out.append(move)
                moved_on = move[3] or move[0]
        at_retirement = upgrade_target(catalog, entry, sku, option)
        fires = at_retirement.fires
        if fires is not None and (moved_on is None or fires < moved_on):
            out.append(_on_expiry(at_retirement, sku, option, as_of, where, tentative, successor, caveat))
            moved_on = fires
    elif is_standard_sku(sku) and option == NO_AUTO_UPGRADE:
        if retires is not None:
            out.append((retires, "stops-working", _past(
                retires, as_of, f"Retires {where}{tentative}; with NoAutoUpgrade every call fails from this date: "
                f"migrate before.{successor}", "the deployment no longer works"), None))
    elif retires is not None:
        out.append((retires, "migration-required", _past(
            retires, as_of, f"Retires {where}{tentative}; {not_upgraded_reason(sku)} ({option} does not change "
            f"that): migrate by this date or it stops working.{successor}",
            "the version has retired and the deployment no longer works"), None))
    if entry.deprecation is not None and (moved_on is None or entry.deprecation < moved_on):
        tentative_dep = " (tentative date)" if entry.deprecation_status == "tentative" else ""
        out.append((entry.deprecation, "deprecation",
                    f"Closes to new customers{tentative_dep}; existing deployments keep running.", None))
    tuned = entry.fine_tuned if entry.base is not None else None
    if tuned is not None and tuned.training_retirement is not None:
        out.append((tuned.training_retirement, "deprecation",
                    f"Fine-tuning of {entry.base.label if entry.base else entry.model} ends (training retirement); "
                    "this fine-tuned deployment keeps running.", None))
    return out


def _auto_update_move(entry: VersionInfo, catalog: Catalog, sku: str | None, as_of: dt.date) -> _Dated | None:
    """OnceNewDefaultVersionAvailable: the first move to a newly designated default (within two
    weeks of the designation) or, for a preview, to the next preview (from two weeks after its
    release), whichever comes first."""
    moves: list[_Dated] = []
    default = new_default(catalog, entry, sku)
    if default is not None and default.default_since is not None:
        start = default.default_since
        latest = add_days(start, AUTO_UPGRADE_DAYS)
        detail = (f"Moves to {default.label}, the default version since {start}, within {AUTO_UPGRADE_DAYS} days of "
                  f"the designation: between {start} and {latest}.")
        if latest < as_of:
            detail += f" PAST ({(as_of - latest).days} days ago): this should already have happened; verify the " \
                      "deployment."
        elif start <= as_of:
            detail += " In progress: it may already have happened."
        moves.append((start, "auto-upgrade", detail, latest))
    preview = next_preview(catalog, entry, sku)
    if preview is not None and preview.released is not None:
        start = add_days(preview.released, PREVIEW_UPGRADE_DAYS)
        moves.append((start, "auto-upgrade", _past(
            start, as_of, f"Moves to the next preview version {preview.label} (released {preview.released}), "
            f"starting {PREVIEW_UPGRADE_DAYS} days after its release; Azure gives no end date.",
            "this may already have happened; verify the deployment"), None))
    return min(moves, key=lambda m: m[0], default=None)


def _on_expiry(move: Move, sku: str | None, option: str, as_of: dt.date, where: str, tentative: str,
               successor: str, caveat: str) -> _Dated:
    """The retirement of a version a deployment is still on when Azure upgrades it (an upgrading option
    on a Standard type, or any preview): upgraded to :func:`lifecycle.upgrade_target`'s target —
    ``cross-model-upgrade`` when that is another model — else it stops working."""
    entry, retires, fires = move.entry, move.day, move.fires
    assert retires is not None and fires is not None  # only called for a dated retirement
    lead = (retires - fires).days
    timing = f"{lead} days before it retires {where} on {retires}" if lead else f"when it retires {where}"
    how = "forced: a preview version" if move.forced else option
    if move.upgraded:
        target_retires = move.target.retirement_for(sku) if move.target else None
        until = f", which retires {where} on {target_retires}" if target_retires else ""
        if move.cross_model:
            return (fires, "cross-model-upgrade", _past(
                fires, as_of, f"Moved ({how}) to {move.target_label}, the replacement Microsoft names, {timing}"
                f"{tentative}. That is a different model: reasoning models (o-series, gpt-5.x) reject parameters "
                f"that chat models accept, and outputs differ; test against {move.model} or migrate deliberately "
                f"before.{caveat}", "the deployment should already run the other model; verify it"), None)
        named = ", the replacement Microsoft names" if move.how == REPLACEMENT else ""
        return (fires, "upgrade-on-expiry", _past(
            fires, as_of, f"Upgraded ({how}) to {'the default version ' if not named else ''}{move.target_label}"
            f"{named}{until}, {timing}{tentative}.{caveat}",
            "the upgrade should already have started; verify the deployment"), None)
    if move.forced:
        why = "A preview with no named replacement retires with no replacement, whatever its option"
    else:
        newer = f" (the catalog lists {', '.join(v.label for v in move.candidates)} as newer GA versions, none " \
                "of them the default)" if move.candidates else ""
        why = (f"No replacement is named; without one {option} upgrades only to a newer default version of "
               f"{entry.model}, and the catalog records none{newer}")
    return (retires, "stops-working", _past(
        retires, as_of, f"Retires {where}{tentative}. {why}: every call fails from this date unless Microsoft "
        f"names a replacement. Deploy a newer version before.{successor}{caveat}",
        "the deployment no longer works"), None)


def _past(day: dt.date, as_of: dt.date, detail: str, overdue: str) -> str:
    return detail if day >= as_of else f"{detail} PAST ({(as_of - day).days} days ago): {overdue}."


def kind_label(kind: str) -> str:
    return KINDS.get(kind, kind)
