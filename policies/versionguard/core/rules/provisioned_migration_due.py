"""provisioned-migration-due — non-Standard deployments need a migration before retirement.

Rationale: provisioned (and other non-Standard) deployments are never upgraded by Azure,
whatever ``versionUpgradeOption`` says; moving them to a new version is an in-place or
multi-deployment migration you run yourself, and capacity may need re-planning. Inside the window
that work is due.

Fix: migrate to a newer version (the catalog's replacement when there is one) before the
retirement date. ``retirementWindowDays`` sets the window (default 90).
"""

from __future__ import annotations

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
    Violation,
    known,
    replacement_hint,
    retiring_in_window,
)

META = RuleMeta(
    id="provisioned-migration-due",
    title="Provisioned migration due",
    description="Non-Standard deployments must be migrated before their model version retires.",
    level=Level.MANDATORY,
    severity="high",
    remediation="Migrate the deployment (in place or by a new deployment) to a newer model version before "
                "the retirement date; Azure does not upgrade provisioned, batch or developer deployments.",
    config={**WINDOW, **FAIL_ON_UNKNOWN},
)


def check(rec: DeploymentRecord, ctx: Context) -> list[Outcome]:
    if is_standard_sku(known(rec.sku_name)):
        return []
    hit = retiring_in_window(rec, ctx)
    if hit is None:
        return []
    entry, retiring = hit
    return [Violation(f"{retiring}; Azure does not upgrade this deployment type, so plan the migration now."
                      f"{replacement_hint(entry)}")]


RULE = Rule(META, check=check)
