"""Wall time of `versionguard check` as a user runs it: the shipped stacks and N generated stacks.

    .venv/bin/python bench/bench_stacks.py [--repo PATH] [--jobs 1 2] [--stacks 10] [--deployments 10]
                                           [--repeat 3]

Each figure is the best of --repeat runs of the CLI in a fresh process (``python -m versionguard
check … -f json -o FILE``), so it includes interpreter start-up, imports and every program run.
``--repo`` points at another checkout (for example a snapshot of main, to measure "before"): its
``policies/`` is put first on PYTHONPATH and its project is checked. ``--jobs`` values are only
passed when that checkout's ``check`` has the flag; otherwise one row is printed with "-".

Two floors, measured in the same run (interleaved with the runs, so that all see the same load):

- ``floor``: as many fresh interpreters as stacks, each only importing ``pulumi``, ``jobs`` at a
  time: what a check paid when every stack had an interpreter of its own (before the fork server);
- ``warm``: one fresh interpreter importing ``pulumi`` and the provider SDK modules the program
  names (``fork_server.warm_up``, of this checkout): what any check of the program pays before its
  first stack runs, with or without a fork server.

``x floor`` and ``x warm`` are the best time over the best floor: what the load of a shared machine
moves less than the seconds.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.generate import write_stack  # noqa: E402

AS_OF = "2026-12-07"


def cli(repo: Path, args: list[str], out: Path) -> float:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("VERSIONGUARD_")},
           "PYTHONPATH": str(repo / "policies")}
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "versionguard", "check", *args, "--as-of", AS_OF,
                           "--format", "json", "--output", str(out)],
                          cwd=repo, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - t0
    if done.returncode not in (0, 1):
        raise SystemExit(f"check failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return elapsed


def floor(count: int, jobs: int) -> float:
    """``count`` fresh interpreters importing ``pulumi``, ``jobs`` at a time."""
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(lambda _: subprocess.run([sys.executable, "-c", "import pulumi"], check=True), range(count)))
    return time.perf_counter() - t0


def warm(program: Path) -> float:
    """One fresh interpreter importing ``pulumi`` and the provider SDK modules ``program`` names."""
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import pulumi, fork_server; "
            "fork_server.warm_up(sys.argv[2])")
    server_dir = ROOT / "policies" / "versionguard" / "adapters" / "program"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(server_dir), str(program)], check=True)
    return time.perf_counter() - t0


def has_jobs(repo: Path) -> bool:
    env = {**os.environ, "PYTHONPATH": str(repo / "policies")}
    done = subprocess.run([sys.executable, "-m", "versionguard", "check", "--help"], cwd=repo, env=env,
                          capture_output=True, text=True, check=False)
    return "--jobs" in done.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repo", type=Path, default=ROOT)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--stacks", type=int, default=10)
    parser.add_argument("--deployments", type=int, default=10, help="deployments per generated stack")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    repo = args.repo.resolve()
    jobs: list[int | None] = list(args.jobs) if has_jobs(repo) else [None]
    with tempfile.TemporaryDirectory() as tmp:
        stack_dir = Path(tmp) / "stacks"
        stack_dir.mkdir()
        for i in range(args.stacks):
            write_stack(stack_dir, f"gen{i:02d}", args.deployments)
        out = Path(tmp) / "report.json"
        shipped = len(list((repo / "stacks").glob("Pulumi.*.yaml")))
        cases = {"shipped (--all)": (["--all"], shipped),
                 f"{args.stacks} generated x {args.deployments} deployments":
                 (["--all", "--stack-dir", str(stack_dir)], args.stacks)}
        print(f"repo {repo}")
        print(f"{'case':<36} {'jobs':>4} {'best s':>7} {'floor s':>7} {'x floor':>7} {'warm s':>7} {'x warm':>7} "
              f"{'runs s':>29}")
        for name, (case, count) in cases.items():
            for n in jobs:
                extra = ["--jobs", str(n)] if n is not None else []
                times, floors, warms = [], [], []
                for _ in range(args.repeat):  # interleaved, so all see the same load
                    times.append(cli(repo, [*case, *extra], out))
                    floors.append(floor(count, n or 1))
                    warms.append(warm(repo))
                shown = " ".join(f"{t:.2f}" for t in times)
                best = min(times)
                print(f"{name:<36} {n if n is not None else '-':>4} {best:>7.2f} {min(floors):>7.2f} "
                      f"{best / min(floors):>7.2f} {min(warms):>7.2f} {best / min(warms):>7.2f} {shown:>29}")


if __name__ == "__main__":
    main()
