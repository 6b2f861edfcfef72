"""Fresh interpreters for the programs of one run, each started before it is needed.

Every stack gets an interpreter of its own (never reused: that is the isolation ``check`` promises).
Starting one and importing ``pulumi`` there takes about half the time of a small program's run, so
the next interpreter is started while the current program runs: it imports ``pulumi`` and then
waits on stdin for its task (which stack, which monitor, the stack's config). Nothing of any
program or stack is loaded before the task arrives.

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
import subprocess
import tempfile
import threading
from collections import deque
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from versionguard.core.errors import InputError

HOST = Path(__file__).with_name("host.py")
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


class Interpreter:
    """One started ``program.host`` process, its output file and its result file."""

    def __init__(self, python: Path, cwd: Path, env: Mapping[str, str]) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix="versionguard-"))
        self.result_path = self.workdir / "result.json"
        try:
            # Its own session, so a timeout can stop the program and everything it started.
            self.process = subprocess.Popen([str(python), "-u", str(HOST)], cwd=cwd, env=dict(env),
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        except OSError as exc:  # not a program (exec format error), no permission, a missing #! interpreter
            shutil.rmtree(self.workdir, ignore_errors=True)
            raise InputError(str(python), "(interpreter)", "a Python interpreter that can be started to run the "
                             "program", exc.strerror or str(exc)) from None
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

    def result(self) -> dict[str, Any] | None:
        return json.loads(self.result_path.read_text("utf-8")) if self.result_path.is_file() else None

    def discard(self) -> None:
        if self.process.poll() is None:
            self.stop()
        if self.process.stdin is not None:
            self.process.stdin.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


class Interpreters:
    """Hands out ``count`` fresh interpreters, keeping up to ``spare`` started ahead of need."""

    def __init__(self, python: Path, cwd: Path, env: Mapping[str, str], count: int, spare: int) -> None:
        self._python, self._cwd, self._env = python, cwd, env
        self.key = (str(python), str(cwd), tuple(sorted(env.items())), count, max(1, spare))
        self._left, self._spare = count, max(1, spare)
        self._ready: list[Interpreter] = []
        self._lock = threading.Lock()

    def take(self) -> Interpreter:
        with self._lock:
            self._left -= 1
            ready = self._ready.pop(0) if self._ready else None
        taken = ready or self._start()
        while True:
            with self._lock:
                if len(self._ready) >= min(self._left, self._spare):
                    return taken
            try:
                started = self._start()
            except InputError:  # left to the take() that needs it, which reports it for its own stack
                return taken
            with self._lock:
                self._ready.append(started)

    def start_ahead(self) -> None:
        """Start the first interpreters now (as many as ``take`` would keep ready)."""
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
        for interpreter in ready:
            interpreter.discard()

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


def prime(python: Path, cwd: Path, env: Mapping[str, str], count: int, spare: int) -> None:
    """Start the first interpreters of a coming run now, so they import ``pulumi`` while the caller still
    loads its own modules, the catalog and the waivers (on a small machine, half of a short check).
    The run :func:`claim` s them when its arguments are the same; one never claimed is stopped at exit
    (it would end by itself anyway: an interpreter reading end-of-file on stdin exits)."""
    pool = Interpreters(python, cwd, env, count, spare)
    pool.start_ahead()
    with _primed_lock:
        stale, _primed[:] = list(_primed), [pool]
    for old in stale:
        old.close()


def claim(python: Path, cwd: Path, env: Mapping[str, str], count: int, spare: int) -> Interpreters:
    """The primed interpreters if they were started for exactly this run, else a new pool."""
    wanted = Interpreters(python, cwd, env, count, spare)
    with _primed_lock:
        primed, _primed[:] = list(_primed), []
    found = None
    for pool in primed:
        if found is None and pool.key == wanted.key:
            found = pool
        else:
            pool.close()
    return found or wanted


@atexit.register
def _close_primed() -> None:
    with _primed_lock:
        primed, _primed[:] = list(_primed), []
    for pool in primed:
        pool.close()
