"""The Pulumi project on disk: Pulumi.yaml (or .yml), its stack files and stack names, as Pulumi reads them.

- The project file is ``Pulumi.yaml`` or ``Pulumi.yml``; stack files take the project file's extension
  (Pulumi's ``ProjectStackPath``), in ``stackConfigDir`` when it is set.
- A stack name may be fully qualified (``org/project/stack`` or ``org/stack``): the stack file and the
  policy config are named after the last part, as Pulumi names the stack file.
- A named stack without a stack file has only the project's config, as in Pulumi. A stack file that
  is there but cannot be read (a dangling link, a FIFO, no permission) is an error naming it.
- Config values reach the program as the Pulumi CLI passes them (YAML read the yaml.v3 way, objects
  as Go's JSON, plain dates as Go prints them): see :mod:`versionguard.adapters.program.stack_values`.
- **Project-level config** (``config:`` in Pulumi.yaml, Pulumi's ``mergeConfig``): a key without a
  ``:`` is namespaced by the project name. A plain value or list is shorthand for ``default:`` (a
  project key) or ``value:`` (another namespace, such as ``azure-native:location``). A key the stack
  file does not set takes the entry's ``default:`` (else its ``value:``); a stack value overrides it.
  A project key with neither, set by no stack, is an error naming Pulumi.yaml and the key, as Pulumi
  refuses such a stack.
- ``environment:`` in a stack file (Pulumi ESC imports) cannot be resolved offline: an error naming
  the environments (run ``pulumi preview --policy-pack`` for such stacks).
- ``secure:`` values (top level or nested, as ``pulumi config set --secret [--path]`` writes them) are
  decrypted when the stack uses the passphrase provider and ``PULUMI_CONFIG_PASSPHRASE(_FILE)`` is set
  (:mod:`~versionguard.adapters.program.stack_secrets`); otherwise the program gets the engine's
  unknown value, and the key is secret either way. A secret is never passed as its ciphertext or as a
  placeholder text a check could judge as a model version.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from versionguard.adapters.files.safe_load import is_present, read_yaml
from versionguard.adapters.program.stack_secrets import Decrypter, passphrase_decrypter
from versionguard.adapters.program.stack_values import config_text, read_project_yaml, read_stack_yaml
from versionguard.core.errors import InputError

PROJECT_FILES = ("Pulumi.yaml", "Pulumi.yml")
# A secret that cannot be decrypted offline reaches the program as the engine's unknown value (the
# sentinel every reader of inputs takes for "not known during preview"), marked secret.
UNKNOWN_TEXT = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
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


_NO_VALUE = object()


@dataclass(frozen=True)
class ProjectConfigEntry:
    """One ``config:`` entry of Pulumi.yaml: its namespaced key and the value a stack gets without one."""

    key: str  # as written in Pulumi.yaml
    full: str  # namespaced: project:key or the key as written when it has a ':'
    value: Any = _NO_VALUE  # default: (else value:); _NO_VALUE when the entry has neither
    required: bool = False  # a project key with neither: every stack must set it


@dataclass(frozen=True)
class Project:
    root: Path
    name: str
    stack_dir: Path
    file: Path = Path("Pulumi.yaml")
    options: Mapping[str, Any] = field(default_factory=dict)  # runtime.options
    main: str | None = None
    config: tuple[ProjectConfigEntry, ...] = ()  # config: in Pulumi.yaml

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
        # Every name that looks like a stack file: one that cannot be read is an error, never skipped.
        return sorted(p.name[len("Pulumi."):-len(suffix)] for p in self.stack_dir.glob(f"Pulumi.*{suffix}")
                      if is_present(p, "stack file"))

    def stack_config(self, stack: str) -> StackConfig:
        path = self.stack_file(stack)
        data = read_stack_yaml(path) if is_present(path, "stack file") else None
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise InputError(str(path), "(top level)", "a mapping", type(data).__name__)
        _refuse_environments(path, data.get("environment"))
        config = data.get("config") or {}
        if not isinstance(config, dict):
            raise InputError(str(path), "config", "a mapping of config keys", config)
        decrypter = passphrase_decrypter(path, data) if _has_secure(config) else None
        values: dict[str, str] = {}
        secret: list[str] = []
        declares = None
        for key, value in config.items():
            if not isinstance(key, str):  # Pulumi cannot parse it as a config key either
                raise InputError(str(path), "config", "config keys as text (quote a key YAML reads as a number, "
                                 "boolean, date or null)", key)
            full = key if ":" in key else f"{self.name}:{key}"
            plain, has_secret = _with_secrets(value, decrypter, f"config.{key}")
            values[full] = config_text(plain)
            if has_secret:
                secret.append(full)
            declares = declares or _deployments_key(plain, f"config.{key}")
        missing = []
        for entry in self.config:  # project-level config: what the stack does not set
            if entry.full in values:
                continue
            if entry.value is _NO_VALUE:
                if entry.required:
                    missing.append(entry.key)
                continue
            values[entry.full] = _project_text(entry.value)
            declares = declares or _deployments_key(entry.value, f"config.{entry.key}")
        if missing:
            raise InputError(str(self.file), "config." + missing[0], f"a value for this key in {path.name} "
                             "(it has no default: and no value: in the project file, so Pulumi refuses the stack)",
                             ", ".join(missing) if len(missing) > 1 else None)
        return StackConfig(path, values, tuple(secret), declares)


def _refuse_environments(path: Path, environment: Any) -> None:
    """``environment:`` imports Pulumi ESC environments, resolved by Pulumi Cloud: never offline."""
    if environment is None or environment == []:  # imports nothing
        return
    names = [str(e) for e in environment] if isinstance(environment, list) else [str(environment)]
    raise InputError(str(path), "environment", "no Pulumi ESC environments (versionguard check cannot resolve "
                     "them offline; judge this stack with `pulumi preview --policy-pack <versionguard pack>`, "
                     "which resolves them)", ", ".join(names))


def _is_secure(value: Any) -> bool:
    return isinstance(value, Mapping) and set(value) == {"secure"} and isinstance(value["secure"], str)


def _has_secure(value: Any) -> bool:
    if _is_secure(value):
        return True
    if isinstance(value, Mapping):
        return any(_has_secure(v) for v in value.values())
    return isinstance(value, list) and any(_has_secure(v) for v in value)


def _with_secrets(value: Any, decrypter: Decrypter | None, key: str) -> tuple[Any, bool]:
    """``value`` with every ``{secure: ...}`` decrypted (or unknown without a decrypter), and whether
    there was one. ``{secure: 5}`` is a plain object to Pulumi."""
    if _is_secure(value):
        return (decrypter.decrypt(value["secure"], key) if decrypter else UNKNOWN_TEXT), True
    if isinstance(value, Mapping):
        pairs = [(k, _with_secrets(v, decrypter, f"{key}.{k}")) for k, v in value.items()]
        return {k: v for k, (v, _) in pairs}, any(s for _, (_, s) in pairs)
    if isinstance(value, list):
        items = [_with_secrets(v, decrypter, f"{key}[{i}]") for i, v in enumerate(value)]
        return [v for v, _ in items], any(s for _, s in items)
    return value, False


def _project_text(value: Any) -> str:
    """A project config value as Pulumi's ``createConfigValue`` passes it: a string, integer or
    boolean as Go's ``%v`` prints it, anything else as Go's JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int)):
        return str(value)
    return config_text(value)


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
    """The project in ``root`` (the --project directory, resolved here: a symlink loop is an error that
    names it, never a crash)."""
    try:
        root = root.resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: pathlib's "Symlink loop"
        raise InputError(str(root), "--project", "a project directory path that resolves", str(exc)) from None
    path = find_project_file(root)
    data = read_yaml(path, "Pulumi project file")
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise InputError(str(path), "name", "the project name", data.get("name") if isinstance(data, dict) else data)
    stack_dir = data.get("stackConfigDir", ".")
    if not isinstance(stack_dir, str):
        raise InputError(str(path), "stackConfigDir", "a directory path", stack_dir)
    options, main = _runtime(path, data)
    config = _project_config(path, data["name"]) if data.get("config") is not None else ()
    if stack_dir_override is not None:
        if not stack_dir_override.is_dir():
            raise InputError(str(stack_dir_override), "--stack-dir", "an existing directory")
        return Project(root, data["name"], stack_dir_override.resolve(), path, options, main, config)
    return Project(root, data["name"], root / stack_dir, path, options, main, config)


