"""Forecast core against hand-computed timelines (catalog-small.yaml, as of 2026-05-01, horizon 180 days
= up to 2026-10-28).

Hand computation, per catalog entry:
- gpt-4o 2024-05-13: deprecation 2026-06-30 (+60), retirement 2026-09-30 (+152); the model's default
  2024-08-06 became default on 2026-05-10 (+9), so auto-update moves it within two weeks: the window
  2026-05-10..2026-05-24 (written ``start..end``).
- gpt-4.1 2025-01-01: retirement 2026-08-31 (+122), GlobalStandard 2026-10-31 (+183),
  ProvisionedManaged 2026-07-15 (+75); upgrade lead days Standard 10 (-> 2026-08-21, +112),
  GlobalStandard 20 (-> 2026-10-11, +163); default 2025-06-01 since 2026-01-01 -> auto-update window
  2026-01-01..2026-01-15 (-120), which should have ended 106 days ago.
- o9-preview 1: retirement 2026-06-15 (+45, tentative), lead 5 days, no other version: no upgrade
  target, so every upgrading option stops working on the retirement day (+45), not at the lead day.
"""

from __future__ import annotations

import datetime as dt

import pytest
from lifecycle_helpers import AS_OF, classic, native

from versionguard.core.forecast import Event, forecast

AUTO = "OnceNewDefaultVersionAvailable"
EXPIRY = "OnceCurrentVersionExpired"
NOAUTO = "NoAutoUpgrade"
D = dt.date.fromisoformat


def timeline(events: list[Event]) -> list[tuple[str, str, int]]:
    """(date or ``start..latest`` window, kind, days from the as-of date to the start)."""
    return [(f"{e.date}..{e.latest}" if e.latest else e.date.isoformat(), e.kind, e.days_from_as_of) for e in events]


def run(small_catalog, rec, as_of: dt.date = AS_OF, horizon: int = 180):
    return forecast({"prod": [rec]}, small_catalog, as_of, horizon)


CASES = [
    # --- Standard types, each option -----------------------------------------------------------
    pytest.param("gpt-4o", "2024-05-13", "Standard", AUTO,
                 [("2026-05-10..2026-05-24", "auto-upgrade", 9)], id="std-auto-new-default-two-week-window"),
    pytest.param("gpt-4o", "2024-05-13", "GlobalStandard", AUTO,
                 [("2026-05-10..2026-05-24", "auto-upgrade", 9)], id="globalstd-auto-new-default"),
    pytest.param("gpt-4o", "2024-05-13", "Standard", EXPIRY,
                 [("2026-06-30", "deprecation", 60), ("2026-09-30", "upgrade-on-expiry", 152)], id="std-expiry"),
    pytest.param("gpt-4o", "2024-05-13", "DataZoneStandard", NOAUTO,
                 [("2026-06-30", "deprecation", 60), ("2026-09-30", "stops-working", 152)], id="dzstd-noauto"),
    # --- provisioned and other non-Standard types: migration whatever the option ----------------
    pytest.param("gpt-4o", "2024-05-13", "ProvisionedManaged", AUTO,
                 [("2026-06-30", "deprecation", 60), ("2026-09-30", "migration-required", 152)], id="ptu-auto"),
    pytest.param("gpt-4o", "2024-05-13", "GlobalProvisionedManaged", EXPIRY,
                 [("2026-06-30", "deprecation", 60), ("2026-09-30", "migration-required", 152)], id="gptu-expiry"),
    pytest.param("gpt-4o", "2024-05-13", "DataZoneProvisionedManaged", NOAUTO,
                 [("2026-06-30", "deprecation", 60), ("2026-09-30", "migration-required", 152)], id="dzptu-noauto"),
    pytest.param("gpt-4o", "2024-05-13", "GlobalBatch", AUTO,
                 [("2026-06-30", "deprecation", 60), ("2026-09-30", "migration-required", 152)], id="batch-auto"),
    pytest.param("gpt-4o", "2024-05-13", "FancyTier", EXPIRY,
                 [("2026-06-30", "deprecation", 60), ("2026-09-30", "migration-required", 152)], id="unknown-sku"),
    pytest.param("gpt-4o", "2024-05-13", None, EXPIRY,
                 [("2026-06-30", "deprecation", 60), ("2026-09-30", "migration-required", 152)], id="no-sku"),
    # --- lead days and per-SKU overrides ----------------------------------------------------------
    pytest.param("gpt-4.1", "2025-01-01", "Standard", EXPIRY,
                 [("2026-08-21", "upgrade-on-expiry", 112)], id="lead-days-standard-10"),
    pytest.param("gpt-4.1", "2025-01-01", "GlobalStandard", EXPIRY,
                 [("2026-10-11", "upgrade-on-expiry", 163)], id="per-sku-retirement-and-lead-20"),
    pytest.param("gpt-4.1", "2025-01-01", "DataZoneStandard", EXPIRY,
                 [("2026-08-31", "upgrade-on-expiry", 122)], id="sku-without-lead-days"),
    pytest.param("gpt-4.1", "2025-01-01", "ProvisionedManaged", NOAUTO,
                 [("2026-07-15", "migration-required", 75)], id="per-sku-ptu-override"),
    pytest.param("gpt-4.1", "2025-01-01", "GlobalProvisionedManaged", EXPIRY,
                 [("2026-08-31", "migration-required", 122)], id="ptu-ignores-lead-days"),
    pytest.param("gpt-4.1", "2025-01-01", "GlobalStandard", NOAUTO, [], id="per-sku-date-beyond-horizon"),
    pytest.param("gpt-4.1", "2025-01-01", "GlobalStandard", AUTO,
                 [("2026-01-01..2026-01-15", "auto-upgrade", -120)], id="two-week-window-already-past"),
    pytest.param("gpt-4.1", "2025-06-01", "GlobalStandard", AUTO, [], id="already-on-default"),
    pytest.param("gpt-4.1", "2025-09-01", "Standard", AUTO, [], id="newer-than-default-no-downgrade"),
    # --- no upgrade target: upgrading options stop working on the retirement day ---------------
    pytest.param("o9-preview", "1", "Standard", EXPIRY,
                 [("2026-06-15", "stops-working", 45)], id="expiry-no-target-stops-at-retirement-not-lead-day"),
    pytest.param("o9-preview", "1", "GlobalStandard", NOAUTO,
                 [("2026-06-15", "stops-working", 45)], id="noauto-tentative"),
    pytest.param("o9-preview", "1", "Standard", AUTO,
                 [("2026-06-15", "stops-working", 45)], id="auto-no-target-stops-working"),
]


