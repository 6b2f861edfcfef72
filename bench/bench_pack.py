"""Policy pack cost: bundled catalog load, cold start, Analyze per deployment over gRPC, in-process
engine per deployment.

    .venv/bin/python bench/bench_pack.py [--deployments 1000] [--starts 5]

Targets on a 2-core machine: cold start <= 1 s, Analyze <= 2 ms per resource over gRPC,
engine <= 50 us per deployment. Analyze is measured on deployments and on two kinds of resource
that are not Azure OpenAI deployments (every resource pays the api-version scan), over gRPC and
in-process (the servicer alone, without the transport that dominates the gRPC figure), and
AnalyzeStack in-process on a stack of all three kinds (what ``check`` calls once per stack).
Each Analyze figure comes with its floor from the same run: a pack of 10 trivial policies (each
reads one property) served the same way, by pulumi_policy's stock servicer; the target is at most
1.15x that floor per resource. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from google.protobuf import empty_pb2, struct_pb2  # noqa: E402
from pulumi.runtime.proto import analyzer_pb2  # noqa: E402

from bench.generate import native_props, storage_props, webapp_props  # noqa: E402
from bench.timing import best  # noqa: E402
from tests.support.pack_process import start_pack  # noqa: E402
from versionguard.adapters.files.catalog_file import load_catalog  # noqa: E402
from versionguard.core.engine import judge  # noqa: E402
from versionguard.core.records import normalize  # noqa: E402
from versionguard.core.rules.base import Context  # noqa: E402

NATIVE = "azure-native:cognitiveservices:Deployment"
AS_OF = "2026-12-07"


def catalog_load(repeat: int = 30) -> tuple[float, float]:
    """Best-of seconds: the bundled catalog's YAML read alone, and the whole load (read + validation)."""
    from importlib import resources

    import yaml

    text = resources.files("versionguard").joinpath("data/catalog.yaml").read_text("utf-8")
    try:  # the bounded reader (adapters/safe_load); before it, the catalog reader called yaml.load itself
        from versionguard.adapters.files.safe_load import parse_yaml

        def read() -> object:
            return parse_yaml(text, "bundled catalog", dates_as_text=True)
    except ImportError:
        from versionguard.adapters.files.catalog_file import _StringDatesLoader  # type: ignore[attr-defined]

        def read() -> object:
            return yaml.load(text, Loader=_StringDatesLoader)
    return best(read, repeat), best(load_catalog, repeat)


def cold_starts(n: int) -> list[float]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        pack = start_pack(env={"VERSIONGUARD_AS_OF": AS_OF})
        pack.stub.GetAnalyzerInfo(empty_pb2.Empty())
        times.append(time.perf_counter() - t0)
        pack.close()
    return times


# What the scan of data-plane api-versions costs on resources that are not deployments: the
# Analyze of every resource pays it, so these cases guard the per-resource budget.
CASES = {
    "deployments": (NATIVE, native_props),
    "storage accounts (non-OpenAI)": ("azure-native:storage:StorageAccount", storage_props),
    "web apps without OpenAI settings": ("azure-native:web:WebApp", webapp_props),
}


FLOOR_PACK = """from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy


def validate(args, report_violation):
    args.props.get("properties")


PolicyPack("trivial-floor", enforcement_level=EnforcementLevel.ADVISORY, policies=[
    ResourceValidationPolicy(name=f"trivial-{i}", description="reads one property", validate=validate)
    for i in range(10)])
"""


def floor_pack(directory: Path) -> Path:
    """A pack of 10 trivial policies: the floor any pack pays per resource."""
    (directory / "__main__.py").write_text(FLOOR_PACK)
    (directory / "PulumiPolicy.yaml").write_text("runtime: python\n")
    return directory


def grpc_analyze(n: int, type_: str = NATIVE, make=native_props, floor_dir: Path | None = None
                 ) -> tuple[list[float], list[float]]:
    """Seconds per Analyze over gRPC for each resource: the pack's, and (with ``floor_dir``) the
    floor pack's, the two calls interleaved request by request so load drifts hit both alike."""
    packs = [start_pack(env={"VERSIONGUARD_AS_OF": AS_OF})]
    try:
        if floor_dir is not None:
            packs.append(start_pack(env={"VERSIONGUARD_AS_OF": AS_OF}, pack_dir=floor_dir))
        for pack in packs:
            info = pack.stub.GetAnalyzerInfo(empty_pb2.Empty())
            config = analyzer_pb2.ConfigureAnalyzerRequest()
            for p in info.policies:
                config.policyConfig[p.name].enforcementLevel = p.enforcementLevel
            pack.stub.Configure(config)
        requests = []
        for i in range(n):
            s = struct_pb2.Struct()
            s.update(make(i))
            requests.append(analyzer_pb2.AnalyzeRequest(type=type_, properties=s, name=f"d{i}",
                                                        urn=f"urn:pulumi:bench::p::{type_}::d{i}"))
        for r in requests[:50]:  # warm-up
            for pack in packs:
                pack.stub.Analyze(r)
        times: list[list[float]] = [[] for _ in packs]
        for r in requests:
            for pack, out in zip(packs, times, strict=True):
                t0 = time.perf_counter()
                pack.stub.Analyze(r)
                out.append(time.perf_counter() - t0)
        return times[0], (times[1] if floor_dir is not None else [])
    finally:
        for pack in packs:
            pack.close()


