"""Field readers shared by the catalog's model versions and its api-versions.

One error path format everywhere, the one schema errors use: each step joined by `` > ``
(``models[0] m > versions[1] 2024-01-01 > fine_tuned > training_retirement``,
``… > retirement_by_sku > Standard``, ``sources > src > date``), so a field is named the same
whether the schema refuses its shape or the calendar refuses its date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable, Mapping
from typing import Any

from .dates import parse_date
from .errors import InputError


def date_at(value: object, source: str, where: str, key: str) -> dt.date:
    """The date ``value`` of field ``key`` of the entry at ``where``."""
    return parse_date(value, source, f"{where} > {key}")


def date_field(block: Mapping[str, Any], key: str, source: str, where: str) -> dt.date | None:
    """An optional date field of the entry at ``where`` (absent or null: None)."""
    value = block.get(key)
    return None if value is None else date_at(value, source, where, key)


def check_sources(ids: Iterable[str] | None, defined: Container[str], source: str, where: str) -> None:
    """Every source id an entry cites is defined under the top-level ``sources``."""
    for sid in ids or ():
        if sid not in defined:
            raise InputError(source, f"{where} > sources", "ids defined under the top-level sources", sid)
