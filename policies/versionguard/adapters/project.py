"""The Pulumi project on disk: Pulumi.yaml, its stack files and the per-stack policy config."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from versionguard.adapters.safe_load import read_yaml
from versionguard.core.errors import InputError


@dataclass(frozen=True)
class Project:
    root: Path
    name: str
    stack_dir: Path

    def stack_file(self, stack: str) -> Path:
        # Pulumi replaces "/" in stack names (org/project/stack) with "-".
        return self.stack_dir / f"Pulumi.{stack.replace('/', '-')}.yaml"

    def stacks(self) -> list[str]:
        return sorted(p.name[len("Pulumi."):-len(".yaml")] for p in self.stack_dir.glob("Pulumi.*.yaml"))

    def stack_config(self, stack: str) -> dict[str, str]:
        """The stack's config as the language host passes it: ``ns:key`` -> string (objects as JSON)."""
        path = self.stack_file(stack)
        if not path.is_file():
            raise InputError(str(path), "(file)", f"a stack file for stack '{stack}' (known: "
                             + ", ".join(self.stacks()) + ")")
        data = _yaml(path)
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise InputError(str(path), "(top level)", "a mapping", type(data).__name__)
        config = data.get("config") or {}
        if not isinstance(config, dict):
            raise InputError(str(path), "config", "a mapping of config keys", config)
        out: dict[str, str] = {}
        for key, value in config.items():
            full = key if ":" in str(key) else f"{self.name}:{key}"
            out[full] = _config_text(value, str(path), f"config.{key}")
        return out


def _config_text(value: Any, source: str, key: str) -> str:
    if isinstance(value, Mapping) and set(value) == {"secure"}:
        # Secrets cannot be decrypted offline; the program sees a placeholder instead.
        return "[secret]"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    try:
        return json.dumps(value, default=str)
    except (TypeError, ValueError):
        raise InputError(source, key, "a JSON-compatible value", value) from None


def _yaml(path: Path) -> Any:
    return read_yaml(path, "YAML file")


def load_project(root: Path, stack_dir_override: Path | None = None) -> Project:
    path = root / "Pulumi.yaml"
    if not path.is_file():
        raise InputError(str(path), "(file)", "a Pulumi project file (run from the project root or pass --project)")
    data = _yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise InputError(str(path), "name", "the project name", data.get("name") if isinstance(data, dict) else data)
    stack_dir = data.get("stackConfigDir", ".")
    if not isinstance(stack_dir, str):
        raise InputError(str(path), "stackConfigDir", "a directory path", stack_dir)
    if stack_dir_override is not None:
        if not stack_dir_override.is_dir():
            raise InputError(str(stack_dir_override), "--stack-dir", "an existing directory")
        return Project(root, data["name"], stack_dir_override.resolve())
    return Project(root, data["name"], root / stack_dir)
