"""Project and stack files as Pulumi reads them: .yml, missing stack files, qualified stack names,
secure values, and the policy config directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import PROGRAMS, check, check_json

YML = PROGRAMS / "yml"


def test_pulumi_yml_with_yml_stack_files() -> None:
    """Stack files take the project file's extension: --all finds Pulumi.dev.yml, not Pulumi.ignored.yaml."""
    out = check_json("--project", str(YML), "--all")
    assert out.code == 1
    assert out.report["stacks"] == ["dev"]
    assert out.findings() == {("dev-chat", "no-auto-upgrade-near-retirement", "mandatory")}
    assert out.report["summary"]["deployments"] == 1


def test_a_stack_without_a_stack_file_has_empty_config() -> None:
    out = check_json("--project", str(YML), "--stack", "ghost")
    assert out.code == 1, out.stderr
    assert out.findings() == {("ghost-chat", "retired-model-version", "mandatory")}  # the program's defaults
    assert out.run("ghost")["deployments"] == 1


def test_a_qualified_stack_name_uses_the_stack_file_and_policy_config_of_its_stack(tmp_path: Path) -> None:
    """Pulumi names the stack file of org/project/stack after the stack (Pulumi.stack.yml): the policy
    config lookup must agree (<stack>.json), and URNs carry the stack's own name."""
    (tmp_path / "dev.json").write_text(json.dumps({"all": "advisory"}))
    for name in ("acme/yml-project/dev", "acme/dev", "dev"):
        out = check_json("--project", str(YML), "--stack", name, "--policy-config-dir", str(tmp_path))
        assert out.code == 0, out.stderr
        assert out.findings() == {("dev-chat", "no-auto-upgrade-near-retirement", "advisory")}
        assert out.run(name)["policy_config"] == str(tmp_path / "dev.json")
        assert out.report["findings"][0]["urn"].startswith("urn:pulumi:dev::yml-project::")


@pytest.mark.parametrize(("name", "needle"), [
    ("acme/other-project/dev", "expected a stack of project 'yml-project' (Pulumi.yml)"),
    ("../dev", "expected a stack name"),
    ("a/b/c/d", "expected a stack name"),
])
def test_bad_stack_names_exit_2(name: str, needle: str) -> None:
    out = check("--project", str(YML), "--stack", name)
    assert out.code == 2 and needle in out.stderr


def test_policy_config_dir_must_exist_and_be_a_directory(tmp_path: Path) -> None:
    missing = check("--project", str(YML), "--all", "--policy-config-dir", str(tmp_path / "absent"))
    assert missing.code == 2 and "absent: --policy-config-dir: expected an existing directory" in missing.stderr
    (tmp_path / "file.json").write_text("{}")
    a_file = check("--project", str(YML), "--all", "--policy-config-dir", str(tmp_path / "file.json"))
    assert a_file.code == 2 and "file.json: --policy-config-dir: expected an existing directory" in a_file.stderr


def test_without_a_policy_config_file_the_report_says_defaults(tmp_path: Path) -> None:
    out = check("--project", str(YML), "--all", "--policy-config-dir", str(tmp_path))
    assert out.code == 1
    assert "dev: 1 deployment judged, policy config none (no policy config file: the documented defaults)" \
        in out.stdout
    assert check_json("--project", str(YML), "--all").run("dev")["policy_config"] is None


def test_only_python_projects_can_be_checked(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: node-project\nruntime: nodejs\n")
    out = check("--project", str(tmp_path), "--all")
    assert out.code == 2 and "Pulumi.yaml: runtime: expected a Python project (runtime: python), got 'nodejs'" \
        in out.stderr


def test_secure_values_top_level_and_nested_become_secret_placeholders() -> None:
    from versionguard.adapters.project import SECRET_PLACEHOLDER, load_project

    project = load_project(PROGRAMS / "behaviours")
    config = project.stack_config("secrets")
    assert config.values["behaviours:apiKey"] == SECRET_PLACEHOLDER
    team = json.loads(config.values["behaviours:team"])
    assert team["credentials"] == SECRET_PLACEHOLDER
    assert team["deployments"][0]["model"] == SECRET_PLACEHOLDER
    assert set(config.secret_keys) == {"behaviours:apiKey", "behaviours:team"}
    assert "v1:" not in json.dumps(config.values)
