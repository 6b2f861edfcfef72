"""Start the policy pack the way the Pulumi language host does and talk to it over gRPC.

``python -u -m pulumi.policy <engine-address> <pack-dir>`` with cwd = pack dir and the stack
environment (PULUMI_PROJECT, PULUMI_STACK, PULUMI_DRY_RUN, PULUMI_CONFIG); the pack prints its
port on the first line of stdout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import grpc
from pulumi.runtime.proto import analyzer_pb2_grpc

from tests.support import ROOT

PACK_DIR = ROOT / "policies"


@dataclass
class PackProcess:
    proc: subprocess.Popen[str]
    port: int
    stub: analyzer_pb2_grpc.AnalyzerStub
    channel: grpc.Channel
    stderr: list[str]

    def close(self) -> None:
        self.channel.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def start_pack(env: Mapping[str, str] | None = None, stack: str = "dev", project: str = "foundry-deployments",
               config: Mapping[str, str] | None = None, timeout: float = 30.0, python: str = sys.executable,
               pack_dir: Path = PACK_DIR) -> PackProcess:
    full_env = {**os.environ, "PULUMI_PROJECT": project, "PULUMI_STACK": stack, "PULUMI_DRY_RUN": "true",
                "PULUMI_CONFIG": json.dumps(dict(config or {})), **(env or {})}
    proc = subprocess.Popen([python, "-u", "-m", "pulumi.policy", "127.0.0.1:0", str(pack_dir)],
                            cwd=pack_dir, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    stderr: list[str] = []
    reader = threading.Thread(target=lambda: stderr.extend(proc.stderr), daemon=True)  # type: ignore[arg-type]
    reader.start()
    line = proc.stdout.readline()
    if not line.strip().isdigit():
        proc.wait(timeout=timeout)
        reader.join(timeout=5)
        raise PackStartError(proc.returncode, line + "".join(stderr))
    # Keep draining stdout so a chatty pack can never block on a full pipe.
    threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()  # type: ignore[union-attr]
    port = int(line)
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    grpc.channel_ready_future(channel).result(timeout=timeout)
    return PackProcess(proc, port, analyzer_pb2_grpc.AnalyzerStub(channel), channel, stderr)


class PackStartError(RuntimeError):
    def __init__(self, code: int | None, output: str) -> None:
        super().__init__(f"pack exited with {code}: {output}")
        self.code = code
        self.output = output

