"""auto-upgrade-needs-target through the real CrossGuard servicer, plus engine boundary tables.

The catalog below (as of testkit.AS_OF, 2026-01-15) gives each model one situation; every deployed
version is ``2025-01-01`` and retires in 30 days unless said otherwise.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.testkit import (
    FLAVOURS,
    MISSING,
    UNKNOWN,
    WINDOW,
    Pack,
    catalog_data,
    context,
    iso,
    offset_catalog,
    only,
    outcomes,
    record,
    version_entry,
)
from versionguard.core.catalog import catalog_from_data
from versionguard.core.rules.base import NeedsValue, Violation

POLICY = "auto-upgrade-needs-target"
RETIRED = "retired-model-version"
AUTO, EXPIRY, NO_AUTO = "OnceNewDefaultVersionAvailable", "OnceCurrentVersionExpired", "NoAutoUpgrade"
V = "2025-01-01"
NEWER = "2025-06-01"


def _models() -> list[tuple[str, list[dict[str, Any]]]]:
    soon = iso(30)
    return [
        # no other version and no named replacement: nothing to upgrade to
        ("solo", [version_entry(V, retirement=soon)]),
        # a named replacement (another model) is a target: cross-model-upgrade's, not this rule's (o3 -> gpt-5.6-sol)
        ("solo-repl", [version_entry(V, retirement=soon, replacement={"name": "successor", "version": NEWER})]),
        # a replacement named without a version is a target even when the catalog has no default for it
        ("solo-repl-nover", [version_entry(V, retirement=soon, replacement={"name": "successor"})]),
        # a preview with no named replacement retires with no replacement, whatever the option
        ("prev-solo", [version_entry(V, "preview", retirement=soon), version_entry(NEWER, default=True,
                                                                                  retirement=iso(400))]),
        # ... and with one it is force-upgraded
        ("prev-repl", [version_entry(V, "preview", retirement=soon, replacement={"name": "prev-repl",
                                                                                 "version": NEWER}),
                       version_entry(NEWER, default=True, retirement=iso(400))]),
        # the Legacy stage is GA: a legacy default is a target
        ("legacy-target", [version_entry(V, retirement=soon),
                           version_entry(NEWER, "legacy", default=True, retirement=iso(400))]),
        # all-digit versions are ordered numerically ("1" < "2", text-embedding-ada-002)
        ("digits", [version_entry("1", retirement=soon),
                    version_entry("2", default=True, retirement=iso(400))]),
        # a newer GA version that outlives it (default or not: Azure may still designate it)
        ("pair", [version_entry(V, retirement=soon), version_entry(NEWER, retirement=iso(400))]),
        ("pair-undated", [version_entry(V, retirement=soon), version_entry(NEWER)]),
        # the only other version is older (the gpt-4o 2024-11-20 case): never a downgrade
        ("older", [version_entry(NEWER, retirement=soon),
                   version_entry(V, default=True, default_since=iso(-300), retirement=iso(400))]),
        # the newer default retires the same day (the gpt-35-turbo 1106 -> 0125 case)
        ("sameday", [version_entry(V, retirement=soon),
                     version_entry(NEWER, default=True, default_since=iso(-100), retirement=soon)]),
        # per SKU: the newer default retires on Standard the same day, elsewhere much later
        ("persku", [version_entry(V, retirement=soon),
                    version_entry(NEWER, default=True, default_since=iso(-100), retirement=iso(400),
                                  retirement_by_sku={"Standard": soon})]),
        # the only newer versions are a preview and a retired one: neither is a target
        ("prev", [version_entry(V, retirement=soon), version_entry(NEWER, "preview", retirement=iso(400)),
                  version_entry("2025-09-01", "retired")]),
        # MMDD versions have no order unless the catalog gives `released` dates
        ("mmdd", [version_entry("1106", retirement=soon),
                  version_entry("0125", default=True, default_since=iso(-300), retirement=iso(400))]),
        ("mmdd-released", [version_entry("1106", retirement=soon, released="2023-11-06"),
                           version_entry("0125", retirement=iso(400), released="2024-01-25")]),
        # a deprecated GA version (closed to new customers) is still an upgrade target (gpt-4o 2024-08-06)
        ("dep-target", [version_entry(V, retirement=soon),
                        version_entry(NEWER, "deprecated", default=True, retirement=iso(400))]),
        # fine-tuned deployments of this base retire in 30 days; the base itself in 400
        ("base", [version_entry(V, retirement=iso(400),
                                fine_tuned={"training_retirement": iso(-30), "deployment_retirement": soon})]),
    ]


def _catalog():
    data = catalog_data(*_models())
    data["models"].append({"name": "partner-x", "format": "Cohere", "versions": [version_entry(V, retirement=iso(30))]})
    return catalog_from_data(data, "target-test")


CATALOG = _catalog()


@pytest.fixture
def tpack(make_pack: Any) -> Pack:
    return make_pack(catalog=CATALOG)


def diags(pack: Pack, flavour: str = "native", model: str = "solo", version: str = V, option: Any = EXPIRY,
          sku: Any = "GlobalStandard", **extra: Any):
    return pack.flavour(flavour, POLICY, model=model, version=version, option=option, sku=sku, **extra)


# --- pass / fail, every flavour and every upgrading option ------------------------------------------

@pytest.mark.parametrize("option", [AUTO, EXPIRY, MISSING], ids=["auto-update", "on-expiry", "arm-null-or-classic"])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_no_other_version_is_a_mandatory_violation(tpack: Pack, flavour: str, option: Any) -> None:
    (diag,) = diags(tpack, flavour, option=option)
    assert diag.level == "mandatory"
    assert diag.message.startswith(f"solo {V} retires on {iso(30)} for the GlobalStandard deployment type "
                                   f"(in 30 days, window {WINDOW}) and relies on an automatic upgrade")
    assert f"the catalog holds no named replacement and no GA version of solo newer than {V} that outlives it: the " \
           f"deployment stops working on {iso(30)}." in diag.message  # names the day
    # inside the last 90 days without a named replacement, the schedule says there is none
    assert diag.message.endswith("Microsoft names replacements about 90–120 days before retirement; with 30 days "
                                 "left and none named, expect none.")


@pytest.mark.parametrize(("flavour", "how"), [
    ("native", "defaults (ARM null) to OnceCurrentVersionExpired"),
    ("versioned", "defaults (ARM null) to OnceCurrentVersionExpired"),
    ("classic", "defaults (classic provider) to OnceNewDefaultVersionAvailable"),
])
def test_message_says_which_default_applies(tpack: Pack, flavour: str, how: str) -> None:
    (diag,) = diags(tpack, flavour, option=MISSING)
    assert f"(versionUpgradeOption {how})" in diag.message


@pytest.mark.parametrize("model", ["solo-repl", "solo-repl-nover"])
@pytest.mark.parametrize("option", [AUTO, EXPIRY, MISSING], ids=["auto-update", "on-expiry", "arm-null-or-classic"])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_named_replacement_is_a_target(tpack: Pack, flavour: str, option: Any, model: str) -> None:
    """Oct-2026 policy: Azure upgrades to the named replacement, another model included."""
    assert diags(tpack, flavour, model=model, option=option) == []


@pytest.mark.parametrize("option", [AUTO, EXPIRY, MISSING], ids=["auto-update", "on-expiry", "arm-null-or-classic"])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_preview_without_replacement_has_no_target(tpack: Pack, flavour: str, option: Any) -> None:
    """A preview retires with no replacement unless one is named, even if the model has a GA default."""
    (diag,) = diags(tpack, flavour, model="prev-solo", option=option)
    assert "the catalog holds no named replacement for this preview version (at retirement Microsoft force-upgrades " \
           "a preview to its named replacement, or retires it with none): the deployment stops working" in diag.message
    assert diags(tpack, flavour, model="prev-repl", option=option) == []


def test_message_early_in_the_window_says_a_replacement_may_still_be_named(make_pack: Any) -> None:
    pack = make_pack({POLICY: {"retirementWindowDays": 120}}, catalog=offset_catalog([91, 90]))
    (early,) = pack.flavour("native", POLICY, version="d91", option=EXPIRY, sku="Standard")
    assert early.message.endswith("Microsoft names replacements about 90–120 days before retirement, so one may "
                                  "still be named; do not count on it.")
    (late,) = pack.flavour("native", POLICY, version="d90", option=EXPIRY, sku="Standard")
    assert late.message.endswith("with 90 days left and none named, expect none.")


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_no_auto_upgrade_is_left_to_its_own_rule(tpack: Pack, flavour: str) -> None:
    assert diags(tpack, flavour, option=NO_AUTO) == []


@pytest.mark.parametrize("sku", ["ProvisionedManaged", "GlobalProvisionedManaged", "GlobalBatch", "DeveloperTier",
                                 "FancyTier", MISSING])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_non_standard_types_are_left_to_provisioned_migration_due(tpack: Pack, flavour: str, sku: Any) -> None:
    assert diags(tpack, flavour, option=AUTO, sku=sku) == []


@pytest.mark.parametrize(("model", "fires"), [
    ("pair", False),  # a newer GA version outlives it
    ("pair-undated", False),  # ... including one with no retirement announced
    ("older", True),  # only an older default: no downgrade
    ("sameday", True),  # the newer default retires the same day: it does not outlive it
    ("prev", True),  # a preview or a retired version is no target
    ("mmdd", True),  # 0125 vs 1106: the order is unknown, so it is not counted as newer
    ("mmdd-released", False),  # released dates give the order
    ("dep-target", False),  # a deprecated (GA) default is a target
    ("legacy-target", False),  # so is a legacy one
    ("digits", False),  # "2" is newer than "1"
])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_what_counts_as_a_target(tpack: Pack, flavour: str, model: str, fires: bool) -> None:
    version = "1106" if model.startswith("mmdd") else "1" if model == "digits" else (NEWER if model == "older" else V)
    assert len(diags(tpack, flavour, model=model, version=version)) == int(fires)


@pytest.mark.parametrize(("sku", "fires"), [("Standard", True), ("standard", True), ("GlobalStandard", False),
                                            ("DataZoneStandard", False)])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_per_sku_target(tpack: Pack, flavour: str, sku: str, fires: bool) -> None:
    """persku's newer default retires on regional Standard the same day as the deployed version."""
    assert len(diags(tpack, flavour, model="persku", sku=sku)) == int(fires)


