"""Evaluation inputs from the environment and from policy config, validated.

``VERSIONGUARD_AS_OF``, ``VERSIONGUARD_CATALOG`` and ``VERSIONGUARD_WAIVERS`` replace the
defaults; a bad value is an :class:`InputError`, never a silent fallback.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .dates import parse_date, today_utc
from .errors import InputError

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


@dataclass(frozen=True)
class RuleSettings:
    """Typed policy config; every key has its documented default."""

    retirement_window_days: int = 90
    fail_on_unknown: bool = False
    max_catalog_age_days: int = 120
    max_waiver_days: int = 90


_INT_KEYS = {
    "retirementWindowDays": "retirement_window_days",
    "maxCatalogAgeDays": "max_catalog_age_days",
    "maxWaiverDays": "max_waiver_days",
}


def rule_settings(config: Mapping[str, Any] | None, source: str) -> RuleSettings:
    """Parse a policy's config. Numbers arrive as floats over gRPC: 90.0 is fine, 90.5 is not."""
    values: dict[str, Any] = {}
    for key, value in (config or {}).items():
        if key in _INT_KEYS:
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
                    or value != int(value) or value < 0:
                raise InputError(source, key, "a non-negative integer", value)
            values[_INT_KEYS[key]] = int(value)
        elif key == "failOnUnknown":
            if not isinstance(value, bool):
                raise InputError(source, key, "a boolean", value)
            values["fail_on_unknown"] = value
    return RuleSettings(**values)
