"""Throughput of `versionguard audit` and `versionguard catalog import` on synthetic records.

    .venv/bin/python bench/bench_lifecycle.py [--records 10000] [--repeat 3] [--cli]

audit: one ARM Deployments-List file of N deployments (models and versions drawn from the bundled
catalog, every SKU and upgrade option, some odd shapes), timed in-process from file to rendered JSON
report (read + envelope checks + normalize, judge with every rule, render), best of --repeat.

import: N Models-List items spread over 4 region files (N/4 model versions, each seen in every
region with dates that differ by region, per-SKU dates, replacementConfig), timed from files to the
validated catalog and its YAML text.

Records/s and ms per 1,000 records are printed for each; --cli adds one end-to-end subprocess run of
each command (interpreter start and imports included; audit writes JSON to stdout). Data is generated
with a fixed seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.generate import live_properties  # noqa: E402
from bench.timing import best  # noqa: E402
from versionguard.adapters.azure.arm_deployments import load_live  # noqa: E402
from versionguard.adapters.azure.models_list import import_catalog  # noqa: E402
from versionguard.adapters.files.catalog_file import load_catalog  # noqa: E402
from versionguard.commands.audit import audit  # noqa: E402
from versionguard.core.vocabulary import KNOWN_SKUS  # noqa: E402
from versionguard.reporters import render  # noqa: E402

AS_OF = dt.date(2026, 5, 1)
REGIONS = ("eastus", "westeurope", "swedencentral", "japaneast")


def deployments(n: int, rng: random.Random) -> dict[str, Any]:
    """An ARM Deployments-List response of n deployments over n/20 accounts."""
    versions = [(v.model, v.version) for v in load_catalog().versions]
    items = []
    for i in range(n):
        model, version = rng.choice(versions)
        props = live_properties(rng, model, version, 0.95)
        account = f"aif-{i // 20:05d}"
        items.append({
            "id": f"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/"
                  f"Microsoft.CognitiveServices/accounts/{account}/deployments/d{i:05d}",
            "type": "Microsoft.CognitiveServices/accounts/deployments",
            "name": f"d{i:05d}",
            "sku": {"name": rng.choice((*KNOWN_SKUS, "SuperStandard")), "capacity": 10},
            "properties": props,
        })
    return {"value": items}


def region_files(n: int, rng: random.Random, directory: Path) -> list[Path]:
    """n Models-List items: n/4 model versions, each in all four region files."""
    per_region = n // len(REGIONS)
    base = dt.date(2026, 1, 1)
    rows = [(f"model-{i // 3:04d}", f"2025-{1 + i % 3:02d}-01", rng.randrange(0, 700)) for i in range(per_region)]
    paths = []
    for r, region in enumerate(REGIONS):
        items = []
        for name, version, offset in rows:
            retire = base + dt.timedelta(days=offset + 30 * r)  # regions disagree: earliest must win
            items.append({"kind": "OpenAI", "skuName": "S0", "model": {
                "format": "OpenAI", "name": name, "version": version,
                "isDefaultVersion": version.endswith("03-01"),
                "lifecycleStatus": rng.choice(["GenerallyAvailable", "Preview", "Deprecating", "Stable"]),
                "deprecation": {"inference": f"{retire}T00:00:00Z", "deprecationStatus": "Planned"},
                "replacementConfig": {"targetModelName": name, "targetModelVersion": "2025-03-01",
                                      "upgradeOnExpiryLeadTimeDays": 7.0},
                "skus": [{"name": "Standard", "deprecationDate": f"{retire - dt.timedelta(days=90)}T00:00:00+00:00"},
                         {"name": "globalstandard", "deprecationDate": f"{retire}T00:00:00+00:00"},
                         {"name": "provisioned", "deprecationDate": f"{retire}T00:00:00Z"}],
            }})
        path = directory / f"models-{region}.json"
        path.write_text(json.dumps({"value": items}), "utf-8")
        paths.append(path)
    return paths



def line(label: str, records: int, seconds: float) -> str:
    return (f"{label:<28} {records:>8} records {seconds * 1000:>9.1f} ms  {records / seconds:>10,.0f} records/s  "
            f"{seconds * 1000 / (records / 1000):>7.2f} ms per 1,000")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cli", action="store_true", help="also time one subprocess run of each command")
    args = parser.parse_args()
    rng = random.Random(20260501)
    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        live_file = directory / "deployments.json"
        live_file.write_text(json.dumps(deployments(args.records, rng)), "utf-8")
        files = region_files(args.records, rng, directory)

        def run_audit() -> str:
            live = load_live([live_file])
            return render(audit(live.deployments, catalog, AS_OF), "json")

        def run_import() -> str:
            return import_catalog(files, AS_OF).to_yaml()

        run_audit(), run_import()  # warm-up (imports, schema compilation)
        live = load_live([live_file])
        report = audit(live.deployments, catalog, AS_OF)
        result = import_catalog(files, AS_OF)
        print(f"python {sys.version.split()[0]}, best of {args.repeat}; audit findings: {len(report.findings)}, "
              f"import: {result.versions} versions from {len(files)} files")
        print(line("audit: read + normalize", args.records, best(lambda: load_live([live_file]), args.repeat)))
        print(line("audit: judge (all rules)", args.records,
                   best(lambda: audit(live.deployments, catalog, AS_OF), args.repeat)))
        print(line("audit: end to end (json)", args.records, best(run_audit, args.repeat)))
        print(line("import: end to end (yaml)", args.records, best(run_import, args.repeat)))
        if args.cli:
            for label, argv in (
                # JSON to stdout: with --output the CLI also prints a rich table of every finding to stderr
                ("audit: CLI subprocess", ["audit", str(live_file), "--as-of", str(AS_OF), "--format", "json"]),
                ("import: CLI subprocess", ["catalog", "import", *map(str, files), "--as-of", str(AS_OF),
                                            "--output", str(directory / "catalog.yaml")]),
            ):
                t0 = time.perf_counter()
                subprocess.run([sys.executable, "-m", "versionguard", *argv], check=False, capture_output=True)
                print(line(label, args.records, time.perf_counter() - t0))


if __name__ == "__main__":
    main()
