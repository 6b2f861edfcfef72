"""`versionguard fix` on generated projects: traced places, byte-exact edits, dry run, apply, re-check.

The project template (tests/fixtures/fix/project) is copied to a temporary directory; its values come
from every place fix handles: a list of accounts/deployments under one config key (flow style, double
quotes), a nested object (plain and single quotes), literals in ``__main__.py``, a literal of a
component module shared by two stacks, plus a computed value, a secret and a model with no target.
The fixture catalog (tests/fixtures/fix/catalog.yaml) and ``--as-of 2026-11-22`` make targets exact.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.support import ROOT
from tests.support.fix_project import EDITED, FIX, GOLDEN, check, fix, make_project
from versionguard.cli import app


def snapshot(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in sorted(project.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def applied(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str, str, str]:
    """One --apply of every stack (programs run three times each: check, trace, re-check)."""
    tmp = tmp_path_factory.mktemp("fix")
    project = make_project(tmp)
    code, out, err = fix(project, "--all", "--apply", "--pr-body", str(tmp / "pr.md"))
    return project, code, out, err, (tmp / "pr.md").read_text()


def test_dry_run_prints_the_diff_and_changes_nothing(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    before = snapshot(project)
    code, out, err = fix(project, "--all")
    assert snapshot(project) == before
    # Fix-by-hand findings remain, so the dry run's verdict is 1 (as check's would be).
    assert code == 1, err
    for name in EDITED:
        assert f"--- a/{name}\n+++ b/{name}\n" in out
    assert '-        - {name: list-chat, model: {name: gpt-4o, version: "2024-05-13"}}' in out
    assert '+        - {name: list-chat, model: {name: gpt-4o, version: "2024-11-20"}}' in out
    assert "dry run: nothing written" in err
    # The diff is a patch git applies: stdout carries nothing else.
    assert all(line[:1] in {"-", "+", " ", "@", "\\"} for line in out.splitlines())


def test_apply_gives_exactly_the_golden_files(applied: tuple[Path, int, str, str, str]) -> None:
    project, _code, _, _err, _ = applied
    template = snapshot(FIX / "project")
    now = snapshot(project)
    for name, data in now.items():
        if name in EDITED:
            assert data == (GOLDEN / name).read_bytes(), name
        elif name != "Pulumi.yaml":
            assert data == template[name], f"{name} must not change"


def test_apply_rechecks_and_lists_what_is_left(applied: tuple[Path, int, str, str, str]) -> None:
    project, code, _, err, _ = applied
    assert code == 1  # the fix-by-hand deployments remain
    assert "re-check: 3 mandatory finding(s) left" in err
    for name in ("list-embed", "computed", "secret-version"):
        assert f"left alpha/{name}" in err
    # What fix claimed to resolve is resolved: a fresh check has mandatory findings only on the by-hand ones.
    _, report = check(project, "--all")
    left = {(f["stack"], f["resource"]) for f in report["findings"] if f["level"] == "mandatory" and not f["waived"]}
    assert left == {("alpha", "list-embed"), ("alpha", "computed"), ("alpha", "secret-version")}


def test_fix_by_hand_reasons(applied: tuple[Path, int, str, str, str]) -> None:
    _, _, _, err, body = applied
    assert "fix by hand alpha/list-embed: the catalog lists no newer GA version of text-embedding-ada-002" in err
    assert "fix by hand alpha/secret-version: model.version: it is a secret" in err
    assert "fix by hand alpha/computed: model.version: it does not come from the stack file or a string literal" \
        in err
    assert "### Fix by hand" in body


def test_targets_and_risks_in_the_summary_and_pr_body(applied: tuple[Path, int, str, str, str]) -> None:
    _, _, _, err, body = applied
    assert "move alpha/list-chat: gpt-4o 2024-05-13 -> gpt-4o 2024-11-20" in err
    # The named replacement without a version: that model's default; both name and version edited.
    assert "move alpha/nested-chat: gpt-35-turbo 0125 -> gpt-4o-mini 2024-07-18 [CROSS-MODEL MOVE" in err
    assert "move alpha/main-legacy: gpt-4 0613 -> gpt-4.1 2025-04-14 [CROSS-MODEL MOVE" in err
    assert "move beta/beta-chat: gpt-4o 2024-08-06 -> gpt-4o 2024-11-20" in err
    assert "[provisioned: a migration you run]" in err
    # One literal, two stacks: one edit.
    assert err.count("edit fleet/defaults.py line 7, column 18: string literal: model.version 2024-08-06 -> "
                     "2024-11-20") == 1
    assert "**Cross-model move**" in body and "**Provisioned deployment**" in body
    assert "fix-schedule: Fix test retirement schedule" in body  # dates with their source ids
    assert "retirement 2026-06-01" in body and "retirement 2027-10-01" in body
    assert "Re-check after the edits: **3** mandatory finding(s) left." in body


def test_never_a_preview_for_a_ga_deployment(applied: tuple[Path, int, str, str, str]) -> None:
    _, _, _out, err, _ = applied
    assert "2025-01-01" not in err  # gpt-4o 2025-01-01 is a newer preview: never chosen


def test_apply_on_a_stack_with_only_fixable_findings_exits_0(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    code, _, err = fix(project, "--stack", "beta", "--apply")
    assert code == 0, err
    assert "re-check: 0 mandatory finding(s) left" in err
    assert (project / "stacks/Pulumi.beta.yaml").read_bytes() == (GOLDEN / "stacks/Pulumi.beta.yaml").read_bytes()


def test_a_file_changed_between_plan_and_apply_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from versionguard.commands import fix as fix_command

    project = make_project(tmp_path)
    planned = fix_command.plan_fix

    def plan_then_edit(*args, **kwargs):
        plan = planned(*args, **kwargs)
        with (project / "stacks/Pulumi.beta.yaml").open("a") as f:
            f.write("# edited by someone else\n")
        return plan

    monkeypatch.setattr(fix_command, "plan_fix", plan_then_edit)
    code, _, err = fix(project, "--stack", "beta", "--apply")
    assert code == 2
    assert "Pulumi.beta.yaml" in err and "changed on disk" in err
    assert "'2024-08-06'" in (project / "stacks/Pulumi.beta.yaml").read_text()  # nothing written


def test_bad_input_is_refused_like_check(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "stacks/Pulumi.beta.yaml").write_text("config: [unclosed\n")
    code, out, err = fix(project, "--all")
    assert code == 2 and out == ""
    assert "Pulumi.beta.yaml" in err
    code, _, err = fix(project)  # neither --stack nor --all
    assert code == 2 and "--stack" in err


def test_the_readme_shows_a_real_dry_run() -> None:
    """The README's dry run is this command's output, byte for byte (run from the repository root)."""
    import os
    import re

    readme = (ROOT / "README.md").read_text()
    shown = readme.split("A real dry run (`")[1]
    command = " ".join(shown.split("`", 1)[0].split())
    args = command.split()[2:]  # after "versionguard fix"
    diff, summary = re.findall(r"```(?:diff|text)\n(.*?)```", shown, re.DOTALL)[:2]
    before = Path.cwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(app, ["fix", *args])
    finally:
        os.chdir(before)
    assert result.exit_code == 1
    assert result.stdout == diff
    assert result.stderr == summary
