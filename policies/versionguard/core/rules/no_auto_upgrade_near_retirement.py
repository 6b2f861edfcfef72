"""no-auto-upgrade-near-retirement — a NoAutoUpgrade deployment must not be about to retire.

Rationale: with ``NoAutoUpgrade`` Azure never moves the deployment; on the retirement date of its
model version (for its deployment type) every call returns an error. Inside the window there is
little time left to test and roll out a newer version.

Fix: deploy a newer version (the catalog's replacement when there is one). Switching to
``OnceCurrentVersionExpired`` helps only on a Standard type and only when the catalog has a newer
default version of the same model for Azure to upgrade to; the message says whether it does.
``retirementWindowDays`` sets the window (default 90).
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
    readable,
    replacement_hint,
    retiring_in_window,
)

META = RuleMeta(
    id="no-auto-upgrade-near-retirement",
    title="NoAutoUpgrade near retirement",
    description="NoAutoUpgrade deployments must not use a model version that retires within the window.",
    level=Level.MANDATORY,
    severity=Severity.CRITICAL,
    remediation="Deploy a newer model version. OnceCurrentVersionExpired helps only where Azure has a newer "
                "default version of the same model to upgrade to (the message says whether the catalog has one).",
    config={**WINDOW, **FAIL_ON_UNKNOWN},
)


def check(rec: DeploymentRecord, ctx: Context) -> list[Outcome]:
    if known(rec.effective_upgrade_option) != NO_AUTO_UPGRADE:
        return []
    hit = retiring_in_window(rec, ctx)
    if hit is None:
        return []
    sku = hit.sku or readable(rec.sku_name)
    return [Violation(f"{hit.phrase} and versionUpgradeOption is NoAutoUpgrade: the deployment stops working "
                      f"that day.{replacement_hint(hit.entry)}{expiry_upgrade_hint(ctx, hit.entry, sku)}")]


RULE = Rule(META, check=check)
