"""``versionguard forecast``: run each stack's program offline and date its lifecycle events.

Each registered resource is read once from the wire form the analyzer is shown (``adapters.crossguard.wire``),
and that plain data feeds both readers, as ``check`` reads the same registrations:

- unknown values (computed during preview, StackReference outputs without ``--stack-outputs``) are
  unknown: a deployment whose model, version or upgrade option is unknown is listed as not forecast,
  as ``check`` skips it;
- a Pulumi secret is read as ``check`` reads it: a deployment input is dated by its value (``check``
  judges it), an app's secret api-version is not read (``check`` does not judge it), and the value
  never appears in the forecast: every text of a deployment's secret inputs is shown as
  ``[secret]`` in its events and skip reasons, as in ``check``'s messages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from google.protobuf.json_format import MessageToDict

from versionguard.adapters.crossguard.secrets import redact, secret_texts
from versionguard.adapters.crossguard.wire import from_wire
from versionguard.adapters.evaluation_inputs import load_runtime
from versionguard.adapters.program.project import Project
from versionguard.adapters.program.project_python import find_python
from versionguard.adapters.program.stack_runner import ProgramRun, RunOptions, StackFailure, run_stacks
from versionguard.core.api_forecast import api_version_events
from versionguard.core.api_usage import UsageScan, scan
from versionguard.core.forecast import Event, Forecast, Skipped, forecast
from versionguard.core.records import DeploymentRecord, deployment_flavour, normalize


@dataclass(frozen=True)
class ForecastResult:
    forecast: Forecast
    failures: list[StackFailure]  # stacks whose program could not be run (exit 2)
    runs: list[ProgramRun]


@dataclass
class StackRead:
    """One stack's registrations, each read once: its deployments, every resource's api-version
    usages, and the secret texts of each deployment (by name) that the forecast must not show."""

    records: list[DeploymentRecord] = field(default_factory=list)
    scans: list[UsageScan] = field(default_factory=list)
    secrets: dict[str, frozenset[str]] = field(default_factory=dict)


def forecast_stacks(project: Project, stacks: Sequence[str], horizon_days: int, as_of: dt.date | None = None,
                    catalog_path: Path | None = None, runner: RunOptions | None = None) -> ForecastResult:
    """The forecast of every named stack whose program runs (each run as ``check`` runs it). ``as_of`` and
    the catalog default as for ``check`` (``load_runtime``: ``VERSIONGUARD_*``, then today and the bundled one)."""
    runtime = load_runtime(as_of, catalog_path)
    options = runner or RunOptions(find_python(project))
    runs: list[ProgramRun] = []
    failures: list[StackFailure] = []
    for outcome in run_stacks(project, stacks, options):
        if isinstance(outcome, StackFailure):
            failures.append(outcome)
        else:
            runs.append(outcome)
    read = {run.stack: read_run(run) for run in runs}
    # Apps' api-versions are read with the default setting names (policy config is not consulted).
    extra = api_version_events({stack: r.scans for stack, r in read.items()}, runtime.catalog, runtime.as_of,
                               horizon_days)
    result = forecast({stack: r.records for stack, r in read.items()}, runtime.catalog, runtime.as_of, horizon_days,
                      extra=extra)
    return ForecastResult(redacted(result, {stack: r.secrets for stack, r in read.items()}), failures, runs)


def read_run(run: ProgramRun) -> StackRead:
    """Every resource the program registered, converted from the wire form once."""
    out = StackRead()
    for res in run.resources:
        wire = MessageToDict(res.properties)
        plain = from_wire(wire)
        out.scans.append(scan(res.type, plain, res.name, res.urn))
        if deployment_flavour(res.type) is None:
            continue
        account = plain.get("accountName")
        out.records.append(normalize(res.type, plain, res.name, res.urn, account if isinstance(account, str) else None))
        texts = secret_texts(wire)
        if texts:  # names are unique per stack in practice; a shared name only redacts more
            out.secrets[res.name] = out.secrets.get(res.name, frozenset()) | texts
    return out


def redacted(result: Forecast, secrets: Mapping[str, Mapping[str, frozenset[str]]]) -> Forecast:
    """``result`` with every secret text of a deployment shown as ``[secret]`` in its events and skip reasons."""
    if not any(secrets.values()):
        return result

    def event(e: Event) -> Event:
        texts = secrets.get(e.stack, {}).get(e.deployment)
        if not texts:
            return e
        return replace(e, model=redact(e.model, texts), version=redact(e.version, texts),
                       sku=None if e.sku is None else redact(e.sku, texts), option=redact(e.option, texts),
                       detail=redact(e.detail, texts))

    def skipped(s: Skipped) -> Skipped:
        texts = secrets.get(s.stack, {}).get(s.deployment)
        return replace(s, reason=redact(s.reason, texts)) if texts else s

    return replace(result, events=[event(e) for e in result.events], skipped=[skipped(s) for s in result.skipped])