@pytest.mark.parametrize(("model", "version", "sku", "option", "expected"), CASES)
def test_hand_computed_timelines(small_catalog, model, version, sku, option, expected):
    result = run(small_catalog, native(model, version, sku, option))
    assert timeline(result.events) == expected
    for e in result.events:
        assert (e.model, e.version, e.sku, e.option) == (model, version, sku, option)
        assert (e.stack, e.deployment) == ("prod", "d")


def test_details_say_what_happens(small_catalog):
    [auto] = run(small_catalog, native("gpt-4o", "2024-05-13", "Standard", AUTO)).events
    assert "2024-08-06" in auto.detail and "2026-05-10" in auto.detail and "PAST" not in auto.detail
    [late] = run(small_catalog, native("gpt-4.1", "2025-01-01", "GlobalStandard", AUTO)).events
    assert "PAST (106 days ago)" in late.detail and "should already have happened" in late.detail
    assert late.latest == D("2026-01-15") and "between 2026-01-01 and 2026-01-15" in late.detail
    [lead] = run(small_catalog, native("gpt-4.1", "2025-01-01", "GlobalStandard", EXPIRY)).events
    assert "20 days before it retires for GlobalStandard on 2026-10-31" in lead.detail
    assert "default version gpt-4.1 2025-06-01, which retires for GlobalStandard on 2027-06-30" in lead.detail
    [stop] = run(small_catalog, native("o9-preview", "1", "GlobalStandard", NOAUTO)).events
    assert "tentative" in stop.detail and "every call fails" in stop.detail
    _, migrate = run(small_catalog, native("gpt-4o", "2024-05-13", "ProvisionedManaged", AUTO)).events
    assert "Azure does not upgrade ProvisionedManaged deployments automatically" in migrate.detail
    assert "OnceNewDefaultVersionAvailable does not change that" in migrate.detail
    assert "Migration target: gpt-4o 2024-08-06, the replacement Microsoft names." in migrate.detail


def test_missing_option_defaults_differ_by_provider(small_catalog):
    # azure-native: a missing option is ARM null = OnceCurrentVersionExpired
    native_events = run(small_catalog, native("gpt-4o", "2024-05-13", "Standard", None)).events
    assert [e.kind for e in native_events] == ["deprecation", "upgrade-on-expiry"]
    assert native_events[0].option == EXPIRY
    # classic provider: documented default OnceNewDefaultVersionAvailable
    classic_events = run(small_catalog, classic("gpt-4o", "2024-05-13", "Standard")).events
    assert timeline(classic_events) == [("2026-05-10..2026-05-24", "auto-upgrade", 9)]
    assert classic_events[0].option == AUTO


