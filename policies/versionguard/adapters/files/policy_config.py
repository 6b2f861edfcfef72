"""The ``--policy-pack-config`` file, read and merged the way the Pulumi engine does it.

Mirrors ``pkg/resource/analyzer/config.go`` (v3.259/3.260): schema defaults and each policy's own
level first, then the file; ``"all"`` sets every policy's level before per-policy entries apply;
properties merge key by key; the result is validated against each policy's JSON schema.
Stricter than the engine on purpose: an unknown policy name or property key is an error (the
engine ignores it silently, so a typo would quietly keep the default), and so is a value the
schema lets through but the rules refuse (``settingNames: [" "]``, a window of 10**30 days): read
once here, it is exit 2 naming the file and key, not a failure of every resource.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from versionguard.adapters.files.safe_load import parse_json, read_text
from versionguard.core.errors import InputError
from versionguard.core.settings import rule_settings

LEVELS = ("advisory", "mandatory", "remediate", "disabled")


@dataclass(frozen=True)
class PolicyInfo:
    name: str
    level: str
    properties: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    required: tuple[str, ...] = ()


@dataclass(frozen=True)
class PolicySetting:
    level: str
    properties: dict[str, Any]


def load_policy_config(path: Path) -> dict[str, tuple[str | None, dict[str, Any]]]:
    """Parse the file into ``{policy: (level or None, properties)}``; errors name file and key."""
    source = str(path)
    text = read_text(path, "policy config file")
    if not text.strip():
        return {}
    data = parse_json(text, source)
    if not isinstance(data, dict):
        raise InputError(source, "(top level)", "a JSON object keyed by policy name", type(data).__name__)
    out: dict[str, tuple[str | None, dict[str, Any]]] = {}
    for key, value in data.items():
        if key == "environments":  # ESC environment references: resolved by Pulumi Cloud, not here
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise InputError(source, "environments", "an array of strings", value)
            continue
        if isinstance(value, str):
            out[key] = (_level(value, source, key), {})
        elif isinstance(value, dict):
            props = dict(value)
            level = props.pop("enforcementLevel", None)
            out[key] = (_level(level, source, f"{key}.enforcementLevel") if level is not None else None, props)
        else:
            raise InputError(source, key, "an enforcement level string or an object", value)
    return out


def _level(value: Any, source: str, key: str) -> str:
    if not isinstance(value, str) or value not in LEVELS:
        raise InputError(source, key, "one of " + ", ".join(LEVELS), value)
    return value


def reconcile(policies: list[PolicyInfo], given: Mapping[str, tuple[str | None, dict[str, Any]]],
              source: str) -> dict[str, PolicySetting]:
    """Defaults + file, validated; the exact map ``Configure`` receives."""
    known = {p.name: p for p in policies}
    result = {
        p.name: PolicySetting(p.level, {k: v["default"] for k, v in p.properties.items() if "default" in v})
        for p in policies
    }
    defaults = {name: setting.properties for name, setting in result.items()}
    all_level = given.get("all", (None, {}))[0]
    if all_level is not None:
        result = {name: PolicySetting(all_level, s.properties) for name, s in result.items()}
    for name, (level, props) in given.items():
        if name == "all":
            if props:
                raise InputError(source, "all", "an enforcement level only (properties are per policy)", props)
            continue
        if name not in known:
            raise InputError(source, name, "a versionguard policy name (one of " + ", ".join(sorted(known)) + ")")
        unknown = set(props) - set(known[name].properties)
        if unknown:
            allowed = ", ".join(sorted(known[name].properties)) or "no properties"
            raise InputError(source, f"{name}.{sorted(unknown)[0]}", f"a property of this policy ({allowed})")
        current = result[name]
        result[name] = PolicySetting(level or current.level, {**current.properties, **props})
    for name, setting in result.items():
        info = known[name]
        schema: dict[str, Any] = {"type": "object", "properties": dict(info.properties)}
        if info.required:
            schema["required"] = list(info.required)
        # A policy the file does not touch holds the schema's own defaults (the very dict made above, which
        # tests/unit/test_settings_and_config.py validates): a run without a config never loads jsonschema.
        untouched = setting.properties is defaults[name] and all(k in setting.properties for k in info.required)
        if not untouched:
            import jsonschema  # here: a twentieth of a second of start-up

            error = jsonschema.exceptions.best_match(
                jsonschema.Draft7Validator(schema).iter_errors(setting.properties))
            if error is not None:
                key = ".".join([name, *map(str, error.absolute_path)])
                raise InputError(source, key, error.message, error.instance)
        try:  # what the schema lets through and the rules would refuse on every resource
            rule_settings(setting.properties, source)
        except InputError as e:
            raise InputError(source, f"{name}.{e.key}", e.expected, e.got) from None
    return result
