"""Read a catalog file (or the bundled one) into a validated :class:`Catalog`."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from versionguard.adapters.files.safe_load import decode_text, parse_yaml, read_text
from versionguard.core.catalog import BUNDLED_CATALOG, Catalog, catalog_from_data

BUNDLED = "@bundled"  # how a command line names the bundled catalog where a catalog file is expected


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Load and validate a catalog file; ``None`` loads the bundled one."""
    if path is None:
        data = resources.files("versionguard").joinpath("data/catalog.yaml").read_bytes()
        return parse_catalog(decode_text(data, BUNDLED_CATALOG), BUNDLED_CATALOG)
    return parse_catalog(read_text(path, "catalog file"), str(path))


def parse_catalog(text: str, source: str) -> Catalog:
    # Dates stay text so one schema covers quoted and unquoted dates.
    return catalog_from_data(parse_yaml(text, source, dates_as_text=True), source)
