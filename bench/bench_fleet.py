"""Fleet scale: `versionguard audit` of per-account ARM deployment exports, end to end, against json.load.

    .venv/bin/python bench/bench_fleet.py [--accounts 2000] [--per-account 50] [--repeat 3] [--keep DIR]

Generates one file per account (the bare array ``az cognitiveservices account deployment list``
prints; 2,000 accounts of 50 deployments = 100,000 deployments by default) over 200 subscriptions.
Each item has the shape of ARM Deployments - List (api-version 2025-09-01, the REST reference and
azure-mgmt-cognitiveservices 14.1.0's models) as ``az`` prints it: ``id``, ``name``, ``type``,
``resourceGroup``, ``etag``, ``systemData``, ``sku`` (with ``family``/``size``/``tier``),
``properties`` with the model (``publisher``, ``source``, ``callRateLimit``…), ``capabilities``,
``rateLimits``, ``raiPolicyName``, ``currentCapacity`` and the nulls ``az`` keeps. Models and versions
are drawn from the bundled catalog, with every SKU and upgrade option and some odd shapes. Then,
each in a fresh process, best of --repeat:

- the floor: ``json.load`` of every file in one process, keeping the data (interpreter start included);
  and for reference the same dropping each file's data before the next;
- ``versionguard audit FILES -f json -o OUT --as-of 2026-12-07`` (interpreter start, imports, bundled
  catalog, read, judge, JSON report written; by default on every usable core, up to 4, its workers
  started before the command line is parsed).

Peak memory is the child's maximum resident set size (``wait4``), compared with the files' total
size. Data is generated with a fixed seed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "policies"))

from bench.generate import live_properties  # noqa: E402
from versionguard.adapters.files.catalog_file import load_catalog  # noqa: E402
from versionguard.core.vocabulary import KNOWN_SKUS  # noqa: E402

AS_OF = "2026-12-07"  # on or after the bundled catalog's date (an audit refuses an earlier as-of)
SUBSCRIPTIONS = 200
# The floor: json.load of every file in one process, keeping what it loaded (as a reader of the fleet
# must); and, for reference, the same with each file's data dropped before the next.
FLOOR = ("import json, sys\nkept = []\nfor p in sys.argv[1:]:\n    with open(p, 'rb') as f:\n"
         "        kept.append(json.load(f))")
FLOOR_DROPPED = "import json, sys\nfor p in sys.argv[1:]:\n    with open(p, 'rb') as f:\n        json.load(f)"


def account_export(index: int, per_account: int, subs: list[str], versions: list[tuple[str, str]],
                   rng: random.Random) -> list[dict[str, Any]]:
    """What `az cognitiveservices account deployment list` prints for one account."""
    sub = subs[index % len(subs)]
    group = f"rg-ai-{index % 7}"
    account = f"aif-{index:05d}"
    items = []
    for j in range(per_account):
        name = f"deployment-{j:03d}"  # the same names recur in every account
        model, version = rng.choice(versions)
        capacity = rng.choice((10, 80, 300))
        props = live_properties(
            rng, model, version, 0.97, raiPolicyName="Microsoft.DefaultV2", currentCapacity=capacity,
            callRateLimit=None, capacitySettings=None, deploymentState=None, dynamicThrottlingEnabled=None,
            parentDeploymentName=None, scaleSettings=None, spilloverDeploymentName=None,
            capabilities={"chatCompletion": "true", "area": "EUR", "maxContextToken": "128000",
                          "maxOutputToken": "16384"},
            rateLimits=[{"count": float(capacity), "key": "request", "renewalPeriod": 10.0},
                        {"count": float(capacity * 1000), "key": "token", "renewalPeriod": 60.0}])
        if isinstance(props.get("model"), dict):
            props["model"].update(callRateLimit=None, publisher=None, source=None, sourceAccount=None)
        stamp = f"2025-{1 + j % 12:02d}-{1 + j % 28:02d}T09:12:44.123456+00:00"
        items.append({
            "etag": f'"{rng.getrandbits(128):032x}"',
            "id": f"/subscriptions/{sub}/resourceGroups/{group}/providers/Microsoft.CognitiveServices/accounts/"
                  f"{account}/deployments/{name}",
            "name": name, "properties": props, "resourceGroup": group,
            "sku": {"capacity": capacity, "family": None, "name": rng.choice(KNOWN_SKUS), "size": None, "tier": None},
            "systemData": {"createdAt": stamp, "createdBy": "ops@contoso.com", "createdByType": "User",
                           "lastModifiedAt": stamp, "lastModifiedBy": "pipeline-sp@contoso.com",
                           "lastModifiedByType": "Application"},
            "tags": None, "type": "Microsoft.CognitiveServices/accounts/deployments",
        })
    return items


def write_fleet(directory: Path, accounts: int, per_account: int, rng: random.Random) -> list[Path]:
    versions = [(v.model, v.version) for v in load_catalog().versions]
    subs = [f"{rng.getrandbits(32):08x}-{i:04x}-4{i % 999:03d}-8000-{rng.getrandbits(48):012x}"
            for i in range(SUBSCRIPTIONS)]
    files = []
    for i in range(accounts):
        path = directory / f"deployments-{i:05d}.json"
        # az prints JSON indented by two spaces
        path.write_text(json.dumps(account_export(i, per_account, subs, versions, rng), indent=2), "utf-8")
        files.append(path)
    return files


def run(argv: list[str]) -> tuple[float, int, int, float]:
    """Wall seconds, exit code, peak RSS (MiB) and CPU seconds (user + system) of one child process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{argv} exited {proc.returncode}:\n{err}")
    return elapsed, proc.returncode, usage.ru_maxrss // 1024, usage.ru_utime + usage.ru_stime


