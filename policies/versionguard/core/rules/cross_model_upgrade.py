"""cross-model-upgrade — Azure is about to move the deployment to a different model.

Rationale: since the Oct-2026 lifecycle policy, Azure upgrades a retiring Standard-family deployment
(``Standard``, ``GlobalStandard``, ``DataZoneStandard`` with ``OnceCurrentVersionExpired``,
``OnceNewDefaultVersionAvailable`` or a provider default to one of them) to the replacement named in
the retirement schedule, which is often another model (gpt-4o → gpt-5.1; o3 → gpt-5.6-sol; o3-mini
→ o4-mini), and force-upgrades every preview deployment to its named replacement whatever its
option (lifecycle-2026-10, sched-2026-09; :func:`lifecycle.upgrade_target`). The deployment keeps
answering, but as a different model: reasoning models (o-series, gpt-5.x) reject parameters that
chat models accept, and outputs differ. An application that was never tried against the target can
break on that day although nothing in its code changed. Inside ``retirementWindowDays`` (default
120: Microsoft names replacements about 90–120 days ahead) the move is dated and the target known.

Fix: test the application against the target model now, or migrate deliberately first (deploy the
target yourself, switch traffic, remove the old deployment). Advisory by default; raise it to
``mandatory`` per stack where an untested model change must not reach production.
"""

from __future__ import annotations

from ..lifecycle import UPGRADING_OPTIONS, format_caveat, upgrade_target
from ..records import DeploymentRecord
from ..vocabulary import is_standard_sku
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
    known,
    readable,
    retiring_in_window,
)

WINDOW_DAYS = 120
CROSS_MODEL_WINDOW = {"retirementWindowDays": {
    "type": "integer", "minimum": 0, "default": WINDOW_DAYS,
    "description": "Days ahead of the as-of date in which a retirement counts as near (default 120: "
                   "Microsoft names replacements about 90-120 days before retirement)."}}

META = RuleMeta(
    id="cross-model-upgrade",
    title="Cross-model upgrade",
    description="Deployments should not be moved to a different model by Azure's upgrade at retirement "
                "without being tested against it.",
    level=Level.ADVISORY,
    severity=Severity.HIGH,
    remediation="Test the application against the target model, or migrate to it deliberately before the "
                "retirement day (reasoning models reject parameters that chat models accept; outputs differ).",
    config={**CROSS_MODEL_WINDOW, **FAIL_ON_UNKNOWN},
)


def check(rec: DeploymentRecord, ctx: Context) -> list[Outcome]:
    hit = retiring_in_window(rec, ctx)
    if hit is None:
        return []
    entry = hit.entry
    if entry.lifecycle == "preview":  # forced whatever the option or type: read them only for the message
        option, sku = readable(rec.effective_upgrade_option), hit.sku or readable(rec.sku_name)
    else:
        option = known(rec.effective_upgrade_option)
        if option not in UPGRADING_OPTIONS:
            return []
        sku = known(rec.sku_name)
        if not is_standard_sku(sku):
            return []
    move = upgrade_target(ctx.catalog, entry, sku, option, hit.day)
    if not move.cross_model:
        return []
    lead = (hit.day - move.fires).days if move.fires is not None else 0
    when = f"from {move.fires} ({lead} days before it retires)" if lead > 0 else f"on {hit.day}"
    unnamed = (f" (the replacement is named without a version and the catalog has no default version of "
               f"{move.model} for that day)" if move.version is None else "")
    if move.forced:
        why = ("it is a preview version, and Microsoft force-upgrades preview deployments at retirement to their "
               "named replacement whatever the versionUpgradeOption")
    else:
        how = "is" if rec.upgrade_option is not None else (
            "defaults (classic provider) to" if rec.flavour == "classic" else "defaults (ARM null) to")
        why = f"versionUpgradeOption {how} {option}, and Azure upgrades it to the replacement Microsoft names"
    return [Violation(
        f"{hit.phrase}: {why}, so {when} this deployment runs {move.target_label}{unnamed}. That is a different "
        f"model: {BEHAVIOUR_RISK} Test the application against {move.model} or migrate to it deliberately before "
        f"then.{format_caveat(entry.format)}")]


RULE = Rule(META, check=check)
