"""Reading ARM list responses: ``{"value": [...], "nextLink"?}`` or the bare array ``az`` prints."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from versionguard.core.errors import InputError
from versionguard.core.records import shape_of


@dataclass(frozen=True)
class ArmList:
    items: list[Any]
    prefix: str  # JSON path of the list: "value" or "" (a bare array)
    paged: bool  # a nextLink was present: only this page is here


def read_arm_list(text: str, source: str, what: str, envelope: str) -> ArmList:
    """Parse ``text``; errors name the file and the JSON path. ``what`` names the items ("deployments")."""
    return arm_list(parse_json(text, source), source, what, envelope)


def parse_json(text: str, source: str) -> Any:
    """JSON text to data; a syntax error names the file, line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"line {exc.lineno} column {exc.colno}", "valid JSON", exc.msg) from None
    except RecursionError:  # hostile nesting must be an input error, not a crash
        raise InputError(source, "(top level)", "JSON nested less deeply", "nesting past the parser's limit") from None


def arm_list(data: Any, source: str, what: str, envelope: str) -> ArmList:
    """The items of parsed ARM list data (``{"value": [...]}`` or a bare array)."""
    if isinstance(data, list):
        return ArmList(data, "", False)
    if not isinstance(data, dict) or "value" not in data:
        raise InputError(source, "(top level)", envelope, shape_of(data))
    if not isinstance(data["value"], list):
        raise InputError(source, "value", f"a list of {what}", shape_of(data["value"]))
    return ArmList(data["value"], "value", bool(data.get("nextLink")))
