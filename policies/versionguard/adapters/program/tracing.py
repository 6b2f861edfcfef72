"""Where a deployment's ``model.name`` / ``model.version`` comes from: exactly one place, proven by a run.

``versionguard fix`` edits a value only where it is *certain* the value comes from. Matching text is
not proof (the same string may sit in a stack file, a component default and a comparison), so the
proof is a second run of every stack's program (a *trace run*) with each candidate place holding a
unique marker instead of its value:

1. Candidates are the places whose text equals a traced value of some deployment in the baseline run:
   string leaves under ``config:`` of the stack file (nested objects and lists included; a ``secure:``
   value never) and simple string literals in the program's own ``.py`` files (libcst; never an
   f-string, a concatenation, or a file of an installed library or virtualenv).
2. A scratch copy of the project (symlinks to the originals, real files for the ones that carry
   markers) holds ``vgtrace<token><n>x`` at every candidate; each stack runs there exactly as ``check``
   runs it (same runner, interpreter, config handling).
3. Each deployment of the trace run is matched to its baseline registration by URN (markers in names
   read back as their values). A field that *equals* one marker comes from that place and nowhere
   else. A field that contains a marker is computed from it; a field that still holds its baseline
   value comes from somewhere fix cannot edit (a library default, ``Pulumi.yaml``, the environment,
   a computation); a field that changed otherwise depends on other values. None of those is edited.
4. Every other appearance of a marker (another resource's property, a resource name) is recorded as a
   use of that place, so an edit that would change more than the deployments it fixes is refused.
"""

from __future__ import annotations

import os
import re
import secrets as _random
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from google.protobuf import json_format

from versionguard.adapters.edits.python_edit import PyLiteral, literals, set_literals
from versionguard.adapters.edits.yaml_edit import YamlLeaf, YamlPath, dotted, leaves, render, set_values
from versionguard.adapters.files.safe_load import read_text
from versionguard.adapters.program.project import Project, repository_path
from versionguard.adapters.program.resource import Resource
from versionguard.adapters.program.stack_runner import ProgramRun, RunOptions, StackFailure, run_stacks
from versionguard.core.errors import InputError
from versionguard.core.records import CLASSIC_PATHS, NATIVE_PATHS, deployment_flavour

FIELDS = ("model.name", "model.version")
# Directories that are never the program's own source: environments, caches, version control.
SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "env", "node_modules", "__pycache__",
                          ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis", ".tox", ".nox",
                          "site-packages", "dist", "build"})
_SECRET_SIG = ("4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270")
_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
NOT_EDITABLE = ("it does not come from the stack file or a string literal of the program's own source (a library "
                "or component default, Pulumi.yaml project config, an environment variable or data file, or computed)")


@dataclass(frozen=True)
class Place:
    """One editable place: a stack-file leaf or a program literal."""

    kind: Literal["stack-file", "literal"]
    file: Path
    value: str
    line: int
    shown: str  # the file as diffs and reports name it (see shown_path)
    yaml_path: YamlPath | None = None
    literal: PyLiteral | None = None

    @property
    def key(self) -> tuple[str, str]:
        where = repr(self.yaml_path) if self.yaml_path is not None else str(self.literal.start if self.literal else -1)
        return str(self.file), where

    @property
    def label(self) -> str:
        name = self.shown
        if self.kind == "stack-file":
            return f"{name} line {self.line}: {dotted(self.yaml_path or ())}"
        column = self.literal.column if self.literal else 0
        return f"{name} line {self.line}, column {column}: string literal"


@dataclass(frozen=True)
class Use:
    """Somewhere a place's value ends up: a traced field of a deployment, or anything else."""

    stack: str
    urn: str
    what: str  # a FIELDS entry, a property path, or "its name"


@dataclass(frozen=True)
class Trace:
    place: Place | None
    reason: str = ""


@dataclass
class Tracing:
    fields: dict[tuple[str, str, str], Trace] = field(default_factory=dict)  # (stack, urn, field)
    uses: dict[tuple[str, str], list[Use]] = field(default_factory=dict)  # place key -> uses
    # Stacks whose trace run failed: where a shared literal ends up there is unknown.
    failed: dict[str, str] = field(default_factory=dict)


