"""no-auto-upgrade-near-retirement — a NoAutoUpgrade deployment must not be about to retire.

Rationale: with ``NoAutoUpgrade`` Azure never moves the deployment; on the retirement date of its
model version (for its deployment type) every call returns an error. Inside the window there is
little time left to test and roll out a newer version.

A preview version with a named replacement is exempt: Microsoft force-upgrades every preview
deployment to its named replacement at retirement, whatever the option (lifecycle-2026-10);
``preview-model-version`` names that move.

Fix: migrate to the replacement Microsoft names (the message names it; another model is a change to
test). Switching to ``OnceCurrentVersionExpired`` helps only on a Standard type and only when Azure
has a target — the named replacement, else a newer default version of the same model; the message
says which. ``retirementWindowDays`` sets the window (default 90).
"""

from __future__ import annotations

from ..records import DeploymentRecord
from ..vocabulary import NO_AUTO_UPGRADE
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
    expiry_upgrade_hint,
    known,
    migration_hint,
    readable,
    retiring_in_window,
)

META = RuleMeta(
    id="no-auto-upgrade-near-retirement",
    title="NoAutoUpgrade near retirement",
    description="NoAutoUpgrade deployments must not use a model version that retires within the window.",
    level=Level.MANDATORY,
    severity=Severity.CRITICAL,
    remediation="Migrate to the replacement Microsoft names (the message names it). OnceCurrentVersionExpired "
                "helps only where Azure has a target: the named replacement, else a newer default version of the "
                "same model (the message says which).",
    config={**WINDOW, **FAIL_ON_UNKNOWN},
)


def check(rec: DeploymentRecord, ctx: Context) -> list[Outcome]:
    if known(rec.effective_upgrade_option) != NO_AUTO_UPGRADE:
        return []
    hit = retiring_in_window(rec, ctx)
    if hit is None or (hit.entry.lifecycle == "preview" and hit.entry.replacement is not None):
        return []  # a preview with a named replacement is force-upgraded (preview-model-version says so)
    sku = hit.sku or readable(rec.sku_name)
    return [Violation(f"{hit.phrase} and versionUpgradeOption is NoAutoUpgrade: the deployment stops working "
                      f"that day.{migration_hint(hit.entry)}{expiry_upgrade_hint(ctx, hit.entry, sku)}")]


RULE = Rule(META, check=check)
