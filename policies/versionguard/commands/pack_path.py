"""``versionguard pack-path``: the policy pack that runs with this installation of versionguard."""

from __future__ import annotations

from pathlib import Path

from versionguard.adapters.crossguard.pack_location import locate_pack


def pack_path() -> Path:
    """The directory for ``pulumi preview --policy-pack``: it runs this package, bundled catalog included,
    with this interpreter's virtualenv."""
    return locate_pack()
