"""``versionguard catalog import`` and ``catalog diff``: build a catalog from Models-List data, and
compare two catalogs. Each returns its result; the CLI prints it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from versionguard.adapters.catalog_file import load_catalog
from versionguard.adapters.environment import as_of_from_env
from versionguard.adapters.models_list import ImportResult, import_catalog
from versionguard.core.catalog import Catalog
from versionguard.core.catalog_diff import CatalogDiff, diff_catalogs

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
