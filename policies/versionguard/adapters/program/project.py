"""The Pulumi project on disk: Pulumi.yaml (or .yml), its stack files and stack names, as Pulumi reads them.

- The project file is ``Pulumi.yaml`` or ``Pulumi.yml``; stack files take the project file's extension
  (Pulumi's ``ProjectStackPath``), in ``stackConfigDir`` when it is set.
- A stack name may be fully qualified (``org/project/stack`` or ``org/stack``): the stack file and the
  policy config are named after the last part, as Pulumi names the stack file.
- A named stack without a stack file has empty config, as in Pulumi.
- Config values reach the program as the Pulumi CLI passes them (YAML read the yaml.v3 way, objects
  as Go's JSON, plain dates as Go prints them): see :mod:`versionguard.adapters.program.stack_values`.
- ``secure:`` values (top level or nested, as ``pulumi config set --secret [--path]`` writes them)
  cannot be decrypted offline: the program gets the placeholder ``[secret]`` and the key is secret.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from versionguard.adapters.files.safe_load import read_yaml
from versionguard.adapters.program.stack_values import config_text, read_stack_yaml
from versionguard.core.errors import InputError

PROJECT_FILES = ("Pulumi.yaml", "Pulumi.yml")
SECRET_PLACEHOLDER = "[secret]"
DEFAULT_ORGANIZATION = "organization"  # what Pulumi's DIY backends report
_NAME_PART = re.compile(r"^[A-Za-z0-9_.-]+$")


@dataclass(frozen=True)
class StackName:
    """A stack as named on the command line: ``stack``, ``org/stack`` or ``org/project/stack``."""

    full: str
    name: str  # the stack's own name: URNs, stack file, policy config
    organization: str = DEFAULT_ORGANIZATION


@dataclass(frozen=True)
class StackConfig:
    """A stack's config as the language host passes it: ``ns:key`` -> string (objects as JSON)."""

    path: Path
    values: dict[str, str] = field(default_factory=dict)
    secret_keys: tuple[str, ...] = ()
    declares_deployments: str | None = None  # the first config key that declares deployments


@dataclass(frozen=True)
class Project:
    root: Path
    name: str
    stack_dir: Path
    file: Path = Path("Pulumi.yaml")
    options: Mapping[str, Any] = field(default_factory=dict)  # runtime.options
    main: str | None = None

    @property
    def program(self) -> Path:
        """The program Pulumi runs: ``main`` (a directory or a file) or the project directory."""
        return (self.root / self.main).resolve() if self.main else self.root

    def stack_name(self, stack: str) -> StackName:
        parts = stack.split("/")
        if len(parts) > 3 or not all(_NAME_PART.match(p) and p.strip(".") for p in parts):
            raise InputError("--stack", "--stack", "a stack name (letters, digits, '-', '_', '.'), optionally "
                             "qualified as org/stack or org/project/stack", stack)
        if len(parts) == 3 and parts[1] != self.name:
            raise InputError("--stack", "--stack", f"a stack of project '{self.name}' ({self.file.name})", stack)
        return StackName(stack, parts[-1], parts[0] if len(parts) > 1 else DEFAULT_ORGANIZATION)

    def stack_file(self, stack: str) -> Path:
        return self.stack_dir / f"Pulumi.{self.stack_name(stack).name}{self.file.suffix}"

    def stacks(self) -> list[str]:
        """The stacks that have a stack file (what ``--all`` runs)."""
        suffix = self.file.suffix
        return sorted(p.name[len("Pulumi."):-len(suffix)] for p in self.stack_dir.glob(f"Pulumi.*{suffix}")
                      if p.is_file())

    def stack_config(self, stack: str) -> StackConfig:
        path = self.stack_file(stack)
        if not path.is_file():
            return StackConfig(path)
        data = read_stack_yaml(path)
        if data is None:
            return StackConfig(path)
        if not isinstance(data, dict):
            raise InputError(str(path), "(top level)", "a mapping", type(data).__name__)
        config = data.get("config") or {}
        if not isinstance(config, dict):
            raise InputError(str(path), "config", "a mapping of config keys", config)
        values: dict[str, str] = {}
        secret: list[str] = []
        declares = None
        for key, value in config.items():
            if not isinstance(key, str):  # Pulumi cannot parse it as a config key either
                raise InputError(str(path), "config", "config keys as text (quote a key YAML reads as a number, "
                                 "boolean, date or null)", key)
            full = key if ":" in key else f"{self.name}:{key}"
            plain, has_secret = _without_secrets(value)
            values[full] = config_text(plain)
            if has_secret:
                secret.append(full)
            declares = declares or _deployments_key(plain, f"config.{key}")
        return StackConfig(path, values, tuple(secret), declares)


