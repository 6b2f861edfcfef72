"""catalog-freshness — the lifecycle data the judgement rests on is recent.

Rationale: Azure moves retirement dates often (gpt-4.1 moved a full year between two tables). A
stale catalog passes deployments whose dates moved closer.

Fix: refresh the catalog (``versionguard catalog import`` from the Models-List API, review with
``versionguard catalog diff``) and update its ``as_of``. ``maxCatalogAgeDays`` (default 120).
"""

from __future__ import annotations

from ..lifecycle import catalog_staleness
from .base import Context, Level, Outcome, Rule, RuleMeta, Scope, Severity, Violation

META = RuleMeta(
    id="catalog-freshness",
    title="Catalog freshness",
    description="The model catalog should have been checked against its sources recently.",
    level=Level.ADVISORY,
    severity=Severity.LOW,
    remediation="Refresh the catalog with versionguard catalog import and review it with catalog diff.",
    scope=Scope.STACK,
    config={"maxCatalogAgeDays": {"type": "integer", "minimum": 0, "maximum": 36_500, "default": 120,
                                  "description": "Largest accepted age of the catalog's as_of date."}},
)


def check_stack(ctx: Context) -> list[Outcome]:
    stale = catalog_staleness(ctx.catalog, ctx.as_of, ctx.settings.max_catalog_age_days)
    return [Violation(stale)] if stale else []


RULE = Rule(META, check_stack=check_stack)
