"""deprecated-model-version — the version is closed to new customers.

Rationale: from a version's deprecation date Azure no longer offers it to new customers (ARM
``lifecycleStatus: Deprecating``: only customers with existing deployments can create new ones).
Existing deployments keep working until retirement, but recreating the deployment in a new
subscription (a new environment, a disaster-recovery rebuild) fails, and retirement is the next
step. A tentative ("no earlier than") deprecation date may not be in effect yet; the message says so.

Fix: plan the move to a current version (the catalog's replacement when there is one) before the
version retires. Advisory: nothing is broken yet.
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
    days_until,
    replacement_hint,
    retired,
    retirement,
    sku_phrase,
)

META = RuleMeta(
    id="deprecated-model-version",
    title="Deprecated model version",
    description="Model deployments should not use a version that is closed to new customers.",
    level=Level.ADVISORY,
    severity=Severity.MEDIUM,
    remediation="Plan the move to a current model version before this one retires; a new deployment of it in a "
                "new subscription fails.",
    config=dict(FAIL_ON_UNKNOWN),
)


def check(rec: DeploymentRecord, ctx: Context) -> list[Outcome]:
    entry = catalog_entry(rec, ctx)
    if entry is None:
        return []
    since = entry.deprecation
    past = since is not None and days_until(since, ctx) <= 0
    if not past and entry.lifecycle != "deprecated":
        return []
    retires, sku = retirement(rec, entry)
    if retired(entry, retires, ctx):
        return []  # retired-model-version reports it
    if past and entry.deprecation_status == "tentative":
        state = (f"may be deprecated: its deprecation date {since} is tentative ('no earlier than'), so it may not "
                 "be in effect yet. Once it is, the version is")
    elif past:
        state = f"has been deprecated since {since}:"
    else:
        state = "is listed as deprecated:"
    until = f"until it retires on {retires} for {sku_phrase(sku, entry)}" if retires else \
        "until it retires (no date announced)"
    return [Violation(
        f"{entry.label} {state} closed to new customers, so a new deployment of it in a new subscription fails; "
        f"existing deployments keep working {until}.{replacement_hint(entry)}")]


RULE = Rule(META, check=check)
