"""Waivers: time-boxed, reasoned exceptions for one policy on one resource.

A waiver silences its policy for its resource only while it has a reason and has not expired;
``waiver-hygiene`` reports the ones that fail those tests or run too long.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .dates import parse_date
from .errors import InputError

_KEYS = {"policy", "resource", "stacks", "reason", "expires", "granted"}


@dataclass(frozen=True)
class Waiver:
    policy: str
    resource: str  # logical resource name or full URN
    reason: str
    expires: dt.date
    stacks: tuple[str, ...] | None = None  # None: every stack
    granted: dt.date | None = None  # optional: when it was granted (hygiene measures from here)
    index: int = 0

    def applies(self, policy: str, names: str | Sequence[str], urn: str, stack: str | None) -> bool:
        """For this policy and stack, and this resource: its name (or any of ``names``, e.g. a live
        deployment's name and ``<account>/<deployment>``) or its URN. A waiver naming an ARM id
        (``/subscriptions/…``) matches it case-insensitively, as ARM compares ids."""
        if self.policy != policy or not (self.stacks is None or (stack is not None and stack in self.stacks)):
            return False
        resource = self.resource
        if resource == urn or (resource == names if type(names) is str else resource in names):
            return True
        return self._arm_id is not None and self._arm_id == urn.casefold()

    @functools.cached_property
    def _arm_id(self) -> str | None:
        """The resource folded for comparison when it is an ARM id; None for names and Pulumi URNs."""
        return self.resource.casefold() if self.resource.startswith("/") else None

    def is_active(self, as_of: dt.date) -> bool:
        """Silences findings: has a reason, is granted (when a date is given) and has not expired."""
        return bool(self.reason) and (self.granted is None or self.granted <= as_of) and as_of <= self.expires


@dataclass(frozen=True)
class Waivers:
    items: tuple[Waiver, ...] = ()
    origin: str = "(none)"

    def find(self, policy: str, names: str | Sequence[str], urn: str, stack: str | None,
             as_of: dt.date) -> Waiver | None:
        """The first active waiver of this policy for a resource known by ``names`` (one name or
        several) or ``urn`` in ``stack``."""
        for waiver in self.items:
            if waiver.applies(policy, names, urn, stack) and waiver.is_active(as_of):
                return waiver
        return None


def waivers_from_data(data: Any, source: str) -> Waivers:
    if data is None:
        return Waivers((), source)
    if not isinstance(data, dict) or set(data) - {"waivers"}:
        raise InputError(source, "(top level)", "a mapping with a single key 'waivers'", data)
    entries = data.get("waivers") or []
    if not isinstance(entries, list):
        raise InputError(source, "waivers", "a list of waivers", entries)
    return Waivers(tuple(_waiver(e, i, source) for i, e in enumerate(entries)), source)


def _waiver(entry: Any, index: int, source: str) -> Waiver:
    where = f"waivers[{index}]"
    if not isinstance(entry, dict):
        raise InputError(source, where, "a mapping with policy, resource, reason, expires", entry)
    unknown = set(entry) - _KEYS
    if unknown:
        raise InputError(source, f"{where}.{sorted(unknown)[0]}", "one of " + ", ".join(sorted(_KEYS)))
    for key in ("policy", "resource"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise InputError(source, f"{where}.{key}", "a non-empty string", entry.get(key))
    reason = entry.get("reason")
    if reason is not None and not isinstance(reason, str):
        raise InputError(source, f"{where}.reason", "a string", reason)
    if "expires" not in entry:
        raise InputError(source, f"{where}.expires", "a date YYYY-MM-DD (every waiver must expire)")
    stacks = entry.get("stacks")
    if stacks is not None and (not isinstance(stacks, list) or not all(isinstance(s, str) for s in stacks)):
        raise InputError(source, f"{where}.stacks", "a list of stack names", stacks)
    granted = entry.get("granted")
    return Waiver(
        policy=entry["policy"].strip(),
        resource=entry["resource"].strip(),
        reason=(reason or "").strip(),
        expires=parse_date(entry["expires"], source, f"{where}.expires"),
        stacks=tuple(stacks) if stacks is not None else None,
        granted=parse_date(granted, source, f"{where}.granted") if granted is not None else None,
        index=index,
    )
