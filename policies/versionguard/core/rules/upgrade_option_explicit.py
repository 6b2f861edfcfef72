"""upgrade-option-explicit — the version upgrade policy is written down.

Rationale: when ``versionUpgradeOption`` is absent, ARM stores null, which Azure documents as
``OnceCurrentVersionExpired`` for Azure OpenAI models (the deployment is moved to the default
version on the retirement day, if there is a newer default), while the classic ``azure`` provider
defaults to ``OnceNewDefaultVersionAvailable``. The same source text thus means different behaviour
in different providers; say which one you want. The message promises an upgrade only where Azure
documents one and the catalog has a target.

Fix: set ``versionUpgradeOption`` explicitly. At enforcement level ``remediate`` the pack writes
the behaviour that already applies into the deployment's inputs.
"""

from __future__ import annotations

from ..lifecycle import format_caveat, is_openai, not_upgraded_reason, resolve, upgrade_path
from ..records import DeploymentRecord, Malformed, Unknown
from ..vocabulary import UPGRADE_ON_EXPIRY, is_standard_sku
from .base import (
    FAIL_ON_UNKNOWN,
    Context,
    Level,
    Outcome,
    PropertyEdit,
    Rule,
    RuleMeta,
    Severity,
    Violation,
    known,
    readable,
)

META = RuleMeta(
    id="upgrade-option-explicit",
    title="Upgrade option explicit",
    description="Model deployments should set versionUpgradeOption explicitly.",
    level=Level.ADVISORY,
    severity=Severity.LOW,
    remediation="Set versionUpgradeOption to OnceNewDefaultVersionAvailable, OnceCurrentVersionExpired or "
                "NoAutoUpgrade; at level 'remediate' the pack writes the behaviour that applies today.",
    config=dict(FAIL_ON_UNKNOWN),
)


def check(rec: DeploymentRecord, ctx: Context) -> list[Outcome]:
    if known(rec.upgrade_option) is not None:
        return []
    default = rec.default_upgrade_option
    behaviour = _native(rec, ctx) if default == UPGRADE_ON_EXPIRY else _classic(rec)
    return [Violation(f"{rec.paths.upgrade_option} is not set; {behaviour}. "
                      f"Write versionUpgradeOption: {default} (or choose another) explicitly.")]


def _native(rec: DeploymentRecord, ctx: Context) -> str:
    """ARM null: promise an upgrade only where Azure documents one and the catalog has a target.
    Context fields (format, SKU, model) are read leniently: an unknown one only shortens the text."""
    fmt = readable(rec.model_format)
    if not is_openai(fmt):
        return (f"ARM stores null, which Azure documents as OnceCurrentVersionExpired for Azure OpenAI models; for "
                f"{fmt} models it says update policies vary by model and provider, so what null does here is not "
                "documented")
    head = "ARM treats a missing option as OnceCurrentVersionExpired"
    sku = readable(rec.sku_name)
    if not isinstance(rec.sku_name, Unknown | Malformed) and not is_standard_sku(sku):
        return f"{head}, but {not_upgraded_reason(sku)}, so no upgrade at retirement can be counted on"
    name, version = readable(rec.model_name), readable(rec.model_version)
    entry = resolve(ctx.catalog, fmt, name, version) if name and version and sku else None
    retires = entry.retirement_for(sku) if entry is not None else None
    if entry is None or retires is None:
        return (f"{head}: when its version retires, Azure upgrades it to the then-current default version of "
                "the model, if that is a newer version")
    path = upgrade_path(ctx.catalog, entry, sku, retires)
    if path.target is not None:
        return (f"{head}: when its version retires on {retires}, Azure upgrades it to the default version "
                f"({path.target.label} in the catalog)")
    return (f"{head}, but the catalog has no newer default version of {entry.model} for Azure to upgrade to: the "
            f"deployment stops working when its version retires on {retires}, unless Azure designates one by then")


def _classic(rec: DeploymentRecord) -> str:
    sku = readable(rec.sku_name)
    head = "the classic azure provider defaults to OnceNewDefaultVersionAvailable"
    if not isinstance(rec.sku_name, Unknown | Malformed) and not is_standard_sku(sku):
        return f"{head}, but {not_upgraded_reason(sku)}"
    caveat = format_caveat(readable(rec.model_format)).strip().rstrip(".")
    return (f"{head}: on Standard deployment types Azure moves the deployment to a newer default version within "
            f"two weeks of its designation" + (f". {caveat}" if caveat else ""))


def remediate(rec: DeploymentRecord, _ctx: Context) -> list[PropertyEdit]:
    """Write the behaviour that applies today where the option is absent (or blank); an unknown or
    malformed option is left alone."""
    if rec.upgrade_option is not None:
        return []
    return [PropertyEdit(rec.paths.upgrade_option, rec.default_upgrade_option)]


RULE = Rule(META, check=check, remediate=remediate)
