"""Typed, validated policy config: the settings every rule reads (``retirementWindowDays``, …)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import InputError


@dataclass(frozen=True)
class RuleSettings:
    """Typed policy config; every key has its documented default."""

    retirement_window_days: int = 90
    fail_on_unknown: bool = False
    max_catalog_age_days: int = 120
    max_waiver_days: int = 90
    setting_names: tuple[str, ...] = ()  # settingNames: api-version settings beyond the two defaults


MAX_DAYS = 36_500  # a window of a century: any larger day count is a typo (and overflows date arithmetic)
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
                    or value != int(value) or not 0 <= value <= MAX_DAYS:
                raise InputError(source, key, f"a whole number of days from 0 to {MAX_DAYS}", value)
            values[_INT_KEYS[key]] = int(value)
        elif key == "failOnUnknown":
            if not isinstance(value, bool):
                raise InputError(source, key, "a boolean", value)
            values["fail_on_unknown"] = value
        elif key == "settingNames":
            if isinstance(value, str) or not isinstance(value, list | tuple) \
                    or not all(isinstance(n, str) and n.strip() for n in value):
                raise InputError(source, key, "a list of non-empty setting names", value)
            values["setting_names"] = tuple(n.strip() for n in value)
    return RuleSettings(**values)
