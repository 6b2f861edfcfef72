"""core.remediation: the one function that picks where `fix` moves a deployment.

Catalogs are built from plain data with pinned dates (as-of 2026-11-22, window 90 days: a target must
serve the deployment's SKU after 2027-02-20).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from versionguard.core.catalog import Catalog, catalog_from_data
from versionguard.core.lifecycle import resolve
from versionguard.core.remediation import NoTarget, Target, remediation_target

AS_OF = dt.date(2026, 11, 22)
WINDOW = 90


def catalog(*models: dict[str, Any]) -> Catalog:
    return catalog_from_data({"schema": 1, "as_of": "2026-11-01", "sources": {"s": {"title": "test"}},
                              "models": list(models)}, "test catalog")


def model(name: str, *versions: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "versions": [{"lifecycle": "ga", "sources": ["s"], **v} for v in versions]}


def target(cat: Catalog, name: str, version: str, sku: str | None = "Standard") -> Target | NoTarget:
    entry = resolve(cat, None, name, version)
    assert entry is not None
    return remediation_target(cat, entry, sku, AS_OF, WINDOW)


GPT4O = model("gpt-4o",
              {"version": "2024-05-13", "released": "2024-05-13", "retirement": "2026-06-01",
               "replacement": {"name": "gpt-4.1"}},
              {"version": "2024-08-06", "released": "2024-08-06", "retirement": "2027-01-15"},
              {"version": "2024-11-20", "released": "2024-11-20", "retirement": "2027-10-01"},
              {"version": "2025-01-01", "released": "2025-01-01", "lifecycle": "preview", "retirement": "2028-01-01"})
GPT41 = model("gpt-4.1", {"version": "2025-04-14", "released": "2025-04-14", "default": True,
                          "retirement": "2027-10-14"})


def test_newest_ga_of_the_same_model_that_outlives_the_window() -> None:
    found = target(catalog(GPT4O, GPT41), "gpt-4o", "2024-05-13")
    assert isinstance(found, Target)
    assert (found.model, found.version, found.cross_model, found.migration) == ("gpt-4o", "2024-11-20", False, False)


def test_a_version_retiring_inside_the_window_is_no_target() -> None:
    # 2024-08-06 retires 2027-01-15, inside the window; only 2024-11-20 qualifies.
    only_window = model("gpt-4o", *[v for v in GPT4O["versions"] if v["version"] != "2024-11-20"])
    found = target(catalog(only_window, GPT41), "gpt-4o", "2024-05-13")
    assert isinstance(found, Target) and found.cross_model and (found.model, found.version) == ("gpt-4.1", "2025-04-14")


def test_boundary_retiring_the_day_after_the_window_qualifies() -> None:
    edge = model("m", {"version": "2024-01-01", "released": "2024-01-01", "retirement": "2026-12-01"},
                 {"version": "2024-06-01", "released": "2024-06-01", "retirement": "2027-02-21"},
                 {"version": "2024-07-01", "released": "2024-07-01", "retirement": "2027-02-20"})
    found = target(catalog(edge), "m", "2024-01-01")
    assert isinstance(found, Target) and found.version == "2024-06-01"  # 2027-02-20 is the horizon: retired


def test_never_a_preview_for_a_ga_deployment() -> None:
    previews_only = model("m", {"version": "2024-01-01", "released": "2024-01-01", "retirement": "2026-12-01"},
                          {"version": "2025-01-01", "released": "2025-01-01", "lifecycle": "preview",
                           "retirement": "2028-01-01"})
    found = target(catalog(previews_only), "m", "2024-01-01")
    assert isinstance(found, NoTarget) and "names no replacement" in found.reason


def test_a_preview_deployment_prefers_ga_then_a_newer_preview() -> None:
    preview = model("p", {"version": "2025-01-01", "released": "2025-01-01", "lifecycle": "preview",
                          "retirement": "2026-12-01"},
                    {"version": "2025-06-01", "released": "2025-06-01", "lifecycle": "preview",
                     "retirement": "2027-12-01"})
    found = target(catalog(preview), "p", "2025-01-01")
    assert isinstance(found, Target) and found.version == "2025-06-01"
    with_ga = model("p", *preview["versions"], {"version": "2025-03-01", "released": "2025-03-01",
                                                 "retirement": "2027-12-01"})
    found = target(catalog(with_ga), "p", "2025-01-01")
    assert isinstance(found, Target) and found.version == "2025-03-01"


def test_never_a_downgrade() -> None:
    older = model("m", {"version": "2024-01-01", "released": "2024-01-01", "retirement": "2027-12-01"},
                  {"version": "2024-06-01", "released": "2024-06-01", "retirement": "2026-12-01",
                   "replacement": {"name": "old", "version": "2023-01-01"}})
    old = model("old", {"version": "2023-01-01", "released": "2023-01-01", "retirement": "2028-01-01"})
    found = target(catalog(older, old), "m", "2024-06-01")
    assert isinstance(found, NoTarget) and "never a downgrade" in found.reason


def test_unknown_order_is_never_an_upgrade() -> None:
    undated = model("m", {"version": "0613", "retirement": "2026-12-01"},
                    {"version": "1106", "retirement": "2028-01-01"})
    assert isinstance(target(catalog(undated), "m", "0613"), NoTarget)


def test_replacement_without_version_is_its_default() -> None:
    turbo = model("gpt-35-turbo", {"version": "0125", "retirement": "2026-05-01",
                                   "replacement": {"name": "gpt-4o-mini"}})
    mini = model("gpt-4o-mini", {"version": "2024-07-18", "released": "2024-07-18", "default": True,
                                 "retirement": "2027-12-01"},
                 {"version": "2025-01-01", "released": "2025-01-01", "retirement": "2028-12-01"})
    found = target(catalog(turbo, mini), "gpt-35-turbo", "0125")
    assert isinstance(found, Target) and found.cross_model
    assert (found.model, found.version) == ("gpt-4o-mini", "2024-07-18")


@pytest.mark.parametrize("problem, fields", [
    ("preview", {"lifecycle": "preview"}),
    ("does not serve", {"retirement": "2027-01-01"}),
])
def test_a_replacement_that_does_not_qualify_is_no_target(problem: str, fields: dict[str, Any]) -> None:
    legacy = model("legacy", {"version": "1", "retirement": "2026-05-01",
                              "replacement": {"name": "new", "version": "2"}})
    new = model("new", {"version": "2", "retirement": "2028-01-01", **fields})
    found = target(catalog(legacy, new), "legacy", "1")
    assert isinstance(found, NoTarget) and problem in found.reason


def test_a_replacement_missing_from_the_catalog_is_no_target() -> None:
    legacy = model("legacy", {"version": "1", "retirement": "2026-05-01", "replacement": {"name": "ghost"}})
    found = target(catalog(legacy), "legacy", "1")
    assert isinstance(found, NoTarget) and "no entry" in found.reason


def test_per_sku_dates_and_provisioned_migration() -> None:
    per_sku = model("m", {"version": "2024-01-01", "released": "2024-01-01", "retirement": "2026-12-01"},
                    {"version": "2024-06-01", "released": "2024-06-01", "retirement": "2028-01-01",
                     "retirement_by_sku": {"ProvisionedManaged": "2027-01-01"}},
                    {"version": "2024-03-01", "released": "2024-03-01", "retirement": "2027-12-01"})
    standard = target(catalog(per_sku), "m", "2024-01-01", "Standard")
    assert isinstance(standard, Target) and standard.version == "2024-06-01" and not standard.migration
    ptu = target(catalog(per_sku), "m", "2024-01-01", "provisionedmanaged")  # case variant
    assert isinstance(ptu, Target) and ptu.version == "2024-03-01" and ptu.migration


def test_a_version_deprecated_by_as_of_is_no_target() -> None:
    dep = model("m", {"version": "2024-01-01", "released": "2024-01-01", "retirement": "2026-12-01"},
                {"version": "2024-06-01", "released": "2024-06-01", "retirement": "2028-01-01",
                 "deprecation": "2026-10-01"})
    assert isinstance(target(catalog(dep), "m", "2024-01-01"), NoTarget)


def test_fine_tuned_deployments_have_no_target() -> None:
    base = model("gpt-4o-mini", {"version": "2024-07-18", "released": "2024-07-18", "retirement": "2026-12-01",
                                 "fine_tuned": {"deployment_retirement": "2026-12-01"}},
                 {"version": "2025-01-01", "released": "2025-01-01", "retirement": "2028-01-01"})
    cat = catalog(base)
    entry = resolve(cat, None, "gpt-4o-mini-2024-07-18.ft-abc", "1")
    assert entry is not None
    found = remediation_target(cat, entry, "Standard", AS_OF, WINDOW)
    assert isinstance(found, NoTarget) and "fine-tuned" in found.reason
