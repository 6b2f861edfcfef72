"""The fork server: one process per run imports ``pulumi`` and the provider SDKs, then forks a child per stack.

What it imports ahead is limited to installed Pulumi provider SDK modules the program's own source
names; nothing of the program itself. Each stack still runs in a process of its own, isolated from
the stacks before it, stopped at its timeout with everything it started, and failing closed when
the server cannot serve (then: an interpreter per stack) or stops under a running program.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from tests.support import ROOT
from tests.support.cli import PROGRAMS, check_json
from versionguard.adapters.program import fork_server, interpreters
from versionguard.cli import early_start

pytestmark = pytest.mark.skipif(not interpreters.FORKING, reason="the fork server needs fork and Unix packet sockets")

BEHAVIOURS = PROGRAMS / "behaviours"
PYTHON = Path(sys.executable)


@pytest.fixture(autouse=True)
def _no_leftovers():
    yield
    interpreters._close_primed()


def providers(source: str) -> list[str]:
    return fork_server.named_providers(ast.parse(textwrap.dedent(source)))


# --- what is imported ahead ----------------------------------------------------------------------

@pytest.mark.parametrize(("source", "expected"), [
    ("import pulumi_azure_native as azure_native\nazure_native.cognitiveservices.Account('a')",
     {"pulumi_azure_native", "pulumi_azure_native.cognitiveservices", "pulumi_azure_native.cognitiveservices.Account"}),
    ("from pulumi_azure_native import app, cognitiveservices as cs\ncs.Deployment('d')",
     {"pulumi_azure_native", "pulumi_azure_native.app", "pulumi_azure_native.cognitiveservices",
      "pulumi_azure_native.cognitiveservices.Deployment"}),
    ("import pulumi_azure_native.cognitiveservices", {"pulumi_azure_native.cognitiveservices"}),
    ("import pulumi_azure_native\npulumi_azure_native.app.ContainerApp('x')",
     {"pulumi_azure_native", "pulumi_azure_native.app", "pulumi_azure_native.app.ContainerApp"}),
    ("def f():\n    import pulumi_random\n", {"pulumi_random"}),  # anywhere in the module
])
def test_provider_modules_named_by_the_source(source: str, expected: set[str]) -> None:
    assert set(providers(source)) == expected


@pytest.mark.parametrize("source", [
    "import pulumi\npulumi.Config()",  # the SDK itself is imported anyway
    "import settings\nsettings.MODEL",  # the program's own modules: never ahead
    "from . import pulumi_local",  # relative: the program's own
    "import requests\nrequests.get('x')",  # any other library
    "x = __import__('pulumi_azure_native')",  # dynamic imports are left to the program
])
def test_nothing_else_is_a_candidate(source: str) -> None:
    assert providers(source) == []


def test_program_sources_follow_the_programs_own_imports_only(tmp_path: Path) -> None:
    (tmp_path / "__main__.py").write_text("import lib.helpers\nfrom shared import tools\n", "utf-8")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "__init__.py").write_text("", "utf-8")
    (tmp_path / "lib" / "helpers.py").write_text("import pulumi_random\n", "utf-8")
    (tmp_path / "shared.py").write_text("tools = 1\n", "utf-8")
    (tmp_path / "tests").mkdir()  # never imported by the program: never read
    (tmp_path / "tests" / "test_x.py").write_text("import pulumi_gcp\n", "utf-8")
    (tmp_path / "broken.py").write_text("def (:\n", "utf-8")
    read = [Path(p).relative_to(tmp_path).as_posix() for p, _ in fork_server.program_sources(str(tmp_path))]
    assert read == ["__main__.py", "lib/__init__.py", "lib/helpers.py", "shared.py"]


def _warm_up_in_a_fresh_interpreter(program: Path, extra_path: Path | None = None) -> list[str]:
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]); import fork_server; "
            "print(json.dumps(fork_server.warm_up(sys.argv[2])))")
    env = {**os.environ, **({"PYTHONPATH": str(extra_path)} if extra_path else {})}
    done = subprocess.run([sys.executable, "-c", code, str(Path(fork_server.__file__).parent), str(program)],
                          capture_output=True, text=True, env=env, check=True, timeout=120)
    return json.loads(done.stdout.splitlines()[-1])


def test_the_shipped_program_warms_the_azure_native_modules_it_uses() -> None:
    assert _warm_up_in_a_fresh_interpreter(ROOT) == [
        "pulumi_azure_native", "pulumi_azure_native.app", "pulumi_azure_native.cognitiveservices"]


def test_a_local_module_named_like_a_provider_and_a_failing_provider_are_left_to_the_program(tmp_path: Path) -> None:
    marker = tmp_path / "imported"
    program = tmp_path / "program"
    program.mkdir()
    (program / "__main__.py").write_text("import pulumi_local\nimport pulumi_broken\n", "utf-8")
    (program / "pulumi_local.py").write_text(f"open({str(marker)!r}, 'w').close()\n", "utf-8")
    installed = tmp_path / "site"
    _package(installed, "pulumi_broken", "raise SystemExit('this provider fails at import')\n", {"resource": True})
    assert _warm_up_in_a_fresh_interpreter(program, installed) == []
    assert not marker.exists()  # the program's own module, although its name starts with pulumi_


def _package(site: Path, name: str, init: str, plugin: object | None) -> None:
    (site / name).mkdir(parents=True)
    (site / name / "__init__.py").write_text(init, "utf-8")
    if plugin is not None:
        (site / name / "pulumi-plugin.json").write_text(json.dumps(plugin), "utf-8")


@pytest.mark.parametrize(("plugin", "warmed"), [
    ({"resource": True, "name": "acme"}, True),  # what the SDK generator writes into a provider package
    (None, False),  # a team's components or settings helper: may read config or the stack at import
    ({"resource": False}, False),  # as pulumi_policy's
    ({"resource": "true"}, False),
    ([1, 2], False),
    ("not json {", False),
])
def test_only_installed_provider_sdks_are_imported_ahead(tmp_path: Path, plugin: object, warmed: bool) -> None:
    marker = tmp_path / "imported"
    program = tmp_path / "program"
    program.mkdir()
    (program / "__main__.py").write_text("import pulumi_acme\n", "utf-8")
    site = tmp_path / "site"
    _package(site, "pulumi_acme", f"open({str(marker)!r}, 'w').close()\n", None)
    if isinstance(plugin, str):
        (site / "pulumi_acme" / "pulumi-plugin.json").write_text(plugin, "utf-8")
    elif plugin is not None:
        (site / "pulumi_acme" / "pulumi-plugin.json").write_text(json.dumps(plugin), "utf-8")
    assert _warm_up_in_a_fresh_interpreter(program, site) == (["pulumi_acme"] if warmed else [])
    assert marker.exists() == warmed


def test_an_installed_helper_reading_config_at_import_sees_each_stacks_config(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A settings helper installed as a package named pulumi_* (not a provider): imported by each stack's
    program in its child, after the stack's config is set; imported ahead, every stack would see the
    defaults (iso-b would pass with the default model)."""
    project = tmp_path / "project"
    shutil.copytree(BEHAVIOURS, project)
    site = tmp_path / "site"
    site.mkdir()
    (project / "settings.py").rename(site / "pulumi_acme_settings.py")
    (project / "settings.py").write_text("from pulumi_acme_settings import *  # noqa: F403\n", "utf-8")
    (project / "__main__.py").write_text((project / "__main__.py").read_text("utf-8").replace(
        "import settings\n", "import pulumi_acme_settings as settings\n"), "utf-8")
    monkeypatch.setenv("PYTHONPATH", str(site))
    out = check_json("--project", str(project), "--python", str(PYTHON), "--stack", "iso-a", "--stack", "iso-b",
                     "--jobs", "1")
    assert out.code == 1, out.stderr
    assert out.findings() == {("iso-b-chat", "no-auto-upgrade-near-retirement", "mandatory")}