def _without_secrets(value: Any) -> tuple[Any, bool]:
    """``value`` with every ``{secure: ...}`` replaced by the placeholder, and whether there was one."""
    if isinstance(value, Mapping):
        if set(value) == {"secure"} and isinstance(value["secure"], str):  # {secure: 5} is a plain object to Pulumi
            return SECRET_PLACEHOLDER, True
        pairs = [(k, _without_secrets(v)) for k, v in value.items()]
        return {k: v for k, (v, _) in pairs}, any(s for _, (_, s) in pairs)
    if isinstance(value, list):
        items = [_without_secrets(v) for v in value]
        return [v for v, _ in items], any(s for _, s in items)
    return value, False


def _deployments_key(value: Any, key: str) -> str | None:
    """The path of a non-empty ``deployments`` list or mapping in a config value (case-insensitive)."""
    if isinstance(value, Mapping):
        for k, v in value.items():
            path = f"{key}.{k}"
            if str(k).lower() == "deployments" and isinstance(v, (list, Mapping)) and v:
                return path
            found = _deployments_key(v, path)
            if found:
                return found
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found = _deployments_key(v, f"{key}[{i}]")
            if found:
                return found
    return None


def repository_path(path: Path) -> str:
    """``path`` as code scanning names a file (SARIF ``%SRCROOT%``): relative to the root of the git
    repository holding it (the nearest directory above with a ``.git``), else to the current directory,
    else absolute; with ``/`` separators."""
    path = path.absolute()
    for directory in path.parents:
        if (directory / ".git").exists():
            return path.relative_to(directory).as_posix()
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def find_project_file(root: Path) -> Path:
    for name in PROJECT_FILES:
        if (root / name).is_file():
            return root / name
    raise InputError(str(root / PROJECT_FILES[0]), "(file)",
                     "a Pulumi project file, Pulumi.yaml or Pulumi.yml (run from the project root or pass --project)")


def load_project(root: Path, stack_dir_override: Path | None = None) -> Project:
    path = find_project_file(root)
    data = read_yaml(path, "Pulumi project file")
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise InputError(str(path), "name", "the project name", data.get("name") if isinstance(data, dict) else data)
    stack_dir = data.get("stackConfigDir", ".")
    if not isinstance(stack_dir, str):
        raise InputError(str(path), "stackConfigDir", "a directory path", stack_dir)
    options, main = _runtime(path, data)
    if stack_dir_override is not None:
        if not stack_dir_override.is_dir():
            raise InputError(str(stack_dir_override), "--stack-dir", "an existing directory")
        return Project(root, data["name"], stack_dir_override.resolve(), path, options, main)
    return Project(root, data["name"], root / stack_dir, path, options, main)


def _runtime(path: Path, data: Mapping[str, Any]) -> tuple[Mapping[str, Any], str | None]:
    """``runtime.options`` and ``main``; only Python projects can be checked."""
    runtime = data.get("runtime")
    name, options = (runtime.get("name"), runtime.get("options") or {}) if isinstance(runtime, dict) else (runtime, {})
    if name != "python":
        raise InputError(str(path), "runtime", "a Python project (runtime: python)", name)
    if not isinstance(options, dict):
        raise InputError(str(path), "runtime.options", "a mapping", options)
    main = data.get("main")
    if main is not None and not isinstance(main, str):
        raise InputError(str(path), "main", "a path to the program", main)
    if main is not None and not (path.parent / main).exists():
        raise InputError(str(path), "main", "an existing program directory or file", main)
    program = (path.parent / main) if main else path.parent
    if program.is_dir() and not (program / "__main__.py").is_file():
        # Python would look for a __main__ module elsewhere on sys.path and could run something else.
        raise InputError(str(path), "main" if main else "(program)",
                         f"a Python program: {program.resolve() / '__main__.py'} (or `main:` naming one)")
    return options, main
