"""Enum vocabularies shared by the components, the engine and the CLI.

Azure compares these values case-insensitively; we keep the canonical spelling for messages and
map any case variant onto it with :func:`canonical`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

UPGRADE_OPTIONS: tuple[str, ...] = (
    "OnceNewDefaultVersionAvailable",
    "OnceCurrentVersionExpired",
    "NoAutoUpgrade",
)
AUTO_UPDATE = "OnceNewDefaultVersionAvailable"
UPGRADE_ON_EXPIRY = "OnceCurrentVersionExpired"
NO_AUTO_UPGRADE = "NoAutoUpgrade"

# Azure auto-upgrades only these deployment types (working-with-models: "Automatic model updates
# are only supported for Standard deployment types").
STANDARD_SKUS: tuple[str, ...] = ("Standard", "GlobalStandard", "DataZoneStandard")
PROVISIONED_SKUS: tuple[str, ...] = (
    "ProvisionedManaged",
    "GlobalProvisionedManaged",
    "DataZoneProvisionedManaged",
)
BATCH_SKUS: tuple[str, ...] = ("GlobalBatch", "DataZoneBatch")
OTHER_SKUS: tuple[str, ...] = (*BATCH_SKUS, "DeveloperTier")
KNOWN_SKUS: tuple[str, ...] = STANDARD_SKUS + PROVISIONED_SKUS + OTHER_SKUS

LIFECYCLES: tuple[str, ...] = ("preview", "ga", "deprecated", "retired", "legacy")
DATE_STATUSES: tuple[str, ...] = ("planned", "tentative")


def canonical(value: str, allowed: Iterable[str]) -> str | None:
    """The canonical spelling of ``value`` among ``allowed`` (case-insensitive), else None."""
    folded = value.strip().casefold()
    for candidate in allowed:
        if candidate.casefold() == folded:
            return candidate
    return None


def folding(allowed: Iterable[str]) -> dict[str, str]:
    """A case-folded lookup table for a hot path: ``table.get(value.strip().casefold())``."""
    return {a.casefold(): a for a in allowed}


def closest(value: str, allowed: Iterable[str]) -> str | None:
    """The allowed value a typo most likely meant, or None when nothing is close."""
    pool = list(allowed)
    folded = {c.casefold(): c for c in pool}
    hits = difflib.get_close_matches(value.strip().casefold(), list(folded), n=1, cutoff=0.6)
    return folded[hits[0]] if hits else None


_STANDARD = folding(STANDARD_SKUS)
_KNOWN = folding(KNOWN_SKUS)


def known_sku(sku: str | None) -> str | None:
    """The canonical name of one of the nine documented deployment types, else None."""
    return None if sku is None else _KNOWN.get(sku.strip().casefold())


def is_standard_sku(sku: str | None) -> bool:
    """True only for the three Standard deployment types; unknown or missing SKUs are not."""
    return sku is not None and sku.strip().casefold() in _STANDARD