_ENTRY_KEYS = frozenset({"type", "description", "items", "default", "value", "secret"})


def _project_config(path: Path, project: str) -> tuple[ProjectConfigEntry, ...]:
    """``config:`` of Pulumi.yaml, read the yaml.v3 way (as the Pulumi CLI reads it)."""
    data = read_project_yaml(path)
    config = data.get("config") if isinstance(data, dict) else None
    if not isinstance(config, dict):
        raise InputError(str(path), "config", "a mapping of config keys", config)
    out = []
    for key, spec in config.items():
        if not isinstance(key, str) or not key or key.startswith(":") or key.endswith(":"):
            raise InputError(str(path), "config", "config keys as text (key or namespace:key)", key)
        full = key if ":" in key else f"{project}:{key}"
        own = full.split(":", 1)[0] == project
        if not isinstance(spec, dict):  # shorthand: Pulumi's RewriteShorthandConfigValues
            out.append(ProjectConfigEntry(key, full, spec))
            continue
        unknown = sorted(str(k) for k in spec if k not in _ENTRY_KEYS)
        if unknown:
            raise InputError(str(path), f"config.{key}.{unknown[0]}", "one of " + ", ".join(sorted(_ENTRY_KEYS)) +
                             " (a value that is an object goes under value: or default:)")
        if "default" in spec and "value" in spec:  # Pulumi v3.259 refuses to load such a project file
            raise InputError(str(path), f"config.{key}", "either default: or value: (Pulumi refuses both)")
        value = spec["default"] if spec.get("default") is not None else spec.get("value", _NO_VALUE)
        if value is None:
            value = _NO_VALUE
        out.append(ProjectConfigEntry(key, full, value, required=own and value is _NO_VALUE))
    return tuple(out)


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
