"""The PR workflow and the pre-commit hook definitions are valid and run what the README says."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.e2e.harness import install_cli
from tests.support import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTION = ROOT / "action.yml"


@pytest.mark.e2e  # builds actionlint (and the Pulumi CLI) from the Go module proxy on first use
def test_actionlint_is_clean() -> None:
    assert WORKFLOWS
    actionlint = install_cli() / "actionlint"  # built from the Go module proxy with the Pulumi CLI
    done = subprocess.run([str(actionlint), *map(str, WORKFLOWS)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflow_checks_offline_and_previews_every_stack() -> None:
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "versionguard.yml").read_text())
    [check] = [s for s in flow["jobs"]["check"]["steps"] if s.get("uses") == "./"]  # this repo's own action
    assert check["with"]["stacks"] == "--all"
    assert flow["jobs"]["check"]["permissions"]["security-events"] == "write"  # the action uploads SARIF
    preview = flow["jobs"]["preview"]
    stacks = sorted(p.name[len("Pulumi."):-len(".yaml")] for p in (ROOT / "stacks").glob("Pulumi.*.yaml"))
    assert sorted(preview["strategy"]["matrix"]["stack"]) == stacks
    assert preview["permissions"]["id-token"] == "write"  # Azure OIDC
    pulumi_step = next(s for s in preview["steps"] if s.get("uses", "").startswith("pulumi/actions"))
    assert pulumi_step["with"]["policyPacks"] == "policies"
    assert pulumi_step["with"]["policyPackConfigs"] == "policies/config/${{ matrix.stack }}.json"


def test_action_runs_check_once_for_sarif_and_markdown() -> None:
    action = yaml.safe_load(ACTION.read_text())
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    [check] = [s for s in steps if s.get("id") == "check"]
    assert check["run"].count("versionguard check ") == 1
    assert '-o "sarif=$OUT/versionguard.sarif" -o "markdown=$OUT/versionguard.md"' in check["run"]
    assert "GITHUB_STEP_SUMMARY" in check["run"]
    [upload] = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif")]
    assert upload["with"]["sarif_file"] == "${{ steps.check.outputs.sarif-file }}"
    ids = {s.get("id") for s in steps}
    for output in action["outputs"].values():  # every output reads a step that exists
        assert output["value"].split(".")[1] in ids


def test_action_steps_pass_actionlint(tmp_path: Path) -> None:
    """actionlint reads action.yml's inputs when a workflow uses it (above); to lint the action's own steps
    (expressions, contexts, shell), they run here as the job of a reusable workflow with the same inputs."""
    action = yaml.safe_load(ACTION.read_text())
    inputs = {name: {"type": "string", "required": False, "default": str(spec.get("default", "")),
                     "description": spec["description"]} for name, spec in action["inputs"].items()}
    flow = {"name": "action steps", "on": {"workflow_call": {"inputs": inputs}},
            "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}}}
    path = tmp_path / ".github" / "workflows" / "action-steps.yml"
    path.parent.mkdir(parents=True)
    path.write_text(yaml.safe_dump(flow, sort_keys=False))
    actionlint = install_cli() / "actionlint"
    done = subprocess.run([str(actionlint), str(path)], capture_output=True, text=True, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_pre_commit_hooks_run_the_check() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    local = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    for hook in [*hooks, *local]:
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["entry"].endswith("versionguard check --all")
        assert hook["pass_filenames"] is False


@pytest.mark.parametrize("path", ["Pulumi.yaml", "Pulumi.yml", "stacks/Pulumi.dev.yaml", "stacks/Pulumi.dev.yml",
                                  "Pulumi.dev.yaml", "Pulumi.prod.yml", "config/Pulumi.dev.yml", "infra/Pulumi.yaml",
                                  "__main__.py", "components/foundry_account.py", "policies/waivers.yaml"])
def test_pre_commit_hooks_run_on_every_project_and_stack_file(path: str) -> None:
    """Pulumi.yml and .yml stack files too, wherever stackConfigDir puts them."""
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    local = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    for hook in [*hooks, *local]:
        assert re.search(hook["files"], path), (hook["files"], path)  # pre-commit matches with re.search


@pytest.mark.parametrize("path", ["README.md", "docs/waivers.md", "tests/test_check.py", "Pulumi.yaml.bak",
                                  "MyPulumi.yaml"])
def test_pre_commit_hooks_skip_unrelated_files(path: str) -> None:
    for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text()):
        assert not re.search(hook["files"], path), path


def test_building_the_go_tools_happens_only_under_the_e2e_marker() -> None:
    """`-m "not e2e"` must never reach the Go module proxy (actionlint is built with the Pulumi CLI)."""
    assert "e2e" in {mark.name for mark in getattr(test_actionlint_is_clean, "pytestmark", [])}
