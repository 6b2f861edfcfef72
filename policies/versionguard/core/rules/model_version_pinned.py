"""model-version-pinned — every deployment names its model version.

Rationale: without ``model.version`` Azure deploys whatever version is the default at creation
time, so two environments built from the same code can run different models, and nothing in the
code tells which retirement date applies.

Fix: set ``model.version`` to the version you tested, e.g. ``version: "2025-04-14"``.
"""

from __future__ import annotations

from ..records import DeploymentRecord, display
from .base import FAIL_ON_UNKNOWN, Context, Level, Outcome, Rule, RuleMeta, Severity, Violation, known

META = RuleMeta(
    id="model-version-pinned",
    title="Model version pinned",
    description="Model deployments must pin an explicit model version.",
    level=Level.MANDATORY,
    severity=Severity.HIGH,
    remediation="Set model.version to the exact version you tested (for example \"2025-04-14\").",
    config=dict(FAIL_ON_UNKNOWN),
)


def check(rec: DeploymentRecord, ctx: Context) -> list[Outcome]:
    if known(rec.model_version) is None:
        return [Violation(
            f"{rec.paths.model}.version is missing or empty for model {display(rec.model_name)}: "
            "Azure would deploy whatever version is the default on the day of creation.")]
    return []


RULE = Rule(META, check=check)
