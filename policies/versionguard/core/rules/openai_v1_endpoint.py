"""openai-v1-endpoint — apps should call the v1 API instead of a dated api-version.

Rationale: since August 2025 Azure OpenAI offers the v1 API: ``https://<resource>.openai.azure.com/
openai/v1/`` with the plain ``OpenAI()`` client; "api-version is no longer a required parameter
with the v1 GA API", and new features arrive without a new api-version each month. A dated
api-version is a date the app has to keep moving.

Fix: set the app's base URL to the account's ``openai_v1_base_url`` and drop the api-version
setting (``components.client_settings`` returns exactly these settings).
"""

from __future__ import annotations

from ..api_usage import ApiUsage, UsageScan
from .base import (
    FAIL_ON_UNKNOWN,
    SETTING_NAMES,
    V1_HINT,
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
    id="openai-v1-endpoint",
    title="Use the v1 Azure OpenAI API",
    description="Dated api-versions need regular migration; the v1 API needs no api-version.",
    level=Level.ADVISORY,
    severity=Severity.LOW,
    remediation="Point the client at https://<resource>.openai.azure.com/openai/v1/ and drop the api-version.",
    config={**FAIL_ON_UNKNOWN, **SETTING_NAMES},
)


def check(scan: UsageScan, ctx: Context) -> list[Outcome]:
    return usage_outcomes(scan, _judge)


def _judge(usage: ApiUsage) -> Outcome | None:
    if not usage.dated or usage.v1:
        return None
    return Violation(f"{usage.where} = {usage.value}: a dated api-version; move to {V1_HINT}.")


RULE = Rule(META, check_usages=check)
