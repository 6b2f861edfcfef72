"""The Oct-2026 lifecycle policy (lifecycle-2026-10) on rows of the 2026-09-02 schedule (sched-2026-09).

catalog-2026-09.yaml holds those rows as published (its header says what it infers: two defaults).
Each case names the verdict the newest sources imply; day counts are calendar days, computed by hand
in each docstring. As-of dates are pinned; nothing depends on today.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from lifecycle_helpers import HERE, classic, native

from versionguard.adapters.files.catalog_file import load_catalog
from versionguard.core.catalog import Catalog
from versionguard.core.engine import judge
from versionguard.core.forecast import KINDS, Event, forecast
from versionguard.core.lifecycle import (
    NOT_UPGRADED,
    REPLACEMENT,
    STOPS,
    is_newer,
    upgrade_target,
    version_order,
)
from versionguard.core.rules import BY_ID
from versionguard.core.rules.base import Context, Violation
from versionguard.core.settings import RuleSettings
from versionguard.reporters.forecast import render
from versionguard.reporters.timeline_chart import LEGEND, STYLE, write_chart

AUTO, EXPIRY, NOAUTO = "OnceNewDefaultVersionAvailable", "OnceCurrentVersionExpired", "NoAutoUpgrade"
D = dt.date.fromisoformat
CROSS = "cross-model-upgrade"
RISK = "reasoning models (o-series, gpt-5.x) reject parameters that chat models accept, and outputs differ"


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return load_catalog(HERE / "catalog-2026-09.yaml")


def found(catalog: Catalog, rec: Any, as_of: str, policy: str, window: int | None = None) -> list[str]:
    window = window if window is not None else (120 if policy == CROSS else 90)
    ctx = Context(D(as_of), catalog, RuleSettings(retirement_window_days=window))
    return [j.outcome.message for j in judge([rec], ctx, rules=[BY_ID[policy]]) if isinstance(j.outcome, Violation)]


def timeline(catalog: Catalog, rec: Any, as_of: str, horizon: int = 400) -> list[tuple[str, str, int]]:
    return [(e.date.isoformat(), e.kind, e.days_from_as_of) for e in events(catalog, rec, as_of, horizon)]


def events(catalog: Catalog, rec: Any, as_of: str, horizon: int = 400) -> list[Event]:
    return list(forecast({"prod": [rec]}, catalog, D(as_of), horizon).events)


# --- the one target function ---------------------------------------------------------------------------

@pytest.mark.parametrize(("model", "version", "target"), [
    # gpt-4o -> gpt-5.1 (named without a version: gpt-5.1's default on the day, inferred in the fixture)
    ("gpt-4o", "2024-05-13", "gpt-5.1 2025-11-13"),
    ("gpt-4o", "2024-11-20", "gpt-5.1 2025-11-13"),
    # o1, o3 -> gpt-5.6-sol, whose default the catalog does not know: said honestly
    ("o1", "2024-12-17", "an unknown version of gpt-5.6-sol"),
    ("o3", "2025-04-16", "an unknown version of gpt-5.6-sol"),
    # o3-mini -> o4-mini (its default, 2025-04-16, still serves on 2026-10-01: it retires 2026-10-16)
    ("o3-mini", "2025-01-31", "o4-mini 2025-04-16"),
])
@pytest.mark.parametrize("sku", ["Standard", "GlobalStandard", "DataZoneStandard", "globalstandard"])
@pytest.mark.parametrize("option", [AUTO, EXPIRY])
def test_standard_family_goes_to_the_named_replacement(cat: Catalog, model: str, version: str, target: str,
                                                       sku: str, option: str) -> None:
    move = upgrade_target(cat, cat.lookup(model, version), sku, option)
    assert (move.how, move.target_label, move.cross_model, move.forced) == (REPLACEMENT, target, True, False)


@pytest.mark.parametrize("sku", ["ProvisionedManaged", "GlobalProvisionedManaged", "DataZoneProvisionedManaged",
                                 "GlobalBatch", "DataZoneBatch", "DeveloperTier", "Unheard", None])
def test_other_types_and_no_auto_upgrade_are_never_upgraded(cat: Catalog, sku: str | None) -> None:
    entry = cat.lookup("gpt-4o", "2024-05-13")
    assert upgrade_target(cat, entry, sku, EXPIRY).how == NOT_UPGRADED
    assert upgrade_target(cat, entry, "GlobalStandard", NOAUTO).how == NOT_UPGRADED
    assert upgrade_target(cat, entry, "GlobalStandard", None).how == NOT_UPGRADED  # an unknown option: no promise


@pytest.mark.parametrize("option", [AUTO, EXPIRY, NOAUTO, None])
@pytest.mark.parametrize("sku", ["GlobalStandard", "ProvisionedManaged", "GlobalBatch", None])
def test_previews_are_forced_whatever_the_option(cat: Catalog, option: str | None, sku: str | None) -> None:
    """sora-2 2025-10-06 (preview) names sora-2 (2025-12-08): forced, same model. gpt-4o-mini-tts
    2025-03-20 (preview) names none: it stops working although a GA 2025-12-15 exists."""
    sora = upgrade_target(cat, cat.lookup("sora-2", "2025-10-06"), sku, option)
    assert (sora.how, sora.forced, sora.target_label, sora.cross_model) == (REPLACEMENT, True, "sora-2 2025-12-08",
                                                                             False)
    assert (sora.day, sora.fires) == (D("2026-07-15"), D("2026-07-15"))
    tts = upgrade_target(cat, cat.lookup("gpt-4o-mini-tts", "2025-03-20"), sku, option)
    assert (tts.how, tts.forced, tts.upgraded) == (STOPS, True, False)


def test_version_order() -> None:
    """Dated by date; all-digit numerically ("1" < "2" < "10", "001" == "1"); month-day pairs
    (0125 vs 1106) unknown unless released dates say; mixed forms by released, else unknown."""
    from versionguard.core.catalog import VersionInfo

    def v(version: str, released: str | None = None) -> VersionInfo:
        return VersionInfo("m", version, "ga", released=D(released) if released else None)

    assert is_newer(v("2"), v("1")) and not is_newer(v("1"), v("2"))  # text-embedding-ada-002
    assert version_order(v("10"), v("2")) == 1 and version_order(v("001"), v("1")) == 0
    assert version_order(v("2024-11-20"), v("2024-05-13")) == 1
    assert version_order(v("0125"), v("1106")) is None  # no year: never an upgrade
    assert version_order(v("0125", "2024-01-25"), v("1106", "2023-11-06")) == 1
    assert version_order(v("2", "2020-01-01"), v("1", "2021-01-01")) == 1  # numeric before released
    assert version_order(v("turbo-2024-04-09"), v("1106")) is None
    assert version_order(v("preview-b", "2025-02-01"), v("preview-a", "2025-01-01")) == 1


# --- rules on the reference rows ------------------------------------------------------------------------

@pytest.mark.parametrize("rec", [
    native("gpt-4o", "2024-05-13", "GlobalStandard", EXPIRY),
    native("gpt-4o", "2024-05-13", "Standard", None),  # ARM null
    classic("gpt-4o", "2024-05-13", "DataZoneStandard"),  # classic default OnceNewDefaultVersionAvailable
], ids=["native-expiry", "native-null", "classic-default"])
def test_gpt_4o_2024_05_13_moves_to_gpt_5_1_on_2026_10_01(cat: Catalog, rec: Any) -> None:
    """Retires 2026-10-01; as of 2026-08-01 that is 30 + 31 = 61 days: inside the 120-day window."""
    [msg] = found(cat, rec, "2026-08-01", CROSS)
    assert msg.startswith("gpt-4o 2024-05-13 retires on 2026-10-01 for the ")
    assert "(in 61 days, window 120)" in msg
    assert "Azure upgrades it to the replacement Microsoft names, so on 2026-10-01 this deployment runs gpt-5.1 " \
           f"2025-11-13. That is a different model: {RISK}. Test the application against gpt-5.1 or migrate to it " \
           "deliberately before then." in msg
    # it has a target: auto-upgrade-needs-target is silent, and nothing says "stops working"
    assert found(cat, rec, "2026-08-01", "auto-upgrade-needs-target") == []
    assert timeline(cat, rec, "2026-08-01") == [("2026-10-01", CROSS, 61)]


def test_o3_names_an_unknown_version_of_gpt_5_6_sol(cat: Catalog) -> None:
    """o3 retires 2026-10-21 (81 days after 2026-08-01); gpt-5.6-sol has no default in the catalog."""
    [msg] = found(cat, native("o3", "2025-04-16", "GlobalStandard", None), "2026-08-01", CROSS)
    assert "versionUpgradeOption defaults (ARM null) to OnceCurrentVersionExpired" in msg
    assert "so on 2026-10-21 this deployment runs an unknown version of gpt-5.6-sol (the replacement is named " \
           "without a version and the catalog has no default version of gpt-5.6-sol for that day)" in msg
    [e] = events(cat, native("o3", "2025-04-16", "GlobalStandard", EXPIRY), "2026-08-01")
    assert (e.kind, e.date, e.days_from_as_of) == (CROSS, D("2026-10-21"), 81)
    assert "to an unknown version of gpt-5.6-sol, the replacement Microsoft names" in e.detail


def test_o3_mini_moves_to_o4_mini(cat: Catalog) -> None:
    [msg] = found(cat, native("o3-mini", "2025-01-31", "DataZoneStandard", AUTO), "2026-08-01", CROSS)
    assert "versionUpgradeOption is OnceNewDefaultVersionAvailable" in msg
    assert "this deployment runs o4-mini 2025-04-16" in msg


@pytest.mark.parametrize(("as_of", "days", "fires"), [
    ("2026-06-02", 121, False), ("2026-06-03", 120, True),  # window edge: 120 days before 2026-10-01
    ("2026-09-30", 1, True), ("2026-10-01", 0, False),  # on the day it is retired-model-version's
])
def test_cross_model_window_edges(cat: Catalog, as_of: str, days: int, fires: bool) -> None:
    msgs = found(cat, native("gpt-4o", "2024-05-13", "GlobalStandard", EXPIRY), as_of, CROSS)
    assert len(msgs) == int(fires)
    if fires:
        assert f"(in {days} days, window 120)" in msgs[0]


def test_no_auto_upgrade_and_provisioned_name_the_migration_target(cat: Catalog) -> None:
    [noauto] = found(cat, native("gpt-4o", "2024-05-13", "GlobalStandard", NOAUTO), "2026-08-01",
                     "no-auto-upgrade-near-retirement")
    assert "the deployment stops working that day. Migration target: gpt-5.1, the replacement Microsoft names (a " \
           "different model: test the application against it). Or set versionUpgradeOption to " \
           "OnceCurrentVersionExpired: Azure then upgrades it at retirement to the replacement Microsoft names, " \
           f"gpt-5.1 2025-11-13 in the catalog. That is a different model: {RISK}." in noauto
    assert found(cat, native("gpt-4o", "2024-05-13", "GlobalStandard", NOAUTO), "2026-08-01", CROSS) == []
    [ptu] = found(cat, native("gpt-4o", "2024-05-13", "ProvisionedManaged", EXPIRY), "2026-08-01",
                  "provisioned-migration-due")
    assert ptu.endswith("so plan the migration now. Migration target: gpt-5.1, the replacement Microsoft names (a "
                        "different model: test the application against it).")
    [batch] = found(cat, native("gpt-4o", "2024-05-13", "GlobalBatch", EXPIRY), "2026-08-01",
                    "provisioned-migration-due")
    assert "Azure does not upgrade GlobalBatch deployments automatically: they migrate side by side (deploy the " \
           "new model, resubmit the jobs, remove the old deployment)" in batch
    assert [k for _, k, _ in timeline(cat, native("gpt-4o", "2024-05-13", "GlobalBatch", EXPIRY), "2026-08-01")] \
        == ["migration-required"]


@pytest.mark.parametrize("sku", ["GlobalStandard", "ProvisionedManaged", "GlobalBatch"])
def test_sora_2_preview_is_forced_to_its_replacement(cat: Catalog, sku: str) -> None:
    """sora-2 2025-10-06 retires 2026-07-15, 44 days after 2026-06-01 (29 + 15)."""
    rec = native("sora-2", "2025-10-06", sku, NOAUTO)
    assert found(cat, rec, "2026-06-01", "no-auto-upgrade-near-retirement") == []  # a forced move, not a stop
    assert found(cat, rec, "2026-06-01", "provisioned-migration-due") == []
    assert found(cat, rec, "2026-06-01", CROSS) == []  # the same model
    [msg] = found(cat, rec, "2026-06-01", "preview-model-version")
    assert msg == ("sora-2 2025-10-06 is a preview version, retiring 2026-07-15. Microsoft force-upgrades preview "
                   "deployments at retirement, whatever their versionUpgradeOption: on 2026-07-15 this one moves to "
                   "sora-2 2025-12-08, the named replacement.")
    [e] = events(cat, rec, "2026-06-01")
    assert (e.date, e.kind, e.days_from_as_of) == (D("2026-07-15"), "upgrade-on-expiry", 44)
    assert e.detail.startswith("Upgraded (forced: a preview version) to sora-2 2025-12-08, the replacement Microsoft "
                               "names")


def test_preview_without_replacement_stops_working(cat: Catalog) -> None:
    """gpt-4o-mini-tts 2025-03-20 (preview, no replacement; retires 2026-10-15, 75 days after 2026-08-01)."""
    rec = native("gpt-4o-mini-tts", "2025-03-20", "GlobalStandard", EXPIRY)
    [msg] = found(cat, rec, "2026-08-01", "auto-upgrade-needs-target")
    assert "with 75 days left and none named, expect none." in msg
    [pre] = found(cat, rec, "2026-08-01", "preview-model-version")
    assert "No replacement is named: on 2026-10-15 it retires with no replacement" in pre
    assert timeline(cat, rec, "2026-08-01") == [("2026-10-15", "stops-working", 75)]
    noauto = native("gpt-4o-mini-tts", "2025-03-20", "GlobalStandard", NOAUTO)
    assert len(found(cat, noauto, "2026-08-01", "no-auto-upgrade-near-retirement")) == 1


def test_legacy_versions(cat: Catalog) -> None:
    """gpt-4.1 2025-04-14 and gpt-4o 2024-11-20 are Legacy (retire 2027-04-14): an advisory, not a
    deprecation. gpt-4o 2024-11-20 also moves to gpt-5.1: inside 120 days from 2026-12-15 (16 + 31 +
    28 + 31 + 14 = 120)."""
    [legacy] = found(cat, native("gpt-4.1", "2025-04-14", "GlobalStandard", EXPIRY), "2026-12-15",
                     "legacy-model-version")
    assert legacy.startswith("gpt-4.1 2025-04-14 is a legacy version: newer models exist")
    assert "It is not deprecated: it stays open to new deployments until its deprecation" in legacy
    assert found(cat, native("gpt-4.1", "2025-04-14", "GlobalStandard", EXPIRY), "2026-12-15",
                 "deprecated-model-version") == []
    rec = native("gpt-4o", "2024-11-20", "GlobalStandard", EXPIRY)
    assert found(cat, rec, "2026-12-15", "legacy-model-version")[0].endswith("Azure names gpt-5.1 as its replacement.")
    assert len(found(cat, rec, "2026-12-15", CROSS)) == 1
    assert found(cat, rec, "2026-12-14", CROSS) == []  # 121 days


def test_text_embedding_ada_002_versions_are_ordered(cat: Catalog) -> None:
    one, two = cat.lookup("text-embedding-ada-002", "1"), cat.lookup("text-embedding-ada-002", "2")
    assert is_newer(two, one) and not is_newer(one, two)


# --- the forecast's own event kind, in every format ------------------------------------------------------

def _result(cat: Catalog):
    recs = [native("gpt-4o", "2024-05-13", "GlobalStandard", EXPIRY, name="chat"),
            native("o3", "2025-04-16", "GlobalStandard", EXPIRY, name="reasoning")]
    return forecast({"prod": recs}, cat, D("2026-08-01"), 180)


def test_cross_model_kind_is_listed_and_labelled() -> None:
    assert KINDS[CROSS] == "moved to another model"
    assert list(KINDS).index(CROSS) == list(KINDS).index("upgrade-on-expiry") + 1
    assert CROSS in STYLE and LEGEND[CROSS] == "moved to another model"


def test_cross_model_event_in_json(cat: Catalog) -> None:
    data = json.loads(render(_result(cat), "json"))
    assert [(e["deployment"], e["kind"], e["date"]) for e in data["events"]] == [
        ("chat", CROSS, "2026-10-01"), ("reasoning", CROSS, "2026-10-21")]


def test_cross_model_event_in_markdown_and_table(cat: Catalog) -> None:
    md = render(_result(cat), "markdown")
    assert "| moved to another model |" in md and "gpt-5.1 2025-11-13" in md
    table = render(_result(cat), "table")
    assert "moved to another model" in table and "gpt-5.6-sol" in table


def test_cross_model_event_in_the_chart(cat: Catalog, tmp_path: Any) -> None:
    import matplotlib  # noqa: F401  (a core dependency: a missing chart library is a failure, not a skip)

    chart = tmp_path / "timeline.svg"
    write_chart(_result(cat), chart)
    svg = chart.read_text("utf-8")
    assert "moved to another model" in svg and STYLE[CROSS][0].lower() in svg.lower()


def test_candidates_are_filled_for_every_option_for_fix() -> None:
    """`fix` proposes a newer same-model version that outlives the day even where Azure upgrades
    nothing: catalog-semantics.yaml's x 2025-01-01 (retires 2026-09-01; 2025-06-01 outlives it
    except on regional Standard)."""
    hand = load_catalog(HERE / "catalog-semantics.yaml")
    entry = hand.lookup("x", "2025-01-01")
    for option in (NOAUTO, EXPIRY, None):
        move = upgrade_target(hand, entry, "GlobalStandard", option)
        assert [v.label for v in move.candidates] == ["x 2025-06-01"], option
    assert upgrade_target(hand, entry, "ProvisionedManaged", EXPIRY).how == NOT_UPGRADED
    assert [v.label for v in upgrade_target(hand, entry, "ProvisionedManaged", EXPIRY).candidates] == ["x 2025-06-01"]
    assert upgrade_target(hand, entry, "Standard", NOAUTO).candidates == ()
