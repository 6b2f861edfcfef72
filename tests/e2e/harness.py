"""Run the real Pulumi CLI against a copy of the project, offline.

The CLI comes from ``scripts/install-pulumi-cli`` (built from Go modules, cached). Azure is
replaced by the stand-in provider in ``tests/e2e/standin_provider`` (a test double), installed
into a private ``PULUMI_HOME`` plugin cache; state goes to a local file backend.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support import AS_OF, FIXTURES, PROGRAMS, ROOT  # noqa: F401 (re-exported to the tests that use this)

PACK = ROOT / "policies"


def install_cli() -> Path:
    """The bin dir of the built CLI (builds it on first use; fails loudly, never skips)."""
    done = subprocess.run([str(ROOT / "scripts" / "install-pulumi-cli")], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(f"scripts/install-pulumi-cli failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return Path(done.stdout.strip().splitlines()[-1])


def pulumi_env(bin_dir: Path, home: Path, state: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    plugin_dir = home / "plugins" / "resource-azure-native-v3.29.0"
    plugin_dir.mkdir(parents=True, exist_ok=True)
    link = plugin_dir / "pulumi-resource-azure-native"
    if not link.exists():
        link.symlink_to(ROOT / "tests" / "e2e" / "standin_provider" / "pulumi-resource-azure-native")
    state.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_")}  # VERSIONGUARD_*: tests/conftest.py
    env.update({
        "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        "PULUMI_HOME": str(home),
        "PULUMI_BACKEND_URL": f"file://{state}",
        "PULUMI_CONFIG_PASSPHRASE": "e2e",
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_SKIP_CONFIRMATIONS": "true",
        "PULUMI_DEBUG_COMMANDS": "true",  # enables --event-log, the machine-readable engine events
        "VERSIONGUARD_AS_OF": AS_OF,
        **(extra or {}),
    })
    return env


def copy_project(src: Path, dest: Path, extra_stacks: Path | None = None) -> Path:
    """A throwaway copy (``stack init`` writes an encryption salt into the stack file)."""
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", "tests", "policies",
                                                             "bench", "docs", ".github", "*.egg-info"))
    if extra_stacks is not None:
        for f in extra_stacks.glob("Pulumi.*.yaml"):
            shutil.copy(f, dest / "stacks" / f.name)
    return dest


@dataclass
class Result:
    code: int
    output: str
    events: list[dict[str, Any]]

    def policy_events(self) -> list[dict[str, Any]]:
        return [e["policyEvent"] for e in self.events if "policyEvent" in e]


class Pulumi:
    def __init__(self, project: Path, env: dict[str, str], tmp: Path) -> None:
        self.project, self.env, self.tmp = project, env, tmp
        self._n = 0

    def run(self, *args: str, timeout: float = 600, env: dict[str, str] | None = None) -> Result:
        self._n += 1
        log = self.tmp / f"events-{self._n}.jsonl"
        cmd = ["pulumi", *args, "--non-interactive", "--color", "never"]
        if args[0] in ("preview", "up", "destroy"):
            cmd += ["--event-log", str(log)]
        done = subprocess.run(cmd, cwd=self.project, env={**self.env, **(env or {})}, capture_output=True,
                              text=True, timeout=timeout, check=False)
        events = [json.loads(line) for line in log.read_text().splitlines() if line.strip()] if log.exists() else []
        return Result(done.returncode, done.stdout + done.stderr, events)

    def stack_init(self, stack: str) -> None:
        done = self.run("stack", "init", stack)
        assert done.code == 0, done.output

    def with_pack(self, command: str, stack: str, config: Path | None = None, *extra: str,
                  env: dict[str, str] | None = None) -> Result:
        """``pulumi <command> --policy-pack policies [--policy-pack-config FILE]`` for one stack."""
        args = [command, "--stack", stack, "--policy-pack", str(PACK)]
        if config is not None:
            args += ["--policy-pack-config", str(config)]
        return self.run(*args, *extra, env=env)


def violations(result: Result) -> set[tuple[str, str, str]]:
    """(policy, resource, level) of every versionguard violation in an engine event log."""
    out = set()
    for e in result.policy_events():
        if e.get("policyPackName") != "versionguard":
            continue
        urn = e.get("resourceUrn") or ""
        # Stack policies are reported against the root Stack resource.
        stack_level = not urn or urn.split("::")[2] == "pulumi:pulumi:Stack"
        out.add((e["policyName"], "(stack)" if stack_level else urn.rsplit("::", 1)[-1], e["enforcementLevel"]))
    return out
