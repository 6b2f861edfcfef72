"""Read a waivers file into validated :class:`Waivers`."""

from __future__ import annotations

from pathlib import Path

import yaml

from versionguard.core.errors import InputError
from versionguard.core.waivers import Waivers, waivers_from_data


def load_waivers(path: str | Path | None) -> Waivers:
    if path is None:
        return Waivers()
    source = str(path)
    try:
        text = Path(path).read_text("utf-8")
    except OSError as exc:
        raise InputError(source, "(file)", "a readable waivers file", exc.strerror) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(source, f"line {mark.line + 1}" if mark else "(file)", "valid YAML",
                         str(getattr(exc, "problem", exc))) from None
    return waivers_from_data(data, source)
