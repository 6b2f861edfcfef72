"""Resource properties in the analyzer's wire form as plain data for the core.

The wire form is ``MessageToDict`` of a request's (or an offline registration's) ``properties``:
what the Pulumi engine sends an analyzer, with unknown values as sentinel strings and Pulumi secrets
still marked (``{<sig key>: <secret sig>, "value": …}``). :func:`from_wire` turns it into the plain
data :func:`records.normalize` and :func:`api_usage.scan` read:

- an unknown sentinel becomes :class:`records.Unknown` (with its path), as CrossGuard's proxies
  report it;
- a secret becomes :class:`records.Secret` holding its (converted) value: the deployment records
  read through it, as the pack judges the deserialized value, while the api-version scan treats it
  as unreadable; no reader shows it (the adapters redact secret texts, ``pack_secrets``).

No pulumi_policy here (``commands.forecast`` uses it too): the sentinels are the Pulumi engine's wire
constants, checked against pulumi_policy's own in tests/unit/test_wire.py.
"""

from __future__ import annotations

from typing import Any

from versionguard.core.records import Secret, Unknown

# pulumi_policy.deserialize.SPECIAL_SIG_KEY / SPECIAL_SECRET_SIG
SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d"
SPECIAL_SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
# pulumi_policy.proxy.UNKNOWN_{BOOLEAN,NUMBER,STRING,ARRAY,ASSET,ARCHIVE,OBJECT}_VALUE
UNKNOWN_SENTINELS = frozenset({
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58", "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
})


def from_wire(value: Any, path: tuple[str, ...] = ()) -> Any:
    """Wire-form properties as plain data: unknowns as ``records.Unknown``, Pulumi secrets as
    ``records.Secret`` around their converted value."""
    if isinstance(value, dict):
        if value.get(SPECIAL_SIG_KEY) == SPECIAL_SECRET_SIG:
            return Secret(from_wire(value.get("value"), path))
        return {k: from_wire(v, (*path, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [from_wire(v, (*path, str(i))) for i, v in enumerate(value)]
    if isinstance(value, str) and value in UNKNOWN_SENTINELS:
        return Unknown(path, value)
    return value
