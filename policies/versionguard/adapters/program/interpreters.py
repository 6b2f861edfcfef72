"""Fresh interpreters for the programs of one run, each started before it is needed.

Every stack gets an interpreter of its own (never reused: that is the isolation ``check`` promises).
Starting one and importing ``pulumi`` there takes about half the time of a small program's run, so
the next interpreter is started while the current program runs: it imports ``pulumi`` and then
waits on stdin for its task (which stack, which monitor, the stack's config). Nothing of any
program or stack is loaded before the task arrives.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from versionguard.core.errors import InputError

HOST = Path(__file__).with_name("host.py")


class Interpreter:
    """One started ``program.host`` process, its output file and its result file."""

    def __init__(self, python: Path, cwd: Path, env: Mapping[str, str]) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix="versionguard-"))
        self.result_path = self.workdir / "result.json"
        self.output_path = self.workdir / "output.txt"
        try:
            with self.output_path.open("wb") as sink:
                # Its own session, so a timeout can stop the program and everything it started.
                self.process = subprocess.Popen([str(python), "-u", str(HOST)], cwd=cwd, env=dict(env),
                                                stdin=subprocess.PIPE, stdout=sink, stderr=subprocess.STDOUT,
                                                start_new_session=True)
        except OSError as exc:  # not a program (exec format error), no permission, a missing #! interpreter
            shutil.rmtree(self.workdir, ignore_errors=True)
            raise InputError(str(python), "(interpreter)", "a Python interpreter that can be started to run the "
                             "program", exc.strerror or str(exc)) from None

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
        return self.output_path.read_bytes().decode("utf-8", "replace") if self.output_path.is_file() else ""

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

    def close(self) -> None:
        with self._lock:
            ready, self._ready = self._ready, []
        for interpreter in ready:
            interpreter.discard()

    def _start(self) -> Interpreter:
        return Interpreter(self._python, self._cwd, self._env)
