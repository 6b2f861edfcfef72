"""``versionguard catalog import``, ``catalog fetch``, ``catalog import-docs`` and ``catalog diff``: build a
catalog from Models-List data (files, or the API itself) or from the published retirement schedule,
and compare two catalogs. Each returns its result; the
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
from versionguard.adapters.azure.models_list import (
    ImportResult,
    finish_import,
    import_catalog,
    sightings_of,
    source_ids,
)
from versionguard.adapters.files.catalog_file import BUNDLED, load_catalog
from versionguard.adapters.files.env_vars import as_of_from_env
from versionguard.adapters.files.schedule_page import parse_page_bytes, read_page_file
from versionguard.adapters.web import https_fetch
from versionguard.core.catalog import Catalog, catalog_from_data
from versionguard.core.catalog_diff import CatalogDiff, diff_catalogs
from versionguard.core.errors import InputError
from versionguard.core.schedule_import import SchedulePage, build_schedule_data


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


@dataclass(frozen=True)
class DocsImportResult:
    imported: ImportResult
    diff: CatalogDiff  # against the --previous catalog, else the bundled one
    skipped: list[str]  # rows that cannot be catalog entries (no version), said on the terminal
    rows: int


def import_docs(sources: Sequence[str], as_of: dt.date | None = None, previous: str | None = None,
                timeout: float = https_fetch.DEFAULT_TIMEOUT) -> DocsImportResult:
    """A validated catalog from the retirement schedule's Markdown (paths or https URLs), carrying over
    from ``previous`` what the page does not state, and its diff against ``previous`` (else the bundled
    catalog)."""
    if not sources:
        raise InputError("command line", "SOURCE", "at least one schedule page (a path or an https:// URL)")
    day = as_of or as_of_from_env()
    before = load_named_catalog(previous or BUNDLED)
    ids = source_ids([Path(urllib_name(s)) for s in sources])
    pages: list[SchedulePage] = []
    for given, sid in zip(sources, ids, strict=True):
        if https_fetch.is_url(given):
            pages.append(parse_page_bytes(https_fetch.fetch(given, timeout), given, sid))
        else:
            pages.append(read_page_file(Path(given), sid))
    built = build_schedule_data(pages, day, before if previous else None)
    command = "catalog import-docs"
    catalog = catalog_from_data(built.data, command)  # the output must load; a failure here is a bug
    versions = sum(len(m["versions"]) for m in built.data["models"])
    imported = ImportResult(built.data, [], versions, len(pages), catalog, command)
    return DocsImportResult(imported, diff_catalogs(before, catalog), built.skipped, built.rows)


def urllib_name(source: str) -> str:
    """The last path segment of a URL or path, for the source id (``model-retirement-schedule``)."""
    tail = source.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    return tail.rsplit("/", 1)[-1] or "page"
