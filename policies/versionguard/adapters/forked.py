"""Work split across forked processes: the one way a CPU-bound Python command uses more than one core.

:func:`run_forked` runs the first task in this process and each other one in a child forked from it, so
the children start at once with everything this process has loaded (modules, catalog, settings) and
nothing is pickled on the way in; each child's result comes back pickled in an anonymous file. A child that
raises, dies or is killed is a :class:`WorkerFailed` naming it, never a missing result.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import pickle
import signal
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


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
    unreaped and no result file is left open."""
    children: list[_Child] = []
    try:
        for i, task in enumerate(tasks[1:], 1):  # one at a time: a refused fork leaves the others listed
            children.append(_start(i, task))
        results = [tasks[0]()] if tasks else []
        return results + [child.result() for child in children]
    except BaseException:
        for child in children:  # each one, whatever happens to another
            with contextlib.suppress(Exception):
                child.kill()
        raise


class _Child:
    """A forked child and the anonymous file it writes its result to. A file, not a pipe: the child
    never waits for this process to read (this process is busy with its own task meanwhile), and its
    result (tens of megabytes in a fleet audit) is read in place, not copied through a pipe in chunks
    and joined."""

    def __init__(self, index: int, pid: int, fd: int) -> None:
        self.index, self.pid, self._fd = index, pid, fd
        self._status: int | None = None  # once reaped (its pid may then be another process's)

    def wait(self) -> int:
        if self._status is None:
            try:
                self._status = os.waitpid(self.pid, 0)[1]
            except ChildProcessError:  # reaped, but interrupted before it was recorded: not a result
                self._status = signal.SIGKILL.value  # a wait status: killed by SIGKILL
        return self._status

    def kill(self) -> None:
        """Stop it if it still runs, reap it and close its result file."""
        try:
            if self._status is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
                self.wait()
        finally:
            self._close()

    def _close(self) -> None:
        if self._fd >= 0:
            fd, self._fd = self._fd, -1
            os.close(fd)

    def result(self) -> Any:
        try:
            status = self.wait()
            if os.WIFSIGNALED(status):
                raise WorkerFailed(self.index, f"killed by signal {os.WTERMSIG(status)}")
            try:
                with mmap.mmap(self._fd, 0, access=mmap.ACCESS_READ) as written:
                    ok, value = pickle.loads(written)
            except Exception:  # nothing or a truncated result: the child died while writing it
                raise WorkerFailed(self.index, f"exited with status {os.waitstatus_to_exitcode(status)} "
                                   "without sending its result") from None
        finally:
            self._close()
        if not ok:
            raise WorkerFailed(self.index, value)
        return value


def _result_file() -> int:
    """An anonymous file: in memory where Linux offers it (memfd), else an unlinked temporary file."""
    if hasattr(os, "memfd_create"):
        return os.memfd_create("versionguard-worker", os.MFD_CLOEXEC)
    fd, path = tempfile.mkstemp(prefix="versionguard-worker-")
    os.unlink(path)
    return fd


def _start(index: int, task: Callable[[], Any]) -> _Child:
    fd = _result_file()
    try:
        pid = os.fork()
    except BaseException:  # refused (too many processes, no memory): no descriptor left behind
        os.close(fd)
        raise
    if pid:
        return _Child(index, pid, fd)
    # The child: never returns into the caller's stack, never runs its exit handlers or flushes its buffers.
    status = 1
    try:
        try:
            payload = pickle.dumps((True, task()), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # any failure goes to the parent, named
            payload = pickle.dumps((False, "".join(traceback.format_exception_only(type(exc), exc)).strip()))
        with os.fdopen(fd, "wb", closefd=False) as result:
            result.write(payload)
        status = 0
    finally:
        os._exit(status)
