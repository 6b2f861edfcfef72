"""``versionguard forecast``: the dated lifecycle events ahead of each deployment.

Pure core: :func:`forecast` takes normalized records per stack, a catalog, an as-of date and a
horizon and returns :class:`Event` s; it decides nothing the rules decide (no pass/fail), it only
dates what Azure will do (working-with-models, "versionUpgradeOption"):

* ``auto-upgrade`` — ``OnceNewDefaultVersionAvailable`` on a Standard type: the deployment moves to
  a new default version within two weeks of the designation (``default_since`` + 14 days).
* ``upgrade-on-expiry`` — ``OnceCurrentVersionExpired`` on a Standard type: upgraded to the then
  default version at retirement minus the catalog's ``upgrade_lead_days`` for the SKU. An
  auto-update deployment still on a retiring version is upgraded at retirement at the latest.
* ``stops-working`` — ``NoAutoUpgrade`` on a Standard type: calls fail from the retirement date.
* ``migration-required`` — any non-Standard type, whatever the option: Azure never upgrades it.
* ``deprecation`` — the version closes to new customers (existing deployments keep running).

Retirement dates are per SKU (:meth:`VersionInfo.retirement_for`). Events already past are kept
(except deprecation) and say so: an upgrade that should have happened or a deployment that no
longer works is exactly what a reader must see. ``commands.forecast`` runs the programs offline
like ``check`` and hands the records here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .catalog import Catalog, VersionInfo
from .records import DeploymentRecord, display
from .vocabulary import AUTO_UPDATE, NO_AUTO_UPGRADE, UPGRADE_ON_EXPIRY, is_standard_sku

# Event kinds, in the order a legend lists them, with a short human label.
KINDS: dict[str, str] = {
    "auto-upgrade": "auto-upgrade to new default",
    "upgrade-on-expiry": "upgrade when expired",
    "stops-working": "stops working",
    "migration-required": "migration required",
    "deprecation": "deprecation",
    # data-plane api-versions apps use (core.api_forecast)
    "api-version-unsupported": "api-version unsupported",
    "api-version-retired": "api-version retired",
}
# "automatically upgrades to the default version within two weeks of that designation change"
AUTO_UPGRADE_DAYS = 14
DEFAULT_HORIZON_DAYS = 180
_ISO_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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

    def to_json(self) -> dict[str, Any]:
        return {
            "stack": self.stack, "deployment": self.deployment, "model": self.model, "version": self.version,
            "sku": self.sku, "option": self.option, "date": self.date.isoformat(), "kind": self.kind,
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

    @property
    def horizon_end(self) -> dt.date:
        return self.as_of + dt.timedelta(days=self.horizon_days)

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "horizon_days": self.horizon_days,
            "catalog_as_of": self.catalog_as_of.isoformat(),
            "stacks": list(self.stacks),
            "events": [e.to_json() for e in self.events],
            "skipped": [s.to_json() for s in self.skipped],
            "deployments": dict(self.deployments),
        }


def forecast(
    records: Mapping[str, Sequence[DeploymentRecord]],
    catalog: Catalog,
    as_of: dt.date,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    extra: Sequence[Event] = (),
) -> Forecast:
    """Every dated event of every deployment (``{stack: records}``) up to ``as_of + horizon_days``, plus
    ``extra`` events dated elsewhere (the api-versions apps use, ``core.api_forecast``)."""
    events: list[Event] = list(extra)
    skipped: list[Skipped] = []
    for stack, recs in records.items():
        for rec in recs:
            found, reason = deployment_events(stack, rec, catalog, as_of, horizon_days)
            events += found
            if reason is not None:
                skipped.append(Skipped(stack, rec.name, reason))
    events.sort(key=lambda e: (e.date, e.stack, e.deployment, list(KINDS).index(e.kind)))
    return Forecast(as_of, horizon_days, catalog.as_of, list(records), events, skipped,
                    {stack: len(recs) for stack, recs in records.items()})


def deployment_events(stack: str, rec: DeploymentRecord, catalog: Catalog, as_of: dt.date,
                      horizon_days: int) -> tuple[list[Event], str | None]:
    """The events of one deployment, or a reason it cannot be forecast."""
    name, version, option = rec.model_name, rec.model_version, rec.effective_upgrade_option
    if not isinstance(name, str) or not isinstance(version, str):
        return [], f"model {display(name)} version {display(version)}: nothing to look up in the catalog"
    if not isinstance(option, str):
        return [], f"versionUpgradeOption is {display(option)}, so Azure's behaviour cannot be dated"
    entry = catalog.lookup(name, version)
    if entry is None:
        return [], f"{name} {version} is not in the catalog (as of {catalog.as_of})"
    sku = rec.sku_name if isinstance(rec.sku_name, str) else None
    dated = _dated(entry, catalog, sku, option, as_of)
    end = as_of + dt.timedelta(days=horizon_days)
    events = [
        Event(stack, rec.name, entry.model, entry.version, sku, option, day, kind, detail, (day - as_of).days)
        for day, kind, detail in dated
        if day <= end and (day >= as_of or kind != "deprecation")
    ]
    reason = None
    if not dated and entry.retirement_for(sku) is None and entry.lifecycle == "retired":
        reason = f"{entry.label} is listed as retired but the catalog has no retirement date"
    return events, reason


def _dated(entry: VersionInfo, catalog: Catalog, sku: str | None, option: str,
           as_of: dt.date) -> list[tuple[dt.date, str, str]]:
    """(date, kind, detail) for every event, unfiltered by the horizon."""
    out: list[tuple[dt.date, str, str]] = []
    retires = entry.retirement_for(sku)
    where = f"for {sku}" if sku else "(no SKU)"
    tentative = " (tentative date)" if entry.date_status == "tentative" else ""
    successor = f" Replacement: {entry.replacement}." if entry.replacement else ""
    moved_on: dt.date | None = None  # from this day the deployment runs another version
    standard = is_standard_sku(sku)
    if standard and option == AUTO_UPDATE:
        default = catalog.default_version(entry.model)
        if default is not None and default.default_since is not None and _moves_to(entry.version, default.version):
            lands = default.default_since + dt.timedelta(days=AUTO_UPGRADE_DAYS)
            out.append((lands, "auto-upgrade", _past(
                lands, as_of, f"Moves to the default version {default.version} (default since "
                f"{default.default_since}) within {AUTO_UPGRADE_DAYS} days.",
                "this should already have happened; verify the deployment")))
            moved_on = lands
        if retires is not None and (moved_on is None or retires < moved_on):
            out.append((retires, "upgrade-on-expiry", _past(
                retires, as_of, f"Retires {where}{tentative}; Azure moves an auto-update deployment still on it to "
                f"the then-default version by this date at the latest ({_target(entry, catalog)}).",
                "it should already have been upgraded; verify the deployment")))
    elif standard and option == UPGRADE_ON_EXPIRY:
        if retires is not None:
            lead = entry.lead_days_for(sku)
            fires = retires - dt.timedelta(days=lead)
            timing = f"{lead} days before it retires {where} on {retires}" if lead else f"when it retires {where}"
            out.append((fires, "upgrade-on-expiry", _past(
                fires, as_of, f"Upgraded to the then-default version {timing}{tentative} ({_target(entry, catalog)}).",
                "the upgrade should already have started; verify the deployment")))
            moved_on = fires
    elif standard and option == NO_AUTO_UPGRADE:
        if retires is not None:
            out.append((retires, "stops-working", _past(
                retires, as_of, f"Retires {where}{tentative}; with NoAutoUpgrade every call fails from this date: "
                f"deploy a newer version before.{successor}", "the deployment no longer works")))
    elif retires is not None:
        what = f"{sku} deployments" if sku else "deployments without a known SKU"
        out.append((retires, "migration-required", _past(
            retires, as_of, f"Retires {where}{tentative}; Azure never upgrades {what} ({option} has no effect): "
            f"migrate by this date or it stops working.{successor}",
            "the version has retired and the deployment no longer works")))
    if entry.deprecation is not None and (moved_on is None or entry.deprecation < moved_on):
        out.append((entry.deprecation, "deprecation",
                    "Closes to new customers; existing deployments keep running."))
    return out


def _past(day: dt.date, as_of: dt.date, detail: str, overdue: str) -> str:
    return detail if day >= as_of else f"{detail} PAST ({(as_of - day).days} days ago): {overdue}."


def _moves_to(deployed: str, default: str) -> bool:
    """Whether an auto-update deployment moves to ``default``: not when it already runs it, and not
    when both are dated versions and the deployed one is newer (Azure does not move back)."""
    if deployed.casefold() == default.casefold():
        return False
    return not (_ISO_VERSION.match(deployed) and _ISO_VERSION.match(default) and deployed > default)


def _target(entry: VersionInfo, catalog: Catalog) -> str:
    default = catalog.default_version(entry.model)
    if default is not None and default.version.casefold() != entry.version.casefold():
        return f"default today: {default.label}"
    if entry.replacement is not None:
        return f"no other default in the catalog; replacement: {entry.replacement}"
    return "no other default in the catalog"


def kind_label(kind: str) -> str:
    return KINDS.get(kind, kind)