def field_value(resource: Resource, name: str) -> Any:
    """A traced field's raw wire value (a secret stays wrapped), or None when absent."""
    flavour = deployment_flavour(resource.type)
    paths = CLASSIC_PATHS if flavour == "classic" else NATIVE_PATHS
    value: Any = json_format.MessageToDict(resource.properties)
    for part in [*paths.model.split("."), name.split(".")[1]]:
        if is_secret(value) or not isinstance(value, dict):
            return value if is_secret(value) else None
        value = value.get(part)
    return value


def shown_path(path: Path, project: Project) -> str:
    """A file as diffs name it: relative to the git repository holding it (so ``git apply`` takes the diff
    at the repository root), else relative to the project directory."""
    path = path.absolute()
    if any((d / ".git").exists() for d in path.parents):
        return repository_path(path)
    try:
        return path.relative_to(project.root.absolute()).as_posix()
    except ValueError:
        return path.as_posix()


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(_SECRET_SIG[0]) == _SECRET_SIG[1]


def deployments(run: ProgramRun) -> list[Resource]:
    return [r for r in run.resources if deployment_flavour(r.type) is not None]


def source_files(project: Project, runs: Sequence[ProgramRun]) -> list[Path]:
    """The program's own Python files that ran in any of the runs (the host lists them: ``__main__.py`` and
    modules imported from the program directory), minus environments and caches."""
    root = project.root.resolve()
    found = {Path(s).resolve() for run in runs for s in run.sources}
    return sorted(p for p in found if p.is_file() and p.is_relative_to(root)
                  and not any(part in SKIPPED_DIRS for part in p.relative_to(root).parts[:-1]))


def trace(project: Project, runs: Sequence[ProgramRun], options: RunOptions) -> Tracing:
    """Prove where each deployment's traced fields come from (see the module docstring)."""
    wanted: set[str] = set()
    for run in runs:
        for res in deployments(run):
            wanted.update(v for f in FIELDS if isinstance(v := field_value(res, f), str) and v)
    token = _random.token_hex(3)
    counter = iter(range(10_000))
    markers: dict[str, Place] = {}

    def marker(place: Place) -> str:
        text = f"vgtrace{token}{next(counter):04d}x"
        markers[text] = place
        return text

    # Program literals: one marker per literal, shared by every stack (one file, one place).
    py_files: dict[Path, bytes] = {}
    for path in source_files(project, runs):
        try:
            data = path.read_bytes()
            if not any(w.encode() in data for w in wanted):  # a cheap filter before parsing
                continue
            found = literals(data, str(path), wanted)
        except (OSError, InputError):  # unreadable or beyond libcst: its literals stay unproven, never guessed
            continue
        if found:
            py_files[path] = set_literals(data, str(path), {
                lit: marker(Place("literal", path, lit.value, lit.line, shown_path(path, project), literal=lit))
                for lit in found})
    # Stack files: one marker per leaf.
    stack_files: dict[str, tuple[Path, str]] = {}
    for run in runs:
        path = run.config.path
        if not path.is_file():
            continue
        text = read_text(path, "stack file")
        chosen = [leaf for leaf in leaves(text, str(path)) if _candidate(leaf, wanted)]
        if chosen:
            edits = {leaf.path: marker(Place("stack-file", path, leaf.value, leaf.line, shown_path(path, project),
                                              yaml_path=leaf.path))
                     for leaf in chosen}
            stack_files[run.stack] = (path, set_values(text, str(path), edits))
    pattern = re.compile(f"vgtrace{token}\\d{{4}}x")
    if not markers:  # no candidate place: a trace run would equal the first run, so the first run answers
        return _read(runs, {run.stack: run for run in runs}, markers, pattern)
    with tempfile.TemporaryDirectory(prefix="versionguard-trace-") as tmp:
        scratch = _scratch_project(project, Path(tmp), py_files, stack_files, runs)
        traced = {o.stack: o for o in run_stacks(scratch, [r.stack for r in runs], options)}
    return _read(runs, traced, markers, pattern)


def _candidate(leaf: YamlLeaf, wanted: set[str]) -> bool:
    return (leaf.path[:1] == ("config",) and leaf.value in wanted and render(leaf.value, leaf.style) is not None
            and "secure" not in leaf.path)


