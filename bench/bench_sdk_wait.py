"""The Pulumi SDK's end-of-program wait for outputs, as shipped and as the program host patches it.

    .venv/bin/python bench/bench_sdk_wait.py [--sizes 1000 2000 4000 8000] [--repeat 3]

After a program's body ran, ``pulumi.runtime.stack.wait_for_rpcs`` waits for every pending
``Output``. The SDK's loop calls ``asyncio.wait(pending, FIRST_COMPLETED)``, hooking and unhooking
a callback on every pending output per pass; outputs settle one at a time as registrations come
back, so n outputs cost O(n^2). This builds n SDK ``Output`` objects (no gRPC, no program) whose
values arrive one per event-loop turn, as the monitor's answers do, and times the SDK's wait and
the one the program host (``adapters/program/host.py``, ``settle_outputs_linearly``) installs.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import sys
import time
from pathlib import Path

import pulumi
import pulumi.runtime.stack as sdk_stack

ROOT = Path(__file__).resolve().parents[1]
HOST = ROOT / "policies" / "versionguard" / "adapters" / "program" / "host.py"


def patched_module() -> object:
    """A copy of pulumi.runtime.stack's namespace with the program host's linear wait installed."""
    spec = importlib.util.spec_from_file_location("_vg_program_host", HOST)
    assert spec is not None and spec.loader is not None
    host = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(host)

    class Namespace:
        wait_for_rpcs = sdk_stack.wait_for_rpcs
        SETTINGS = sdk_stack.SETTINGS
        _get_rpc_manager = staticmethod(sdk_stack._get_rpc_manager)
        ResourceRegistrationFailed = sdk_stack.ResourceRegistrationFailed

    host.settle_outputs_linearly(Namespace)
    return Namespace


async def one_run(n: int, wait) -> float:
    loop = asyncio.get_running_loop()
    futures = [loop.create_future() for _ in range(n)]
    for f in futures:
        known = loop.create_future()
        known.set_result(True)
        pulumi.Output(set(), f, known)

    def resolve(i: int) -> None:  # one output per loop turn, as registrations come back
        futures[i].set_result(i)
        if i + 1 < n:
            loop.call_soon(resolve, i + 1)

    loop.call_soon(resolve, 0)
    t0 = time.perf_counter()
    await wait()
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000, 8000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ours = patched_module()
    print(f"{'outputs':>8} {'sdk wait s':>11} {'linear wait s':>14} {'ratio':>7}")
    for n in args.sizes:
        sdk = min(asyncio.run(one_run(n, sdk_stack.wait_for_rpcs)) for _ in range(args.repeat))
        lin = min(asyncio.run(one_run(n, ours.wait_for_rpcs)) for _ in range(args.repeat))
        print(f"{n:>8} {sdk:>11.3f} {lin:>14.3f} {sdk / lin:>7.1f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
