"""``versionguard forecast``: run each stack's program offline and date its lifecycle events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from google.protobuf.json_format import MessageToDict

from versionguard.adapters.catalog_file import load_catalog
from versionguard.adapters.environment import ENV_CATALOG, as_of_from_env, path_from_env
from versionguard.adapters.offline import ProgramRun, RunOptions, StackFailure, run_stacks
from versionguard.adapters.pack import from_wire
from versionguard.adapters.project import Project
from versionguard.adapters.python_env import find_python
from versionguard.core.api_forecast import api_version_events
from versionguard.core.api_usage import UsageScan, scan
from versionguard.core.catalog import dated_by
from versionguard.core.forecast import Forecast, forecast
from versionguard.core.records import DeploymentRecord, deployment_flavour, normalize


@dataclass(frozen=True)
class ForecastResult:
    forecast: Forecast
    failures: list[StackFailure]  # stacks whose program could not be run (exit 2)
    runs: list[ProgramRun]


def forecast_stacks(project: Project, stacks: Sequence[str], horizon_days: int, as_of: dt.date | None = None,
                    catalog_path: Path | None = None, runner: RunOptions | None = None) -> ForecastResult:
    """The forecast of every named stack whose program runs (each run as ``check`` runs it). ``as_of`` and
    the catalog default to ``VERSIONGUARD_AS_OF`` / ``VERSIONGUARD_CATALOG``, then today and the bundled one."""
    day = as_of or as_of_from_env()
    catalog = dated_by(load_catalog(catalog_path or path_from_env(ENV_CATALOG)), day)
    options = runner or RunOptions(find_python(project))
    runs: list[ProgramRun] = []
    failures: list[StackFailure] = []
    for outcome in run_stacks(project, stacks, options):
        if isinstance(outcome, StackFailure):
            failures.append(outcome)
        else:
            runs.append(outcome)
    # Apps' api-versions are read with the default setting names (policy config is not consulted).
    scans = {run.stack: usage_scans(run) for run in runs}
    result = forecast({run.stack: records_of(run) for run in runs}, catalog, day, horizon_days,
                      extra=api_version_events(scans, catalog, day, horizon_days))
    return ForecastResult(result, failures, runs)


def usage_scans(run: ProgramRun) -> list[UsageScan]:
    """The api-version usages of every resource the program registered (secrets stay unread)."""
    return [scan(res.type, from_wire(MessageToDict(res.properties)), res.name, res.urn) for res in run.resources]


def records_of(run: ProgramRun) -> list[DeploymentRecord]:
    """The program's deployments, normalized."""
    out: list[DeploymentRecord] = []
    for res in run.resources:
        if deployment_flavour(res.type) is None:
            continue
        props = MessageToDict(res.properties)
        account = props.get("accountName")
        out.append(normalize(res.type, props, res.name, res.urn, account if isinstance(account, str) else None))
    return out
