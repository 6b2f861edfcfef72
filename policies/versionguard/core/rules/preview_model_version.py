"""preview-model-version — preview versions are flagged.

Rationale: preview versions launch with a "not sooner than" retirement (typically 90 days), get at
least 30 days' notice of a retirement, and carry no production SLA. At retirement Microsoft
force-upgrades every preview deployment to its named replacement (a newer preview or the GA version)
whatever its ``versionUpgradeOption``, or retires it with no replacement (lifecycle-2026-10); the
message names that move, and says when the replacement is another model.

Fix: use a GA version for production; raise the level to mandatory for production stacks.
"""

from __future__ import annotations

from ..lifecycle import upgrade_target
from ..records import DeploymentRecord
from .base import (
    BEHAVIOUR_RISK,
    FAIL_ON_UNKNOWN,
    Context,
    Level,
    Outcome,
    Rule,
    RuleMeta,
    Severity,
    Violation,
    catalog_entry,
    readable,
)

META = RuleMeta(
    id="preview-model-version",
    title="Preview model version",
    description="Preview model versions retire on short notice and should not serve production.",
    level=Level.ADVISORY,
    severity=Severity.MEDIUM,
    remediation="Deploy a generally available version of the model.",
    config=dict(FAIL_ON_UNKNOWN),
)


def check(rec: DeploymentRecord, ctx: Context) -> list[Outcome]:
    entry = catalog_entry(rec, ctx)
    if entry is None or entry.lifecycle != "preview":
        return []
    sku = readable(rec.sku_name)  # context only: an unknown SKU gets the earliest date, never decides the outcome
    retires = entry.retirement_for(sku)
    move = upgrade_target(ctx.catalog, entry, sku, readable(rec.effective_upgrade_option), retires)
    when = f"on {retires}" if retires else "at its retirement (no date announced)"
    head = f"{entry.label} is a preview version" + (f", retiring {retires}" if retires else "") + "."
    if not move.upgraded:
        return [Violation(f"{head} No replacement is named: {when} it retires with no replacement and the "
                          "deployment stops working, whatever its versionUpgradeOption.")]
    other = f" That is a different model: {BEHAVIOUR_RISK}" if move.cross_model else ""
    return [Violation(f"{head} Microsoft force-upgrades preview deployments at retirement, whatever their "
                      f"versionUpgradeOption: {when} this one moves to {move.target_label}, the named "
                      f"replacement.{other}")]


RULE = Rule(META, check=check)
