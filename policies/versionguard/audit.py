"""``versionguard audit``: judge deployments as they exist in Azure, from ARM JSON.

Input is the ARM Deployments-List response (``{"value": [...], "nextLink"?}``) or the array that
``az cognitiveservices account deployment list`` prints. Each item is normalized like an
azure-native resource (ARM and azure-native share the shape) and judged by the same rules, at the
same levels, with the same waivers as ``check``; the result is a :class:`Report` so every output
format and exit code matches ``check``.

The envelope must be right (JSON, the list, each item an object with ``name`` and an ARM
deployment ``id``): otherwise an :class:`InputError` names the file and the JSON path. Anything
odd *inside* an item (null properties, an unknown SKU, a list where an object belongs) is left to
the rules, which fail closed on it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import engine
from .arm_json import read_arm_list
from .catalog import Catalog
from .errors import InputError
from .findings import STACK_RESOURCE, Finding, Report
from .policy_config import PolicyInfo, PolicySetting, load_policy_config, reconcile
from .records import AZURE_NATIVE_TYPE, DeploymentRecord, normalize, shape_of
from .rules import RULES
from .rules.base import Context, Level
from .settings import rule_settings
from .waivers import Waiver, Waivers

ARM_DEPLOYMENT_TYPE = "Microsoft.CognitiveServices/accounts/deployments"
DEFAULT_STACK_LABEL = "live"
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
        try:
            text = path.read_text("utf-8")
        except OSError as exc:
            raise InputError(source, "(file)", "a readable JSON file", exc.strerror) from None
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


def policy_settings(path: Path | None) -> dict[str, PolicySetting]:
    """Levels and properties per policy: defaults, or a ``policies/config/<stack>.json`` file merged
    the way the Pulumi engine merges ``--policy-pack-config``."""
    infos = [PolicyInfo(r.meta.id, r.meta.level.value, r.meta.config) for r in RULES]
    given = load_policy_config(path) if path is not None else {}
    return reconcile(infos, given, str(path) if path else "(defaults)")


def audit(
    live: Sequence[LiveDeployment],
    catalog: Catalog,
    as_of: dt.date,
    waivers: Waivers | None = None,
    stack_label: str = DEFAULT_STACK_LABEL,
    settings: Mapping[str, PolicySetting] | None = None,
) -> Report:
    """Judge live deployments with every rule through :func:`engine.judge`."""
    waivers = waivers or Waivers()
    settings = settings if settings is not None else policy_settings(None)
    by_record = {id(d.record): d for d in live}
    records = [d.record for d in live]
    findings: list[Finding] = []
    for rule in RULES:
        setting = settings[rule.meta.id]
        rs = rule_settings(setting.properties, f"policy config of {rule.meta.id}")
        ctx = Context(as_of, catalog, rs, waivers, stack_label)
        for j in engine.judge(records, ctx, levels={rule.meta.id: Level(setting.level)}, rules=[rule]):
            message = engine.message_of(j.outcome)
            if j.record is None:
                findings.append(Finding(stack_label, rule.meta.id, j.level.value, STACK_RESOURCE, "", "", message))
                continue
            d = by_record[id(j.record)]
            waiver = find_waiver(waivers, rule.meta.id, d, stack_label, as_of)
            findings.append(Finding(
                stack_label, rule.meta.id, j.level.value, d.resource, d.arm_type, d.arm_id,
                message, waived=waiver is not None, waiver_reason=waiver.reason if waiver else None,
                waiver_expires=waiver.expires if waiver else None))
    return Report(as_of, catalog.as_of, [stack_label], findings, command="audit",
                  extra={"deployments": {stack_label: len(live)}})


def find_waiver(waivers: Waivers, policy: str, d: LiveDeployment, stack: str, as_of: dt.date) -> Waiver | None:
    """A waiver's ``resource`` may be the deployment name, ``<account>/<deployment>`` or the ARM id
    (the id compared case-insensitively, as ARM does)."""
    for name in (d.name, d.resource):
        found = waivers.find(policy, name, d.arm_id, stack, as_of)
        if found is not None:
            return found
    for w in waivers.items:
        if w.resource.casefold() == d.arm_id.casefold():
            found = waivers.find(policy, w.resource, w.resource, stack, as_of)
            if found is not None:
                return found
    return None