# --- boundaries --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("offset", "fires", "retired"), [
    (-1, False, True), (0, False, True),  # on and after the retirement day: retired-model-version
    (1, True, False), (30, True, False), (WINDOW, True, False),  # inside the window, edge included
    (WINDOW + 1, False, False),
])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_window_boundaries(make_pack: Any, flavour: str, offset: int, fires: bool, retired: bool) -> None:
    pack = make_pack(catalog=offset_catalog([offset]))
    found = pack.flavour(flavour, version=f"d{offset}", option=EXPIRY, sku="Standard")
    assert len(only(found, POLICY)) == int(fires)
    assert len(only(found, RETIRED)) == int(retired)


@pytest.mark.parametrize(("window", "fires"), [(30, True), (29, False), (0, False)])
def test_configured_window(make_pack: Any, window: int, fires: bool) -> None:
    pack = make_pack({POLICY: {"retirementWindowDays": window}}, catalog=CATALOG)
    found = diags(pack)
    assert len(found) == int(fires)
    if fires:
        assert f"window {window})" in found[0].message


@pytest.mark.parametrize("window", [0, 1, 30, 90])
@pytest.mark.parametrize("offset", [-5, 0, 1, 29, 30, 31, 90, 91])
def test_engine_window_table(window: int, offset: int) -> None:
    ctx = context(offset_catalog([offset]), retirement_window_days=window)
    found = outcomes(POLICY, record("native", version=f"d{offset}", option=AUTO, sku="DataZoneStandard"), ctx)
    assert [type(o) for o in found] == ([Violation] if 0 < offset <= window else [])


