"""`versionguard check` over the shipped stacks and the fixture stacks: findings and exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.support import AS_OF, ROOT
from versionguard.cli import app

FIX = ROOT / "tests" / "fixtures"
BASE = ["--as-of", AS_OF, "--project", str(ROOT)]
FIXTURE = [*BASE, "--stack-dir", str(FIX / "stacks"), "--catalog", str(FIX / "catalog.yaml")]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["check", *args])
    return result.exit_code, result.output


def findings(*args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(app, ["check", *args, "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


def active(report: dict) -> set[tuple[str, str, str]]:
    """(policy, resource, level) of every finding that is not waived."""
    return {(f["policy"], f["resource"], f["level"]) for f in report["findings"] if not f["waived"]}


def test_shipped_stacks_on_the_bundled_catalog() -> None:
    """Re-judged on the 2026-12-04 catalog (2026-09-02 schedule) on 2026-12-07: prod fails, honestly."""
    code, report = findings("--as-of", "2026-12-07", "--project", str(ROOT), "--all")
    assert code == 1
    assert report["stacks"] == ["dev", "prod", "staging"]
    assert report["summary"] == {"mandatory": 5, "advisory": 8, "waived": 0, "deployments": 11, "errors": 0}
    # gpt-4.1 2025-04-14 (Legacy) and gpt-4o-mini 2024-07-18 now retire 2027-04-14 (the April catalog:
    # 2027-10-14 / 2027-10-01), inside prod's 180-day windows; neither has a newer version or a named
    # replacement. The catalog is 3 days old: no catalog-freshness finding.
    assert active(report) == {
        ("auto-upgrade-needs-target", "prod-chat", "mandatory"),
        ("auto-upgrade-needs-target", "prod-chat-failover", "mandatory"),
        ("auto-upgrade-needs-target", "prod-chat-mini", "mandatory"),
        ("no-auto-upgrade-near-retirement", "prod-chat-ptu", "mandatory"),
        ("provisioned-migration-due", "prod-chat-ptu", "mandatory"),
        ("deprecated-model-version", "prod-chat-mini", "advisory"),
        ("deprecated-model-version", "staging-chat-mini", "advisory"),
        ("deprecated-model-version", "dev-chat-next", "advisory"),  # gpt-5.1 deprecated since 2026-11-13
        # gpt-4.1 2025-04-14 is Legacy in the 2026-09-02 schedule: newer models exist, plan the migration
        ("legacy-model-version", "dev-chat", "advisory"),
        ("legacy-model-version", "prod-chat", "advisory"),
        ("legacy-model-version", "prod-chat-failover", "advisory"),
        ("legacy-model-version", "prod-chat-ptu", "advisory"),
        ("legacy-model-version", "staging-chat", "advisory"),
    }
    # prod-embed (text-embedding-3-large 1) now retires 2028-02-09: no finding, and no waiver is shipped.
    assert not any(f["resource"] == "prod-embed" for f in report["findings"])
    assert not any(f["waived"] for f in report["findings"])


def test_compliant_fixture_is_clean() -> None:
    code, report = findings(*FIXTURE, "--stack", "compliant")
    assert code == 0
    assert report["findings"] == []
    assert report["summary"] == {"mandatory": 0, "advisory": 0, "waived": 0, "deployments": 3, "errors": 0}


def test_violations_fixture_reports_each_kind() -> None:
    code, report = findings(*FIXTURE, "--stack", "violations")
    assert code == 1
    assert report["summary"]["waived"] == 0
    assert active(report) == {
        ("no-auto-upgrade-near-retirement", "bad-noauto", "mandatory"),
        ("retired-model-version", "bad-retired", "mandatory"),
        ("retired-model-version", "bad-retired-standard", "mandatory"),
        ("auto-update-requires-standard-sku", "bad-autoupdate-ptu", "mandatory"),
        ("provisioned-migration-due", "bad-migration-ptu", "mandatory"),
        ("model-version-known", "bad-unknown", "advisory"),
        ("preview-model-version", "bad-preview", "advisory"),
        # gpt-next-preview has no other version: auto-update has nothing to move to before 2027-01-31
        ("auto-upgrade-needs-target", "bad-preview", "mandatory"),
    }
    first = report["findings"][0]
    assert set(first) == {"stack", "policy", "level", "resource", "type", "urn", "message", "waived"}
    assert first["type"] == "azure-native:cognitiveservices:Deployment"
    assert first["urn"].startswith("urn:pulumi:violations::foundry-deployments::")
    by_resource = {f["resource"]: f["message"] for f in report["findings"]}
    assert "retired on 2026-03-31 for the Standard deployment type" in by_resource["bad-retired-standard"]
    assert "Did you mean: gpt-4.1 2025-04-14?" in by_resource["bad-unknown"]


def test_policy_config_changes_levels_and_windows(tmp_path: Path) -> None:
    (tmp_path / "violations.json").write_text(json.dumps({
        "all": "advisory", "preview-model-version": "mandatory",
        "provisioned-migration-due": {"retirementWindowDays": 7}}))
    code, report = findings(*FIXTURE, "--stack", "violations", "--policy-config-dir", str(tmp_path))
    assert code == 1
    mandatory = {(f["policy"], f["resource"]) for f in report["findings"] if f["level"] == "mandatory"}
    assert mandatory == {("preview-model-version", "bad-preview")}
    assert "bad-migration-ptu" not in {f["resource"] for f in report["findings"]}  # 13 days > 7


def test_waiver_silences_and_is_listed(tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n  - policy: no-auto-upgrade-near-retirement\n    resource: bad-noauto\n"
                       "    stacks: [violations]\n    reason: migration booked as CHG-1\n    expires: 2026-12-01\n")
    code, report = findings(*FIXTURE, "--stack", "violations", "--waivers", str(waivers))
    waived = [f for f in report["findings"] if f["waived"]]
    assert [(f["policy"], f["resource"], f["level"]) for f in waived] == [
        ("no-auto-upgrade-near-retirement", "bad-noauto", "mandatory")]
    assert waived[0]["waiver"] == {"reason": "migration booked as CHG-1", "expires": "2026-12-01"}
    assert ("no-auto-upgrade-near-retirement", "bad-noauto", "mandatory") not in active(report)
    assert report["summary"]["waived"] == 1 and report["summary"]["mandatory"] == 5
    assert code == 1


def test_expired_waiver_silences_nothing_and_fails_hygiene(tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n  - policy: no-auto-upgrade-near-retirement\n    resource: bad-noauto\n"
                       "    reason: old\n    expires: 2026-11-21\n")
    _, report = findings(*FIXTURE, "--stack", "violations", "--waivers", str(waivers))
    assert report["summary"]["waived"] == 0
    policies = {(policy, resource) for policy, resource, _ in active(report)}
    assert ("no-auto-upgrade-near-retirement", "bad-noauto") in policies
    assert ("waiver-hygiene", "(stack)") in policies


def test_output_file_gets_the_format_and_terminal_a_summary(tmp_path: Path) -> None:
    out = tmp_path / "nested" / "report.json"
    code, text = run(*FIXTURE, "--stack", "violations", "--format", "json", "--output", str(out))
    assert code == 1
    assert json.loads(out.read_text())["summary"]["mandatory"] == 6
    assert "FAIL check of violations" in text


def test_several_stacks_in_one_run() -> None:
    code, report = findings(*FIXTURE, "--stack", "compliant", "--stack", "violations")
    assert code == 1
    assert report["stacks"] == ["compliant", "violations"]
    assert report["summary"]["waived"] == 0
    assert {f["stack"] for f in report["findings"] if not f["waived"]} == {"violations"}
    assert [(r["stack"], r["deployments"]) for r in report["runs"]] == [("compliant", 3), ("violations", 7)]


WAIVER = ("waivers:\n  - policy: no-auto-upgrade-near-retirement\n    resource: bad-noauto\n"
          "    stacks: [violations]\n    reason: migration booked as CHG-1\n    expires: 2026-12-01\n")


def test_a_waiver_applies_to_its_own_stack_only_in_a_multi_stack_run(tmp_path: Path) -> None:
    """The same deployment in two stacks, waived in the first only: the second stack reports it
    (active, mandatory) and lists no waived finding of its own."""
    stacks = tmp_path / "stacks"
    stacks.mkdir()
    for name in ("violations", "violations-copy"):
        shutil.copy(FIX / "stacks" / "Pulumi.violations.yaml", stacks / f"Pulumi.{name}.yaml")
    (tmp_path / "waivers.yaml").write_text(WAIVER)
    code, report = findings(*BASE, "--catalog", str(FIX / "catalog.yaml"), "--stack-dir", str(stacks),
                            "--stack", "violations", "--stack", "violations-copy", "--waivers",
                            str(tmp_path / "waivers.yaml"))
    assert code == 1
    waived = [(f["stack"], f["policy"], f["resource"]) for f in report["findings"] if f["waived"]]
    assert waived == [("violations", "no-auto-upgrade-near-retirement", "bad-noauto")]
    noauto = {(f["stack"], f["waived"]) for f in report["findings"] if f["resource"] == "bad-noauto"}
    assert noauto == {("violations", True), ("violations-copy", False)}
    # The waiver takes one of the stack's six mandatory findings.
    assert report["summary"]["waived"] == 1 and report["summary"]["mandatory"] == 5 + 6


def test_a_waived_finding_keeps_its_type_and_reports_remediate_as_mandatory(tmp_path: Path) -> None:
    (tmp_path / "waivers.yaml").write_text(WAIVER)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "violations.json").write_text(json.dumps({"no-auto-upgrade-near-retirement": "remediate"}))
    code, report = findings(*FIXTURE, "--stack", "violations", "--waivers", str(tmp_path / "waivers.yaml"),
                            "--policy-config-dir", str(tmp_path / "config"))
    (waived,) = [f for f in report["findings"] if f["waived"]]
    assert (waived["policy"], waived["resource"], waived["level"]) == (
        "no-auto-upgrade-near-retirement", "bad-noauto", "mandatory")
    assert waived["type"] == "azure-native:cognitiveservices:Deployment"
    assert waived["urn"].endswith("::bad-noauto")
    assert code == 1


@pytest.mark.parametrize(("args", "needle"), [
    (("--stack", "malformed"), "Pulumi.malformed.yaml: foundry-deployments:accounts[0].deployments[0].model.version"),
    (("--stack", "nope"), "Pulumi.nope.yaml"),
    (("--stack", "compliant", "--as-of", "2026-13-01"), "--as-of"),
    (("--stack", "compliant", "--format", "xml"), "--format"),
    (("--stack", "compliant", "--all"), "--stack/--all"),
    ((), "--stack/--all"),
])
def test_bad_input_exits_2_naming_the_problem(args: tuple[str, ...], needle: str) -> None:
    code, out = run(*FIXTURE, *args)
    assert code == 2
    assert needle in out


def test_missing_stack_dir_exits_2_naming_the_flag(tmp_path: Path) -> None:
    code, out = run(*BASE, "--stack-dir", str(tmp_path / "absent"), "--all")
    assert code == 2 and "--stack-dir: expected an existing directory" in out


def test_bad_catalog_and_policy_config_exit_2(tmp_path: Path) -> None:
    broken = tmp_path / "catalog.yaml"
    broken.write_text("schema: 1\nas_of: 2026-11-01\nmodels:\n  - name: m\n    versions:\n"
                      "      - {version: '1', lifecycle: gone}\n")
    code, out = run(*FIXTURE, "--stack", "compliant", "--catalog", str(broken))
    assert code == 2 and "models[0] m > versions[0] 1 > lifecycle" in out
    (tmp_path / "compliant.json").write_text('{"retired-model-version": {"retirementWindowDays": 10}}')
    code, out = run(*FIXTURE, "--stack", "compliant", "--policy-config-dir", str(tmp_path))
    assert code == 2 and "compliant.json: retired-model-version.retirementWindowDays" in out
    (tmp_path / "compliant.json").write_text('{"no-auto-upgrade-near-retirement": {"retirementWindowDays": "x"}}')
    code, out = run(*FIXTURE, "--stack", "compliant", "--policy-config-dir", str(tmp_path))
    assert code == 2 and "no-auto-upgrade-near-retirement.retirementWindowDays" in out


def test_raw_program_missing_option_unpinned_and_versioned_token() -> None:
    code, report = findings("--as-of", AS_OF, "--project", str(FIX / "raw_project"), "--catalog",
                            str(FIX / "catalog.yaml"), "--all")
    assert code == 1
    got = active(report)
    assert ("upgrade-option-explicit", "raw-no-option", "advisory") in got
    assert ("model-version-pinned", "raw-unpinned", "mandatory") in got
    assert ("no-auto-upgrade-near-retirement", "raw-versioned-token", "mandatory") in got
    token = next(f for f in report["findings"] if f["resource"] == "raw-versioned-token")
    assert token["type"] == "azure-native:cognitiveservices/v20230501:Deployment"


def test_a_crash_exits_2_not_1(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Exit 1 means mandatory violations; an internal error must never look like one."""
    import sys

    import versionguard.commands.check
    from versionguard.cli import main

    def boom(*_args: object, **_kwargs: object) -> None:
        raise ZeroDivisionError("bug")

    # cli.check imports check_stacks when it runs (Pulumi loads only for the commands that need it).
    monkeypatch.setattr(versionguard.commands.check, "check_stacks", boom)
    monkeypatch.setattr(sys, "argv", ["versionguard", "check", "--all", "--project", str(ROOT)])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 2
    assert "internal error" in capsys.readouterr().err


