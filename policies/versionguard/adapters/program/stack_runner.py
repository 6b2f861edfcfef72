"""Run each stack's program offline, in its own process and the project's own Python, as a preview.

For every stack a fresh process of the project's Python (a child of the run's fork server, else an
interpreter of its own: see ``interpreters``) executes the program (``host.run_task``) against a
fresh :class:`~versionguard.adapters.program.preview_monitor.PreviewMonitor`, so nothing (modules,
config, globals) carries over from one stack to the next. Fails closed: a program that
raises, exits (``sys.exit`` with any code, ``os._exit``), logs an error, outlives ``timeout`` or
registers nothing a check could judge is a :class:`StackFailure` naming the stack; the other stacks
still run. Whatever the program prints is kept apart from the report (``ProgramRun.output``).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from versionguard.adapters.files.safe_load import read_json
from versionguard.adapters.program.interpreters import Interpreters, claim, program_environment
from versionguard.adapters.program.preview_monitor import PreviewMonitor, serve
from versionguard.adapters.program.project import Project, StackConfig
from versionguard.adapters.program.project_python import ProgramPython
from versionguard.adapters.program.resource import Resource
from versionguard.core.errors import InputError
from versionguard.core.records import deployment_flavour

DEFAULT_TIMEOUT = 300.0


@dataclass(frozen=True)
class RunOptions:
    python: ProgramPython
    timeout: float = DEFAULT_TIMEOUT  # seconds per stack
    stack_outputs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # StackReference name -> outputs
    jobs: int = 1


@dataclass(frozen=True)
class ProgramRun:
    stack: str
    config: StackConfig
    resources: list[Resource]
    output: str = ""  # what the program printed (stdout and stderr), for the terminal only
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # the program's own .py files that ran (host.own_sources), for ``fix``

    @property
    def deployments(self) -> int:
        return sum(deployment_flavour(r.type) is not None for r in self.resources)


@dataclass(frozen=True)
class StackFailure:
    """A stack that could not be judged: the reason (naming file and key where there is one)."""

    stack: str
    message: str
    output: str = ""


def run_stacks(project: Project, stacks: Sequence[str], options: RunOptions) -> Iterator[ProgramRun | StackFailure]:
    """Every stack's outcome, in the order given; up to ``options.jobs`` programs run at once."""
    jobs = max(1, options.jobs)
    interpreters = claim(options.python.executable, project.root, _environment(project, options.python),
                         count=len(stacks), spare=jobs, program=project.program)
    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            pending = [pool.submit(_outcome, project, stack, options, interpreters) for stack in stacks]
            for future in pending:
                yield future.result()
    finally:
        interpreters.close()


def _outcome(project: Project, stack: str, options: RunOptions,
             interpreters: Interpreters) -> ProgramRun | StackFailure:
    try:
        return run_program(project, stack, options, interpreters)
    except InputError as e:
        return StackFailure(stack, str(e))
    except _Failed as e:
        return StackFailure(stack, f"stack '{stack}': {e.message}", e.output)


class _Failed(Exception):
    def __init__(self, message: str, output: str = "") -> None:
        super().__init__(message)
        self.message, self.output = message, output


