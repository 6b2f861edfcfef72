"""`pulumi preview --policy-pack "$(versionguard pack-path)"` on a project that is not this one, with
versionguard installed from its wheel into its own virtualenv (not the project's)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.e2e.harness import FIXTURES, ROOT, Pulumi, copy_project, pulumi_env, violations
from tests.support.wheel import installed_venv


def test_preview_with_the_pack_of_the_installed_wheel(cli_bin: Path, tmp_path: Path) -> None:
    venv = installed_venv(tmp_path / "wheel")
    pack = Path(subprocess.run([str(venv / "bin" / "versionguard"), "pack-path"], capture_output=True, text=True,
                               check=True).stdout.strip())
    assert pack.is_relative_to(venv)
    project = copy_project(FIXTURES / "adopter_project", tmp_path / "project")
    # The program runs in the repo's virtualenv; the pack in the wheel's: two different Pythons.
    text = (project / "Pulumi.yaml").read_text().replace("VIRTUALENV", str(ROOT / ".venv"))
    (project / "Pulumi.yaml").write_text(text)
    pulumi = Pulumi(project, pulumi_env(cli_bin, tmp_path / "home", tmp_path / "state"), tmp_path)
    pulumi.stack_init("dev")
    result = pulumi.run("preview", "--stack", "dev", "--policy-pack", str(pack),
                        env={"VERSIONGUARD_AS_OF": "2026-12-07"})  # on or after the bundled catalog
    assert result.code != 0, result.output  # mandatory violations fail the preview
    found = violations(result)
    assert ("retired-model-version", "legacy-chat", "mandatory") in found, result.output
    assert not {v for v in found if v[1] == "chat" and v[2] == "mandatory"}, found
