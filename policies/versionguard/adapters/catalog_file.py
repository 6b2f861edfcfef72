"""Read a catalog file (or the bundled one) into a validated :class:`Catalog`."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml

from versionguard.core.catalog import BUNDLED_CATALOG, Catalog, catalog_from_data
from versionguard.core.errors import InputError

# libyaml's loader when PyYAML was built with it: ten times faster on the bundled catalog.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StringDatesLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """YAML loader that keeps dates as text so one schema covers quoted and unquoted dates."""


_StringDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Load and validate a catalog file; ``None`` loads the bundled one."""
    if path is None:
        text = resources.files("versionguard").joinpath("data/catalog.yaml").read_text("utf-8")
        return parse_catalog(text, BUNDLED_CATALOG)
    source = str(path)
    try:
        text = Path(path).read_text("utf-8")
    except OSError as exc:
        raise InputError(source, "(file)", "a readable catalog file", exc.strerror) from None
    return parse_catalog(text, source)


def parse_catalog(text: str, source: str) -> Catalog:
    try:
        data = yaml.load(text, Loader=_StringDatesLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        raise InputError(source, where, "valid YAML", str(getattr(exc, "problem", exc))) from None
    return catalog_from_data(data, source)
