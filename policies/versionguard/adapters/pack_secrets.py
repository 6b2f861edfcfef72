"""Secret inputs never appear in a policy message: each is shown as ``[secret]``.

The engine sends secret inputs to the analyzer marked (``{sig: secret, value: …}``), but
pulumi_policy's ``Analyze`` unwraps them before a validation sees the props, so a rule cannot tell a
secret model name from a plain one. :func:`install` wraps the deserializer pulumi_policy calls right
before it hands the props to each validation: the wrapper notes the secret values of that request,
and the validation redacts its messages against them (:func:`take`, :func:`redact`).

Redaction is by value, case-insensitive, over every text a leaf can show as (raw, trimmed, its
``repr`` body, a number's short form): the engine's normalisation (``noautoupgrade`` ->
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
# None = the hook did not run for this validation (pulumi_policy changed): the caller fails closed.
_NOTED: ContextVar[frozenset[str] | None] = ContextVar("versionguard_secret_texts", default=None)


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


def take() -> frozenset[str] | None:
    """The secret texts of the request being validated, once (the next validation needs a fresh note)."""
    texts = _NOTED.get()
    _NOTED.set(None)
    return texts


def install() -> None:
    """Wrap pulumi_policy's deserializer once per process (pulumi-policy is pinned; tests cover the seam)."""
    original: Callable[..., Any] = _policy_module.deserialize_properties
    if getattr(original, "_versionguard", False):
        return

    def deserialize_noting_secrets(props: Any, proxy_secrets: bool = False) -> Any:
        _NOTED.set(secret_texts(props))
        return original(props, proxy_secrets)

    deserialize_noting_secrets._versionguard = True  # type: ignore[attr-defined]
    _policy_module.deserialize_properties = deserialize_noting_secrets
