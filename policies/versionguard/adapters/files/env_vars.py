"""The ``VERSIONGUARD_*`` environment variables, validated.

``VERSIONGUARD_AS_OF``, ``VERSIONGUARD_CATALOG`` and ``VERSIONGUARD_WAIVERS`` replace the
defaults; a bad value is an :class:`InputError`, never a silent fallback.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path

from versionguard.core.dates import parse_date, today_utc
from versionguard.core.errors import InputError

ENV_AS_OF = "VERSIONGUARD_AS_OF"
ENV_CATALOG = "VERSIONGUARD_CATALOG"
ENV_WAIVERS = "VERSIONGUARD_WAIVERS"
ENVIRONMENT = "environment"


def as_of_from_env(env: Mapping[str, str] | None = None) -> dt.date:
    value = (os.environ if env is None else env).get(ENV_AS_OF)
    if value is None or value == "":
        return today_utc()
    return parse_date(value, ENVIRONMENT, ENV_AS_OF)


def path_from_env(name: str, env: Mapping[str, str] | None = None) -> Path | None:
    value = (os.environ if env is None else env).get(name)
    if value is None or value == "":
        return None
    path = Path(value)
    if not path.is_file():
        raise InputError(ENVIRONMENT, name, "the path of an existing file", value)
    return path
