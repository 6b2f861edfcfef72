"""``versionguard catalog import``, ``catalog fetch`` and ``catalog diff``: build a catalog from
Models-List data (files, or the API itself), and compare two catalogs. Each returns its result; the
CLI prints it."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from versionguard.adapters.azure import sdk_clients as azure_arm
from versionguard.adapters.azure.models_list import ImportResult, finish_import, import_catalog, sightings_of
from versionguard.adapters.files.catalog_file import load_catalog
from versionguard.adapters.files.env_vars import as_of_from_env
from versionguard.core.catalog import Catalog
from versionguard.core.catalog_diff import CatalogDiff, diff_catalogs
from versionguard.core.errors import InputError

BUNDLED = "@bundled"


def load_named_catalog(name: str) -> Catalog:
    """A catalog file, or the bundled one for ``@bundled``."""
    return load_catalog(None if name == BUNDLED else Path(name))


def import_models(files: Sequence[Path], as_of: dt.date | None = None, previous: str | None = None) -> ImportResult:
    """A validated catalog from Models-List files, dated ``as_of`` (default: the environment's as-of date),
    carrying over what the API lacks from ``previous`` when given."""
    day = as_of or as_of_from_env()
    before = None if previous is None else load_named_catalog(previous)
    return import_catalog(list(files), day, before)


def diff(old: str, new: str) -> CatalogDiff:
    """What changed from catalog ``old`` to catalog ``new`` (files, or ``@bundled``)."""
    return diff_catalogs(load_named_catalog(old), load_named_catalog(new))


@dataclass(frozen=True)
class FetchResult:
    imported: ImportResult
    diff: CatalogDiff  # against the --previous catalog, else the bundled one
    subscription: str


_LOCATION = re.compile(r"^[a-z0-9]+$")


def fetch_models(locations: Sequence[str], subscription: str | None = None, arm_endpoint: str | None = None,
                 as_of: dt.date | None = None, previous: str | None = None, credential: Any = None,
                 progress: Callable[[str, int], None] | None = None) -> FetchResult:
    """``catalog import`` straight from the Models-List API: every page of each region, merged as the
    import merges files, and the diff against ``previous`` (default: the bundled catalog). Without a
    subscription: ``$AZURE_SUBSCRIPTION_ID``, else the first the credential can read."""
    names = [loc.strip().lower().replace(" ", "") for loc in locations]
    for given, name in zip(locations, names, strict=True):
        if not _LOCATION.match(name):
            raise InputError("--location", "--location", "an Azure region name such as eastus or swedencentral", given)
    if len(set(names)) != len(names):
        raise InputError("--location", "--location", "each region once", ", ".join(locations))
    day = as_of or as_of_from_env()
    before = load_named_catalog(previous or BUNDLED)
    endpoint = azure_arm.Endpoint.of(arm_endpoint)
    credential = credential if credential is not None else azure_arm.default_credential()
    sub = subscription or os.environ.get("AZURE_SUBSCRIPTION_ID") or azure_arm.first_subscription(credential, endpoint)
    sightings = []
    sources = {}
    for name in names:
        sid = f"models-list-{name}"
        # The subscription stays a placeholder: a catalog is shared, the subscription id need not be.
        url = (f"{endpoint.url}/subscriptions/{{subscriptionId}}/providers/Microsoft.CognitiveServices/locations/"
               f"{name}/models")
        items = azure_arm.location_models(name, sub, credential, endpoint,
                                          None if progress is None else lambda n, name=name: progress(name, n))
        sightings += sightings_of(items, "value", f"Models - List of {name}", sid)  # names it in notes, errors
        sources[sid] = {"title": f"ARM Models - List, {name}", "url": url}
    imported = finish_import(sightings, sources, day, before if previous else None, command="catalog fetch")
    return FetchResult(imported, diff_catalogs(before, imported.catalog), sub)
