"""Read deployments as they exist in Azure from ARM JSON into :class:`DeploymentRecord` s.

Input is the ARM Deployments-List response (``{"value": [...], "nextLink"?}``) or the array that
``az cognitiveservices account deployment list`` prints. Each item is normalized like an
azure-native resource (ARM and azure-native share the shape).

The envelope must be right (JSON, the list, each item an object with ``name`` and an ARM
deployment ``id``): otherwise an :class:`InputError` names the file and the JSON path. Anything
odd *inside* an item (null properties, an unknown SKU, a list where an object belongs) is left to
the rules, which fail closed on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from versionguard.adapters.arm_json import read_arm_list
from versionguard.adapters.safe_load import read_text
from versionguard.core.errors import InputError
from versionguard.core.records import AZURE_NATIVE_TYPE, DeploymentRecord, normalize, shape_of

ARM_DEPLOYMENT_TYPE = "Microsoft.CognitiveServices/accounts/deployments"
_ARM_ID = re.compile(r"/providers/Microsoft\.CognitiveServices/accounts/([^/]+)/deployments/([^/]+)/?$",
                     re.IGNORECASE)
_ENVELOPE = ('an object with a "value" list (ARM Deployments - List) or an array '
             "(az cognitiveservices account deployment list)")


@dataclass(frozen=True)
class LiveDeployment:
    """One deployment read from ARM JSON, with where it came from."""

    record: DeploymentRecord
    arm_id: str
    account: str
    name: str
    arm_type: str
    source: str  # file name
    path: str  # JSON path of the item, e.g. value[3]

    @property
    def resource(self) -> str:
        return f"{self.account}/{self.name}"


@dataclass(frozen=True)
class LiveInput:
    deployments: list[LiveDeployment]
    notes: list[str]  # for the terminal: paged responses, duplicates


def parse_text(text: str, source: str) -> tuple[list[Any], str, list[str]]:
    """The item list of a Deployments-List response or an ``az`` array, its JSON path prefix and notes."""
    listing = read_arm_list(text, source, "deployments", _ENVELOPE)
    notes = [f"{source}: the response has a nextLink; only this page was read (fetch every page, or use "
             "az cognitiveservices account deployment list)"] if listing.paged else []
    return listing.items, listing.prefix, notes


def read_items(items: Sequence[Any], prefix: str, source: str) -> list[LiveDeployment]:
    """Check each item's envelope (object, name, ARM id, type) and normalize it."""
    out: list[LiveDeployment] = []
    for i, item in enumerate(items):
        path = f"{prefix}[{i}]"
        if not isinstance(item, dict):
            raise InputError(source, path, "a deployment object", shape_of(item))
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise InputError(source, f"{path}.name", "the deployment name (a non-empty string)", name)
        arm_id = item.get("id")
        match = _ARM_ID.search(arm_id) if isinstance(arm_id, str) else None
        if match is None:
            raise InputError(source, f"{path}.id", "an ARM id .../providers/Microsoft.CognitiveServices/accounts/"
                             "<account>/deployments/<name>", arm_id)
        arm_type = item.get("type", ARM_DEPLOYMENT_TYPE)
        if not isinstance(arm_type, str) or arm_type.casefold() != ARM_DEPLOYMENT_TYPE.casefold():
            raise InputError(source, f"{path}.type", ARM_DEPLOYMENT_TYPE, arm_type)
        account = match.group(1)
        record = normalize(AZURE_NATIVE_TYPE, item, name.strip(), urn=arm_id, account=account)
        out.append(LiveDeployment(record, arm_id, account, name.strip(), arm_type, source, path))
    return out


def load_live(paths: Iterable[Path]) -> LiveInput:
    """Read every file; the same ARM id twice (case-insensitive) is judged once."""
    deployments: list[LiveDeployment] = []
    notes: list[str] = []
    seen: dict[str, LiveDeployment] = {}
    for path in paths:
        source = str(path)
        text = read_text(path, "JSON file")
        items, prefix, file_notes = parse_text(text, source)
        notes += file_notes
        for d in read_items(items, prefix, source):
            key = d.arm_id.casefold()
            if key in seen:
                first = seen[key]
                notes.append(f"{source}: {d.path} repeats {first.source}: {first.path} ({d.resource}); judged once")
                continue
            seen[key] = d
            deployments.append(d)
    return LiveInput(deployments, notes)
