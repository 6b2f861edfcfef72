"""Lifecycle semantics as Azure documents them (issue 11), as hand-computed forecast timelines.

Two catalogs: the bundled one (real data, dates pinned by ``as_of``) and catalog-semantics.yaml
(hand-made, shaped like the Dec-2025 / Sep-2025 tables). A timeline entry is (date, kind, days from
the as-of date); an auto-upgrade window is written ``start..latest``.

Hand computation of each case is in its test's docstring; day counts are calendar days.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from lifecycle_helpers import ARM, HERE, ROOT, classic, native

from versionguard.adapters.files.catalog_file import load_catalog
from versionguard.cli import app
from versionguard.core.catalog import Catalog
from versionguard.core.engine import judge
from versionguard.core.forecast import Event, forecast
from versionguard.core.lifecycle import catalog_staleness
from versionguard.core.records import AZURE_NATIVE_TYPE, normalize
from versionguard.core.rules import BY_ID
from versionguard.core.rules.base import Context, Violation
from versionguard.core.settings import RuleSettings
from versionguard.reporters.forecast import render

AUTO, EXPIRY, NOAUTO = "OnceNewDefaultVersionAvailable", "OnceCurrentVersionExpired", "NoAutoUpgrade"
D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def bundled() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def hand() -> Catalog:
    return load_catalog(HERE / "catalog-semantics.yaml")


def timeline(events: list[Event]) -> list[tuple[str, str, int]]:
    return [(f"{e.date}..{e.latest}" if e.latest else e.date.isoformat(), e.kind, e.days_from_as_of) for e in events]


def events(catalog: Catalog, rec: Any, as_of: str, horizon: int = 180) -> list[Event]:
    return list(forecast({"prod": [rec]}, catalog, D(as_of), horizon).events)


def violations(catalog: Catalog, rec: Any, as_of: str, policy: str, window: int = 90) -> list[str]:
    ctx = Context(D(as_of), catalog, RuleSettings(retirement_window_days=window))
    return [j.outcome.message for j in judge([rec], ctx, rules=[BY_ID[policy]]) if isinstance(j.outcome, Violation)]


# --- 1. automatic upgrades need a target (o4-mini 2025-04-16) -------------------------------------------
# The bundled 2026-12-04 catalog: o4-mini 2025-04-16 (the only o4-mini version, Deprecated, retires
# 2026-10-16, no replacement) is the case o3 was on the April catalog. o3 now retires 2026-10-21 with the
# replacement gpt-5.6-sol, whose upgrade the issue-18-semantics branch implements.

@pytest.mark.parametrize("option", [EXPIRY, None, AUTO], ids=["on-expiry", "arm-null", "auto-update"])
def test_o4_mini_with_an_upgrading_option_stops_working_on_its_retirement_day(bundled: Catalog,
                                                                               option: str | None) -> None:
    """o4-mini 2025-04-16: the only o4-mini version, retires 2026-10-16, no default, no replacement. As
    of 2026-06-01: June 29 + July 31 + August 31 + September 30 + 16 = 137 days. Deprecation
    (2026-04-16) is past. Before: "Upgraded to the then-default version" (upgrade-on-expiry)."""
    found = events(bundled, native("o4-mini", "2025-04-16", "GlobalStandard", option), "2026-06-01")
    assert timeline(found) == [("2026-10-16", "stops-working", 137)]
    assert "upgrades only to a newer default version of o4-mini, and the catalog records none" in found[0].detail


@pytest.mark.parametrize("option", [EXPIRY, None, AUTO], ids=["on-expiry", "arm-null", "auto-update"])
def test_o4_mini_rule_names_the_day_and_the_replacement(bundled: Catalog, option: str | None) -> None:
    """As of 2026-08-01 o4-mini retires in 76 days (30 + 30 + 16), inside the default 90-day window."""
    [message] = violations(bundled, native("o4-mini", "2025-04-16", "GlobalStandard", option), "2026-08-01",
                           "auto-upgrade-needs-target")
    assert message.startswith("o4-mini 2025-04-16 retires on 2026-10-16 for the GlobalStandard deployment type "
                              "(in 76 days, window 90) and relies on an automatic upgrade")
    assert "so the deployment stops working" not in message
    assert "the deployment stops working on 2026-10-16. Microsoft names replacements about 90–120 days before " \
           "retirement; with 76 days left and none named, expect none." in message
    # o1 2024-12-17 (retires 2026-10-21, 81 days after 2026-08-01): the schedule names gpt-5.6-sol, which
    # the Oct-2026 policy makes the upgrade target: a target, so this rule is silent (cross-model-upgrade
    # reports the move: tests/lifecycle/test_oct2026_semantics.py)
    assert violations(bundled, native("o1", "2024-12-17", "Standard", option), "2026-08-01",
                      "auto-upgrade-needs-target") == []


def test_o4_mini_passes_outside_the_window_and_on_no_auto_upgrade(bundled: Catalog) -> None:
    rec = native("o4-mini", "2025-04-16", "GlobalStandard", EXPIRY)
    assert violations(bundled, rec, "2026-07-17", "auto-upgrade-needs-target") == []  # 91 days
    assert len(violations(bundled, rec, "2026-07-18", "auto-upgrade-needs-target")) == 1  # 90 days
    assert violations(bundled, native("o4-mini", "2025-04-16", "GlobalStandard", NOAUTO), "2026-08-01",
                      "auto-upgrade-needs-target") == []


# --- 2. no downgrades, per-SKU targets --------------------------------------------------------------

def test_gpt_4o_2024_11_20_is_not_downgraded_to_the_older_default(hand: Catalog) -> None:
    """gpt-4o 2024-11-20 (no replacement named in this fixture) with auto-update: the default is
    2024-08-06, older, so there is no auto-upgrade, and at retirement (2026-10-01, 122 days after
    2026-06-01) nothing newer is the default: stops working. (With the replacement the 2026-09-02
    schedule names, gpt-5.1, it is a cross-model upgrade instead: test_oct2026_semantics.py.)"""
    found = events(hand, native("gpt-4o", "2024-11-20", "GlobalStandard", AUTO), "2026-06-01")
    assert timeline(found) == [("2026-10-01", "stops-working", 122)]
    assert "2024-08-06" not in found[0].detail


def test_upgrade_on_expiry_to_a_deprecated_default_of_the_same_model(hand: Catalog) -> None:
    """On GlobalStandard gpt-4o 2024-05-13 and the default 2024-08-06 both retire 2026-10-01 in the
    fixture, so take x: 2025-01-01 retires 2026-09-01, the default 2025-06-01 outlives it (same model,
    no replacement named): upgrade-on-expiry, not cross-model. As of 2026-05-01: 123 days."""
    [e] = events(hand, native("x", "2025-01-01", "GlobalStandard", EXPIRY), "2026-05-01")
    assert timeline([e]) == [("2026-09-01", "upgrade-on-expiry", 123)]
    assert "to the default version x 2025-06-01, which retires for GlobalStandard on 2027-06-01" in e.detail


def test_gpt_4o_2024_05_13_on_standard_with_the_dec_2025_split(hand: Catalog) -> None:
    """Dec-2025 shape: on regional Standard both 2024-05-13 and the default 2024-08-06 retire
    2026-03-31 (upgrades from 2026-03-09). The default retires the same day, so it is no target:
    stops working 2026-03-31 (as of 2026-01-15: 16 + 28 + 31 = 75 days), not "upgraded 2026-03-09".
    On GlobalStandard every version retires 2026-10-01 (259 days): no target there either."""
    [e] = events(hand, native("gpt-4o", "2024-05-13", "Standard", EXPIRY), "2026-01-15")
    assert timeline([e]) == [("2026-03-31", "stops-working", 75)]
    assert "the catalog lists gpt-4o 2024-11-20 as newer GA versions, none of them the default" in e.detail
    found = events(hand, native("gpt-4o", "2024-05-13", "GlobalStandard", EXPIRY), "2026-01-15", horizon=365)
    assert timeline(found) == [("2026-10-01", "stops-working", 259)]


@pytest.mark.parametrize(("sku", "expected"), [
    ("Standard", [("2026-09-01", "stops-working", 123)]),
    ("GlobalStandard", [("2026-09-01", "upgrade-on-expiry", 123)]),
    ("DataZoneStandard", [("2026-09-01", "upgrade-on-expiry", 123)]),
])
def test_per_sku_target(hand: Catalog, sku: str, expected: list) -> None:
    """x 2025-01-01 retires 2026-09-01 (as of 2026-05-01: 30 + 30 + 31 + 31 + 1 = 123 days); the
    newer default 2025-06-01 retires 2027-06-01, but on regional Standard also on 2026-09-01."""
    assert timeline(events(hand, native("x", "2025-01-01", sku, EXPIRY), "2026-05-01")) == expected


def test_gpt_35_turbo_1106_does_not_move_to_0125_retiring_the_same_day(hand: Catalog) -> None:
    """1106 and the default 0125 both retire 2025-11-14 (Sep-2025 table). As of 2025-06-01: 29 + 31 +
    31 + 30 + 31 + 14 = 166 days. Upgrade when expired has no target: stops working. Auto-update did
    move to 0125 (default since 2025-01-13) in the window 2025-01-13..2025-01-27, 139 days before."""
    assert timeline(events(hand, native("gpt-35-turbo", "1106", "Standard", EXPIRY), "2025-06-01")) == [
        ("2025-11-14", "stops-working", 166)]
    [moved] = events(hand, native("gpt-35-turbo", "1106", "Standard", AUTO), "2025-06-01")
    assert timeline([moved]) == [("2025-01-13..2025-01-27", "auto-upgrade", -139)]
    assert "PAST (125 days ago): this should already have happened" in moved.detail


# --- 3. timing ----------------------------------------------------------------------------------------

def test_auto_upgrade_happens_within_two_weeks_of_the_new_default(bundled: Catalog) -> None:
    """gpt-4o 2024-08-06 became the default on 2025-02-13 (Jan-2025 page): an auto-update deployment
    of 2024-05-13 moves between 2025-02-13 and 2025-02-27 (as of 2025-02-01: 12 days to the start)."""
    result = forecast({"dev": [classic("gpt-4o", "2024-05-13", "GlobalStandard")]}, bundled, D("2025-02-01"), 180)
    [e] = result.events
    assert timeline([e]) == [("2025-02-13..2025-02-27", "auto-upgrade", 12)]
    assert "within 14 days of the designation: between 2025-02-13 and 2025-02-27" in e.detail
    assert e.to_json()["latest"] == "2025-02-27"
    table = render(result, "table")
    assert "│ 2025-02-13 " in table and "│ – 2025-02-27 " in table  # the window in the date cell
    assert "| 2025-02-13 – 2025-02-27 | in 12 d |" in render(result, "markdown")
    [inside] = events(bundled, classic("gpt-4o", "2024-05-13", "GlobalStandard"), "2025-02-20")
    assert "In progress: it may already have happened." in inside.detail


def test_auto_update_on_a_retiring_version_uses_the_lead_days(hand: Catalog) -> None:
    """lead 2025-01-01 retires 2026-09-01 with 10 lead days on Standard; the default 2025-06-01 has no
    designation date, so the move is the upgrade at expiry: 2026-08-22 (as of 2026-05-01: 30 + 30 +
    31 + 22 = 113 days), exactly as for OnceCurrentVersionExpired. Before: 2026-09-01."""
    for option in (AUTO, EXPIRY):
        [e] = events(hand, native("lead", "2025-01-01", "Standard", option), "2026-05-01")
        assert timeline([e]) == [("2026-08-22", "upgrade-on-expiry", 113)]
        assert "10 days before it retires for Standard on 2026-09-01" in e.detail
    # GlobalStandard has no lead days
    assert timeline(events(hand, native("lead", "2025-01-01", "GlobalStandard", AUTO), "2026-05-01")) == [
        ("2026-09-01", "upgrade-on-expiry", 123)]


def test_preview_moves_to_the_next_preview_two_weeks_after_its_release(hand: Catalog) -> None:
    """prev 2026-01-01 (preview) with auto-update: the next preview 2026-05-20 is released 2026-05-20,
    so the move starts 2026-06-03 (as of 2026-05-01: 30 + 3 = 33 days)."""
    [e] = events(hand, native("prev", "2026-01-01", "Standard", AUTO), "2026-05-01")
    assert timeline([e]) == [("2026-06-03", "auto-upgrade", 33)]
    assert "next preview version prev 2026-05-20 (released 2026-05-20), starting 14 days after its release" in e.detail
    # upgrade when expired never lands on a preview: no GA target, stops working 2026-09-01 (123 days)
    assert timeline(events(hand, native("prev", "2026-01-01", "Standard", EXPIRY), "2026-05-01")) == [
        ("2026-09-01", "stops-working", 123)]
    # without a release date the move cannot be dated; the retirement still can
    assert timeline(events(hand, native("prev-undated", "2026-01-01", "Standard", AUTO), "2026-05-01")) == [
        ("2026-09-01", "stops-working", 123)]
    # the newest preview has no next one
    assert timeline(events(hand, native("prev", "2026-05-20", "Standard", AUTO), "2026-05-01", 220)) == [
        ("2026-12-01", "stops-working", 214)]


# --- 4. deprecation -------------------------------------------------------------------------------------

def test_gpt_4o_mini_deprecation(bundled: Catalog) -> None:
    """gpt-4o-mini 2024-07-18: deprecated 2025-07-18 (Dec-2025 table; Deprecated in the 2026-09-02
    schedule), retires 2027-04-14. gpt-4.1 2025-04-14 is Legacy, not deprecated (its April deprecation
    date 2026-04-14 was dropped); semantics: legacy-model-version reports it (issue-18-semantics)."""
    assert timeline(events(bundled, native("gpt-4o-mini", "2024-07-18", "GlobalStandard", NOAUTO), "2025-06-01",
                           horizon=60)) == [("2025-07-18", "deprecation", 47)]
    [message] = violations(bundled, native("gpt-4o-mini", "2024-07-18", "GlobalStandard", EXPIRY), "2026-12-07",
                           "deprecated-model-version")
    assert message.startswith("gpt-4o-mini 2024-07-18 has been deprecated since 2025-07-18")
    assert violations(bundled, native("gpt-4.1", "2025-04-14", "GlobalStandard", EXPIRY), "2026-12-07",
                      "deprecated-model-version") == []


def test_tentative_deprecation_is_marked(bundled: Catalog) -> None:
    found = events(bundled, native("gpt-5.2", "2025-12-11", "GlobalStandard", NOAUTO), "2026-11-01")
    [dep] = [e for e in found if e.kind == "deprecation"]
    assert dep.date == D("2026-12-12")
    assert "(tentative date)" in dep.detail


# --- 5. fine-tuned deployments --------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "version"), [("gpt-4o-mini-2024-07-18.ft-0e208ba1c7f5", "1"),
                                               ("gpt-4o-mini.ft-0e208ba1c7f5", "2024-07-18")])
def test_fine_tuned_deployment_retires_on_the_published_date(bundled: Catalog, name: str, version: str) -> None:
    """Fine-tuned gpt-4o-mini 2024-07-18 deployments retire 2027-10-01 (2026-09-02 fine-tuned table; not
    the base's 2027-04-14); a fine-tuned model has no newer version to be upgraded to. As of 2027-06-01:
    29 + 31 + 31 + 30 + 1 = 122 days. Training retires "no earlier than" 2027-04-01, already past."""
    [e] = events(bundled, native(name, version, "Standard", EXPIRY), "2027-06-01")
    assert timeline([e]) == [("2027-10-01", "stops-working", 122)]
    assert (e.model, e.version) == (name, version)
    [message] = violations(bundled, native(name, version, "Standard", EXPIRY), "2027-06-01",
                           "auto-upgrade-needs-target", window=180)
    assert message.startswith(f"{name} {version} (fine-tuned from gpt-4o-mini 2024-07-18) retires on 2027-10-01")
    [retired] = violations(bundled, native(name, version, "Standard", EXPIRY), "2027-10-01", "retired-model-version")
    assert retired.startswith(f"{name} {version} (fine-tuned from gpt-4o-mini 2024-07-18) retired on 2027-10-01")


def test_fine_tuned_training_retirement_is_shown(hand: Catalog) -> None:
    """tuneable 2025-01-01: training retires 2026-06-01 (31 days after 2026-05-01), fine-tuned
    deployments 2027-06-01 (396 days). A provisioned one must be migrated by then."""
    found = events(hand, native("tuneable-2025-01-01.ft-abc", "1", "ProvisionedManaged", NOAUTO), "2026-05-01", 400)
    assert timeline(found) == [("2026-06-01", "deprecation", 31), ("2027-06-01", "migration-required", 396)]
    assert "Fine-tuning of tuneable 2025-01-01 ends (training retirement)" in found[0].detail


# --- 6. honest messages: batch, developer, non-OpenAI ---------------------------------------------------

@pytest.mark.parametrize(("sku", "text"), [
    ("GlobalBatch", "Azure does not upgrade GlobalBatch deployments automatically: they migrate side by side "
                    "(deploy the new model, resubmit the jobs, remove the old deployment)"),
    ("DeveloperTier", "does not document what happens to DeveloperTier deployments"),
    ("ProvisionedManaged", "Azure does not upgrade ProvisionedManaged deployments automatically"),
])
def test_non_standard_types_say_what_azure_documents(bundled: Catalog, sku: str, text: str) -> None:
    [e] = events(bundled, native("o4-mini", "2025-04-16", sku, AUTO), "2026-06-01")
    assert (e.kind, e.date) == ("migration-required", D("2026-10-16"))
    assert text in e.detail and "never upgrades" not in e.detail


def test_non_openai_format_is_looked_up_by_format_and_hedged(hand: Catalog) -> None:
    """cohere-command-a 1 (format Cohere) retires 2026-07-01, 61 days after 2026-05-01."""
    rec = normalize(AZURE_NATIVE_TYPE, {"sku": {"name": "Standard"}, "properties": {
        "model": {"format": "Cohere", "name": "cohere-command-a", "version": "1"}}}, "c", "urn:c")
    [e] = events(hand, rec, "2026-05-01")
    assert timeline([e]) == [("2026-07-01", "stops-working", 61)]
    assert "for Cohere models it says update policies vary by model and provider" in e.detail
    wrong_format = native("cohere-command-a", "1", "Standard", EXPIRY)  # format OpenAI: not this entry
    result = forecast({"prod": [wrong_format]}, hand, D("2026-05-01"), 180)
    assert result.events == [] and "not in the catalog" in result.skipped[0].reason


# --- 7. the staleness warning: check, forecast and audit say the same ----------------------------------

def test_forecast_and_audit_print_the_catalog_freshness_warning(runner: Any, bundled: Catalog, tmp_path: Path) -> None:
    expected = catalog_staleness(bundled, D("2027-05-01"), 120)
    assert expected == "the catalog (bundled catalog) was last checked on 2026-12-04, 148 days ago (limit 120)."
    result = runner.invoke(app, ["forecast", "--project", str(ROOT), "--stack", "dev", "--as-of", "2027-05-01"])
    assert result.exit_code == 0, result.output
    assert f"warning: {expected}" in result.stdout.replace("\n", " ")
    data = json.loads(runner.invoke(app, ["forecast", "--project", str(ROOT), "--stack", "dev", "--as-of",
                                          "2027-05-01", "-f", "json"]).stdout)
    assert data["warnings"] == [expected]
    md = runner.invoke(app, ["forecast", "--project", str(ROOT), "--stack", "dev", "--as-of", "2027-05-01", "-f",
                             "markdown"]).stdout
    assert f"> **Warning:** {expected}" in md
    waivers = tmp_path / "w.yaml"
    waivers.write_text("waivers: []\n", "utf-8")
    seed = str(ARM / "deployments-seed.json")
    audit = runner.invoke(app, ["audit", seed, "--as-of", "2027-05-01", "--waivers", str(waivers), "-f", "json"])
    messages = {f["policy"]: f["message"] for f in json.loads(audit.stdout)["findings"]}
    assert messages["catalog-freshness"] == expected
    fresh = json.loads(runner.invoke(app, ["forecast", "--project", str(ROOT), "--stack", "dev", "--as-of",
                                           "2026-12-07", "-f", "json"]).stdout)
    assert fresh["warnings"] == []
