"""provisioned-migration-due — non-Standard deployments need a migration before retirement.

Rationale: Azure documents automatic model updates for the Standard deployment types only.
Provisioned deployments move to a new version by an in-place or multi-deployment migration you run
yourself (capacity may need re-planning); for batch and developer types Azure documents no upgrade
behaviour, so versionguard does not count on one. Inside the window that work is due.

Fix: migrate to a newer version (the catalog's replacement when there is one) before the
retirement date. ``retirementWindowDays`` sets the window (default 90).
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
    replacement_hint,
    retiring_in_window,
)

META = RuleMeta(
    id="provisioned-migration-due",
    title="Provisioned migration due",
    description="Non-Standard deployments must be migrated before their model version retires.",
    level=Level.MANDATORY,
    severity=Severity.HIGH,
    remediation="Migrate the deployment (in place or by a new deployment) to a newer model version before "
                "the retirement date; Azure documents automatic updates for Standard deployment types only.",
    config={**WINDOW, **FAIL_ON_UNKNOWN},
)


def check(rec: DeploymentRecord, ctx: Context) -> list[Outcome]:
    sku = known(rec.sku_name)
    if is_standard_sku(sku):
        return []
    hit = retiring_in_window(rec, ctx)
    if hit is None:
        return []
    return [Violation(f"{hit.phrase}; {not_upgraded_reason(sku)}, so plan the migration now."
                      f"{replacement_hint(hit.entry)}")]


RULE = Rule(META, check=check)