@pytest.mark.parametrize("content", [b"\x00\xff\xfe" * 100, b"(" * 5000, b"import pulumi_x as " * 1000,
                                     "é = 1\n".encode("latin-1")])
def test_unreadable_program_sources_are_left_to_the_program(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "__main__.py").write_bytes(content)
    assert list(fork_server.program_sources(str(tmp_path))) == []
    assert fork_server.warm_up(str(tmp_path)) == []


# --- one server per run, a child per stack ------------------------------------------------------

def _env() -> dict[str, str]:
    return interpreters.program_environment("behaviours", None)


def test_a_run_forks_every_stack_from_one_server_that_loaded_nothing_of_the_program() -> None:
    pool = interpreters.Interpreters(PYTHON, ROOT, _env(), count=2, spare=2, program=ROOT)
    try:
        first, second = pool.take(), pool.take()
        assert isinstance(first, interpreters.ForkedInterpreter) and isinstance(second, interpreters.ForkedInterpreter)
        assert pool.server is not None and pool.server.warm  # served, after its warm-up
        first.discard()
        second.discard()
    finally:
        pool.close()
    assert pool.server is None


def test_isolation_timeouts_and_exits_hold_for_forked_stacks() -> None:
    out = check_json("--project", str(BEHAVIOURS), "--stack", "iso-a", "--stack", "iso-b", "--stack", "os-exit",
                     "--stack", "hang", "--timeout", "3", "--jobs", "2")
    assert out.code == 2
    assert out.findings() == {("iso-b-chat", "no-auto-upgrade-near-retirement", "mandatory")}  # iso-a: its own config
    assert "the program ended the interpreter itself (exit code 0)" in out.run("os-exit")["error"]
    assert "did not finish within 3 s (--timeout)" in out.run("hang")["error"]


