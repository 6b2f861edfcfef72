"""Secret inputs never appear in a message: each is shown as ``[secret]``.

The engine sends secret inputs to the analyzer marked (``{sig: secret, value: …}``), but
pulumi_policy unwraps them before a validation sees ``args.props``, so a rule cannot tell a secret
model name from a plain one. They are still marked in the request's wire form, which versionguard's
servicer (``pack.VersionguardServicer``, what the pack and ``check`` run) hands each validation
(``args.wire``). :func:`secrets_of` captures it, cheaply, when a validation starts; the secret texts
are walked out of it only when a message is about to be reported (:class:`SecretTexts`), once per
request. A servicer that hands no wire form (pulumi_policy's own) gives ``None``: the validation
then fails closed. ``commands.forecast`` redacts its output the same way.

Redaction is by value, case-insensitive, over every text a leaf can show as (raw, trimmed, its
``repr`` body, a number's short form, an enum's canonical spelling): the engine's normalisation
(``noautoupgrade`` -> ``NoAutoUpgrade``) and error shapes cannot leak it. Over-redaction (a word
that happens to equal a secret) is the accepted cost of failing closed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from versionguard.adapters.crossguard.wire import SPECIAL_SECRET_SIG, SPECIAL_SIG_KEY
from versionguard.core.vocabulary import KNOWN_SKUS, UPGRADE_OPTIONS, canonical

SECRET = "[secret]"
_SHARED_KEY = "versionguard:secret-texts"


def secret_texts(props: Any, inside: bool = False) -> frozenset[str]:
    """Every text a secret leaf of the raw (wire-format) props could appear as in a message."""
    out: set[str] = set()
    if isinstance(props, Mapping):
        if props.get(SPECIAL_SIG_KEY) == SPECIAL_SECRET_SIG:
            return secret_texts(props.get("value"), True)
        for value in props.values():
            out |= secret_texts(value, inside)
    elif isinstance(props, Sequence) and not isinstance(props, str):
        for value in props:
            out |= secret_texts(value, inside)
    elif inside and props is not None:
        out |= _forms(props)
    return frozenset(out)


def _forms(value: Any) -> set[str]:
    forms = {str(value)}
    if isinstance(value, str):
        # The engine shows enum values in their canonical spelling (any case-fold match of the input).
        forms |= {value.strip(), repr(value)[1:-1], canonical(value, UPGRADE_OPTIONS + KNOWN_SKUS) or ""}
    elif isinstance(value, int | float) and not isinstance(value, bool):
        forms.add(f"{value:g}")
    return {f for f in forms if f.strip()}


def redact(message: str, texts: frozenset[str]) -> str:
    if not texts:
        return message
    pattern = "|".join(re.escape(t) for t in sorted(texts, key=len, reverse=True))  # longest first
    return re.sub(pattern, SECRET, message, flags=re.IGNORECASE)


class SecretTexts:
    """The secret texts of one resource's wire-form props, walked out on first use only."""

    __slots__ = ("_texts", "_wire")

    def __init__(self, wire: Mapping[str, Any]) -> None:
        self._wire = wire
        self._texts: frozenset[str] | None = None

    @property
    def texts(self) -> frozenset[str]:
        if self._texts is None:
            self._texts = secret_texts(self._wire)
        return self._texts

    def redact(self, message: str) -> str:
        return redact(message, self.texts)


def secrets_of(args: Any) -> SecretTexts | None:
    """The secret texts of the request a validation's ``args`` belong to, shared by the request's
    policies and not yet computed; ``None`` when unknowable (no wire form)."""
    wire = getattr(args, "wire", None)
    if wire is None:
        return None
    shared: dict[Any, Any] | None = getattr(args, "shared", None)
    if shared is None:
        return SecretTexts(wire)
    found = shared.get(_SHARED_KEY)
    if found is None:
        found = shared[_SHARED_KEY] = SecretTexts(wire)
    return found
