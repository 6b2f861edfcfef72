"""Cost of `versionguard fix` (dry run: check + trace run + edits) against `check` of the same stack.

    .venv/bin/python bench/bench_fix.py [--sizes 10 100] [--repeat 3]

For each size, generates a stack of N deployments (10 per account) for the real program, and a
catalog (the bundled one plus a newer gpt-4.1 version) so that, as of 2027-08-01, the provisioned
gpt-4.1 deployments have a target. Times (a) ``check_stacks`` and (b) ``plan_fix`` (which includes a
check, the trace run with markers and building the edited file), best of --repeat. The ratio (b)/(a)
is what proving the places and editing adds; expect about 2 (a second run of the program).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.generate import write_stack  # noqa: E402
from bench.timing import best  # noqa: E402
from versionguard.adapters.program.project import load_project  # noqa: E402
from versionguard.adapters.program.project_python import find_python  # noqa: E402
from versionguard.adapters.program.stack_runner import RunOptions  # noqa: E402
from versionguard.commands.check import check_stacks  # noqa: E402
from versionguard.commands.fix import plan_fix  # noqa: E402

AS_OF = dt.date(2027, 8, 1)


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True


def write_catalog(path: Path) -> Path:
    data = yaml.safe_load((ROOT / "policies/versionguard/data/catalog.yaml").read_text())
    for model in data["models"]:
        if model["name"] == "gpt-4.1":
            model["versions"].append({"version": "2026-06-01", "lifecycle": "ga", "released": "2026-06-01",
                                      "retirement": "2029-01-01", "sources": list(model["versions"][0]["sources"])})
    path.write_text(yaml.dump(data, Dumper=_NoAliases, sort_keys=False))
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        stack_dir = Path(tmp)
        catalog = write_catalog(stack_dir / "catalog.yaml")
        project = load_project(ROOT, stack_dir)
        options = RunOptions(find_python(project))
        config_dir = ROOT / "policies" / "config"
        print(f"{'deployments':>11} {'check s':>8} {'fix s':>8} {'fix/check':>9} {'moves':>5} {'files':>5}")
        for size in args.sizes:
            stack = f"bench{size}"
            write_stack(stack_dir, stack, size)
            check = best(lambda s=stack: check_stacks(project, [s], config_dir, AS_OF, catalog, None, None, options),
                         args.repeat)
            plans: list = []
            fix = best(lambda s=stack, out=plans: out.append(plan_fix(project, [s], config_dir, AS_OF, catalog, None,
                                                                    options)), args.repeat)
            plan = plans[-1]
            print(f"{size:>11} {check:>8.2f} {fix:>8.2f} {fix / check:>9.2f} {len(plan.moves):>5} "
                  f"{len(plan.files):>5}")


if __name__ == "__main__":
    main()