def _scratch_project(project: Project, tmp: Path, py_files: dict[Path, bytes],
                     stack_files: dict[str, tuple[Path, str]], runs: Sequence[ProgramRun]) -> Project:
    """A copy of the project under ``tmp``: symlinks to every file, real files where markers are."""
    mirror = tmp / "project"
    _mirror(project.root.resolve(), mirror, py_files)
    stack_dir = tmp / "stacks"
    stack_dir.mkdir()
    for run in runs:  # every stack file the runs used, markers where there are any
        path = run.config.path
        if run.stack in stack_files:
            (stack_dir / path.name).write_text(stack_files[run.stack][1], encoding="utf-8")
        elif path.is_file():
            (stack_dir / path.name).symlink_to(path)
    return replace(project, root=mirror, stack_dir=stack_dir, file=mirror / project.file.name)


def _mirror(source: Path, target: Path, edited: dict[Path, bytes]) -> None:
    """``target`` as ``source``: edited files written, directories holding one walked, the rest symlinked."""
    target.mkdir(parents=True, exist_ok=True)
    for entry in os.scandir(source):
        path, there = Path(entry.path), target / entry.name
        if path in edited:
            there.write_bytes(edited[path])
        elif entry.is_dir(follow_symlinks=False) and any(p.is_relative_to(path) for p in edited):
            _mirror(path, there, edited)
        elif entry.name != "__pycache__":  # the edited modules must not load a cached original
            there.symlink_to(path)


def _read(runs: Sequence[ProgramRun], traced: dict[str, ProgramRun | StackFailure], markers: dict[str, Place],
          pattern: re.Pattern[str]) -> Tracing:
    out = Tracing()

    def unmark(text: str) -> str:
        return pattern.sub(lambda m: markers[m.group()].value, text)

    for run in runs:
        other = traced.get(run.stack)
        by_urn: dict[str, Resource] = {}
        if not isinstance(other, ProgramRun):
            out.failed[run.stack] = other.message if other else "no trace run"
        if isinstance(other, ProgramRun):
            for res in other.resources:
                by_urn[unmark(res.urn)] = res
                for what, text in _strings(res):
                    for m in pattern.finditer(text):
                        out.uses.setdefault(markers[m.group()].key, []).append(Use(run.stack, unmark(res.urn), what))
        for res in deployments(run):
            for name in FIELDS:
                out.fields[(run.stack, res.urn, name)] = _field_trace(res, by_urn.get(res.urn), other, name,
                                                                      markers, pattern)
    return out


def _strings(res: Resource) -> Iterator[tuple[str, str]]:
    """Every text of a registration where a marker may show: its name, then each property string."""
    yield "its name", res.urn
    flavour = deployment_flavour(res.type)
    paths = CLASSIC_PATHS if flavour == "classic" else NATIVE_PATHS
    traced = {f"{paths.model}.{f.split('.')[1]}": f for f in FIELDS} if flavour else {}

    def walk(value: Any, path: str) -> Iterator[tuple[str, str]]:
        if isinstance(value, dict):
            for k, v in value.items():
                yield from walk(v, f"{path}.{k}" if path else k)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                yield from walk(v, f"{path}[{i}]")
        elif isinstance(value, str):
            yield traced.get(path, path), value

    yield from walk(json_format.MessageToDict(res.properties), "")


def _field_trace(base: Resource, marked: Resource | None, run: ProgramRun | StackFailure | None, name: str,
                 markers: dict[str, Place], pattern: re.Pattern[str]) -> Trace:
    value = field_value(base, name)
    if is_secret(value):
        return Trace(None, "it is a secret (never shown, never edited)")
    if value == _UNKNOWN:
        return Trace(None, "it is unknown until deployment (computed from another resource)")
    if not isinstance(value, str) or not value:
        return Trace(None, "it is absent or not text")
    if isinstance(run, StackFailure):
        return Trace(None, f"the trace run with marked values failed, so its place cannot be proven: {run.message}")
    if marked is None:
        return Trace(None, "with marked values the program no longer registers this deployment, so its place "
                     "cannot be proven")
    now = field_value(marked, name)
    if not isinstance(now, str):
        return Trace(None, "with marked values it is no longer text (computed)")
    if now in markers:
        return Trace(markers[now])
    found = pattern.findall(now)
    if found:
        return Trace(None, "it is built by the program from " + ", ".join(markers[m].label for m in found))
    if now == value:
        return Trace(None, NOT_EDITABLE)
    return Trace(None, "it changes when other values change (the program computes it from them)")
