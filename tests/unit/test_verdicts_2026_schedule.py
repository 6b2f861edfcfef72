"""Verdicts on the bundled catalog, written BY HAND from the newest sources — not generated from the
catalog. Expected values come from the tables in reference/retirement-schedule-2026-09-02.md
(sched-2026-09) and reference/azure-model-lifecycle-2026-10.md (lifecycle-2026-10), judged on
2026-12-07 with the documented default windows (90 days) unless a case says otherwise.

One representative row per lifecycle stage (preview, GA, legacy, deprecated, retired, fine-tuned)
and per SKU family (Standard, GlobalStandard, DataZoneStandard; provisioned; batch), partner
formats, the two known conflicts, and rows the catalog cannot hold (version "—").

Only verdicts that do NOT depend on the Oct-2026 upgrade-to-replacement semantics are asserted
(the six rules in ``JUDGED``). ``# semantics:`` comments name the verdicts the issue-18-semantics
branch adds (``cross-model-upgrade``, ``legacy-model-version``), for the lead to extend after the
merge. ``auto-upgrade-needs-target`` is left out on purpose: with named replacements its answer
changes with those semantics.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.unit.testkit import context, outcomes, record
from versionguard.adapters.files.catalog_file import load_catalog
from versionguard.core.rules.base import Violation

AS_OF = dt.date(2026, 12, 7)
JUDGED = ("retired-model-version", "no-auto-upgrade-near-retirement", "provisioned-migration-due",
          "deprecated-model-version", "preview-model-version", "model-version-known")
NO_UPGRADE = "NoAutoUpgrade"
ON_EXPIRY = "OnceCurrentVersionExpired"
AUTO = "OnceNewDefaultVersionAvailable"


@dataclass(frozen=True)
class Case:
    model: str
    version: str
    sku: str
    option: str
    expected: dict[str, str]  # policy -> a text its message must contain (a date from the source)
    fmt: str = "OpenAI"
    settings: dict[str, Any] = field(default_factory=dict)


CASES: dict[str, Case] = {
    # --- retired by 2026-12-07 ------------------------------------------------------------------------
    # sched-2026-09: o4-mini 2025-04-16 Deprecated, retirement 2026-10-16 (April catalog: 2027-10-16).
    "deprecated-retired-o4-mini-standard": Case("o4-mini", "2025-04-16", "Standard", ON_EXPIRY,
                                                {"retired-model-version": "2026-10-16"}),
    # Conflict: sched-2026-09 2026-10-01 vs lifecycle-2026-10 example 2026-12-09: the earliest applies.
    "conflict-gpt-4o-2024-05-13": Case("gpt-4o", "2024-05-13", "GlobalStandard", NO_UPGRADE,
                                       {"retired-model-version": "2026-10-01"}),
    # Duplicated rows 2027-04-06 / 2026-09-21: the earliest applies.
    "conflict-gpt-realtime-mini-2025-10-06": Case("gpt-realtime-mini", "2025-10-06", "GlobalStandard", ON_EXPIRY,
                                                  {"retired-model-version": "2026-09-21"}),
    # Retired stage: gpt-5-chat 2025-08-07 Retired 2026-06-29.
    "retired-gpt-5-chat": Case("gpt-5-chat", "2025-08-07", "GlobalStandard", AUTO,
                               {"retired-model-version": "2026-06-29"}),
    # Deprecated, retired 2026-11-15 (codex-mini) on DataZoneStandard.
    "deprecated-retired-codex-mini-datazone": Case("codex-mini", "2025-05-16", "DataZoneStandard", NO_UPGRADE,
                                                   {"retired-model-version": "2026-11-15"}),
    # GA row whose date has passed: o3 2025-04-16 GA, 2026-10-21 (replacement gpt-5.6-sol).
    # semantics: a Standard-family deployment with an auto-upgrade option was moved to gpt-5.6-sol on
    # 2026-10-21 (cross-model-upgrade); NoAutoUpgrade stops working, so retired stays.
    "ga-past-o3-globalstandard": Case("o3", "2025-04-16", "GlobalStandard", NO_UPGRADE,
                                      {"retired-model-version": "2026-10-21"}),
    # Preview row whose date has passed: gpt-chat-latest 2026-08-06 Preview, 2026-12-02.
    "preview-past-gpt-chat-latest": Case("gpt-chat-latest", "2026-08-06", "GlobalStandard", AUTO,
                                         {"retired-model-version": "2026-12-02",
                                          "preview-model-version": "2026-12-02"}),
    # --- running, near retirement ---------------------------------------------------------------------
    # GA, o3-pro 2025-06-10 retires 2026-12-17 (10 days): NoAutoUpgrade stops working that day.
    "ga-near-o3-pro-noautoupgrade": Case("o3-pro", "2025-06-10", "GlobalStandard", NO_UPGRADE,
                                         {"no-auto-upgrade-near-retirement": "2026-12-17"}),
    # Duplicated rows 2027-06-15 / 2026-12-15: the earliest (8 days away).
    "conflict-gpt-realtime-mini-2025-12-15": Case("gpt-realtime-mini", "2025-12-15", "Standard", NO_UPGRADE,
                                                  {"no-auto-upgrade-near-retirement": "2026-12-15"}),
    # Preview without replacement, tts 001 Preview 2026-12-15: preview + NoAutoUpgrade near retirement.
    "preview-near-tts": Case("tts", "001", "Standard", NO_UPGRADE,
                             {"preview-model-version": "2026-12-15",
                              "no-auto-upgrade-near-retirement": "2026-12-15"}),
    # --- running, not near (the newest source moved them later) ---------------------------------------
    # gpt-4o 2024-11-20 Legacy 2027-04-14 (April catalog: retired 2026-10-01).
    # semantics: legacy-model-version (advisory); cross-model-upgrade to gpt-5.1 only inside its
    # 120-day window (from 2026-12-15), so not on 2026-12-07.
    "legacy-gpt-4o-2024-11-20": Case("gpt-4o", "2024-11-20", "GlobalStandard", AUTO, {}),
    # gpt-5.2 GA 2027-06-08 (April catalog: 2026-12-12, near): 183 days away.
    "ga-gpt-5.2-noautoupgrade": Case("gpt-5.2", "2025-12-11", "GlobalStandard", NO_UPGRADE, {}),
    # text-embedding-3-large 1 GA 2028-02-09 (April catalog: 2027-04-15).
    "ga-text-embedding-3-large": Case("text-embedding-3-large", "1", "Standard", ON_EXPIRY, {}),
    "ga-text-embedding-3-large-pinned": Case("text-embedding-3-large", "1", "Standard", NO_UPGRADE, {}),
    # Legacy gpt-4.1 2027-04-14 (128 days): outside 90, inside 180.
    # semantics: legacy-model-version (advisory) in both.
    "legacy-gpt-4.1-window-90": Case("gpt-4.1", "2025-04-14", "DataZoneStandard", NO_UPGRADE, {}),
    "legacy-gpt-4.1-window-180": Case("gpt-4.1", "2025-04-14", "DataZoneStandard", NO_UPGRADE,
                                      {"no-auto-upgrade-near-retirement": "2027-04-14"},
                                      settings={"retirement_window_days": 180}),
    # Deprecated, still running: gpt-4o-mini 2024-07-18 Deprecated 2027-04-14 (deprecated since 2025-07-18).
    "deprecated-gpt-4o-mini": Case("gpt-4o-mini", "2024-07-18", "GlobalStandard", ON_EXPIRY,
                                   {"deprecated-model-version": "2027-04-14"}),
    # Preview, far: gpt-realtime-2.1 2026-07-07 Preview 2027-06-25.
    "preview-gpt-realtime-2.1": Case("gpt-realtime-2.1", "2026-07-07", "GlobalStandard", AUTO,
                                     {"preview-model-version": "2027-06-25"}),
    # GA added by the 2026 schedule: gpt-5.6-sol 2028-01-11.
    "ga-new-gpt-5.6-sol": Case("gpt-5.6-sol", "2026-07-09", "GlobalStandard", NO_UPGRADE, {}),
    # --- fine-tuned (fine-tuned table): deployments retire later than the base ------------------------
    # o4-mini base retired 2026-10-16; fine-tuned deployments run to 2027-10-16.
    "fine-tuned-o4-mini": Case("o4-mini-2025-04-16.ft-0123456789abcdef", "1", "Standard", NO_UPGRADE, {}),
    # gpt-4o 2024-08-06 fine-tuned deployments retire 2027-10-01 (April catalog: 2027-03-31).
    "fine-tuned-gpt-4o": Case("gpt-4o-2024-08-06.ft-0123456789abcdef", "1", "Standard", NO_UPGRADE, {}),
    # --- provisioned ----------------------------------------------------------------------------------
    "provisioned-o3-pro-near": Case("o3-pro", "2025-06-10", "ProvisionedManaged", NO_UPGRADE,
                                    {"provisioned-migration-due": "2026-12-17",
                                     "no-auto-upgrade-near-retirement": "2026-12-17"}),
    "provisioned-gpt-4.1-window-90": Case("gpt-4.1", "2025-04-14", "GlobalProvisionedManaged", NO_UPGRADE, {}),
    "provisioned-gpt-4.1-window-180": Case("gpt-4.1", "2025-04-14", "GlobalProvisionedManaged", NO_UPGRADE,
                                           {"provisioned-migration-due": "2027-04-14",
                                            "no-auto-upgrade-near-retirement": "2027-04-14"},
                                           settings={"retirement_window_days": 180}),
    "provisioned-retired-o1": Case("o1", "2024-12-17", "DataZoneProvisionedManaged", NO_UPGRADE,
                                   {"retired-model-version": "2026-10-21"}),
    # --- batch (migrated side by side, never upgraded) -------------------------------------------------
    "batch-whisper-near": Case("whisper", "001", "GlobalBatch", NO_UPGRADE,
                               {"provisioned-migration-due": "2026-12-15",
                                "no-auto-upgrade-near-retirement": "2026-12-15"}),
    "batch-deprecated-gpt-4o-2024-08-06": Case("gpt-4o", "2024-08-06", "DataZoneBatch", NO_UPGRADE,
                                               {"deprecated-model-version": "2027-04-14"}),
    "batch-retired-o3-mini": Case("o3-mini", "2025-01-31", "GlobalBatch", NO_UPGRADE,
                                  {"retired-model-version": "2026-10-01"}),
    # --- partner formats (format = the schedule's provider heading) -----------------------------------
    "anthropic-retired-claude-haiku-4-5": Case("claude-haiku-4-5", "2", "GlobalStandard", NO_UPGRADE,
                                               {"retired-model-version": "2026-10-19"}, fmt="Anthropic"),
    "deepseek-preview-retired": Case("DeepSeek-V4-Flash-0731", "2026-07-31", "GlobalStandard", NO_UPGRADE,
                                     {"retired-model-version": "2026-12-03",
                                      "preview-model-version": "2026-12-03"}, fmt="DeepSeek"),
    "xai-ga-no-date": Case("grok-4", "1", "GlobalStandard", NO_UPGRADE, {}, fmt="xAI"),
    "mistral-preview-no-date": Case("Mistral-Large-3", "1", "GlobalStandard", NO_UPGRADE,
                                    {"preview-model-version": "Mistral-Large-3 1"}, fmt="Mistral AI"),
    # Listed under Microsoft, deployed with format OpenAI. GA in the 2026-09-02 schedule; the Dec-2025
    # deprecation date 2026-11-18 (12 months after release, as lifecycle-2026-10's GA policy says)
    # fell after that schedule, so it stands: deprecated since 2026-11-18, retires 2027-05-20.
    "microsoft-model-router-ga": Case("model-router", "2025-11-18", "GlobalStandard", AUTO,
                                      {"deprecated-model-version": "2026-11-18"}),
    "ntt-legacy-past": Case("tsuzumi-7b", "2", "GlobalStandard", NO_UPGRADE,
                            {"retired-model-version": "2026-08-31"}, fmt="NTT Data"),
    # --- not in the catalog -----------------------------------------------------------------------------
    # Meta rows have version "—" in the schedule: no entry, so any version is unknown.
    "meta-versionless-row": Case("Llama-3.3-70B-Instruct", "1", "GlobalStandard", NO_UPGRADE,
                                 {"model-version-known": "Llama-3.3-70B-Instruct"}, fmt="Meta"),
    # A partner model under the wrong format is not matched (format is part of the key).
    "wrong-format": Case("grok-4", "1", "GlobalStandard", NO_UPGRADE, {"model-version-known": "xAI"},
                         fmt="OpenAI"),
}


@pytest.fixture(scope="module")
def bundled() -> Any:
    return load_catalog()


def _verdicts(case: Case, catalog: Any) -> dict[str, str]:
    rec = record("native", model=case.model, version=case.version, sku=case.sku, option=case.option, fmt=case.fmt)
    ctx = context(catalog, AS_OF, stack="prod", **case.settings)
    found: dict[str, str] = {}
    for policy in JUDGED:
        messages = [o.message for o in outcomes(policy, rec, ctx) if isinstance(o, Violation)]
        if messages:
            found[policy] = " | ".join(messages)
    return found


@pytest.mark.parametrize("name", list(CASES))
def test_verdict_per_the_newest_sources(name: str, bundled: Any) -> None:
    case = CASES[name]
    found = _verdicts(case, bundled)
    assert sorted(found) == sorted(case.expected), found
    for policy, text in case.expected.items():
        assert text in found[policy], (policy, found[policy])


def test_the_catalog_is_the_one_these_cases_were_written_for(bundled: Any) -> None:
    """The cases above read the 2026-12-04 catalog; a refresh must revisit them, not silently pass."""
    assert bundled.as_of == dt.date(2026, 12, 4)
    assert "sched-2026-09" in bundled.sources and "lifecycle-2026-10" in bundled.sources


def test_every_lifecycle_stage_and_sku_family_is_covered(bundled: Any) -> None:
    stages = set()
    for case in CASES.values():
        entry = bundled.lookup(case.model, case.version, case.fmt)
        if entry is not None:
            stages.add(entry.lifecycle)
        elif ".ft-" in case.model:
            stages.add("fine-tuned")
    assert stages >= {"preview", "ga", "legacy", "deprecated", "retired", "fine-tuned"}
    skus = {c.sku for c in CASES.values()}
    assert {"Standard", "GlobalStandard", "DataZoneStandard"} <= skus
    assert {"ProvisionedManaged", "GlobalProvisionedManaged", "DataZoneProvisionedManaged"} <= skus
    assert {"GlobalBatch", "DataZoneBatch"} <= skus
