"""``audit --jobs``: files read and judged in several processes give the single-process result, byte for
byte: the report in every format, the notes (duplicates within and across shares), the first error in
file order, the gaps of partial input; a worker that dies is exit 2, never a pass.

The threshold under which audit stays in one process is lowered to 0 here, so that small fleets split.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from lifecycle_helpers import SMALL_CATALOG, arm_item, graph_row, write_json

from versionguard.adapters import forked
from versionguard.cli import app
from versionguard.commands import audit as audit_command
from versionguard.reporters import FORMATS

pytestmark = pytest.mark.skipif(not forked.fork_available(), reason="audit splits files across forked processes")

PIN = ["--as-of", "2026-05-01", "--catalog", str(SMALL_CATALOG)]
MODELS = [("gpt-4o", "2024-08-06"), ("gpt-35-turbo", "0301"), ("gpt-4.1", "2025-04-14"), ("nope", "1"),
          ("text-embedding-3-large", "1"), ("gpt-4o", "2024-05-13")]
SKUS = ["Standard", "GlobalStandard", "ProvisionedManaged", "Weird", None]
OPTIONS = ["OnceCurrentVersionExpired", "NoAutoUpgrade", "OnceNewDefaultVersionAvailable", None, "noautoupgrade"]


@pytest.fixture(autouse=True)
def split_small_input(monkeypatch):
    monkeypatch.setattr(audit_command, "PARALLEL_FROM_BYTES", 0)


@pytest.fixture
def one_process_reads(monkeypatch) -> list[int]:
    """How many times the files were read in one process (jobs 1, or the fallback of split runs)."""
    calls: list[int] = []
    load_live = audit_command.load_live

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return load_live(*args, **kwargs)

    monkeypatch.setattr(audit_command, "load_live", counted)
    return calls


def item(account: int, i: int, **extra: Any) -> dict[str, Any]:
    model, version = MODELS[(account * 7 + i) % len(MODELS)]
    found = arm_item(f"acct-{account:02d}", f"dep-{i}", {"format": "OpenAI", "name": model, "version": version},
                     SKUS[(account + i) % len(SKUS)], OPTIONS[(account * 3 + i) % len(OPTIONS)], **extra)
    subscription = f"00000000-0000-0000-0000-{account % 3:012d}"
    found["id"] = found["id"].replace("00000000-0000-0000-0000-000000000000", subscription)
    return found


def fleet(tmp_path: Path, accounts: int = 9, per_account: int = 6) -> list[Path]:
    """One az-array file per account; odd shapes among them (a list for a model, a lower-case type)."""
    files = []
    for a in range(accounts):
        items = [item(a, i) for i in range(per_account)]
        if a == 4:
            items.append(arm_item("acct-04", "odd", [], "Standard", None))  # unhashable content: its own group
            items[0]["type"] = items[0]["type"].lower()
        files.append(write_json(tmp_path / f"deployments-{a:02d}.json", items))
    return files


def invoke(runner, files: list[Path], jobs: int, *args: str) -> tuple[int, str, bytes]:
    out = files[0].parent / f"report-{jobs}"
    result = runner.invoke(app, ["audit", *map(str, files), *PIN, "-j", str(jobs), "-o", str(out), *args])
    return result.exit_code, result.output.replace(str(out), "OUT"), out.read_bytes() if out.exists() else b""


def same_as_serial(runner, files: list[Path], *args: str, jobs: tuple[int, ...] = (2, 3, 5)) -> tuple[int, str, bytes]:
    serial = invoke(runner, files, 1, *args)
    for n in jobs:
        assert invoke(runner, files, n, *args) == serial, n
    return serial


def test_the_json_report_and_notes_are_the_single_process_ones(runner, tmp_path, one_process_reads):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n- policy: model-version-known\n  resource: acct-03/dep-1\n  reason: r\n"
                       "  expires: 2026-06-01\n- policy: no-such-policy\n  resource: x\n  reason: r\n"
                       "  expires: 2026-06-01\n", "utf-8")
    code, _, report = same_as_serial(runner, fleet(tmp_path), "-f", "json", "--waivers", str(waivers))
    data = json.loads(report)
    assert code == 1 and data["summary"]["deployments"] == 55 and data["summary"]["waived"] >= 1
    assert any(f["resource"] == "(stack)" for f in data["findings"])  # the stack rules judge once
    assert len(one_process_reads) == 1  # jobs 1 only: the split runs did not fall back


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "json"])
def test_every_other_format_is_the_single_process_one(runner, tmp_path, fmt):
    same_as_serial(runner, fleet(tmp_path, accounts=5, per_account=4), "-f", fmt, jobs=(2,))


def test_several_outputs_and_stdout(runner, tmp_path):
    files = fleet(tmp_path, accounts=4)
    same_as_serial(runner, files, "-o", f"sarif={tmp_path / 'r.sarif'}", jobs=(2,))
    serial, split = (runner.invoke(app, ["audit", *map(str, files), *PIN, "-f", "json", "-j", j]) for j in "12")
    assert split.output == serial.output and split.exit_code == serial.exit_code == 1


@pytest.mark.parametrize("content", ["same", "different"])
@pytest.mark.parametrize("where", [(0, 1), (0, 8), (7, 8)])  # within a share and across shares
def test_duplicates_across_files_and_shares(runner, tmp_path, content, where, one_process_reads):
    files = fleet(tmp_path)
    first, then = where
    copy = item(first, 2)
    if content == "different":
        copy["sku"] = {"name": "GlobalStandard" if copy["sku"] != {"name": "GlobalStandard", "capacity": 10}
                       else "Standard", "capacity": 10}
        copy["type"] = copy["type"].upper()  # the findings of both copies tie on their sort key but this
    items = json.loads(files[then].read_text("utf-8"))
    write_json(files[then], [*items, copy])
    _, output, _ = same_as_serial(runner, files, "-f", "json")
    assert ("judged once" if content == "same" else "both judged") in output
    # The same content within one share stays split; otherwise the files are read again in one process.
    apart = [n for n in (2, 3, 5) if content == "different" or not any(
        files[first] in share and files[then] in share for share in audit_command._shards(files, n))]
    assert len(one_process_reads) == 1 + len(apart)


def test_the_first_malformed_file_in_file_order_is_the_error(runner, tmp_path):
    files = fleet(tmp_path)
    (tmp_path / "deployments-07.json").write_text('[{"id": "x", "name": "a", "name": "b"}]', "utf-8")
    code, output, _ = same_as_serial(runner, files)
    assert code == 2 and "deployments-07.json" in output and "duplicate key" in output
    write_json(files[2], [{"name": "no-id"}])
    code, output, _ = same_as_serial(runner, files)
    assert code == 2 and "deployments-02.json: [0].id" in output
    files[1].unlink()
    code, output, _ = same_as_serial(runner, files)
    assert code == 2 and "deployments-01.json" in output


def test_pages_and_their_gaps(runner, tmp_path):
    files = fleet(tmp_path)
    write_json(files[1], {"value": [item(1, 0)], "nextLink": "https://management.azure.com/next"})
    rows = [graph_row("s", "rg", "acct-rg", f"d{i}") for i in range(3)]
    write_json(files[3], {"count": 2, "data": rows[:2], "skip_token": "t", "total_records": 3})
    write_json(files[8], {"count": 1, "data": rows[2:], "total_records": 3})  # the rest, in another share
    code, output, _ = same_as_serial(runner, files, "-f", "json")
    assert code == 2 and "nextLink" in output
    code, output, report = same_as_serial(runner, files, "-f", "json", "--allow-partial")
    assert json.loads(report)["runs"][0]["partial"] == [f"{files[1]}: an ARM Deployments-List page with a nextLink "
                                                        "(1 deployment): the pages after it are not in the file"]
    write_json(files[8], {"count": 0, "data": [], "total_records": 3})
    code, output, _ = same_as_serial(runner, files, "-f", "json")
    assert code == 2 and "(and 1 more gap)" in output


def test_a_worker_killed_is_exit_2_never_a_verdict(runner, tmp_path, monkeypatch):
    parent, shard = os.getpid(), audit_command._audit_shard

    def dies(*args: Any) -> Any:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return shard(*args)

    monkeypatch.setattr(audit_command, "_audit_shard", dies)
    code, output, report = invoke(runner, fleet(tmp_path), 2, "-f", "json")
    assert code == 2 and report == b""
    assert "(worker process): expected a worker process that reads and judges these files to finish, got " \
           "'killed by signal 9'" in output and "deployments-05.json" in output


def test_a_worker_that_raises_is_exit_2_naming_the_error(runner, tmp_path, monkeypatch):
    parent, shard = os.getpid(), audit_command._audit_shard

    def fails(*args: Any) -> Any:
        if os.getpid() != parent:
            raise MemoryError("out of memory")
        return shard(*args)

    monkeypatch.setattr(audit_command, "_audit_shard", fails)
    code, output, _ = invoke(runner, fleet(tmp_path), 3, "-f", "json")
    assert code == 2 and "MemoryError: out of memory" in output


def test_shares_are_contiguous_balanced_and_small_input_stays_in_one(monkeypatch, tmp_path):
    files = fleet(tmp_path, accounts=10)
    assert audit_command._shards(files, 1) == [files]
    shares = audit_command._shards(files, 3)
    assert [f for share in shares for f in share] == files and [len(s) for s in shares] == [4, 3, 3]
    assert audit_command._shards(files[:1], 4) == [files[:1]]
    monkeypatch.setattr(audit_command, "PARALLEL_FROM_BYTES", 10**9)
    assert audit_command._shards(files, 4) == [files]
    monkeypatch.setattr(forked, "fork_available", lambda: False)
    monkeypatch.setattr(audit_command, "fork_available", lambda: False)
    monkeypatch.setattr(audit_command, "PARALLEL_FROM_BYTES", 0)
    assert audit_command._shards(files, 4) == [files]


def test_jobs_option(runner, tmp_path):
    files = [str(f) for f in fleet(tmp_path, accounts=2)]
    for bad in ("0", "-1", "65"):
        result = runner.invoke(app, ["audit", *files, *PIN, "-j", bad])
        assert result.exit_code == 2 and "--jobs" in result.output
    result = runner.invoke(app, ["audit", "--live", "--jobs", "2"])
    assert result.exit_code == 2 and "--jobs" in result.output


def test_run_forked_keeps_order_and_names_failures():
    assert forked.run_forked([lambda: os.getpid(), lambda: 2, lambda: "three"])[1:] == [2, "three"]
    assert forked.run_forked([]) == []
    def bad() -> int:
        raise ValueError("bad")

    with pytest.raises(forked.WorkerFailed, match="worker 2: ValueError: bad"):
        forked.run_forked([lambda: 1, lambda: 2, bad])
    with pytest.raises(forked.WorkerFailed, match="worker 1: exited with status 3 without sending its result"):
        forked.run_forked([lambda: 1, lambda: os._exit(3)])


def _started_children(monkeypatch) -> list[int]:
    """The pid of every child run_forked starts (never os.waitpid(-1): the suite has other children)."""
    pids: list[int] = []
    start = forked._start

    def recorded(index: int, task: Any) -> Any:
        child = start(index, task)
        pids.append(child.pid)
        return child

    monkeypatch.setattr(forked, "_start", recorded)
    return pids


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_a_failing_worker_leaves_no_other_worker_running(monkeypatch):
    pids = _started_children(monkeypatch)

    def bad() -> int:
        raise ValueError("bad")

    def slow() -> int:
        signal.pause()  # until killed
        return 0

    with pytest.raises(forked.WorkerFailed, match="worker 1: ValueError: bad"):
        forked.run_forked([lambda: 1, bad, slow, slow])
    assert len(pids) == 3 and all(_reaped(pid) for pid in pids)


def test_a_fork_refused_midway_leaves_no_child_and_no_descriptor(monkeypatch):
    pids = _started_children(monkeypatch)
    real_fork, calls = os.fork, []

    def refusing() -> int:
        calls.append(1)
        if len(calls) == 2:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        return real_fork()

    monkeypatch.setattr(forked.os, "fork", refusing)
    before = _open_fds()
    with pytest.raises(OSError, match="temporarily unavailable"):
        forked.run_forked([lambda: 1, lambda: 2, lambda: 3])
    assert len(pids) == 1 and _reaped(pids[0])
    assert _open_fds() == before


def test_audit_reads_in_one_process_when_a_fork_is_refused(runner, tmp_path, monkeypatch, one_process_reads):
    files = fleet(tmp_path, accounts=4, per_account=3)
    serial = invoke(runner, files, 1, "-f", "json")

    def refused(index: int, task: Any) -> Any:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(forked, "_start", refused)
    assert invoke(runner, files, 2, "-f", "json") == serial
    assert len(one_process_reads) == 2  # jobs 1, then the fallback of the refused split


def test_audit_reads_in_one_process_when_no_result_file_can_be_made(runner, tmp_path, monkeypatch,
                                                                    one_process_reads):
    files = fleet(tmp_path, accounts=4, per_account=3)
    serial = invoke(runner, files, 1, "-f", "json")
    pids = _started_children(monkeypatch)
    made = forked._result_file
    calls: list[int] = []

    def refused() -> int:  # the first worker's file is made, the second's refused (a descriptor limit)
        calls.append(1)
        if len(calls) == 2:
            raise OSError(24, "Too many open files")
        return made()

    monkeypatch.setattr(forked, "_result_file", refused)
    before = _open_fds()
    assert invoke(runner, files, 3, "-f", "json") == serial
    assert len(one_process_reads) == 2
    assert len(pids) == 1 and all(_reaped(pid) for pid in pids)
    assert _open_fds() == before


def test_a_worker_result_is_read_from_its_file_and_the_file_closed():
    before = _open_fds()
    big = "x" * (8 * 2**20)  # more than a pipe holds: the worker never waits for this process to read
    assert forked.run_forked([lambda: 1, lambda: big, lambda: [big, 3]]) == [1, big, [big, 3]]
    assert _open_fds() == before

def test_shares_out_of_account_order_are_merged_finding_by_finding(runner, tmp_path, monkeypatch):
    """Files given in account order join each share's report blocks as they are; any other order (or
    accounts that interleave across shares) sorts every finding: the same report either way."""
    files = fleet(tmp_path, accounts=8, per_account=5)
    merges: list[bool] = []
    real = audit_command._merged

    def recorded(shares: Any) -> Any:
        merged = real(shares)
        keys = [k for share in shares for k in share.keys]
        merges.append(len(keys) > 1 and merged == [f for _, f in sorted(
            zip(keys, [f for share in shares for f in share.findings], strict=True), key=lambda p: p[0])])
        return merged

    monkeypatch.setattr(audit_command, "_merged", recorded)
    in_order = same_as_serial(runner, files, "-f", "json", jobs=(2, 3))
    shuffled = [files[i] for i in (5, 1, 7, 0, 3, 6, 2, 4)]
    assert same_as_serial(runner, shuffled, "-f", "json", jobs=(2, 3)) == in_order
    assert merges and all(merges)


def test_the_join_of_blocks_is_taken_only_when_it_is_the_sort():
    shard = audit_command._Shard

    def share(*keys: tuple[Any, ...]) -> Any:
        return shard(keys=list(keys), findings=[k[3] for k in keys])

    a = share(("s", False, False, "a/1"), ("s", False, True, "a/1"), ("s", False, True, "a/2"))
    b = share(("s", False, False, "b/1"), ("s", False, True, "b/0"))
    assert audit_command._merged([shard(), a, b]) == ["a/1", "b/1", "a/1", "a/2", "b/0"]
    c = share(("s", False, False, "a/0"))  # before a's first: the blocks overlap, every finding is sorted
    assert audit_command._merged([a, c]) == ["a/0", "a/1", "a/1", "a/2"]
    same = share(("s", False, False, "a/1"))  # a tie keeps share order, as the stable sort does
    assert audit_command._merged([a, same]) == ["a/1", "a/1", "a/1", "a/2"]


# --- workers started before the command line is parsed (cli.early_start) ---------------------------------

@pytest.mark.parametrize(("argv", "expected"), [
    (["a.json", "b.json"], (["a.json", "b.json"], None)),
    (["a.json", "-f", "json", "-o", "out.json", "--jobs", "3", "b.json"], (["a.json", "b.json"], 3)),
    (["--as-of=2026-12-07", "-j", "2", "--allow-partial", "a.json", "--", "-b.json"], (["a.json", "-b.json"], 2)),
    (["--catalog", "c.yaml", "--waivers", "w.yaml", "--policy-config", "p.json", "--stack-label", "x", "a"],
     (["a"], None)),
    (["a.json", "--live"], None), (["a.json", "--help"], None), (["-fjson", "a.json"], None),
    (["a.json", "--jobs", "two"], None), (["a.json", "--jobs"], None), (["a.json", "--unknown"], None),
])
def test_early_start_reads_audit_arguments_as_typer_will(argv, expected):
    from versionguard.cli.early_start import audit_files_and_jobs

    assert audit_files_and_jobs(argv) == expected


def _running(pid: int) -> bool:
    try:
        return os.waitpid(pid, os.WNOHANG) == (0, 0)
    except ChildProcessError:
        return False


def test_early_workers_are_claimed_by_the_same_files_and_jobs(runner, tmp_path, one_process_reads):
    files = fleet(tmp_path)
    serial = invoke(runner, files, 1, "-f", "json")
    audit_command.start_early_shares([str(f) for f in files], 3)
    early = audit_command._EARLY
    assert early is not None and len(early.workers) == 2 and [f for s in early.shards for f in s] == files
    pids = [w.pid for w in early.workers]
    assert invoke(runner, files, 3, "-f", "json") == serial
    assert audit_command._EARLY is None and not any(map(_running, pids))
    assert len(one_process_reads) == 1  # jobs 1 only


@pytest.mark.parametrize("other", ["files", "jobs"])
def test_early_workers_not_claimed_are_stopped_and_the_command_splits_as_usual(runner, tmp_path, other):
    files = fleet(tmp_path)
    serial = invoke(runner, files, 1, "-f", "json")
    audit_command.start_early_shares([str(f) for f in (files[1:] if other == "files" else files)], 3)
    pids = [w.pid for w in audit_command._EARLY.workers]
    assert invoke(runner, files, 2, "-f", "json") == serial
    assert not any(map(_running, pids))
    audit_command.start_early_shares([str(f) for f in files], 2)
    pids = [w.pid for w in audit_command._EARLY.workers]
    audit_command._stop_unclaimed()  # at exit, when the command never got that far (a usage error)
    assert audit_command._EARLY is None and not any(map(_running, pids))


def test_an_early_worker_reading_a_malformed_file_gives_the_first_error_in_file_order(runner, tmp_path):
    files = fleet(tmp_path)
    files[7].write_text("[{", "utf-8")  # in the last worker's share
    files[1].write_text('{"value": 3}', "utf-8")  # in this process's
    audit_command.start_early_shares([str(f) for f in files], 3)
    code, output, _ = invoke(runner, files, 3, "-f", "json")
    assert code == 2 and "deployments-01.json: value: expected a list of deployments" in output


def test_a_dead_early_worker_is_exit_2_never_a_verdict(runner, tmp_path):
    files = fleet(tmp_path)
    audit_command.start_early_shares([str(f) for f in files], 2)
    os.kill(audit_command._EARLY.workers[0].pid, signal.SIGKILL)
    code, output, _ = invoke(runner, files, 2, "-f", "json")
    assert code == 2 and "(worker process)" in output and "killed by signal 9" in output


def test_versionguard_audit_starts_its_workers_before_parsing(tmp_path):
    """The real entry point: large input (above the 8 MiB threshold) split before typer loads."""
    import subprocess
    import sys

    padding = {"systemData": {"createdBy": "x" * 4000}}
    files = [write_json(tmp_path / f"deployments-{a:02d}.json", [item(a, i, **padding) for i in range(60)])
             for a in range(40)]
    assert sum(f.stat().st_size for f in files) > 8 * 2**20  # PARALLEL_FROM_BYTES in the real command
    probe = ("import sys, versionguard.commands.audit as a, versionguard.cli as c\n"
             "start = a.start_early_shares\n"
             "def seen(files, jobs):\n"
             "    start(files, jobs); sys.stderr.write(f'early workers: {len(a._EARLY.workers)}\\n')\n"
             "a.start_early_shares = seen\nsys.argv[0] = 'versionguard'\nc.main()\n")
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"report-{jobs}.json"
        done = subprocess.run([sys.executable, "-c", probe, "audit", *map(str, files), *PIN, "-j", jobs,
                               "-f", "json", "-o", str(out)], capture_output=True, text=True, timeout=300)
        assert done.returncode == 1, done.stderr
        outputs.append((out.read_bytes(), "early workers: 1" in done.stderr))
    assert outputs[0][0] == outputs[1][0] and outputs == [(outputs[0][0], False), (outputs[0][0], True)]


def _slow_prepare() -> str:
    import time

    time.sleep(1.0)  # still reading its share when the task is sent
    return "prepared"


def _task_of(size: int) -> Any:
    from functools import partial

    return partial(_task_result, b"w" * size)


def _task_result(waivers: bytes, prepared: str) -> tuple[str, int]:
    return prepared, len(waivers)


@pytest.mark.parametrize("size", [0, 100, 2**16, 3 * 2**20])
def test_a_task_larger_than_a_pipe_never_holds_this_process_up(size):
    """The task goes through the worker's result file: a large catalog or waiver file in it cannot block
    the send until the worker is done reading (found by review: 0.13-0.25 s at -j 2 with 600 waivers)."""
    import time

    before = _open_fds()
    worker = forked.start_early(1, _slow_prepare)
    start = time.perf_counter()
    worker.send(_task_of(size))
    assert time.perf_counter() - start < 0.5
    assert forked._collect(None, [worker]) == [("prepared", size)]
    assert _open_fds() == before


def test_an_early_worker_whose_task_never_comes_fails_named():
    worker = forked.start_early(1, lambda: None)
    worker._close_task()  # as when this process ends before sending
    with pytest.raises(forked.WorkerFailed, match="no task was sent"):
        forked._collect(None, [worker])


def test_early_workers_started_before_any_failure_are_stopped(tmp_path, monkeypatch):
    files = fleet(tmp_path)
    pids: list[int] = []

    def second_fails(index: int, prepare: Any) -> Any:
        if pids:
            raise RuntimeError("not an OSError")
        worker = forked.start_early(index, prepare)
        pids.append(worker.pid)
        return worker

    monkeypatch.setattr(audit_command, "start_early", second_fails)
    before = _open_fds()
    audit_command.start_early_shares([str(f) for f in files], 3)
    assert audit_command._EARLY is None and len(pids) == 1 and not _running(pids[0])
    assert _open_fds() == before


def test_no_early_start_when_a_file_is_a_pipe(tmp_path):
    """A pipe read by a worker that is never claimed could not be read again by the command."""
    files = fleet(tmp_path)
    fifo = tmp_path / "piped.json"
    os.mkfifo(fifo)
    audit_command.start_early_shares([str(f) for f in [*files, fifo]], 2)
    assert audit_command._EARLY is None
    audit_command.start_early_shares([str(f) for f in [*files, tmp_path / "missing.json"]], 2)
    assert audit_command._EARLY is None