def test_enum_values_case_insensitive(small_catalog):
    events = run(small_catalog, native("gpt-4.1", "2025-01-01", "globalstandard", "onceCurrentVersionExpired")).events
    assert timeline(events) == [("2026-10-11", "upgrade-on-expiry", 163)]


@pytest.mark.parametrize(("horizon", "expected"), [(152, ["deprecation", "stops-working"]), (151, ["deprecation"]),
                                                   (59, [])])
def test_horizon_edge_is_inclusive(small_catalog, horizon, expected):
    events = run(small_catalog, native("gpt-4o", "2024-05-13", "Standard", NOAUTO), horizon=horizon).events
    assert [e.kind for e in events] == expected


def test_longer_horizon_reaches_per_sku_date_and_newer_than_default(small_catalog):
    events = run(small_catalog, native("gpt-4.1", "2025-01-01", "GlobalStandard", NOAUTO), horizon=183).events
    assert timeline(events) == [("2026-10-31", "stops-working", 183)]
    # a preview newer than the default: no downgrade, no GA target, so it stops working at retirement
    events = run(small_catalog, native("gpt-4.1", "2025-09-01", "Standard", AUTO), horizon=245).events
    assert timeline(events) == [("2027-01-01", "stops-working", 245)]


def test_past_retirement_is_kept_past_deprecation_is_not(small_catalog):
    as_of = D("2026-10-01")
    events = run(small_catalog, native("gpt-4o", "2024-05-13", "Standard", NOAUTO), as_of=as_of).events
    assert timeline(events) == [("2026-09-30", "stops-working", -1)]
    assert "PAST (1 days ago): the deployment no longer works" in events[0].detail


def test_event_on_the_as_of_day(small_catalog):
    events = run(small_catalog, native("gpt-4o", "2024-05-13", "Standard", EXPIRY), as_of=D("2026-06-30")).events
    assert timeline(events) == [("2026-06-30", "deprecation", 0), ("2026-09-30", "upgrade-on-expiry", 92)]


def test_skipped_deployments_say_why(small_catalog):
    recs = [
        native("gpt-4o", "2099-01-01", "Standard", AUTO, name="typo"),
        native("gpt-35-turbo", "0301", "Standard", NOAUTO, name="undated"),
        native("gpt-4o", "", "Standard", AUTO, name="unpinned"),
    ]
    result = forecast({"dev": recs}, small_catalog, AS_OF, 180)
    assert result.events == []
    reasons = {s.deployment: s.reason for s in result.skipped}
    assert "not in the catalog" in reasons["typo"]
    assert "listed as retired but the catalog has no retirement date" in reasons["undated"]
    assert "version (none)" in reasons["unpinned"]


def test_malformed_option_is_skipped_not_guessed(small_catalog):
    from versionguard.core.records import AZURE_NATIVE_TYPE, normalize

    rec = normalize(AZURE_NATIVE_TYPE, {"sku": {"name": "Standard"}, "properties": {
        "model": {"name": "gpt-4o", "version": "2024-05-13"}, "versionUpgradeOption": 3}}, "odd")
    result = forecast({"dev": [rec]}, small_catalog, AS_OF, 180)
    assert result.events == [] and "versionUpgradeOption is (malformed)" in result.skipped[0].reason


def test_events_sorted_and_json_shape(small_catalog):
    recs = {"prod": [native("gpt-4o", "2024-05-13", "ProvisionedManaged", NOAUTO, name="ptu"),
                     native("gpt-4.1", "2025-01-01", "Standard", EXPIRY, name="chat")],
            "dev": [native("gpt-4o", "2024-05-13", "Standard", AUTO, name="dev-chat")]}
    result = forecast(recs, small_catalog, AS_OF, 180)
    data = result.to_json()
    assert list(data)[:5] == ["as_of", "horizon_days", "catalog_as_of", "stacks", "events"]
    assert data["as_of"] == "2026-05-01" and data["horizon_days"] == 180 and data["catalog_as_of"] == "2026-04-20"
    assert data["stacks"] == ["prod", "dev"]
    assert [(e["date"], e["stack"], e["deployment"], e["kind"]) for e in data["events"]] == [
        ("2026-05-10", "dev", "dev-chat", "auto-upgrade"),
        ("2026-06-30", "prod", "ptu", "deprecation"),
        ("2026-08-21", "prod", "chat", "upgrade-on-expiry"),
        ("2026-09-30", "prod", "ptu", "migration-required"),
    ]
    assert set(data["events"][0]) == {"stack", "deployment", "model", "version", "sku", "option", "date", "latest",
                                      "kind", "detail", "days_from_as_of"}
    assert data["events"][0]["latest"] == "2026-05-24" and data["events"][1]["latest"] is None
    assert data["deployments"] == {"prod": 2, "dev": 1}
