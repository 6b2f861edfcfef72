"""auto-upgrade-needs-target — a deployment that counts on Azure's automatic upgrade has somewhere to go.

Rationale: Azure's automatic upgrade (``OnceNewDefaultVersionAvailable``, ``OnceCurrentVersionExpired``
and ARM null, on the Standard deployment types) moves a deployment to the default version of the
*same* model; it never switches to another model, such as the catalog's ``replacement``. When the
catalog holds no GA version of the same model that is newer than the deployed one and still serves
the deployment's SKU after that version retires, there is nothing to upgrade to: on the retirement
day the deployment stops working, exactly like a ``NoAutoUpgrade`` one, while its code suggests
Azure will take care of it. Inside ``retirementWindowDays`` (default 90) that is due work.

Fix: move the deployment to a version that outlives the window (the catalog's replacement is
usually another model, so test it), or, if the migration is planned, record a time-boxed waiver.
Non-Standard types are ``provisioned-migration-due``'s, ``NoAutoUpgrade`` is
``no-auto-upgrade-near-retirement``'s.
"""

from __future__ import annotations

from ..lifecycle import format_caveat, upgrade_path
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
    known,
    retiring_in_window,
)

META = RuleMeta(
    id="auto-upgrade-needs-target",
    title="Auto-upgrade needs a target",
    description="Deployments that rely on automatic upgrade must have a newer version of the same model to be "
                "upgraded to before their version retires.",
    level=Level.MANDATORY,
    severity=Severity.CRITICAL,
    remediation="Deploy a version that outlives the window (Azure never upgrades to another model, so moving to "
                "the replacement is a change you make and test), or record a time-boxed waiver for a planned "
                "migration.",
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
    if upgrade_path(ctx.catalog, hit.entry, sku, hit.day).candidates:
        return []
    entry = hit.entry
    how = "is" if rec.upgrade_option is not None else (
        "defaults (classic provider) to" if rec.flavour == "classic" else "defaults (ARM null) to")
    successor = (f" Azure names {entry.replacement} as its replacement: a different model, so moving to it is a "
                 "change to make and test before then." if entry.replacement else
                 " The catalog names no replacement.")
    what = "no newer version of this fine-tuned model" if entry.base is not None else \
        f"no GA version of {entry.model} newer than {entry.version}"
    return [Violation(
        f"{hit.phrase} and relies on an automatic upgrade (versionUpgradeOption {how} {option}), but the catalog "
        f"holds {what} that outlives it: Azure upgrades only to a newer version of the same model, so the "
        f"deployment stops working on {hit.day}.{successor}{format_caveat(entry.format)}")]


RULE = Rule(META, check=check)
