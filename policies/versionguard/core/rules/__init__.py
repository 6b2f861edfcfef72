"""The rule registry: every rule, in the order docs/rules.md lists them. Adding a rule = one module
plus one line here."""

from __future__ import annotations

from . import (
    api_version_preview,
    api_version_supported,
    auto_update_requires_standard_sku,
    auto_upgrade_needs_target,
    catalog_freshness,
    deprecated_model_version,
    model_version_known,
    model_version_pinned,
    no_auto_upgrade_near_retirement,
    openai_v1_endpoint,
    preview_model_version,
    provisioned_migration_due,
    retired_model_version,
    upgrade_option_explicit,
    waiver_hygiene,
)
from .base import Rule, Scope

RULES: tuple[Rule, ...] = (
    model_version_pinned.RULE,
    upgrade_option_explicit.RULE,
    no_auto_upgrade_near_retirement.RULE,
    retired_model_version.RULE,
    auto_update_requires_standard_sku.RULE,
    provisioned_migration_due.RULE,
    model_version_known.RULE,
    preview_model_version.RULE,
    auto_upgrade_needs_target.RULE,
    deprecated_model_version.RULE,
    catalog_freshness.RULE,
    waiver_hygiene.RULE,
    # data-plane api-versions, judged on every resource's inputs
    api_version_supported.RULE,
    api_version_preview.RULE,
    openai_v1_endpoint.RULE,
)
RULE_IDS: frozenset[str] = frozenset(r.meta.id for r in RULES)
BY_ID: dict[str, Rule] = {r.meta.id: r for r in RULES}
# Every policy's scope, handed to the checks through ``Context.policies`` (waiver-hygiene reads it).
SCOPES: dict[str, Scope] = {r.meta.id: r.meta.scope for r in RULES}
