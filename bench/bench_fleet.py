"""Fleet scale: `versionguard audit` of an Azure Resource Graph result, end to end, against json.load.

    .venv/bin/python bench/bench_fleet.py [--rows 100000] [--subscriptions 1000] [--repeat 3] [--keep DIR]

Generates one `az graph query` result (``{"count", "data", "skip_token", "total_records"}``) of N rows
spread over S subscriptions (rows as Resource Graph returns them for
``resources | where type =~ 'microsoft.cognitiveservices/accounts/deployments'``: lower-case type,
tenant, location, SKU, properties with capabilities and rate limits; models and versions drawn from the
bundled catalog, every SKU and upgrade option, some odd shapes), then times, each in a fresh process,
best of --repeat:

- the floor: ``python -c 'json.load(open(FILE))'`` (interpreter start included);
- ``versionguard audit FILE -f json -o OUT --as-of 2026-11-29`` (interpreter start, imports, bundled
  catalog, read, judge, JSON report written).

Peak memory is the child's maximum resident set size (``wait4``). Data is generated with a fixed seed.
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

AS_OF = "2026-11-29"
REGIONS = ("eastus", "eastus2", "swedencentral", "westeurope", "japaneast", "australiaeast")


def graph_rows(n: int, subscriptions: int, rng: random.Random) -> dict[str, Any]:
    """An ``az graph query`` result of n deployment rows over the given number of subscriptions."""
    versions = [(v.model, v.version) for v in load_catalog().versions]
    subs = [f"{rng.getrandbits(32):08x}-{i:04x}-4{i % 999:03d}-8000-{rng.getrandbits(48):012x}"
            for i in range(subscriptions)]
    rows = []
    for i in range(n):
        sub = subs[i % subscriptions]
        group = f"rg-ai-{(i // subscriptions) % 7}"
        account = f"aif-{i % subscriptions:04d}-{(i // subscriptions) % 11}"
        name = f"deployment-{i // subscriptions:03d}"  # the same names recur in every subscription
        model, version = rng.choice(versions)
        props = live_properties(rng, model, version, 0.97, raiPolicyName="Microsoft.DefaultV2", currentCapacity=80,
                                capabilities={"chatCompletion": "true", "maxContextToken": "128000"},
                                rateLimits=[{"key": "request", "renewalPeriod": 10, "count": 80},
                                            {"key": "token", "renewalPeriod": 60, "count": 80000}])
        rows.append({
            "id": f"/subscriptions/{sub}/resourceGroups/{group}/providers/Microsoft.CognitiveServices/accounts/"
                  f"{account}/deployments/{name}",
            "name": name, "type": "microsoft.cognitiveservices/accounts/deployments",
            "tenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47", "kind": "", "location": rng.choice(REGIONS),
            "resourceGroup": group, "subscriptionId": sub, "managedBy": "",
            "sku": {"name": rng.choice(KNOWN_SKUS), "capacity": 80}, "plan": None, "properties": props,
            "tags": None, "identity": None, "zones": None, "extendedLocation": None,
        })
    return {"count": n, "data": rows, "skip_token": None, "total_records": n}


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--subscriptions", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the input and report here instead of a temp dir")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp()) if args.keep is None else args.keep
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        data = tmp / "resource-graph.json"
        data.write_text(json.dumps(graph_rows(args.rows, args.subscriptions, random.Random(20261129))), "utf-8")
        out = tmp / "audit.json"
        size = data.stat().st_size / 2**20
        load = os.getloadavg()[0]  # others' work on the same cores shows in wall time, not in CPU time
        floor = best([sys.executable, "-c", "import json, sys; json.load(open(sys.argv[1], 'rb'))", str(data)],
                     args.repeat)
        audit = best([sys.executable, "-m", "versionguard", "audit", str(data), "-f", "json", "-o", str(out),
                      "--as-of", AS_OF], args.repeat)
        report = json.loads(out.read_text("utf-8"))
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, best of {args.repeat}; input "
              f"{args.rows:,} rows over {args.subscriptions:,} subscriptions, {size:.1f} MiB")
        print(f"load average before the runs: {load:.2f}")
        print(f"{'json.load (floor)':<34} {floor[0]:>7.2f} s wall {floor[3]:>6.2f} s CPU   peak RSS {floor[2]:>5} MiB")
        print(f"{'versionguard audit -f json -o':<34} {audit[0]:>7.2f} s wall {audit[3]:>6.2f} s CPU   "
              f"peak RSS {audit[2]:>5} MiB   "
              f"exit {audit[1]}, {len(report['findings']):,} findings, "
              f"{out.stat().st_size / 2**20:.1f} MiB report")
        print(f"{'ratio to the floor':<34} {audit[0] / floor[0]:>7.1f} x")
    finally:
        if args.keep is None:
            shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