def _servicer(floor: bool = False) -> object:
    """The pack's servicer (or the floor's stock one), configured at the default levels, in this process."""
    from pulumi_policy import EnforcementLevel, ResourceValidationPolicy
    from pulumi_policy.policy import _PolicyAnalyzerServicer

    from versionguard.adapters.crossguard.policies import build_policies
    from versionguard.adapters.crossguard.servicer import PACK_NAME, VersionguardServicer
    from versionguard.adapters.evaluation_inputs import load_runtime

    if floor:
        trivial = [ResourceValidationPolicy(f"trivial-{i}", "reads one property",
                                            lambda args, report: args.props.get("properties")) for i in range(10)]
        servicer = _PolicyAnalyzerServicer("trivial-floor", "0.0.1", trivial, EnforcementLevel.ADVISORY)
    else:
        servicer = VersionguardServicer(PACK_NAME, "0.0.1", build_policies(load_runtime()),
                                        EnforcementLevel.ADVISORY)
    info = servicer.GetAnalyzerInfo(empty_pb2.Empty(), None)
    config = analyzer_pb2.ConfigureAnalyzerRequest()
    for p in info.policies:
        config.policyConfig[p.name].enforcementLevel = p.enforcementLevel
    servicer.Configure(config, None)
    return servicer


def _struct(props: dict) -> struct_pb2.Struct:
    s = struct_pb2.Struct()
    s.update(props)
    return s


def in_process_analyze(n: int, type_: str, make, floor: bool = False) -> float:
    """Mean seconds per Analyze call of the servicer itself (best of 3 passes over n resources)."""
    servicer: Any = _servicer(floor)
    requests = [analyzer_pb2.AnalyzeRequest(type=type_, properties=_struct(make(i)), name=f"d{i}",
                                            urn=f"urn:pulumi:bench::p::{type_}::d{i}") for i in range(n)]

    def run() -> None:
        for r in requests:
            servicer.Analyze(r, None)

    return best(run, 3) / n


def in_process_analyze_stack(n: int) -> float:
    """Seconds per AnalyzeStack call on a stack of n resources of each CASES kind (best of 3)."""
    servicer: Any = _servicer()
    request = analyzer_pb2.AnalyzeStackRequest(resources=[
        analyzer_pb2.AnalyzerResource(type=type_, properties=_struct(make(i)), name=f"r{k}-{i}",
                                      urn=f"urn:pulumi:bench::p::{type_}::r{k}-{i}")
        for k, (type_, make) in enumerate(CASES.values()) for i in range(n)])
    return best(lambda: servicer.AnalyzeStack(request, None), 3)


def engine_per_deployment(n: int) -> tuple[float, float]:
    catalog = load_catalog()
    ctx = Context(dt.date.fromisoformat(AS_OF), catalog)
    props = [native_props(i) for i in range(n)]
    t0 = time.perf_counter()
    records = [normalize(NATIVE, p, f"d{i}") for i, p in enumerate(props)]
    t1 = time.perf_counter()
    judge(records, ctx)
    t2 = time.perf_counter()
    return (t1 - t0) / n, (t2 - t1) / n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deployments", type=int, default=1000)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--only", default="", help="run only the Analyze cases whose label contains this")
    args = parser.parse_args()
    os.environ["VERSIONGUARD_AS_OF"] = AS_OF
    yaml_s, load_s = catalog_load()
    print(f"bundled catalog: YAML read {yaml_s * 1000:.2f} ms, load with validation {load_s * 1000:.2f} ms "
          "(best of 30)")
    starts = cold_starts(args.starts)
    print(f"pack cold start (spawn -> GetAnalyzerInfo), {args.starts} runs: median {statistics.median(starts):.3f} s, "
          f"min {min(starts):.3f} s, max {max(starts):.3f} s")
    for label, (type_, make) in CASES.items():
        if args.only and args.only not in label:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            times, floor_times = grpc_analyze(args.deployments, type_, make, floor_pack(Path(tmp)))
        ms, floor_ms = sorted(t * 1000 for t in times), sorted(t * 1000 for t in floor_times)
        print(f"Analyze over gRPC, {args.deployments} {label}: mean {statistics.mean(ms):.3f} ms, "
              f"median {statistics.median(ms):.3f} ms, p95 {ms[int(len(ms) * 0.95)]:.3f} ms per resource; "
              f"trivial floor median {statistics.median(floor_ms):.3f} ms, "
              f"ratio to floor {statistics.median(ms) / statistics.median(floor_ms):.2f}")
        ours = in_process_analyze(args.deployments, type_, make)
        floor = in_process_analyze(args.deployments, type_, make, floor=True)
        print(f"Analyze in-process, {args.deployments} {label}: {ours * 1e6:.0f} us per resource (best of 3); "
              f"trivial floor {floor * 1e6:.0f} us, ratio to floor {ours / floor:.2f}")
    stack = in_process_analyze_stack(args.deployments)
    print(f"AnalyzeStack in-process, {args.deployments} resources of each kind: {stack * 1000:.1f} ms per stack "
          "(best of 3)")
    norm, rules = engine_per_deployment(max(args.deployments, 10_000))
    print(f"engine in-process, {max(args.deployments, 10_000)} deployments: normalize {norm * 1e6:.1f} us + "
          f"all rules {rules * 1e6:.1f} us = {(norm + rules) * 1e6:.1f} us per deployment")


if __name__ == "__main__":
    main()
