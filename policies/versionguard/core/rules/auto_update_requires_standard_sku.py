"""auto-update-requires-standard-sku — auto-update to default only on Standard deployment types.

Rationale: Azure documents automatic model updates for the Standard deployment types only
(``Standard``, ``GlobalStandard``, ``DataZoneStandard``); provisioned deployments change version by
a migration you run, and for batch and developer types Azure documents no upgrade behaviour. There
``OnceNewDefaultVersionAvailable`` promises an upgrade nobody guarantees; the version may silently
age until it retires. This includes the classic provider's default when the option is not set.

Fix: set ``versionUpgradeOption: OnceCurrentVersionExpired`` or ``NoAutoUpgrade`` and plan the
migration (in-place or multi-deployment), or move the deployment to a Standard type.
"""

from __future__ import annotations

from ..lifecycle import not_upgraded_reason
from ..records import DeploymentRecord
from ..vocabulary import AUTO_UPDATE, is_standard_sku
from .base import FAIL_ON_UNKNOWN, Context, Level, Outcome, Rule, RuleMeta, Severity, Violation, known, sku_phrase

META = RuleMeta(
    id="auto-update-requires-standard-sku",
    title="Auto-update requires a Standard SKU",
    description="OnceNewDefaultVersionAvailable is only honoured on Standard, GlobalStandard and "
                "DataZoneStandard deployments.",
    level=Level.MANDATORY,
    severity=Severity.HIGH,
    remediation="Use OnceCurrentVersionExpired or NoAutoUpgrade on provisioned/batch deployments and plan "
                "version migrations by hand, or deploy on a Standard deployment type.",
    config=dict(FAIL_ON_UNKNOWN),
)


def check(rec: DeploymentRecord, ctx: Context) -> list[Outcome]:
    if known(rec.effective_upgrade_option) != AUTO_UPDATE:
        return []
    sku = known(rec.sku_name)
    if is_standard_sku(sku):
        return []
    how = "is set to" if rec.upgrade_option is not None else "defaults (classic provider) to"
    return [Violation(
        f"versionUpgradeOption {how} OnceNewDefaultVersionAvailable on {sku_phrase(sku)}, but "
        f"{not_upgraded_reason(sku)}. Do not count on the version moving before it retires.")]


RULE = Rule(META, check=check)
