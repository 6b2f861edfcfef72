"""Fresh processes for the programs of one run, each ready before it is needed.

Every stack gets a process of its own (never reused: that is the isolation ``check`` promises).
Starting an interpreter and importing ``pulumi`` there cost about as much as a small program's run.
Where the platform can fork (Linux), one :class:`ForkServer` per run, started in the project's own
Python, imports ``pulumi`` and the Pulumi provider SDK modules the program names once, then forks a
child per stack (see ``fork_server.py``); elsewhere, or when the project's Python cannot serve (older
than 3.9), the next interpreter is started while the current program runs: it imports ``pulumi`` and
waits on stdin for its task. Either way nothing of any program or stack is loaded before its task
(which stack, which monitor, the stack's config) arrives.

What a program prints (stdout and stderr) is read as it comes, through a pipe, and kept **capped**:
the first and the last :data:`OUTPUT_KEEP` bytes, with a line saying how much was left out between.
A program printing hundreds of MiB costs neither memory nor disk (the whole output was once kept in
a file and read back whole: 0.9 GB of peak memory for 400 MiB printed).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
from collections import deque
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from versionguard.core.errors import InputError

HOST = Path(__file__).with_name("host.py")
SERVER = Path(__file__).with_name("fork_server.py")


def _can_fork_server() -> bool:
    """A fork server needs fork and descriptor passing over a Unix packet socket: Linux has both;
    Windows has neither; where the socket pair is refused (macOS, as far as we know), no server."""
    if not (hasattr(os, "fork") and hasattr(socket, "send_fds") and hasattr(socket, "SOCK_SEQPACKET")):
        return False
    try:
        ends = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    except OSError:
        return False
    for end in ends:
        end.close()
    return True


FORKING = _can_fork_server()
OUTPUT_KEEP = 512 * 1024  # bytes kept of the start and of the end of a program's output
_CHUNK = 64 * 1024


class CappedOutput:
    """A stream's first and last ``keep`` bytes and how many bytes came in all, read on a thread."""

    def __init__(self, stream: Any, keep: int = OUTPUT_KEEP) -> None:
        self._stream, self._keep = stream, keep
        self._head = bytearray()
        self._tail: deque[bytes] = deque()
        self._tail_size = 0
        self.total = 0
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._drain, daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            while chunk := self._stream.read1(_CHUNK):
                with self._lock:
                    self._keep_chunk(chunk)
        with contextlib.suppress(OSError):
            self._stream.close()

    def _keep_chunk(self, chunk: bytes) -> None:
        self.total += len(chunk)
        room = self._keep - len(self._head)
        if room > 0:
            self._head += chunk[:room]
            chunk = chunk[room:]
        if chunk:
            self._tail.append(chunk)
            self._tail_size += len(chunk)
            while self._tail_size - len(self._tail[0]) >= self._keep:
                self._tail_size -= len(self._tail.popleft())

    def ended(self) -> bool:
        """Whether the stream reached its end (every writer closed it)."""
        return not self._thread.is_alive()

    def text(self, timeout: float = 5.0) -> str:
        """What was kept, as text; waits for the stream's end (a grandchild holding it open: ``timeout``)."""
        self._thread.join(timeout)
        with self._lock:
            tail, total = b"".join(self._tail), self.total
        if len(tail) > self._keep:
            tail = tail[len(tail) - self._keep:]
        left_out = total - len(self._head) - len(tail)
        head = bytes(self._head).decode("utf-8", "replace")
        if left_out <= 0:
            return head + tail.decode("utf-8", "replace")
        return (head + f"\n[versionguard: {left_out} bytes of the program's output left out here; the first and "
                f"last {self._keep // 1024} KiB are shown]\n" + tail.decode("utf-8", "replace"))


def _unstartable(python: Path, exc: OSError) -> InputError:
    """Not a program (exec format error), no permission, a missing #! interpreter."""
    return InputError(str(python), "(interpreter)", "a Python interpreter that can be started to run the program",
                      exc.strerror or str(exc))


