"""upgrade-option-explicit — the version upgrade policy is written down.

Rationale: when ``versionUpgradeOption`` is absent, ARM stores null, which behaves as
``OnceCurrentVersionExpired`` (the deployment is moved to the default version on the retirement
day), while the classic ``azure`` provider defaults to ``OnceNewDefaultVersionAvailable``. The
same source text thus means different behaviour in different providers; say which one you want.

Fix: set ``versionUpgradeOption`` explicitly. At enforcement level ``remediate`` the pack writes
the behaviour that already applies into the deployment's inputs.
"""

from __future__ import annotations

from ..records import DeploymentRecord
from .base import FAIL_ON_UNKNOWN, Context, Level, Outcome, Rule, RuleMeta, Violation, known

META = RuleMeta(
    id="upgrade-option-explicit",
    title="Upgrade option explicit",
    description="Model deployments should set versionUpgradeOption explicitly.",
    level=Level.ADVISORY,
    severity="low",
    remediation="Set versionUpgradeOption to OnceNewDefaultVersionAvailable, OnceCurrentVersionExpired or "
                "NoAutoUpgrade; at level 'remediate' the pack writes the behaviour that applies today.",
    config=dict(FAIL_ON_UNKNOWN),
)

_BEHAVIOUR = {
    "OnceCurrentVersionExpired": "ARM treats a missing option as OnceCurrentVersionExpired: the deployment "
                                 "is upgraded to the default version when its version retires",
    "OnceNewDefaultVersionAvailable": "the classic azure provider defaults to OnceNewDefaultVersionAvailable: "
                                      "the deployment moves to each new default version within two weeks",
}


def check(rec: DeploymentRecord, ctx: Context) -> list[Outcome]:
    if known(rec.upgrade_option) is not None:
        return []
    default = rec.default_upgrade_option
    return [Violation(f"{rec.paths.upgrade_option} is not set; {_BEHAVIOUR[default]}. "
                      f"Write versionUpgradeOption: {default} (or choose another) explicitly.")]


RULE = Rule(META, check=check)
