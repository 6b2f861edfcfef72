"""preview-model-version — preview versions are flagged.

Rationale: preview versions get 90–120 days' notice instead of a year, can be upgraded to a new
preview with about 30 days' notice, and carry no production SLA.

Fix: use a GA version for production; raise the level to mandatory for production stacks.
"""

from __future__ import annotations

from ..records import DeploymentRecord
from .base import FAIL_ON_UNKNOWN, Context, Level, Outcome, Rule, RuleMeta, Severity, Violation, catalog_entry

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
    retires = f", retiring {entry.retirement}" if entry.retirement else ""
    return [Violation(f"{entry.label} is a preview version{retires}.")]


RULE = Rule(META, check=check)
