"""``versionguard forecast``: run each stack's program offline and date its lifecycle events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from google.protobuf.json_format import MessageToDict

from versionguard.adapters.catalog_file import load_catalog
from versionguard.adapters.environment import ENV_CATALOG, as_of_from_env, path_from_env
from versionguard.adapters.project import Project
from versionguard.commands.check import run_stack  # the same program run and error mapping as check
from versionguard.core.catalog import dated_by
from versionguard.core.forecast import Forecast, forecast
from versionguard.core.records import DeploymentRecord, deployment_flavour, normalize


def forecast_stacks(project: Project, stacks: Sequence[str], horizon_days: int, as_of: dt.date | None = None,
                    catalog_path: Path | None = None) -> Forecast:
    """The forecast of every named stack (each program run as ``check`` runs it). ``as_of`` and the
    catalog default to ``VERSIONGUARD_AS_OF`` / ``VERSIONGUARD_CATALOG``, then today and the bundled one."""
    day = as_of or as_of_from_env()
    catalog = dated_by(load_catalog(catalog_path or path_from_env(ENV_CATALOG)), day)
    return forecast({name: stack_records(project, name) for name in stacks}, catalog, day, horizon_days)


def stack_records(project: Project, stack: str) -> list[DeploymentRecord]:
    """Run a stack's program offline (as ``check`` does) and normalize its deployments."""
    run = run_stack(project, stack, project.stack_config(stack))
    out: list[DeploymentRecord] = []
    for res in run.resources:
        if deployment_flavour(res.type) is None:
            continue
        props = MessageToDict(res.properties)
        account = props.get("accountName")
        out.append(normalize(res.type, props, res.name, res.urn, account if isinstance(account, str) else None))
    return out