def test_a_python_that_cannot_serve_falls_back_to_an_interpreter_per_stack(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    refusing = tmp_path / "fork_server.py"
    refusing.write_text("import sys\nsys.exit('this Python cannot serve')\n", "utf-8")
    monkeypatch.setattr(interpreters, "SERVER", refusing)
    started: list[interpreters.Interpreter] = []
    original = interpreters.Interpreter.__init__

    def counted(self: interpreters.Interpreter, *args: object) -> None:
        original(self, *args)  # type: ignore[arg-type]
        started.append(self)

    monkeypatch.setattr(interpreters.Interpreter, "__init__", counted)
    out = check_json("--project", str(BEHAVIOURS), "--stack", "iso-a", "--stack", "iso-b", "--jobs", "1")
    assert out.code == 1, out.stderr
    assert out.findings() == {("iso-b-chat", "no-auto-upgrade-near-retirement", "mandatory")}
    assert len(started) == 2  # one interpreter of its own per stack


def test_a_server_stopping_under_a_running_program_fails_that_stack_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    started = interpreters.ForkServer.fork

    def fork_then_stop_the_server(self: interpreters.ForkServer, task_path: Path, output: int) -> interpreters._Child:
        child = started(self, task_path, output)
        threading.Timer(1.0, self.process.kill).start()  # the server dies; the hanging child outlives it
        return child

    monkeypatch.setattr(interpreters.ForkServer, "fork", fork_then_stop_the_server)
    out = check_json("--project", str(BEHAVIOURS), "--stack", "hang", "--timeout", "60")
    assert out.code == 2
    assert "could not be followed to its end (versionguard's program host stopped)" in out.run("hang")["error"]


# --- started before the command line is parsed ---------------------------------------------------

@pytest.mark.parametrize(("args", "expected"), [
    (["--project", "p", "--all"], {"--project": "p"}),
    (["--project=p", "--python", "/x/python", "--stack-dir", "s"],
     {"--project": "p", "--python": "/x/python", "--stack-dir": "s"}),
    (["--project", "a", "--project", "b"], {"--project": "b"}),  # the last one wins, as with typer
    (["--", "--project", "p"], {}),
    (["--project"], {}),
])
def test_peek_reads_the_options_as_typer_will(args: list[str], expected: dict[str, str]) -> None:
    assert early_start.peek(args) == expected


def test_the_server_started_before_parsing_is_the_one_the_run_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    servers: list[interpreters.ForkServer] = []
    original = interpreters.ForkServer.__init__

    def counted(self: interpreters.ForkServer, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        servers.append(self)

    monkeypatch.setattr(interpreters.ForkServer, "__init__", counted)
    early_start.start_program_host(["check", "--project", str(BEHAVIOURS), "--stack", "iso-a"])
    assert len(servers) == 1
    out = check_json("--project", str(BEHAVIOURS), "--stack", "iso-a", "--stack", "iso-b")
    assert out.code == 1, out.stderr
    assert len(servers) == 1  # claimed: no second server
    assert servers[0].process.poll() is not None  # stopped with the run


def test_a_server_started_for_other_arguments_is_stopped_and_the_run_starts_its_own() -> None:
    early_start.start_program_host(["check", "--project", str(ROOT)])
    (primed,) = interpreters._primed
    assert primed.server is not None
    guessed = primed.server
    out = check_json("--project", str(BEHAVIOURS), "--stack", "iso-b")
    assert out.code == 1, out.stderr
    assert guessed.process.wait(timeout=30) is not None


@pytest.mark.parametrize("argv", [[], ["audit", "x.json"], ["check", "--project", "/no/such/dir"],
                                  ["check", "--python", "/no/such/python", "--project", str(BEHAVIOURS)]])
def test_nothing_is_started_for_other_commands_or_arguments_the_command_will_refuse(argv: list[str]) -> None:
    early_start.start_program_host(argv)
    assert interpreters._primed == []


@pytest.mark.parametrize("argv", [
    ["check", "--help"], ["check", "--project", str(BEHAVIOURS), "--help"],  # help runs nothing
])
def test_nothing_is_started_for_help(argv: list[str]) -> None:
    early_start.start_program_host(argv)
    assert interpreters._primed == []


def test_a_project_path_that_cannot_be_resolved_is_exit_2_never_a_crash(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    early_start.start_program_host(["check", "--project", str(loop), "--all"])  # a guess: no exception
    assert interpreters._primed == []
    done = subprocess.run([sys.executable, "-m", "versionguard", "check", "--project", str(loop), "--all"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr


# --- when the server cannot serve, or stops being heard ---------------------------------------------

def test_a_python_without_fd_passing_ends_before_ready() -> None:
    """Python < 3.9 has no socket.recv_fds: the server must end before "ready", so that check falls back
    to an interpreter per stack instead of failing every stack on the first task."""
    code = ("import runpy, socket, sys; del socket.recv_fds; sys.argv = [sys.argv[1], '-1', '']; "
            "runpy.run_path(sys.argv[0], run_name='__main__')")
    done = subprocess.run([sys.executable, "-c", code, str(interpreters.SERVER)], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 3, done.stderr


def test_a_server_no_longer_heard_serves_nothing_more(tmp_path: Path) -> None:
    server = interpreters.ForkServer(PYTHON, BEHAVIOURS, dict(os.environ), BEHAVIOURS)
    try:
        assert server.ready()
        server.process.kill()
        server.process.wait(timeout=30)
        for _ in range(300):  # the listener sees the end of the socket
            if server._ended:
                break
            threading.Event().wait(0.01)
        assert not server.ready()  # later stacks get interpreters of their own
        read, write = os.pipe()
        child = server.fork(tmp_path / "task.json", write)
        os.close(read)
        os.close(write)
        assert child.exited.is_set() and child.code is None  # reported as not run, never waited for
    finally:
        server.close()


def test_the_task_file_with_the_stacks_config_is_gone_once_read() -> None:
    pool = interpreters.Interpreters(PYTHON, BEHAVIOURS, interpreters.program_environment("behaviours", None),
                                     count=1, spare=1, program=BEHAVIOURS)
    try:
        forked = pool.take()
        assert isinstance(forked, interpreters.ForkedInterpreter)
        forked.start({"not": "a task the host runs"})
        forked.wait(60)
        assert not (forked.workdir / "task.json").exists()
        forked.discard()
    finally:
        pool.close()