def best(argv: list[str], repeat: int) -> tuple[float, int, int, float]:
    """Best wall time and best CPU time of ``repeat`` runs (CPU time shows the work when others share the cores)."""
    runs = [run(argv) for _ in range(repeat)]
    return min(r[0] for r in runs), runs[0][1], max(r[2] for r in runs), min(r[3] for r in runs)


def levers(paths: list[str]) -> None:
    """What each lever buys, in one process on the same files (CPU seconds, so that other work on the
    cores matters less; memory as traced allocations): the parser, and writing the report in pieces."""
    import gc
    import tracemalloc

    import msgspec

    from versionguard.adapters.azure.arm_deployments import listing_of, read_items
    from versionguard.adapters.azure.az_export import read_deployments
    from versionguard.adapters.files.fast_json import read_export
    from versionguard.adapters.files.safe_load import MAX_EXPORT_BYTES, depth_within_limit, parse_json, read_text
    from versionguard.commands.audit import audit_files
    from versionguard.reporters.json_report import pieces, render

    def read_all(parse: Any) -> float:
        start = time.process_time()
        for path in paths:
            listing = listing_of(parse(path), path)
            read_items(listing.items, listing.prefix, path, listing.graph)
        return time.process_time() - start

    strict = read_all(lambda p: parse_json(read_text(p, "JSON file", MAX_EXPORT_BYTES), p))
    fast = read_all(lambda p: read_export(p, "JSON file"))
    print(f"lever: parser   read + check + normalize, stdlib json (strict hooks) {strict:6.2f} s CPU, "
          f"msgspec (fast_json) {fast:6.2f} s CPU: {strict / fast:.1f}x")
    start = time.process_time()
    strict_left = 0
    for path in paths:  # each file's result dropped, as read_all does
        strict_left += read_deployments(Path(path).read_bytes(), path) is None
    took = time.process_time() - start
    print(f"lever: typed    read + check + normalize, fast_json (every value parsed and proven) {fast:6.2f} s CPU, "
          f"az_export (what the verdict reads) {took:6.2f} s CPU: {fast / took:.1f}x "
          f"({strict_left} of {len(paths)} files left to the strict path)")
    scans = {"the text": 0.0, "compact": 0.0}
    for path in paths:
        data = Path(path).read_bytes()
        compact = msgspec.json.encode(msgspec.json.decode(data))
        for label, text in (("the text", data), ("compact", compact)):
            start = time.process_time()
            depth_within_limit(text)
            scans[label] += time.process_time() - start
    print(f"lever: nesting  scan of the text as read {scans['the text']:6.2f} s CPU, of the compact re-encoding "
          f"{scans['compact']:6.2f} s CPU")
    report = audit_files([Path(p) for p in paths], as_of=None).report
    gc.disable()  # as in the CLI run: the findings were made with the collector waiting
    start = time.process_time()
    as_dicts = [json.dumps([f.to_json() for f in report.sorted()])]
    took = time.process_time() - start
    start = time.process_time()
    formatted = list(pieces(report))
    print(f"lever: report   findings encoded as dictionaries by json.dumps {took:6.2f} s CPU, formatted "
          f"(pieces) {time.process_time() - start:6.2f} s CPU (both sort the findings)")
    del as_dicts, formatted
    gc.enable()
    sink = Path(tempfile.mkdtemp()) / "r.json"
    for label, write in (("whole string", lambda: sink.write_text(render(report), "utf-8")),
                         ("in pieces", lambda: sink.open("w", encoding="utf-8").writelines(pieces(report)))):
        tracemalloc.start()
        start = time.process_time()
        write()
        took = time.process_time() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"lever: report   JSON report written as {label:<12} {took:6.2f} s CPU (traced), "
              f"peak {peak / 2**20:6.0f} MiB above the report data")
    shutil.rmtree(sink.parent)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=2_000)
    parser.add_argument("--per-account", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the input and report here instead of a temp dir")
    parser.add_argument("--levers", action="store_true", help="also measure each lever in process")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp()) if args.keep is None else args.keep
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        files = write_fleet(tmp, args.accounts, args.per_account, random.Random(20261129))
        paths = [str(f) for f in files]
        out = tmp / "audit.json"
        size = sum(f.stat().st_size for f in files) / 2**20
        load = os.getloadavg()[0]  # others' work on the same cores shows in wall time, not in CPU time
        floor = best([sys.executable, "-c", FLOOR, *paths], args.repeat)
        dropped = best([sys.executable, "-c", FLOOR_DROPPED, *paths], args.repeat)
        audit = best([sys.executable, "-m", "versionguard", "audit", *paths, "-f", "json", "-o", str(out),
                      "--as-of", AS_OF], args.repeat)
        report = json.loads(out.read_text("utf-8"))
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, best of {args.repeat}; input "
              f"{args.accounts:,} files of {args.per_account} deployments "
              f"({args.accounts * args.per_account:,}), {size:.1f} MiB")
        print(f"load average before the runs: {load:.2f}, after: {os.getloadavg()[0]:.2f}")
        for label, run_ in (("json.load, kept (floor)", floor), ("json.load, each dropped", dropped)):
            print(f"{label:<34} {run_[0]:>7.2f} s wall {run_[3]:>6.2f} s CPU   peak RSS {run_[2]:>5} MiB"
                  f" ({run_[2] / size:.1f}x the files)")
        print(f"{'versionguard audit -f json -o':<34} {audit[0]:>7.2f} s wall {audit[3]:>6.2f} s CPU   "
              f"peak RSS {audit[2]:>5} MiB ({audit[2] / size:.1f}x the files)   "
              f"exit {audit[1]}, {len(report['findings']):,} findings, "
              f"{out.stat().st_size / 2**20:.1f} MiB report")
        print(f"{'ours / floor':<34} {audit[0] / floor[0]:>7.2f} x wall {audit[3] / floor[3]:>6.2f} x CPU   "
              f"peak RSS {audit[2] / size:.2f} x the files' size (target: <= 1.0 x wall, <= 2.0 x size)")
        print(f"{'ours / json.load each dropped':<34} {audit[0] / dropped[0]:>7.2f} x wall "
              f"{audit[3] / dropped[3]:>6.2f} x CPU")
        if args.levers:
            print(f"load average before the levers: {os.getloadavg()[0]:.2f}")
            levers(paths)
    finally:
        if args.keep is None:
            shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
