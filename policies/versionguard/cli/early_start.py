"""Start work before the command line is parsed: loading typer, the commands and the catalog takes this
process about half a second.

- ``check``, ``forecast``, ``fix``: the program host (``interpreters.ForkServer``) needs about as long
  to import ``pulumi`` and the provider SDKs in the project's Python; started from the raw
  arguments first, the two overlap.
- ``audit`` of large files: the workers that read and judge shares of the files
  (``commands.audit.start_early_shares``) start reading meanwhile.

Each is a guess only: it reads the arguments as typer will, and anything it cannot make sense of is
left alone, for the command to report after parsing. What the command does not claim (other arguments
after all) is stopped at exit; the command starts its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

RUNS_PROGRAMS = ("check", "forecast", "fix")
MAX_AUDIT_JOBS = 64
DEFAULT_AUDIT_JOBS_CAP = 4  # past a few processes, the merge and each one's start cost more than they save
# audit's options that take a value (its flags but --allow-partial, and anything else, end the guess)
_AUDIT_VALUED = ("--as-of", "--catalog", "--waivers", "-f", "--format", "-o", "--output", "--stack-label",
                 "--policy-config", "--subscription", "--management-group", "--arm-endpoint", "--concurrency")
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


def default_jobs() -> int:
    """audit's --jobs when not given: the usable CPUs, at most :data:`DEFAULT_AUDIT_JOBS_CAP`."""
    from versionguard.adapters.forked import usable_cpus

    return min(DEFAULT_AUDIT_JOBS_CAP, usable_cpus())


def audit_files_and_jobs(args: Sequence[str]) -> tuple[list[str], int | None] | None:
    """The files and ``--jobs`` of ``audit`` arguments, read as typer will; None for anything else than
    files, ``--jobs``, ``--allow-partial`` and options with a value (``--live``, ``--help``, an unknown
    or combined short option: the command decides)."""
    files: list[str] = []
    jobs: int | None = None
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            files += args[i + 1:]
            break
        name, sep, value = arg.partition("=")
        if name in ("--jobs", "-j") or name in _AUDIT_VALUED:
            if not sep:
                if i + 1 >= len(args):
                    return None
                i += 1
                value = args[i]
            if name in ("--jobs", "-j"):
                try:
                    jobs = int(value)
                except ValueError:
                    return None
        elif arg != "--allow-partial":
            if arg.startswith("-") and arg != "-":
                return None
            files.append(arg)
        i += 1
    return files, jobs


def start_audit_workers(argv: Sequence[str]) -> None:
    """Fork the workers of an ``audit`` of files before the command line is parsed, when the arguments
    clearly ask for one (two files or more, two jobs or more, large enough: ``start_early_shares``)."""
    if not argv or argv[0] != "audit":
        return
    parsed = audit_files_and_jobs(argv[1:])
    if parsed is None:
        return
    files, jobs = parsed
    jobs = default_jobs() if jobs is None else jobs
    if len(files) < 2 or not 2 <= jobs <= MAX_AUDIT_JOBS:
        return
    try:  # a guess: whatever goes wrong here is the command's to report
        from versionguard.commands.audit import start_early_shares

        start_early_shares(files, jobs)
    except Exception:
        return
