"""Reading ARM list responses: ``{"value": [...], "nextLink"?}`` or the bare array ``az`` prints."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from versionguard.adapters.files.safe_load import parse_json
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


def arm_list(data: Any, source: str, what: str, envelope: str) -> ArmList:
    """The items of parsed ARM list data (``{"value": [...]}`` or a bare array)."""
    if isinstance(data, list):
        return ArmList(data, "", False)
    if not isinstance(data, dict) or "value" not in data:
        raise InputError(source, "(top level)", envelope, shape_of(data))
    if not isinstance(data["value"], list):
        raise InputError(source, "value", f"a list of {what}", shape_of(data["value"]))
    return ArmList(data["value"], "value", bool(data.get("nextLink")))
