"""Interpreters started ahead by ``check`` (``interpreters.prime``) before it loads Pulumi and the catalog.

A primed pool serves only the run it was started for (same Python, project, environment, stack count
and jobs); any other run gets fresh interpreters and the primed ones are stopped. Either way every
stack still gets an interpreter of its own, and none of a program or stack is loaded before its task.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.support.cli import check_json
from versionguard.adapters.program import interpreters

ROOT = Path(__file__).resolve().parents[1]
PYTHON = Path(sys.executable)


@pytest.fixture(autouse=True)
def _no_leftovers():
    yield
    interpreters._close_primed()


def _env() -> dict[str, str]:
    return interpreters.program_environment("proj", None)


def test_a_primed_pool_is_claimed_by_the_same_run_with_its_interpreters_started() -> None:
    interpreters.prime(PYTHON, ROOT, _env(), count=3, spare=2)
    pool = interpreters.claim(PYTHON, ROOT, _env(), count=3, spare=2)
    try:
        assert len(pool._ready) == 2  # started ahead: the first two stacks of three with --jobs 2
        first, second = pool.take(), pool.take()
        assert first.process.pid != second.process.pid  # one interpreter per stack, never shared
        assert interpreters.claim(PYTHON, ROOT, _env(), count=3, spare=2) is not pool  # claimed once only
        first.discard()
        second.discard()
    finally:
        pool.close()


@pytest.mark.parametrize("other", [
    {"count": 2, "spare": 2}, {"count": 3, "spare": 1}, {"cwd": Path("/")}, {"env": {"PULUMI_PROJECT": "other"}},
])
def test_a_run_with_other_arguments_gets_fresh_interpreters_and_the_primed_ones_stop(other: dict) -> None:
    interpreters.prime(PYTHON, ROOT, _env(), count=3, spare=2)
    primed = list(interpreters._primed[0]._ready)
    args = {"python": PYTHON, "cwd": ROOT, "env": _env(), "count": 3, "spare": 2, **other}
    pool = interpreters.claim(**args)
    try:
        assert pool._ready == []  # a new pool: nothing of the primed one is handed out
        for interpreter in primed:
            assert interpreter.process.poll() is not None  # stopped, not left running
    finally:
        pool.close()


def test_a_primed_interpreter_never_claimed_ends_by_itself_at_end_of_input() -> None:
    interpreters.prime(PYTHON, ROOT, _env(), count=1, spare=1)
    (interpreter,) = interpreters._primed[0]._ready
    assert interpreter.process.stdin is not None
    interpreter.process.stdin.close()  # what the CLI's exit does to it
    assert interpreter.process.wait(timeout=60) == 0


def test_a_missing_python_is_reported_by_the_stack_that_needs_it(tmp_path: Path) -> None:
    missing = tmp_path / "no-python"
    interpreters.prime(missing, ROOT, _env(), count=1, spare=1)  # no error here: priming is a guess
    pool = interpreters.claim(missing, ROOT, _env(), count=1, spare=1)
    with pytest.raises(interpreters.InputError, match="no-python"):
        pool.take()


def test_check_all_after_priming_judges_every_stack_as_before() -> None:
    """The CLI primes before it imports the rest; the report is the one of every stack."""
    outcome = check_json("--all", "--jobs", "2")
    assert outcome.code in (0, 1), outcome.stderr
    runs = outcome.report["runs"]
    assert [r["stack"] for r in runs] == ["dev", "prod", "staging"]
    assert all(r["deployments"] and not r.get("error") for r in runs)
    assert interpreters._primed == []  # claimed by the run (or stopped), never left behind
