"""provisioned-migration-due — non-Standard deployments need a migration before retirement.

Rationale: Azure upgrades the Standard deployment types only. Provisioned deployments move to a new
version by an in-place or multi-deployment migration you run yourself (capacity may need
re-planning); Batch deployments migrate side by side — deploy the new model, resubmit the jobs,
remove the old deployment (lifecycle-2026-10); for developer types Azure documents no upgrade
behaviour, so versionguard does not count on one. Inside the window that work is due.

A preview version with a named replacement is exempt: Microsoft force-upgrades every preview
deployment to it at retirement (lifecycle-2026-10); ``preview-model-version`` names that move.

Fix: migrate to the replacement Microsoft names (the message names it; another model is a change
to test) before the retirement date. ``retirementWindowDays`` sets the window (default 90).
"""

from __future__ import annotations

from ..lifecycle import not_upgraded_reason
from ..records import DeploymentRecord
from ..vocabulary import is_standard_sku
from .base import (
    FAIL_ON_UNKNOWN,
    WINDOW,
    Context,
    Level,
    Outcome,
    Rule,
    RuleMeta,
    Severity,
    Violation,
    known,
    migration_hint,
    retiring_in_window,
)

META = RuleMeta(
    id="provisioned-migration-due",
    title="Provisioned migration due",
    description="Non-Standard deployments must be migrated before their model version retires.",
    level=Level.MANDATORY,
    severity=Severity.HIGH,
    remediation="Migrate the deployment (in place, or side by side for Batch) to the replacement Microsoft names "
                "before the retirement date; Azure upgrades Standard deployment types only.",
    config={**WINDOW, **FAIL_ON_UNKNOWN},
)


def check(rec: DeploymentRecord, ctx: Context) -> list[Outcome]:
    sku = known(rec.sku_name)
    if is_standard_sku(sku):
        return []
    hit = retiring_in_window(rec, ctx)
    if hit is None or (hit.entry.lifecycle == "preview" and hit.entry.replacement is not None):
        return []  # every preview deployment is force-upgraded to its named replacement (preview-model-version)
    return [Violation(f"{hit.phrase}; {not_upgraded_reason(sku)}, so plan the migration now."
                      f"{migration_hint(hit.entry)}")]


RULE = Rule(META, check=check)
