"""Peak memory of `versionguard check` on a program that prints a lot, against the same program printing nothing.

    .venv/bin/python bench/bench_program_output.py [--mib 400] [--policies DIR]

Writes a one-deployment project whose program prints ``--mib`` MiB to stdout, then runs the CLI as a
subprocess under ``/usr/bin/time -v`` twice, printing and silent, and reports both peak RSS values
and their ratio (load on the machine matters less to a ratio). ``--policies`` runs another checkout's
code (``PYTHONPATH``), e.g. main's, to compare before and after on the same machine. Issue 20 (item 8):
400 MiB printed took 888,508 KB peak RSS before the output was streamed and capped, 73,644 KB after.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROGRAM = """\
import sys
import pulumi

block = ("x" * 1023 + "\\n") * 1024
for _ in range({mib}):
    sys.stdout.write(block)
pulumi.CustomResource("azure-native:cognitiveservices:Deployment", "loud-chat", {{
    "accountName": "a", "resourceGroupName": "rg", "deploymentName": "chat",
    "properties": {{"model": {{"format": "OpenAI", "name": "gpt-4o", "version": "2024-11-20"}},
                   "versionUpgradeOption": "OnceCurrentVersionExpired"}},
    "sku": {{"name": "GlobalStandard", "capacity": 10}}}})
"""


def peak_rss_kb(project: Path, policies: Path | None) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VERSIONGUARD_")}
    if policies is not None:
        env["PYTHONPATH"] = str(policies)
    done = subprocess.run(["/usr/bin/time", "-v", sys.executable, "-m", "versionguard", "check", "--as-of",
                           "2026-11-22", "--catalog", str(ROOT / "tests/fixtures/catalog.yaml"), "--project",
                           str(project), "--stack", "dev"], env=env, capture_output=True, text=True, check=False,
                          errors="replace")
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    if match is None or done.returncode not in (0, 1):
        raise SystemExit(f"check failed ({done.returncode}): {done.stderr[-2000:]}")
    return int(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, default=400)
    parser.add_argument("--policies", type=Path, help="the policies/ directory of the checkout to run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sizes = {}
        for mib in (args.mib, 0):
            project = Path(tmp) / f"p{mib}"
            project.mkdir()
            (project / "Pulumi.yaml").write_text(
                f"name: loud\nruntime:\n  name: python\n  options:\n    virtualenv: {Path(sys.prefix)}\n")
            (project / "Pulumi.dev.yaml").write_text("config: {}\n")
            (project / "__main__.py").write_text(PROGRAM.format(mib=mib))
            sizes[mib] = peak_rss_kb(project, args.policies)
    print(f"{os.getloadavg()[0]:.1f} load; peak RSS printing {args.mib} MiB: {sizes[args.mib]:,} KB; "
          f"printing nothing: {sizes[0]:,} KB; ratio {sizes[args.mib] / sizes[0]:.2f}")


if __name__ == "__main__":
    main()