# --- unknowns ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("field", "path"), [
    ("option", "properties.versionUpgradeOption"),
    ("sku", "sku.name"),
    ("version", "properties.model.version"),
    ("model", "properties.model.name"),
    ("fmt", "properties.model.format"),
])
def test_unknown_needed_value(make_pack: Any, field: str, path: str) -> None:
    fields = {"model": "solo", "version": V, "option": EXPIRY, "sku": "GlobalStandard", field: UNKNOWN}
    (skip,) = make_pack(catalog=CATALOG).flavour("native", POLICY, **fields)
    assert skip.level == "advisory" and skip.is_preview_skip and f".{path} can't be known" in skip.raw
    (diag,) = make_pack({POLICY: {"failOnUnknown": True}}, catalog=CATALOG).flavour("native", POLICY, **fields)
    assert diag.level == "mandatory"
    assert diag.message == f"value at .{path} can't be known during preview and failOnUnknown is set."


def test_unknown_sku_is_not_read_for_no_auto_upgrade(make_pack: Any) -> None:
    pack = make_pack({POLICY: {"failOnUnknown": True}}, catalog=CATALOG)
    assert diags(pack, option=NO_AUTO, sku=UNKNOWN) == []


def test_engine_reports_needs_value_for_an_unknown_sku() -> None:
    from versionguard.core.records import Unknown, normalize

    rec = normalize("azure-native:cognitiveservices:Deployment", {"sku": {"name": Unknown(("sku", "name"))},
                    "properties": {"model": {"name": "solo", "version": V}}}, "d")
    (found,) = outcomes(POLICY, rec, context(CATALOG))
    assert isinstance(found, NeedsValue) and found.unknown.dotted == "sku.name"


