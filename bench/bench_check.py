"""Cost of `versionguard check` against the bare program run by the same offline runner.

    .venv/bin/python bench/bench_check.py [--sizes 10 100 1000] [--repeat 3]

For each size, generates a stack of N deployments (10 per account) for the real program, then
times (a) the program alone (its own process against the preview monitor) and (b) the full check
(program + pack over every registered resource + stack policies), best of --repeat, plus one
end-to-end CLI run as a subprocess. The ratio (b)/(a) is the cost the judging adds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.generate import write_stack  # noqa: E402
from bench.timing import best  # noqa: E402
from versionguard.adapters.program.project import load_project  # noqa: E402
from versionguard.adapters.program.project_python import find_python  # noqa: E402
from versionguard.adapters.program.stack_runner import RunOptions, run_program  # noqa: E402
from versionguard.commands.check import check_stacks  # noqa: E402

AS_OF = dt.date(2026, 12, 7)  # on or after the bundled catalog's date


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        stack_dir = Path(tmp)
        project = load_project(ROOT, stack_dir)
        print(f"{'deployments':>11} {'resources':>9} {'program s':>10} {'check s':>8} {'ratio':>6} {'cli s':>7}")
        for n in args.sizes:
            stack = f"bench{n}"
            write_stack(stack_dir, stack, n)
            options = RunOptions(find_python(project))
            resources = len(run_program(project, stack, options).resources)  # warm-up
            bare = best(lambda: run_program(project, stack, options), args.repeat)  # noqa: B023
            full = best(lambda: check_stacks(project, [stack], ROOT / "policies" / "config", AS_OF),  # noqa: B023
                        args.repeat)
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "versionguard", "check", "--stack", stack, "--stack-dir", tmp,
                            "--as-of", AS_OF.isoformat(), "--format", "json", "--output", f"{tmp}/{stack}.json"],
                           cwd=ROOT, check=False, capture_output=True)
            cli = time.perf_counter() - t0
            print(f"{n:>11} {resources:>9} {bare:>10.3f} {full:>8.3f} {full / bare:>6.2f} {cli:>7.2f}")


if __name__ == "__main__":
    main()
