"""The PR workflow and the pre-commit hook definitions are valid and run what the README says."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from tests.e2e.harness import install_cli

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


@pytest.mark.e2e  # builds actionlint (and the Pulumi CLI) from the Go module proxy on first use
def test_actionlint_is_clean() -> None:
    assert WORKFLOWS
    actionlint = install_cli() / "actionlint"  # built from the Go module proxy with the Pulumi CLI
    done = subprocess.run([str(actionlint), *map(str, WORKFLOWS)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflow_checks_offline_and_previews_every_stack() -> None:
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "versionguard.yml").read_text())
    check_steps = " ".join(str(s.get("run", "")) for s in flow["jobs"]["check"]["steps"])
    assert "versionguard check --all --format sarif" in check_steps
    assert "GITHUB_STEP_SUMMARY" in check_steps
    uses = [s.get("uses", "") for s in flow["jobs"]["check"]["steps"]]
    assert any(u.startswith("github/codeql-action/upload-sarif") for u in uses)
    preview = flow["jobs"]["preview"]
    stacks = sorted(p.name[len("Pulumi."):-len(".yaml")] for p in (ROOT / "stacks").glob("Pulumi.*.yaml"))
    assert sorted(preview["strategy"]["matrix"]["stack"]) == stacks
    assert preview["permissions"]["id-token"] == "write"  # Azure OIDC
    pulumi_step = next(s for s in preview["steps"] if s.get("uses", "").startswith("pulumi/actions"))
    assert pulumi_step["with"]["policyPacks"] == "policies"
    assert pulumi_step["with"]["policyPackConfigs"] == "policies/config/${{ matrix.stack }}.json"


def test_pre_commit_hooks_run_the_check() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    local = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    for hook in [*hooks, *local]:
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["entry"].endswith("versionguard check --all")
        assert hook["pass_filenames"] is False


def test_building_the_go_tools_happens_only_under_the_e2e_marker() -> None:
    """`-m "not e2e"` must never reach the Go module proxy (actionlint is built with the Pulumi CLI)."""
    assert "e2e" in {mark.name for mark in getattr(test_actionlint_is_clean, "pytestmark", [])}
