"""Secret inputs never appear in a policy message: each is shown as ``[secret]``.

The engine sends secret inputs to the analyzer marked (``{sig: secret, value: …}``), but
pulumi_policy unwraps them before a validation sees ``args.props``, so a rule cannot tell a secret
model name from a plain one. :func:`secrets_of` finds them where they are still marked:

- versionguard's servicer (``pack.VersionguardServicer``, what the pack and ``check`` run) hands
  each validation the request's wire form (``args.wire``);
- a stock ``pulumi_policy`` servicer does not, so :func:`install` wraps the deserializer it calls
  on the props (and the provider's) before each validation, and the wrapper notes their secrets
  until the validation takes them (:func:`take`).

Neither available: ``None``, and the validation fails closed. Redaction is by value,
case-insensitive, over every text a leaf can show as (raw, trimmed, its ``repr`` body, a number's
short form, an enum's canonical spelling): the engine's normalisation (``noautoupgrade`` ->
``NoAutoUpgrade``) and error shapes cannot leak it. Over-redaction (a word that happens to equal a
secret) is the accepted cost of failing closed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from typing import Any

from pulumi_policy import policy as _policy_module
from pulumi_policy.deserialize import SPECIAL_SECRET_SIG, SPECIAL_SIG_KEY

from versionguard.core.vocabulary import KNOWN_SKUS, UPGRADE_OPTIONS, canonical

SECRET = "[secret]"
# Secrets of everything a stock servicer deserialized since the last take(); None = nothing noted.
_NOTED: ContextVar[frozenset[str] | None] = ContextVar("versionguard_secret_texts", default=None)
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


def secrets_of(args: Any) -> frozenset[str] | None:
    """The secret texts of the request a validation's ``args`` belong to; ``None`` when unknowable."""
    noted = take()  # always: the note must not outlive this validation
    wire = getattr(args, "wire", None)
    if wire is None:
        return noted
    shared: dict[Any, Any] | None = getattr(args, "shared", None)
    if shared is None:
        return secret_texts(wire)
    found = shared.get(_SHARED_KEY)
    if found is None:
        found = shared[_SHARED_KEY] = secret_texts(wire)
    return found


def take() -> frozenset[str] | None:
    """What the deserializer hook noted since the last call, and forget it."""
    texts = _NOTED.get()
    _NOTED.set(None)
    return texts


def install() -> None:
    """Wrap pulumi_policy's deserializer once per process, for stock servicers (pulumi-policy is pinned;
    the servicer-parity and secrets tests cover the seam)."""
    original: Callable[..., Any] = _policy_module.deserialize_properties
    if getattr(original, "_versionguard", False):
        return

    def deserialize_noting_secrets(props: Any, proxy_secrets: bool = False) -> Any:
        # Accumulate: the stock Analyze deserializes the resource's props, then its provider's.
        _NOTED.set((_NOTED.get() or frozenset()) | secret_texts(props))
        return original(props, proxy_secrets)

    deserialize_noting_secrets._versionguard = True  # type: ignore[attr-defined]
    _policy_module.deserialize_properties = deserialize_noting_secrets
