"""Work split across forked processes: the one way a CPU-bound Python command uses more than one core.

:func:`run_forked` runs the first task in this process and each other one in a child forked from it, so
the children start at once with everything this process has loaded (modules, catalog, settings) and
nothing is pickled on the way in; each child's result comes back pickled through a pipe. A child that
raises, dies or is killed is a :class:`WorkerFailed` naming it, never a missing result.
"""

from __future__ import annotations

import contextlib
import errno
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

_READ = 1 << 20


class WorkerFailed(Exception):
    """A task in a child process raised, or the child died before sending its result."""

    def __init__(self, index: int, detail: str) -> None:
        self.index = index
        self.detail = detail
        super().__init__(f"worker {index}: {detail}")


def fork_available() -> bool:
    """Fork is the start method here: Linux only (macOS forks unsafely once some system libraries ran)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask, as a container or ``taskset`` sets it)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def run_forked(tasks: Sequence[Callable[[], T]]) -> list[T]:
    """Each task's result, in order: ``tasks[0]`` here, every other in its own forked child meanwhile.
    Whatever fails (a fork refused, this task raising, a child failing), no child is left running or
    unreaped."""
    children: list[_Child] = []
    try:
        for i, task in enumerate(tasks[1:], 1):  # one at a time: a refused fork leaves the others listed
            children.append(_start(i, task))
        for child in children:  # threads only once every child is forked: a fork copies no thread
            try:
                child.drain()
            except RuntimeError as exc:  # no thread to be had (a process limit counts threads too)
                raise OSError(errno.EAGAIN, f"cannot start a thread reading worker {child.index}: {exc}") from None
        results = [tasks[0]()] if tasks else []
        return results + [child.result() for child in children]
    except BaseException:
        for child in children:  # each one, whatever happens to another
            with contextlib.suppress(Exception):
                child.kill()
        raise


class _Child:
    """A forked child and a thread draining its pipe (a child blocked on a full pipe would wait for this
    process to finish its own task)."""

    def __init__(self, index: int, pid: int, fd: int) -> None:
        self.index, self.pid, self._fd = index, pid, fd
        self._chunks: list[bytes] = []
        self._reader = threading.Thread(target=self._read, args=(fd,), daemon=True)
        self._status: int | None = None  # once reaped (its pid may then be another process's)

    def drain(self) -> None:
        self._reader.start()

    def _read(self, fd: int) -> None:
        with os.fdopen(fd, "rb", buffering=0) as pipe:
            while chunk := pipe.read(_READ):
                self._chunks.append(chunk)

    def wait(self) -> int:
        if self._status is None:
            if self._reader.ident is not None:  # drained: its end of file is the child's
                self._reader.join()
            else:  # never drained: nobody reads its pipe
                os.close(self._fd)
            try:
                self._status = os.waitpid(self.pid, 0)[1]
            except ChildProcessError:  # reaped, but interrupted before it was recorded: not a result
                self._status = signal.SIGKILL.value  # a wait status: killed by SIGKILL
        return self._status

    def kill(self) -> None:
        """Stop it if it still runs, and reap it."""
        if self._status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self.wait()

    def result(self) -> Any:
        status = self.wait()
        data = b"".join(self._chunks)
        self._chunks.clear()
        if os.WIFSIGNALED(status):
            raise WorkerFailed(self.index, f"killed by signal {os.WTERMSIG(status)}")
        try:
            ok, value = pickle.loads(data)
        except Exception:  # a truncated result: the child died while writing it
            raise WorkerFailed(self.index, f"exited with status {os.waitstatus_to_exitcode(status)} "
                               "without sending its result") from None
        if not ok:
            raise WorkerFailed(self.index, value)
        return value


def _start(index: int, task: Callable[[], Any]) -> _Child:
    read_fd, write_fd = os.pipe()
    try:
        pid = os.fork()
    except BaseException:  # refused (too many processes, no memory): no descriptor left behind
        os.close(read_fd)
        os.close(write_fd)
        raise
    if pid:
        os.close(write_fd)
        return _Child(index, pid, read_fd)
    # The child: never returns into the caller's stack, never runs its exit handlers or flushes its buffers.
    status = 1
    try:
        os.close(read_fd)
        try:
            payload = pickle.dumps((True, task()), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # any failure goes to the parent, named
            payload = pickle.dumps((False, "".join(traceback.format_exception_only(type(exc), exc)).strip()))
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(payload)
        status = 0
    finally:
        os._exit(status)