def test_not_in_catalog_is_left_to_model_version_known(tpack: Pack) -> None:
    assert diags(tpack, model="nope") == []
    assert diags(tpack, version=MISSING) == []


# --- fine-tuned and non-OpenAI deployments -----------------------------------------------------------

@pytest.mark.parametrize("flavour", FLAVOURS)
def test_fine_tuned_deployment_is_judged_on_its_base_versions_deployment_retirement(tpack: Pack, flavour: str) -> None:
    (diag,) = diags(tpack, flavour, model=f"base-{V}.ft-0e2081b9", version="1")
    assert diag.message.startswith(f"base-{V}.ft-0e2081b9 1 (fine-tuned from base {V}) retires on {iso(30)}")
    assert "the catalog holds no replacement and no newer version of this fine-tuned model that outlives it" \
        in diag.message
    # the legacy name form takes the base version from model.version
    (legacy,) = diags(tpack, flavour, model="base.ft-0e2081b9", version=V)
    assert f"(fine-tuned from base {V}) retires on {iso(30)}" in legacy.message


def test_non_openai_format_says_what_azure_does_not_document(tpack: Pack) -> None:
    (diag,) = diags(tpack, model="partner-x", fmt="Cohere")
    assert "for Cohere models it says update policies vary by model and provider" in diag.message
    assert "is not documented" in diag.message
    # catalog look-ups use (format, name, version): the same name as OpenAI is not this entry
    assert diags(tpack, model="partner-x", fmt="OpenAI") == []


def test_levels(make_pack: Any) -> None:
    assert diags(make_pack({POLICY: "disabled"}, catalog=CATALOG)) == []
    (diag,) = diags(make_pack({POLICY: "advisory"}, catalog=CATALOG))
    assert diag.level == "advisory"

