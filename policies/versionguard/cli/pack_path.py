"""``versionguard pack-path``: typer wiring for :mod:`versionguard.adapters.crossguard.pack_location`."""

from __future__ import annotations

import typer

from versionguard.cli.options import fail
from versionguard.commands.pack_path import pack_path
from versionguard.core.errors import InputError


def pack_path_command() -> None:
    """Print the policy pack's directory, for `pulumi preview --policy-pack "$(versionguard pack-path)"`."""
    try:
        path = pack_path()
    except InputError as e:
        raise fail(e) from None
    typer.echo(str(path))
