"""Read a waivers file into validated :class:`Waivers`."""

from __future__ import annotations

from pathlib import Path

from versionguard.adapters.files.safe_load import read_yaml
from versionguard.core.waivers import Waivers, waivers_from_data


def load_waivers(path: str | Path | None) -> Waivers:
    if path is None:
        return Waivers()
    # Dates stay text: a bad date is reported at its waiver key (waivers[0].expires), not as YAML.
    return waivers_from_data(read_yaml(path, "waivers file", dates_as_text=True), str(path))
