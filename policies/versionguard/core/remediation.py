"""Where ``versionguard fix`` moves a deployment: the one function that picks a remediation target.

:func:`remediation_target` decides; everything else (tracing, editing, reporting) only carries its
answer out. It reuses lifecycle's ordering and liveness helpers (:func:`lifecycle.is_newer`,
:func:`lifecycle.alive_on`), so "newer" and "still serving" mean the same here as in every rule:

1. the newest **GA** version of the *same* model (same format) that is newer than the deployed one and
   still serves the deployment's SKU after the window (``as_of + window_days``) — so the move does not
   land in another window finding; a version deprecated by ``as_of`` is no target (a new deployment of
   it in a new subscription fails);
2. else the catalog's named ``replacement`` (another model): its ``version``, or without one that
   model's default version in the catalog — a **cross-model move** (the model's behaviour changes);
3. else no target, with the reason.

Never a preview for a GA deployment (a preview deployment may move to a newer preview only when no GA
version qualifies), never a downgrade (a same-model target must be known to be newer; a replacement
known to be older is refused). Fine-tuned deployments have no target: a fine-tuned model is retrained,
not re-versioned. On a provisioned SKU the edit is a migration that someone runs (capacity may need
re-planning) — :attr:`Target.migration` says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .catalog import Catalog, VersionInfo
from .dates import add_days
from .lifecycle import GA_RELEASES, alive_on, is_newer, named_replacement, newest_key
from .vocabulary import PROVISIONED_SKUS, known_sku


@dataclass(frozen=True)
class Target:
    """The version a deployment should move to, and what the move means."""

    entry: VersionInfo  # the target catalog entry
    cross_model: bool  # another model: behaviour changes, review prompts and evaluations
    migration: bool  # provisioned SKU: Azure does not upgrade it; applying the edit is a migration
    why: str  # one line: how the target was chosen

    @property
    def model(self) -> str:
        return self.entry.model

    @property
    def version(self) -> str:
        return self.entry.version


@dataclass(frozen=True)
class NoTarget:
    reason: str


def remediation_target(catalog: Catalog, entry: VersionInfo, sku: str | None, as_of: dt.date,
                       window_days: int) -> Target | NoTarget:
    """Where a deployment of ``entry`` on ``sku`` should move so that it outlives the window."""
    if entry.base is not None:
        return NoTarget(f"{entry.label} is a fine-tuned model: it is retrained on a newer base version, not "
                        "re-versioned")
    horizon = add_days(as_of, window_days)
    migration = known_sku(sku) in PROVISIONED_SKUS
    same = _newest(catalog.versions_of(entry.model, entry.format), entry, sku, as_of, horizon)
    if same is not None:
        return Target(same, False, migration, f"newest GA version of {entry.model} serving this deployment type "
                      f"after {horizon} (the {window_days}-day window)")
    if entry.replacement is None:
        return NoTarget(f"the catalog lists no newer GA version of {entry.model} that serves this deployment type "
                        f"after {horizon}, and names no replacement")
    named = named_replacement(catalog, entry, sku, horizon)
    if named is None:
        return NoTarget(f"the catalog names {entry.replacement} as the replacement but has no entry for it "
                        "(or no default version of it)")
    if named.lifecycle == "preview" and entry.lifecycle != "preview":
        return NoTarget(f"the named replacement {named.label} is a preview version; a GA deployment is never "
                        "moved to a preview")
    if not alive_on(named, sku, horizon) or named.lifecycle not in GA_RELEASES | {"preview"}:
        return NoTarget(f"the named replacement {named.label} does not serve this deployment type after {horizon}")
    if is_newer(entry, named):
        return NoTarget(f"the named replacement {named.label} is older than {entry.label}: never a downgrade")
    return Target(named, named.model.casefold() != entry.model.casefold(), migration,
                  f"the catalog's named replacement for {entry.label}")


def _newest(versions: list[VersionInfo], entry: VersionInfo, sku: str | None, as_of: dt.date,
            horizon: dt.date) -> VersionInfo | None:
    def qualifies(v: VersionInfo, releases: frozenset[str]) -> bool:
        deprecated = v.deprecation is not None and v.deprecation <= as_of
        return (v is not entry and v.lifecycle in releases and not deprecated and is_newer(v, entry)
                and alive_on(v, sku, horizon))

    pools = [frozenset({"ga"})] + ([frozenset({"preview"})] if entry.lifecycle == "preview" else [])
    for releases in pools:
        found = [v for v in versions if qualifies(v, releases)]
        if found:
            return max(found, key=newest_key)  # lifecycle's order: released date, else the dated version
    return None
