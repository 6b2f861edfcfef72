"""api-version-preview — a preview data-plane api-version is flagged.

Rationale: since July 2024 only the latest three preview api-versions stay supported, so a dated
preview (``2025-04-01-preview``) falls out of support a few releases later. On the v1 API,
``api-version=preview`` opts into features that are still in preview.

Fix: use the v1 API's GA surface (``/openai/v1/``, no api-version) or a GA api-version; raise the
level to mandatory for production stacks.
"""

from __future__ import annotations

from ..api_usage import ApiUsage, UsageScan
from .base import (
    FAIL_ON_UNKNOWN,
    SETTING_NAMES,
    Context,
    Level,
    Outcome,
    Rule,
    RuleMeta,
    Severity,
    Violation,
    usage_outcomes,
)

META = RuleMeta(
    id="api-version-preview",
    title="Preview data-plane api-version",
    description="Preview api-versions fall out of support within a few releases.",
    level=Level.ADVISORY,
    severity=Severity.MEDIUM,
    remediation="Call the v1 API (/openai/v1/) without api-version, or use a GA api-version.",
    config={**FAIL_ON_UNKNOWN, **SETTING_NAMES},
)


def check(scan: UsageScan, ctx: Context) -> list[Outcome]:
    return usage_outcomes(scan, lambda usage: _judge(usage, ctx))


def _judge(usage: ApiUsage, ctx: Context) -> Outcome | None:
    if not usage.preview:
        return None
    if not usage.dated:
        return Violation(f"{usage.where} = {usage.value}: opts into v1 preview features, which may change; "
                         "drop it to use the v1 GA API.")
    entry = ctx.catalog.api_versions.lookup(usage.value)
    ends = f" (support ends {entry.support_ends})" if entry is not None and entry.support_ends else ""
    return Violation(f"{usage.where} = {usage.value} is a preview api-version{ends}: only the latest three previews "
                     "stay supported.")


RULE = Rule(META, check_usages=check)
