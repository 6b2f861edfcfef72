"""Start the program host of ``check``, ``forecast`` or ``fix`` before the command line is parsed.

Loading typer, the commands, Pulumi's protocol and the catalog takes this process about half a
second; the program host (``interpreters.ForkServer``) needs about as long to import ``pulumi`` and
the provider SDKs in the project's Python. Started from the raw arguments first, the two overlap.
This is a guess only: it reads ``--project``, ``--stack-dir`` and ``--python`` as typer will, and
anything it cannot make sense of is left alone, for the command to report after parsing. A host the
command does not claim (other arguments after all) is stopped at exit; the command starts its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

RUNS_PROGRAMS = ("check", "forecast", "fix")
_PEEKED = ("--project", "--stack-dir", "--python")
_NO_RUN = ("--help",)  # the command prints its help and runs nothing


def peek(args: Sequence[str]) -> dict[str, str]:
    """The values of the peeked options (``--opt VALUE`` or ``--opt=VALUE``; the last one given wins,
    as with typer), up to a bare ``--``."""
    found: dict[str, str] = {}
    for i, arg in enumerate(args):
        if arg == "--":
            break
        name, sep, value = arg.partition("=")
        if name in _PEEKED:
            if sep:
                found[name] = value
            elif i + 1 < len(args):
                found[name] = args[i + 1]
    return found


def start_program_host(argv: Sequence[str]) -> None:
    """Prime the fork server for the project the arguments name, when the command runs programs."""
    if not argv or argv[0] not in RUNS_PROGRAMS or any(a in _NO_RUN for a in argv[1:]):
        return
    from versionguard.adapters.program import interpreters

    if not interpreters.FORKING:  # elsewhere the command primes interpreters itself, once it knows the counts
        return
    from versionguard.adapters.program.project import load_project
    from versionguard.adapters.program.project_python import find_python

    given = peek(argv[1:])
    try:  # a guess: whatever goes wrong here (a symlink loop, anything) is the command's to report
        project = load_project(Path(given.get("--project", ".")),
                               Path(given["--stack-dir"]) if "--stack-dir" in given else None)
        python = find_python(project, Path(given["--python"]) if "--python" in given else None)
        interpreters.prime(python.executable, project.root,
                           interpreters.program_environment(project.name, python.venv), count=0, spare=1,
                           program=project.program)
    except Exception:  # the command reports it, after parsing its arguments
        return
