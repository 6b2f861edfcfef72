"""legacy-model-version — the version is in the Legacy stage.

Rationale: Legacy is an optional lifecycle stage between GA and Deprecated (lifecycle-2026-10; Models
API ``lifecycleStatus: Legacy``): newer models exist and Microsoft asks customers to plan their
migration. A legacy version is still open to new deployments until its deprecation date and existing
deployments keep working; it is *not* deprecated. After deprecation only subscriptions that already
use it can deploy it, and retirement follows.

Fix: plan the migration to a newer model (the catalog's replacement when one is named) while new
deployments of this version are still possible. Advisory: nothing is broken.
"""

from __future__ import annotations

from ..records import DeploymentRecord
from .base import (
    FAIL_ON_UNKNOWN,
    Context,
    Level,
    Outcome,
    Rule,
    RuleMeta,
    Severity,
    Violation,
    catalog_entry,
    days_until,
    readable,
    replacement_hint,
    sku_phrase,
)

META = RuleMeta(
    id="legacy-model-version",
    title="Legacy model version",
    description="Model deployments should plan the move off a legacy version (newer models exist).",
    level=Level.ADVISORY,
    severity=Severity.LOW,
    remediation="Plan the migration to a newer model while this version is still open to new deployments; "
                "legacy is not deprecated.",
    config=dict(FAIL_ON_UNKNOWN),
)


def check(rec: DeploymentRecord, ctx: Context) -> list[Outcome]:
    entry = catalog_entry(rec, ctx)
    if entry is None or entry.lifecycle != "legacy":
        return []
    sku = readable(rec.sku_name)  # context only: the stage does not depend on the deployment type
    retires = entry.retirement_for(sku)
    if retires is not None and days_until(retires, ctx) <= 0:
        return []  # retired-model-version reports it
    if entry.deprecation is not None and days_until(entry.deprecation, ctx) <= 0:
        return []  # deprecated-model-version reports it
    until = f"until its deprecation on {entry.deprecation}" if entry.deprecation else "until its deprecation"
    ends = f"; it retires on {retires} for {sku_phrase(sku, entry)}" if retires else ""
    return [Violation(
        f"{entry.label} is a legacy version: newer models exist and Microsoft asks customers to plan their "
        f"migration. It is not deprecated: it stays open to new deployments {until}, and existing deployments "
        f"keep working{ends}. Plan the migration now.{replacement_hint(entry)}")]


RULE = Rule(META, check=check)
