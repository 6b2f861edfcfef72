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
    catalog_entry,
    days_until,
    in_window,
    known,
    replacement_hint,
    retirement,
    sku_phrase,
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
    sku = known(rec.sku_name)
    if is_standard_sku(sku):
        return []
    entry = catalog_entry(rec, ctx)
    if entry is None:
        return []
    retires, _ = retirement(rec, entry)
    if not in_window(retires, ctx):
        return []
    assert retires is not None
    return [Violation(
        f"{entry.label} retires on {retires} for {sku_phrase(sku)} (in {days_until(retires, ctx)} days, window "
        f"{ctx.settings.retirement_window_days}); Azure does not upgrade this deployment type, so plan the "
        f"migration now.{replacement_hint(entry)}")]


RULE = Rule(META, check=check)