class _Workdir:
    """The private directory of one program's run: where its result is written, removed with it."""

    def __init__(self) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix="versionguard-"))
        self.result_path = self.workdir / "result.json"

    def result(self) -> dict[str, Any] | None:
        return json.loads(self.result_path.read_text("utf-8")) if self.result_path.is_file() else None


class Interpreter(_Workdir):
    """One started ``program.host`` process, its output file and its result file."""

    def __init__(self, python: Path, cwd: Path, env: Mapping[str, str]) -> None:
        super().__init__()
        try:
            # Its own session, so a timeout can stop the program and everything it started.
            self.process = subprocess.Popen([str(python), "-u", str(HOST)], cwd=cwd, env=dict(env),
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        except OSError as exc:
            shutil.rmtree(self.workdir, ignore_errors=True)
            raise _unstartable(python, exc) from None
        self._output = CappedOutput(self.process.stdout)

    def start(self, task: Mapping[str, Any]) -> None:
        """Hand over the task; the program starts running now."""
        assert self.process.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # it died early: the missing result says so
            self.process.stdin.write(json.dumps({**task, "result": str(self.result_path)}).encode() + b"\n")
            self.process.stdin.close()

    def wait(self, timeout: float) -> int:
        """The exit code; raises subprocess.TimeoutExpired after stopping the process group."""
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            raise

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def output(self) -> str:
        return self._output.text()

    def discard(self) -> None:
        if self.process.poll() is None:
            self.stop()
        if self.process.stdin is not None:
            self.process.stdin.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


class _Child:
    """One forked child as the server reports it: its pid once started, its exit code once reaped."""

    def __init__(self) -> None:
        self.pid: int | None = None
        self.code: int | None = None
        self.started = threading.Event()
        self.exited = threading.Event()


class ForkServer:
    """One started ``fork_server.py``: forks a child per stack, reports each child's pid and exit code."""

    READY_TIMEOUT = 120.0  # seconds for it to import pulumi and the provider SDKs before a stack needs it

    def __init__(self, python: Path, cwd: Path, env: Mapping[str, str], program: Path | None) -> None:
        self._socket, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.process = subprocess.Popen([str(python), "-u", str(SERVER), str(theirs.fileno()), str(program or "")],
                                            cwd=cwd, env=dict(env), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=subprocess.STDOUT, pass_fds=(theirs.fileno(),),
                                            start_new_session=True)
        except OSError as exc:
            self._socket.close()
            raise _unstartable(python, exc) from None
        finally:
            theirs.close()
        self._output = CappedOutput(self.process.stdout)
        self._lock = threading.Lock()
        self._runs: dict[int, _Child] = {}
        self._by_pid: dict[int, _Child] = {}
        self._next = 0
        self.warm: list[str] = []
        self._ready = False
        self._ended = False  # no longer heard: nothing more is forked or reported
        self._settled = threading.Event()  # ready, or ended
        threading.Thread(target=self._listen, daemon=True).start()

    def ready(self, timeout: float | None = None) -> bool:
        """Whether it serves (it imported what it needs); False when it ended first (an older Python)
        or took more than :data:`READY_TIMEOUT` (or ``timeout``, the program's own, when shorter)."""
        self._settled.wait(self.READY_TIMEOUT if timeout is None else min(self.READY_TIMEOUT, timeout))
        with self._lock:
            return self._ready and not self._ended

    def fork(self, task_path: Path, output: int) -> _Child:
        """Ask for a child running the task in ``task_path``, its stdout and stderr going to ``output``."""
        child = _Child()
        with self._lock:
            if self._ended:  # no child of it would be reported: the stack is reported as not run
                child.started.set()
                child.exited.set()
                return child
            self._next += 1
            self._runs[self._next] = child
            message = json.dumps({"run": self._next, "task": str(task_path)}).encode()
        try:
            socket.send_fds(self._socket, [message], [output])
        except OSError:  # it has ended: the stack is reported as not run
            child.exited.set()
        return child

    def _listen(self) -> None:
        while True:
            try:
                data = self._socket.recv(65536)
            except OSError:
                data = b""
            if not data:
                break
            try:
                message = json.loads(data)
            except ValueError:
                message = None
            if not isinstance(message, dict):  # not the server speaking: gone, so that no stack waits forever
                break
            with self._lock:
                if "ready" in message:
                    self.warm = list(message.get("warm") or [])
                    self._ready = True
                    self._settled.set()
                elif (child := self._runs.pop(message.get("started"), None)) is not None:
                    child.pid = message.get("pid")
                    self._by_pid[child.pid] = child
                    child.started.set()
                elif (child := self._by_pid.pop(message.get("exited"), None)) is not None:
                    child.code = message.get("code")
                    child.exited.set()
        with self._lock:  # it ended, or stopped making sense: no child of it will be reported any more
            self._ended = True
            self._settled.set()
            waiting = [*self._runs.values(), *self._by_pid.values()]
            self._runs.clear()
            self._by_pid.clear()
        # A server still running (it sent what could not be read) forks nothing more that nobody follows.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        for child in waiting:
            child.started.set()
            child.exited.set()

    def output(self) -> str:
        return self._output.text(timeout=1.0)

    def close(self) -> None:
        """Stop it: end of input first (it exits by itself), its process group if it lingers."""
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        try:
            self.process.wait(timeout=2.0)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self._socket.close()


class ForkedInterpreter(_Workdir):
    """One stack's child of a :class:`ForkServer`, with the interface of :class:`Interpreter`."""

    def __init__(self, server: ForkServer) -> None:
        super().__init__()
        self._server = server
        self._child: _Child | None = None
        self._output: CappedOutput | None = None

    def start(self, task: Mapping[str, Any]) -> None:
        """Hand over the task; the server forks its child now."""
        task_path = self.workdir / "task.json"
        task_path.write_text(json.dumps({**task, "result": str(self.result_path)}), "utf-8")
        read, write = os.pipe()
        self._output = CappedOutput(os.fdopen(read, "rb"))
        try:
            self._child = self._server.fork(task_path, write)
        finally:
            os.close(write)  # the child holds it now: end of output is the child's (and its children's) end

    def wait(self, timeout: float) -> int | None:
        """The exit code (as ``Popen.returncode``; None if the server ended without reporting it); raises
        subprocess.TimeoutExpired after stopping the child's process group."""
        assert self._child is not None
        if not self._child.exited.wait(timeout):
            self.stop()
            raise subprocess.TimeoutExpired("program", timeout)
        return self._child.code

    def stop(self) -> None:
        child = self._child
        if child is None or child.code is not None:  # not started, or reaped (its pid may be reused)
            return
        if child.exited.is_set() and (self._output is None or self._output.ended()):
            return  # the server ended, and so did the child and all it started: nothing holds its output
        child.started.wait(5.0)
        if child.pid is not None:
            for kill in (os.killpg, os.kill):  # its group; the child alone if it has not made one yet
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    kill(child.pid, signal.SIGKILL)
                    break
        child.exited.wait(5.0)

    def output(self) -> str:
        text = self._output.text() if self._output is not None else ""
        child = self._child
        if child is not None and child.code is None and child.exited.is_set():
            # The server ended under it: what the server printed says why (an import, a crash).
            host = self._server.output().strip()
            if host:
                if text and not text.endswith("\n"):
                    text += "\n"
                text += f"versionguard's program host printed:\n{host}\n"
        return text

    def discard(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


class Interpreters:
    """Hands out ``count`` fresh processes for programs: children of one :class:`ForkServer` where the
    platform forks, else interpreters of their own, keeping up to ``spare`` started ahead of need."""

    def __init__(self, python: Path, cwd: Path, env: Mapping[str, str], count: int, spare: int,
                 program: Path | None = None) -> None:
        self._python, self._cwd, self._env, self._program = python, cwd, env, program
        self._left, self._spare = count, max(1, spare)
        self._ready: list[Interpreter] = []
        self._lock = threading.Lock()
        self._forking = FORKING and program is not None
        self.server: ForkServer | None = None
        # A fork server serves any number of stacks: only interpreters started ahead depend on the counts.
        self.key: tuple[Any, ...] = (str(python), str(cwd), tuple(sorted(env.items())), str(program))
        if not self._forking:
            self.key += (count, self._spare)

    def expect(self, count: int, spare: int) -> None:
        """The run that claims this pool has ``count`` stacks, ``spare`` at a time."""
        with self._lock:
            self._left, self._spare = count, max(1, spare)

    def take(self, timeout: float | None = None) -> Interpreter | ForkedInterpreter:
        """A fresh process for one program; ``timeout``: the program's, which also bounds the wait for
        the fork server to be ready."""
        if self._forking:
            server = self._server()
            if server.ready(timeout):
                with self._lock:
                    self._left -= 1
                return ForkedInterpreter(server)
            with self._lock:  # its Python cannot serve: an interpreter per stack, as on other platforms
                self._forking = False
        with self._lock:
            self._left -= 1
            ready = self._ready.pop(0) if self._ready else None
        taken = ready or self._start()
        self._start_spares()
        return taken

    def start_ahead(self) -> None:
        """Start what the first program needs now: the fork server, or the first interpreters."""
        if self._forking:
            with contextlib.suppress(InputError):  # left to the take() that needs it, which reports it
                self._server()
            return
        self._start_spares()

    def _server(self) -> ForkServer:
        with self._lock:
            if self.server is None:
                self.server = ForkServer(self._python, self._cwd, self._env, self._program)
            return self.server

    def _start_spares(self) -> None:
        while True:
            with self._lock:
                if len(self._ready) >= min(self._left, self._spare):
                    return
            try:
                started = self._start()
            except InputError:  # left to the take() that needs it, which reports it for its own stack
                return
            with self._lock:
                self._ready.append(started)

    def close(self) -> None:
        with self._lock:
            ready, self._ready = self._ready, []
            server, self.server = self.server, None
        for interpreter in ready:
            interpreter.discard()
        if server is not None:
            server.close()

    def _start(self) -> Interpreter:
        return Interpreter(self._python, self._cwd, self._env)


def program_environment(project_name: str, venv: Path | None) -> dict[str, str]:
    """The environment of every program of a project (each stack's own part comes with its task)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_") and k != "PYTHONHOME"}
    env.update({"PULUMI_PROJECT": project_name, "PULUMI_DRY_RUN": "true", "PYTHONUNBUFFERED": "1"})
    if venv is not None:  # activated, as Pulumi's toolchains run the program
        env["VIRTUAL_ENV"] = str(venv)
        env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


_primed: list[Interpreters] = []
_primed_lock = threading.Lock()


def prime(python: Path, cwd: Path, env: Mapping[str, str], count: int, spare: int,
          program: Path | None = None) -> None:
    """Start the first interpreters of a coming run now, so they import ``pulumi`` while the caller still
    loads its own modules, the catalog and the waivers (on a small machine, half of a short check).
    The run :func:`claim` s them when its arguments are the same; one never claimed is stopped at exit
    (it would end by itself anyway: an interpreter reading end-of-file on stdin exits)."""
    pool = Interpreters(python, cwd, env, count, spare, program)
    with _primed_lock:
        started = next((p for p in _primed if p.key == pool.key), None)
        if started is not None:  # primed already (``check`` starts its fork server before parsing)
            started.expect(count, spare)
            return
    pool.start_ahead()
    with _primed_lock:
        stale, _primed[:] = list(_primed), [pool]
    for old in stale:
        old.close()


def claim(python: Path, cwd: Path, env: Mapping[str, str], count: int, spare: int,
          program: Path | None = None) -> Interpreters:
    """The primed interpreters if they were started for exactly this run, else a new pool."""
    wanted = Interpreters(python, cwd, env, count, spare, program)
    with _primed_lock:
        primed, _primed[:] = list(_primed), []
    found = None
    for pool in primed:
        if found is None and pool.key == wanted.key:
            found = pool
            found.expect(count, spare)
        else:
            pool.close()
    return found or wanted


@atexit.register
def _close_primed() -> None:
    with _primed_lock:
        primed, _primed[:] = list(_primed), []
    for pool in primed:
        pool.close()
