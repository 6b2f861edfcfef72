"""`versionguard fix` proves where a value comes from, or leaves it to a person with the reason.

The edge project (tests/fixtures/fix/edge, copied to a temporary directory) holds the cases a text
match would get wrong: two literals with the same text (only one reaches the deployment), a literal
that also sets another property, one literal serving two deployments whose targets differ, a value
from a data file, and a stack whose program rejects the trace run's markers.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.support.cli import ROOT
from tests.support.fix_project import fix

EDGE = ROOT / "tests" / "fixtures" / "fix" / "edge"


def edge_project(tmp_path: Path) -> Path:
    project = tmp_path / "edge"
    shutil.copytree(EDGE, project)
    spec = project / "Pulumi.yaml"
    spec.write_text(spec.read_text().replace("VENV_PLACEHOLDER", str(ROOT / ".venv")))
    return project


def test_of_two_equal_literals_only_the_one_that_reaches_the_deployment_is_edited(tmp_path: Path) -> None:
    project = edge_project(tmp_path)
    code, out, err = fix(project, "--stack", "edge")
    assert code == 1, err
    assert out.count("\n-") == 1 and out.count("\n+") == 1 + 1  # the +++ header and one line
    assert '-VERSIONS = {"one": "2024-05-13", "two": "2024-05-13"}' in out
    assert '+VERSIONS = {"one": "2024-05-13", "two": "2024-11-20"}' in out
    assert "edit __main__.py line 24, column 41: string literal: model.version 2024-05-13 -> 2024-11-20" in err


def test_untraceable_values_are_fix_by_hand_with_the_reason(tmp_path: Path) -> None:
    project = edge_project(tmp_path)
    _, _, err = fix(project, "--stack", "edge")
    assert ("fix by hand edge/tagged: __main__.py line 28, column 10: string literal also sets "
            "properties.raiPolicyName of tagged in stack edge") in err
    for name in ("std", "ptu"):  # per-SKU dates: gpt m2 Standard -> 2024-06-01, ProvisionedManaged -> 2024-03-01
        assert (f"fix by hand edge/{name}: __main__.py line 32, column 10: string literal serves deployments that "
                "need different values") in err
    assert "fix by hand edge/from-data: model.version: it does not come from the stack file or a string literal" in err


def test_a_failed_trace_run_refuses_shared_literals_in_every_stack(tmp_path: Path) -> None:
    project = edge_project(tmp_path)
    before = (project / "__main__.py").read_bytes()
    code, out, err = fix(project, "--all", "--apply")
    assert out == "" and (project / "__main__.py").read_bytes() == before
    assert code == 1
    assert "fix by hand strict/picked: model.version: the trace run with marked values failed" in err
    assert "and the trace run of stack strict failed, so its other uses cannot be ruled out" in err
    assert "re-check: 10 mandatory finding(s) left" in err
