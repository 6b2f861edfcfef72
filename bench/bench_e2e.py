"""`pulumi preview` on a generated stack with and without the policy pack, and `versionguard check`.

    .venv/bin/python bench/bench_e2e.py [--deployments 200] [--repeat 2]

Uses the real Pulumi CLI (scripts/install-pulumi-cli) with the stand-in azure-native provider
(a test double) on a local file backend; all timings come from the same run, interleaved. The floor of
the pack's cost is a preview with a pack of 10 trivial policies (``bench_pack.floor_pack``): what any
Python policy pack costs a preview (its interpreter, pulumi_policy, one Analyze per resource).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_pack import floor_pack  # noqa: E402
from bench.generate import write_stack  # noqa: E402
from tests.e2e.harness import PACK, Pulumi, copy_project, install_cli, pulumi_env  # noqa: E402

AS_OF = "2026-12-07"  # on or after the bundled catalog's date (the pack refuses an earlier as-of)


def timed(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deployments", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    t0 = time.perf_counter()
    bin_dir = install_cli()
    print(f"install-pulumi-cli (warm if cached): {time.perf_counter() - t0:.2f} s")
    tmp = Path(tempfile.mkdtemp(prefix="vg-bench-e2e-"))
    try:
        project = copy_project(ROOT, tmp / "project")
        (project / ".venv").symlink_to(ROOT / ".venv")
        stack = f"bench{args.deployments}"
        write_stack(project / "stacks", stack, args.deployments)
        env = pulumi_env(bin_dir, tmp / "home", tmp / "state")
        env["VERSIONGUARD_AS_OF"] = AS_OF  # the tests' date predates the bundled catalog, which the pack reads here
        pulumi = Pulumi(project, env, tmp)
        pulumi.stack_init(stack)
        # The floor any pack pays in a preview: 10 trivial policies served by pulumi_policy itself, in the
        # same Python (its PulumiPolicy.yaml names this checkout's virtualenv).
        (tmp / "trivial-pack").mkdir()
        trivial = floor_pack(tmp / "trivial-pack")
        (trivial / "PulumiPolicy.yaml").write_text(f"runtime:\n  name: python\n  options:\n    toolchain: pip\n"
                                                   f"    virtualenv: {ROOT / '.venv'}\n")
        rows = {"preview": [], "preview --policy-pack": [], "preview, trivial pack": [], "versionguard check": []}
        for _ in range(args.repeat):
            t, r = timed(lambda: pulumi.run("preview", "--stack", stack))
            assert r.code == 0, r.output
            rows["preview"].append(t)
            t, r = timed(lambda: pulumi.run("preview", "--stack", stack, "--policy-pack", str(PACK)))
            assert r.code in (0, 255), r.output
            rows["preview --policy-pack"].append(t)
            t, r = timed(lambda: pulumi.run("preview", "--stack", stack, "--policy-pack", str(trivial)))
            assert r.code == 0, r.output
            rows["preview, trivial pack"].append(t)
            t, _ = timed(lambda: subprocess.run(
                [str(ROOT / ".venv" / "bin" / "versionguard"), "check", "--stack", stack, "--project", str(project),
                 "--as-of", AS_OF, "--format", "json", "--output", str(tmp / "out.json")],
                capture_output=True, check=False))
            rows["versionguard check"].append(t)
        base = min(rows["preview"])
        print(f"{args.deployments} deployments ({args.deployments * 2 + args.deployments // 10 * 2} resources), "
              f"best of {args.repeat}:")
        for name, times in rows.items():
            print(f"  {name:<24} {min(times):7.2f} s   ratio to bare preview {min(times) / base:5.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
