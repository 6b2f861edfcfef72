"""retired-model-version — the deployment's model version has not retired.

Rationale: a retired version answers every call with an error (or has been swapped for the
default version by Azure, so the code no longer describes what runs). Retirement dates can differ
by deployment type; the date for this deployment's SKU applies.

Fix: move to a supported version — the catalog's replacement when there is one.
"""

from __future__ import annotations

from ..records import DeploymentRecord
from .base import (
    FAIL_ON_UNKNOWN,
    Context,
    Level,
    Outcome,
    Rule,
    RuleMeta,
    Severity,
    Violation,
    catalog_entry,
    replacement_hint,
    retired,
    retirement,
    sku_phrase,
)

META = RuleMeta(
    id="retired-model-version",
    title="Retired model version",
    description="Model deployments must not use a retired model version.",
    level=Level.MANDATORY,
    severity=Severity.CRITICAL,
    remediation="Deploy a supported model version; the violation names Azure's replacement when known.",
    config=dict(FAIL_ON_UNKNOWN),
)


def check(rec: DeploymentRecord, ctx: Context) -> list[Outcome]:
    entry = catalog_entry(rec, ctx)
    if entry is None:
        return []
    retires, sku = retirement(rec, entry)
    if not retired(entry, retires, ctx):
        return []
    if retires is None:
        return [Violation(f"{entry.label} is listed as retired.{replacement_hint(entry)}")]
    return [Violation(f"{entry.label} retired on {retires} for {sku_phrase(sku, entry)}.{replacement_hint(entry)}")]


RULE = Rule(META, check=check)
