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


def test_a_project_without_its_program_is_exit_2_naming_it(tmp_path: Path) -> None:
    """No __main__.py: Python would run whatever __main__ module it finds on sys.path (in versionguard's own
    environment, the policy pack's server, which waits until --timeout), never the project's program."""
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  p:n: 1\n")
    out = check("--project", str(tmp_path), "--stack", "dev", "--timeout", "30")
    assert out.code == 2, out.stderr
    assert (f"Pulumi.yaml: (program): expected a Python program: {tmp_path.resolve() / '__main__.py'} (or `main:` "
            "naming one)") in out.stderr
    (tmp_path / "app").mkdir()
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\nmain: app\n")
    out = check("--project", str(tmp_path), "--stack", "dev", "--timeout", "30")
    assert out.code == 2 and f"Pulumi.yaml: main: expected a Python program: {tmp_path.resolve()}/app/__main__.py" \
        in out.stderr


def test_only_python_projects_can_be_checked(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: node-project\nruntime: nodejs\n")
    out = check("--project", str(tmp_path), "--all")
    assert out.code == 2 and "Pulumi.yaml: runtime: expected a Python project (runtime: python), got 'nodejs'" \
        in out.stderr


def test_secure_values_top_level_and_nested_become_secret_placeholders() -> None:
    from versionguard.adapters.program.project import UNKNOWN_TEXT, load_project

    project = load_project(PROGRAMS / "behaviours")
    config = project.stack_config("secrets")
    assert config.values["behaviours:apiKey"] == UNKNOWN_TEXT
    team = json.loads(config.values["behaviours:team"])
    assert team["credentials"] == UNKNOWN_TEXT
    assert team["deployments"][0]["model"] == UNKNOWN_TEXT
    assert set(config.secret_keys) == {"behaviours:apiKey", "behaviours:team"}
    assert "v1:" not in json.dumps(config.values)


# --- config values as the Pulumi CLI passes them (expected texts from Pulumi v3.259.0, see
# tests/e2e/test_stack_config_text.py, which compares with the real CLI) -------------------------

PULUMI_TEXTS = {
    "expires": ("2026-12-15", "2026-12-15 00:00:00 +0000 UTC"),
    "quoted": ('"2026-12-15"', "2026-12-15"),
    "zoned": ("2026-12-15 10:00:00+00:00", "2026-12-15 10:00:00+00:00"),  # no yaml.v3 timestamp: as written
    "utc": ("2026-12-15T10:00:00Z", "2026-12-15 10:00:00 +0000 UTC"),
    "offset": ("2026-12-15T10:00:00.500+02:00", "2026-12-15 10:00:00.5 +0200 +0200"),
    "spaced": ("2026-12-15   10:00:00.123456789123", "2026-12-15 10:00:00.123456789 +0000 UTC"),
    "short": ("2026-1-5", "2026-01-05 00:00:00 +0000 UTC"),
    "impossible": ("2026-02-30", "2026-02-30"),
    "yes": ("yes", "yes"),
    "clock": ("10:30", "10:30"),
    "float": ("1.0", "1"),
    "exponent": ("1e3", "1000"),
    "tiny": ("0.0000001", "1e-7"),
    "hex": ("0x10", "16"),
    "octal": ("0o17", "15"),
    "negzero": ("-0.0", "0"),
    "nothing": ("~", ""),
    "flag": ("True", "true"),
}


def test_stack_file_values_reach_the_program_as_the_pulumi_cli_passes_them(tmp_path: Path) -> None:
    """Plain dates become Go's time text (not a JSON string), YAML 1.1-only forms stay text, numbers take
    Go's JSON form, and objects are Go's compact JSON with sorted keys, nested dates included."""
    from versionguard.adapters.program.project import load_project

    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    (tmp_path / "__main__.py").write_text("")
    lines = [f"  {key}: {text}" for key, (text, _) in PULUMI_TEXTS.items()]
    (tmp_path / "Pulumi.dev.yaml").write_text(
        "config:\n" + "\n".join(lines) + "\n  waiver:\n    expires: 2026-12-15\n    at: 2026-12-15 10:00:00+00:00\n"
        "    list: [1.0, 1e21, 1e20, yes, ~, '2026-12-15']\n    html: '<a&b>'\n    1.5: d\n    b: {secure: 5}\n")
    values = load_project(tmp_path).stack_config("dev").values
    assert {k.removeprefix("p:"): v for k, v in values.items() if k != "p:waiver"} == {
        key: text for key, (_, text) in PULUMI_TEXTS.items()}
    assert values["p:waiver"] == (
        '{"1.5":"d","at":"2026-12-15 10:00:00+00:00","b":{"secure":5},"expires":"2026-12-15 00:00:00 +0000 UTC",'
        '"html":"\\u003ca\\u0026b\\u003e","list":[1,1e+21,100000000000000000000,"yes",null,"2026-12-15"]}')


@pytest.mark.parametrize(("config", "needle"), [
    ("  p:n: .nan\n", "Pulumi.dev.yaml: line 2, column 8: expected a finite number"),
    ("  p:n: {a: [1, .inf]}\n", "Pulumi.dev.yaml: line 2, column 16: expected a finite number"),
    ("  7: seven\n", "Pulumi.dev.yaml: config: expected config keys as text (quote a key YAML reads as a number, "
                     "boolean, date or null), got 7"),
    ("  p:flag: !!bool yes\n", "Pulumi.dev.yaml: line 2, column 11: expected a value yaml.v3 reads as !!bool, "
                               "got \"!!str 'yes'\""),
])
def test_config_pulumi_refuses_is_exit_2_naming_file_and_key(tmp_path: Path, config: str, needle: str) -> None:
    """NaN and infinity (json: unsupported value), a key that is no text, an explicit tag yaml.v3 cannot
    honour: Pulumi refuses these stack files, so the check must not run the program on other text."""
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    (tmp_path / "__main__.py").write_text("raise SystemExit('the program must not run')\n")
    (tmp_path / "Pulumi.dev.yaml").write_text(f"config:\n{config}")
    out = check("--project", str(tmp_path), "--stack", "dev")
    assert out.code == 2, out.stderr
    assert needle in out.stderr
