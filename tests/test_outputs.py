"""One run, several report files: ``--output FORMAT=PATH`` (repeatable) beside the ``--format/--output`` contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.support import AS_OF, ROOT
from versionguard.cli import app

FIXTURES = ROOT / "tests" / "fixtures"
VIOLATIONS = ["check", "-s", "violations", "--project", str(ROOT), "--stack-dir", str(FIXTURES / "stacks"),
              "--catalog", str(FIXTURES / "catalog.yaml"), "--as-of", AS_OF]


def test_check_writes_every_format_asked_for_in_one_run(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(app, [*VIOLATIONS, "-o", f"sarif={out}/vg.sarif", "--output",
                                      f"markdown={out}/vg.md", "-o", f"json={out}/vg.json", "-o", f"{out}/vg.txt"])
    assert result.exit_code == 1, result.output  # the verdict, as with one output
    sarif = json.loads((out / "vg.sarif").read_text())
    data = json.loads((out / "vg.json").read_text())
    assert len(sarif["runs"][0]["results"]) == len(data["findings"]) > 0
    assert (out / "vg.md").read_text().startswith("## ❌ versionguard check:")
    assert "FAIL check of violations" in (out / "vg.txt").read_text()  # a plain path takes --format (table)
    assert result.stdout == ""
    assert result.stderr.count("FAIL check of violations") == 1 and "vg.sarif" in result.stderr


def test_format_and_output_contract_is_unchanged(tmp_path):
    result = CliRunner().invoke(app, [*VIOLATIONS, "--format", "json", "--output", str(tmp_path / "r.json")])
    assert result.exit_code == 1
    assert json.loads((tmp_path / "r.json").read_text())["stacks"] == ["violations"]


@pytest.mark.parametrize(("outputs", "message"), [
    (["yaml=r.yaml"], "FORMAT one of table, json, sarif, junit, markdown"),
    (["sarif="], "a path after sarif="),
    (["json=r.json", "sarif=r.json"], "a different file for each output"),
])
def test_bad_outputs_exit_2_before_anything_runs(tmp_path, monkeypatch, outputs, message):
    monkeypatch.chdir(tmp_path)
    args = [arg for value in outputs for arg in ("-o", value)]
    result = CliRunner().invoke(app, [*VIOLATIONS, *args])
    assert result.exit_code == 2 and message in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_audit_takes_several_outputs_too(tmp_path):
    result = CliRunner().invoke(app, ["audit", str(FIXTURES / "arm" / "resource-graph-az.json"), "--as-of",
                                      "2026-12-07", "-o", f"junit={tmp_path}/a.xml", "-o", f"sarif={tmp_path}/a.sarif"])
    assert result.exit_code == 1
    assert (tmp_path / "a.xml").read_text().startswith("<?xml") and json.loads((tmp_path / "a.sarif").read_text())


def _locations(sarif_path: Path) -> list[dict]:
    run = json.loads(sarif_path.read_text())["runs"][0]
    assert run["results"]
    return [loc for result in run["results"] for loc in result["locations"]]


def test_sarif_points_at_the_real_stack_file_relative_to_the_repository_root(tmp_path, monkeypatch):
    """A Pulumi.yml project in a subdirectory of a repository, .yml stack files in its stackConfigDir, run from
    the project directory (the action's working-directory): code scanning needs the repository-relative path.
    With --stack-dir the stack file is the one in that directory."""
    import shutil

    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    project = repo / "infra"
    shutil.copytree(FIXTURES / "programs" / "yml", project)
    monkeypatch.chdir(project)
    args = ["check", "--all", "--catalog", str(FIXTURES / "catalog.yaml"), "--as-of", AS_OF,
            "--python", str(ROOT / ".venv")]
    result = CliRunner().invoke(app, [*args, "-o", f"sarif={tmp_path}/a.sarif"])
    assert result.exit_code == 1, result.output
    assert {json.dumps(loc["physicalLocation"]["artifactLocation"]) for loc in _locations(tmp_path / "a.sarif")} == {
        json.dumps({"uri": "infra/stacks/Pulumi.dev.yml", "uriBaseId": "%SRCROOT%"})}

    other = repo / "elsewhere"
    other.mkdir()
    shutil.copy(project / "stacks" / "Pulumi.dev.yml", other)
    result = CliRunner().invoke(app, [*args, "--stack-dir", str(other), "-o", f"sarif={tmp_path}/b.sarif"])
    assert result.exit_code == 1, result.output
    assert {loc["physicalLocation"]["artifactLocation"]["uri"] for loc in _locations(tmp_path / "b.sarif")} == {
        "elsewhere/Pulumi.dev.yml"}


def test_audit_sarif_has_logical_locations_only(tmp_path):
    """Live deployments are in no file of the repository: no invented stacks/Pulumi.live.yaml."""
    result = CliRunner().invoke(app, ["audit", str(FIXTURES / "arm" / "resource-graph-az.json"), "--as-of",
                                      "2026-12-07", "-o", f"sarif={tmp_path}/a.sarif"])
    assert result.exit_code == 1
    locations = _locations(tmp_path / "a.sarif")
    assert all("physicalLocation" not in loc and loc["logicalLocations"] for loc in locations)