PROJECT_WAIVER = ("waivers:\n  - policy: no-auto-upgrade-near-retirement\n    resource: dev-chat\n"
                  "    reason: migration booked as CHG-7\n    expires: 2026-12-01\n")


def test_the_projects_own_waivers_file_is_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Installed from a wheel, the pack has no waivers beside it: the checked project's policies/waivers.yaml
    (where policies/config lives) is the default. VERSIONGUARD_WAIVERS and --waivers still come first."""
    project = tmp_path / "project"
    shutil.copytree(FIX / "programs" / "yml", project)
    (project / "policies").mkdir()
    (project / "policies" / "waivers.yaml").write_text(PROJECT_WAIVER)
    args = ["--as-of", AS_OF, "--project", str(project), "--all", "--catalog", str(FIX / "catalog.yaml"),
            "--python", str(ROOT / ".venv")]
    code, report = findings(*args)
    assert code == 0, report
    assert [(f["resource"], f["waiver"]["reason"]) for f in report["findings"] if f["waived"]] == [
        ("dev-chat", "migration booked as CHG-7")]

    no_waivers = tmp_path / "none.yaml"
    no_waivers.write_text("waivers: []\n")
    monkeypatch.setenv("VERSIONGUARD_WAIVERS", str(no_waivers))
    code, report = findings(*args)
    assert code == 1 and report["summary"]["waived"] == 0  # the variable wins over the project's file
    code, report = findings(*args, "--waivers", str(project / "policies" / "waivers.yaml"))
    assert code == 0 and report["summary"]["waived"] == 1  # --waivers wins over the variable


def test_audit_takes_the_waivers_of_the_current_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "waivers.yaml").write_text(
        "waivers:\n  - policy: retired-model-version\n    resource: aif-contoso-prod/legacy\n"
        "    reason: decommissioned this week\n    expires: 2026-12-20\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["audit", str(FIX / "arm" / "resource-graph-az.json"), "--as-of", "2026-12-07",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["waived"] == 2