def run_program(project: Project, stack: str, options: RunOptions,
                interpreters: Interpreters | None = None) -> ProgramRun:
    """Run one stack's program in a fresh process; raises InputError (config) or _Failed (program)."""
    name = project.stack_name(stack)
    config = project.stack_config(stack)
    monitor = PreviewMonitor(project.name, name.name, options.stack_outputs)
    own = interpreters is None
    if interpreters is None:
        interpreters = Interpreters(options.python.executable, project.root, _environment(project, options.python),
                                    count=1, spare=1, program=project.program)
    interpreter = interpreters.take(options.timeout)
    try:
        with serve(monitor) as address:
            interpreter.start({
                "monitor": address, "project": project.name, "stack": name.name, "organization": name.organization,
                "root": str(project.root), "program": str(project.program),
                "env": {"PULUMI_CONFIG": json.dumps(config.values),
                        "PULUMI_CONFIG_SECRET_KEYS": json.dumps(list(config.secret_keys)),
                        "PULUMI_STACK": name.name, "PULUMI_ORGANIZATION": name.organization}})
            try:
                code = interpreter.wait(options.timeout)
            except subprocess.TimeoutExpired:
                raise _Failed(f"the program did not finish within {options.timeout:g} s (--timeout); "
                              "it was stopped", interpreter.output()) from None
        if code is None:
            # The program host stopped under it: stop it and all it started before anything is read, so
            # that nothing it writes later is judged.
            interpreter.stop()
            output, outcome = interpreter.output(), None
        else:
            output = interpreter.output()
            try:
                outcome = interpreter.result()
            except ValueError:  # cut short: the process died while writing it
                outcome = None
    finally:
        interpreter.discard()
        if own:
            interpreters.close()
    if outcome is None:
        how = ("could not be followed to its end (versionguard's program host stopped)" if code is None
               else f"was killed by signal {-code}" if code < 0 else f"ended the interpreter itself (exit code {code})")
        raise _Failed(f"the program {how} before it finished; what it would register is unknown", output)
    _raise_for(outcome, project, stack, config, options.python, output)
    if monitor.log.errors:
        raise _Failed("the program logged an error: " + "; ".join(monitor.log.errors), output)
    run = ProgramRun(stack, config, monitor.resources, _with(output, monitor.log.messages), tuple(monitor.log.notes),
                     tuple(s for s in outcome.get("sources") or () if isinstance(s, str)))
    _require_registrations(run)
    return run


def _raise_for(outcome: dict[str, Any], project: Project, stack: str, config: StackConfig, python: ProgramPython,
               output: str) -> None:
    status = outcome.get("status")
    source = str(config.path)
    if status == "ok":
        return
    if status == "no-pulumi":
        raise InputError(str(python.executable), "pulumi", "a Python environment with the `pulumi` package "
                         f"(the program's own; chosen from: {python.source}): install the project's "
                         "requirements there, or pass --python", outcome.get("message"))
    if status == "config-missing":
        raise InputError(source, f"config.{outcome['key']}", "a value for this required key")
    if status == "config-type":
        raise InputError(source, f"config.{outcome['key']}", f"a value of type {outcome['expected']}", outcome["got"])
    if status == "exit":
        raise _Failed(f"the program called sys.exit({outcome.get('code')!r}); a program that exits cannot be "
                      "judged", output)
    given = outcome.get("input")
    if given:  # an error naming its input: point at the real stack file (with --stack-dir it differs)
        named = given["source"]
        if Path(named).name == config.path.name and named != source:
            named = source
        raise InputError(named, given["key"], given["expected"], given.get("got"))
    raise _Failed(f"the program failed: {outcome.get('message')}", output)


def _require_registrations(run: ProgramRun) -> None:
    """A run that registered nothing judgeable must not pass (see README, "fail closed")."""
    if not run.resources:
        raise _Failed("the program registered no resource, so nothing could be judged", run.output)
    declared = run.config.declares_deployments
    if declared and not run.deployments:
        raise _Failed(f"{run.config.path} declares deployments ({declared}) but the program registered no "
                      "deployment resource", run.output)


def _environment(project: Project, python: ProgramPython) -> dict[str, str]:
    return program_environment(project.name, python.venv)


def _with(output: str, messages: Sequence[str]) -> str:
    return output + "".join(f"{m}\n" for m in messages)


def load_stack_outputs(specs: Sequence[str]) -> dict[str, dict[str, Any]]:
    """``NAME=FILE`` pairs: the StackReference name and a ``pulumi stack output --json`` export."""
    out: dict[str, dict[str, Any]] = {}
    given: dict[str, str] = {}
    for spec in specs:
        name, sep, file = spec.partition("=")
        if not sep or not name or not file:
            raise InputError("--stack-outputs", "--stack-outputs", "NAME=FILE (a stack reference name and a "
                             "`pulumi stack output --json` file)", spec)
        if name in given:  # which file would win is a guess: refuse it
            raise InputError("--stack-outputs", name, "one file per stack reference name",
                             f"{given[name]} and {spec}")
        given[name] = spec
        path = Path(file)
        data = read_json(path, "`pulumi stack output --json` file")
        if not isinstance(data, dict):
            raise InputError(str(path), "(top level)", "an object of stack outputs", type(data).__name__)
        out[name] = data
    return out
