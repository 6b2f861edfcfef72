"""Forecast events of the data-plane api-versions apps use: the day an api-version leaves support
(``support_ends``) and the day it is no longer served (``retirement``), per the catalog's
``api_versions``. Pure; ``commands.forecast`` hands the events to ``core.forecast.forecast``.

An app setting or URL whose api-version the catalog does not know has no dated event (the
``api-version-supported`` rule reports it); a past event is kept and says so, as for deployments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from .api_catalog import API_VERSION
from .api_usage import UsageScan
from .catalog import Catalog
from .dates import add_days
from .forecast import API_RETIRED, API_UNSUPPORTED, Event


def api_version_events(scans: Mapping[str, Sequence[UsageScan]], catalog: Catalog, as_of: dt.date,
                       horizon_days: int) -> list[Event]:
    """One event per (usage, dated lifecycle step) up to ``as_of + horizon_days``."""
    end = add_days(as_of, horizon_days)
    events: list[Event] = []
    for stack, stack_scans in scans.items():
        for scan in stack_scans:
            for usage in scan.usages:
                entry = catalog.api_versions.lookup(usage.value)
                if entry is None:
                    continue
                steps = ((entry.support_ends, API_UNSUPPORTED, "Leaves support (only the latest three preview "
                          "api-versions stay supported)"),
                         (entry.retirement, API_RETIRED, "No longer served: calls with it fail"))
                for day, kind, what in steps:
                    if day is None or day > end:
                        continue
                    past = "" if day >= as_of else f" PAST ({(as_of - day).days} days ago)"
                    detail = (f"{usage.where}: {what}{past}. Move the app to the v1 API (/openai/v1/, no "
                              "api-version).")
                    events.append(Event(stack, scan.name, API_VERSION, entry.version, None, usage.origin, day, kind,
                                        detail, (day - as_of).days))
    return events
