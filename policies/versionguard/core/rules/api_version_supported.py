"""api-version-supported — the data-plane api-version an app calls the deployments with is still
supported.

Rationale: a deployment that is never retired still breaks the app that calls it with a retired
``api-version``. Azure retired a set of previews on 2024-07-01 ("will stop accepting API requests"),
and since then only the latest three preview api-versions stay supported unless a version is
explicitly excepted; GA versions have no published retirement. The catalog's ``api_versions``
section records each version's ``retirement`` and ``support_ends`` (docs/catalog.md).

Fix: move the app to the v1 API (``https://<resource>.openai.azure.com/openai/v1/`` with the
``OpenAI()`` client, no api-version; ``components.client_settings`` gives the app settings), or at
least to the latest GA api-version. An api-version the catalog does not know is reported advisory
(a mandatory violation with ``failOnUnknown``).
"""

from __future__ import annotations

from ..api_usage import ApiUsage, UsageScan
from .base import (
    FAIL_ON_UNKNOWN,
    SETTING_NAMES,
    V1_HINT,
    Context,
    Level,
    NeedsValue,
    Outcome,
    Rule,
    RuleMeta,
    Severity,
    Violation,
    usage_outcomes,
    usage_path,
)

META = RuleMeta(
    id="api-version-supported",
    title="Supported data-plane api-version",
    description="Apps must call Azure OpenAI with an api-version that is neither retired nor out of support.",
    level=Level.MANDATORY,
    severity=Severity.HIGH,
    remediation="Use the v1 API (/openai/v1/, no api-version) or the latest GA api-version.",
    config={**FAIL_ON_UNKNOWN, **SETTING_NAMES},
)


def check(scan: UsageScan, ctx: Context) -> list[Outcome]:
    return usage_outcomes(scan, lambda usage: _judge(usage, ctx))


def _judge(usage: ApiUsage, ctx: Context) -> Outcome | None:
    if usage.v1 and not usage.dated:
        return None  # api-version=preview on v1: api-version-preview's business
    entry = ctx.catalog.api_versions.lookup(usage.value)
    if entry is None:
        what = "a dated api-version" if usage.dated else "an api-version"
        return NeedsValue(usage_path(usage), f"{usage.where} = {usage.value} is {what} not in the catalog's "
                                             f"api_versions (as of {ctx.catalog.as_of}), so its support is unknown")
    latest = ctx.catalog.api_versions.latest_ga()
    fix = f" Move to {V1_HINT}" + (f", or at least to GA {latest.version}." if latest else ".")
    if entry.retirement is not None and entry.retirement <= ctx.as_of:
        return Violation(f"{usage.where} = {entry.version}: retired on {entry.retirement}; Azure no longer "
                         f"accepts requests with it.{fix}")
    if entry.lifecycle == "retired":
        return Violation(f"{usage.where} = {entry.version} is retired; Azure no longer accepts requests with it.{fix}")
    if entry.support_ends is not None and entry.support_ends <= ctx.as_of:
        return Violation(f"{usage.where} = {entry.version}: no longer supported since {entry.support_ends} "
                         f"(only the latest three preview api-versions stay supported).{fix}")
    return None


RULE = Rule(META, check_usages=check)
