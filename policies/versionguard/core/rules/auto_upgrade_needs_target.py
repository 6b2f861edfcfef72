"""auto-upgrade-needs-target — a deployment that counts on Azure's automatic upgrade has somewhere to go.

Rationale: at retirement Azure upgrades a Standard-family deployment (``OnceNewDefaultVersionAvailable``,
``OnceCurrentVersionExpired`` and the provider defaults) to the replacement named in the retirement
schedule — possibly another model — and, without one, to a newer default version of the same model
(lifecycle-2026-10; :func:`lifecycle.upgrade_target`). When neither exists — no named replacement and
no GA version of the same model that is newer and still serves the SKU after the retirement day —
the deployment stops working on that day, exactly like a ``NoAutoUpgrade`` one, while its code
suggests Azure will take care of it. Microsoft names replacements only about 90–120 days before a
retirement, so early in the window one may still be named; inside the last 90 days without one, the
schedule says there is none. Inside ``retirementWindowDays`` (default 90) this is due work.

Fix: move the deployment to a version that outlives the window (another model is a change to test),
or, if the migration is planned, record a time-boxed waiver. Non-Standard types are
``provisioned-migration-due``'s, ``NoAutoUpgrade`` is ``no-auto-upgrade-near-retirement``'s, a named
cross-model target is ``cross-model-upgrade``'s.
"""

from __future__ import annotations

from ..lifecycle import format_caveat, upgrade_target
from ..records import DeploymentRecord
from ..vocabulary import AUTO_UPDATE, UPGRADE_ON_EXPIRY, is_standard_sku
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
    days_until,
    known,
    retiring_in_window,
)

# "The replacement is named only about 90-120 days before retirement" (lifecycle-2026-10).
NAMING_LEAD_DAYS = 90

META = RuleMeta(
    id="auto-upgrade-needs-target",
    title="Auto-upgrade needs a target",
    description="Deployments that rely on automatic upgrade must have a target (a named replacement or a newer "
                "version of the same model) before their version retires.",
    level=Level.MANDATORY,
    severity=Severity.CRITICAL,
    remediation="Deploy a version that outlives the window (moving to another model is a change you make and "
                "test), or record a time-boxed waiver for a planned migration.",
    config={**WINDOW, **FAIL_ON_UNKNOWN},
)


def check(rec: DeploymentRecord, ctx: Context) -> list[Outcome]:
    option = known(rec.effective_upgrade_option)
    if option not in (AUTO_UPDATE, UPGRADE_ON_EXPIRY):
        return []
    sku = known(rec.sku_name)
    if not is_standard_sku(sku):
        return []
    hit = retiring_in_window(rec, ctx)
    if hit is None:
        return []
    move = upgrade_target(ctx.catalog, hit.entry, sku, option, hit.day)
    if move.upgraded or move.candidates:
        return []
    entry = hit.entry
    how = "is" if rec.upgrade_option is not None else (
        "defaults (classic provider) to" if rec.flavour == "classic" else "defaults (ARM null) to")
    if entry.lifecycle == "preview":
        what = ("no named replacement for this preview version (at retirement Microsoft force-upgrades a preview to "
                "its named replacement, or retires it with none)")
    elif entry.base is not None:
        what = "no replacement and no newer version of this fine-tuned model that outlives it"
    else:
        what = f"no named replacement and no GA version of {entry.model} newer than {entry.version} that outlives it"
    left = days_until(hit.day, ctx)
    naming = ("Microsoft names replacements about 90–120 days before retirement; with "
              f"{left} days left and none named, expect none." if left <= NAMING_LEAD_DAYS else
              "Microsoft names replacements about 90–120 days before retirement, so one may still be named; "
              "do not count on it.")
    return [Violation(
        f"{hit.phrase} and relies on an automatic upgrade (versionUpgradeOption {how} {option}), but the catalog "
        f"holds {what}: the deployment stops working on {hit.day}. {naming}{format_caveat(entry.format)}")]


RULE = Rule(META, check=check)
