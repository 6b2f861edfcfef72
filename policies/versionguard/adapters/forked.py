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
from typing import Any, NoReturn, TypeVar

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
    children: list[Worker] = []
    try:
        for i, task in enumerate(tasks[1:], 1):  # one at a time: a refused fork leaves the others listed
            children.append(_start(i, task))
    except BaseException:
        stop(children)
        raise
    return _collect(tasks[0] if tasks else None, children)


def run_started(first: Callable[[], T], started: Sequence[tuple[Worker, Callable[[Any], T]]]) -> list[T]:
    """Like :func:`run_forked`, for workers already running (:func:`start_early`): each is sent its task
    (called with what the worker prepared), ``first`` runs here meanwhile; the results in order."""
    children = [worker for worker, _ in started]
    try:
        for worker, task in started:
            worker.send(task)
    except BaseException:
        stop(children)
        raise
    return _collect(first, children)


def _collect(first: Callable[[], T] | None, children: Sequence[Worker]) -> list[T]:
    try:
        results = [first()] if first is not None else []
        return results + [child.result() for child in children]
    except BaseException:
        stop(children)
        raise


def stop(children: Sequence[Worker]) -> None:
    """Stop, reap and close every child, whatever happens to another."""
    for child in children:
        with contextlib.suppress(Exception):
            child.kill()


class Worker:
    """A forked child and the anonymous file it writes its result to. A file, not a pipe: the child
    never waits for this process to read (this process is busy with its own task meanwhile), and its
    result (tens of megabytes in a fleet audit) is read in place, not copied through a pipe in chunks
    and joined. A child started early (:func:`start_early`) also has the pipe its task comes through."""

    def __init__(self, index: int, pid: int, fd: int, task_fd: int = -1) -> None:
        self.index, self.pid, self._fd, self._task_fd = index, pid, fd, task_fd
        self._status: int | None = None  # once reaped (its pid may then be another process's)

    def send(self, task: Callable[[Any], Any]) -> None:
        """Its task, once: a child that died meanwhile is reported by :meth:`result`, not here. The task
        goes into the child's result file and only its length through the pipe: the child reads the
        pipe once its own share is read, and a task larger than the pipe's buffer (a big catalog or
        waiver file) would otherwise hold this process up until then."""
        payload = pickle.dumps(task, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            with contextlib.suppress(OSError):
                done = 0
                while done < len(payload):
                    done += os.pwrite(self._fd, memoryview(payload)[done:], done)
                os.write(self._task_fd, len(payload).to_bytes(8, "big"))  # 8 bytes: never blocks
        finally:
            self._close_task()

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
            self._close_task()
            self._close()

    def _close(self) -> None:
        if self._fd >= 0:
            fd, self._fd = self._fd, -1
            os.close(fd)

    def _close_task(self) -> None:
        if self._task_fd >= 0:
            fd, self._task_fd = self._task_fd, -1
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
            self._close_task()
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


def _fork(*descriptors: int) -> int:
    """``os.fork()``; when refused (too many processes, no memory), ``descriptors`` are closed first, so
    that none is left behind."""
    try:
        return os.fork()
    except BaseException:
        for descriptor in descriptors:
            os.close(descriptor)
        raise


def _start(index: int, task: Callable[[], Any]) -> Worker:
    fd = _result_file()
    pid = _fork(fd)
    if pid:
        return Worker(index, pid, fd)
    _child(fd, task)


def start_early(index: int, prepare: Callable[[], Any]) -> Worker:
    """A child that runs ``prepare()`` at once, then waits for its task (:meth:`Worker.send`: a callable
    taking what ``prepare`` returned). This process may meanwhile load what the task needs; a child it
    never sends a task to is stopped with :func:`stop`."""
    fd = _result_file()
    try:
        task_read, task_write = os.pipe()
    except BaseException:
        os.close(fd)
        raise
    pid = _fork(fd, task_read, task_write)
    if pid:
        os.close(task_read)
        return Worker(index, pid, fd, task_write)
    os.close(task_write)

    def work() -> Any:
        prepared = prepare()  # first: this process loads what the task needs meanwhile
        return _received(task_read, fd)(prepared)

    _child(fd, work)


def _received(task_fd: int, fd: int) -> Callable[[Any], Any]:
    """The task :meth:`Worker.send` wrote into the result file ``fd``, once its length comes through
    ``task_fd`` (children started after this one hold a copy of the pipe's other end, so its end of
    file cannot mark a task sent); the file is then emptied for the result."""
    with os.fdopen(task_fd, "rb") as pipe:
        size = int.from_bytes(pipe.read(8), "big")
    payload = bytearray()
    while len(payload) < size:
        chunk = os.pread(fd, size - len(payload), len(payload))
        if not chunk:
            break
        payload += chunk
    if size == 0 or len(payload) != size:
        raise WorkerFailed(0, "no task was sent")
    os.ftruncate(fd, 0)
    return pickle.loads(payload)


def _child(fd: int, work: Callable[[], Any]) -> NoReturn:
    """The child: ``work()``'s result (or its failure, named) pickled into the result file. It never
    returns into the caller's stack, never runs its exit handlers or flushes its buffers."""
    status = 1
    try:
        try:
            payload = pickle.dumps((True, work()), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # any failure goes to the parent, named
            payload = pickle.dumps((False, "".join(traceback.format_exception_only(type(exc), exc)).strip()))
        with os.fdopen(fd, "wb", closefd=False) as result:
            result.write(payload)
        status = 0
    finally:
        os._exit(status)
