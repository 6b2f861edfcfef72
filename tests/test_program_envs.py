"""Which Python runs a program, and the pulumi SDK versions the runner works with.

The environments are built once by tests/support/environments.py and cached outside the repo:
pulumi 3.187.0 (about a year before the pinned 3.259.0) and 3.259.0, both with pulumi-azure-native
3.8.0 (versionguard itself has 3.29.0), and a uv project. A fake `poetry` (a test double in
tests/support/fake_poetry) stands in for poetry's `env info --path`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.cli import PROGRAMS, ROOT, check, check_json
from tests.support.environments import pip_venv, uv_project

SDK_VENVS = ["pulumi-3.187.0", "pulumi-3.259.0"]
FAKE_POETRY = Path(__file__).parent / "support" / "fake_poetry"


@pytest.fixture(scope="module", params=SDK_VENVS)
def sdk_venv(request: pytest.FixtureRequest) -> Path:
    return pip_venv(request.param)


def own_env_project(tmp_path: Path, virtualenv: Path | None) -> Path:
    project = tmp_path / "own_env"
    shutil.copytree(PROGRAMS / "own_env", project)
    text = (project / "Pulumi.yaml").read_text()
    # Without one, drop the key (not a second `toolchain:`: a duplicate key is an error, as in Pulumi).
    replacement = f"\n    virtualenv: {virtualenv}" if virtualenv else ""
    (project / "Pulumi.yaml").write_text(text.replace("\n    virtualenv: venv", replacement))
    return project


@pytest.mark.parametrize(("project", "stack", "expected"), [
    ("preview", "parity", {("pv-retired", "retired-model-version", "mandatory"),
                           ("pv-noauto", "no-auto-upgrade-near-retirement", "mandatory")}),
    ("preview", "invokes", {("inv-known", "no-auto-upgrade-near-retirement", "mandatory")}),
    ("behaviours", "transforms", {("tr-direct", "no-auto-upgrade-near-retirement", "mandatory"),
                                  ("team-chat", "retired-model-version", "mandatory")}),
    ("behaviours", "secrets", {("secret-noauto", "no-auto-upgrade-near-retirement", "mandatory")}),
    ("stackref", "dev", set()),
])
def test_each_sdk_version_gives_the_verdict_of_the_pinned_one(sdk_venv: Path, project: str, stack: str,
                                                             expected: set[tuple[str, str, str]]) -> None:
    """The same program and stack judged in another SDK's environment: same findings as in
    versionguard's own environment (the pinned SDK), including the unknowns."""
    args = ["--project", str(PROGRAMS / project), "--stack", stack]
    reference = check_json(*args)
    other = check_json(*args, "--python", str(sdk_venv / "bin" / "python"))
    assert other.code == reference.code, other.stderr
    assert other.report["findings"] == reference.report["findings"]
    assert {f for f in other.findings() if f[2] == "mandatory"} == expected
    run = other.run(stack)
    assert run["python"] == str(sdk_venv / "bin" / "python") and run["python_source"].startswith("--python")


def test_project_venv_with_another_pulumi_azure_native(tmp_path: Path) -> None:
    venv = pip_venv("pulumi-3.259.0")
    out = check_json("--project", str(own_env_project(tmp_path, venv)), "--all")
    assert out.code == 1, out.stderr
    assert out.report["summary"]["deployments"] == 2
    assert out.findings() == {("own-retired", "retired-model-version", "mandatory"),
                              ("own-noauto", "no-auto-upgrade-near-retirement", "mandatory")}
    assert out.run("dev")["python"] == str(venv / "bin" / "python")
    assert out.run("dev")["python_source"] == f"Pulumi.yaml runtime.options.virtualenv ({venv})"
    assert "pulumi 3.259.0, pulumi-azure-native 3.8.0" in out.stderr  # the program's own print, on stderr


def test_without_a_virtualenv_versionguards_own_python_runs_the_program(tmp_path: Path) -> None:
    out = check_json("--project", str(own_env_project(tmp_path, None)), "--all")
    assert out.code == 2
    assert "ran with pulumi-azure-native 3.29.0; the project pins 3.8.0" in out.stderr
    assert out.run("dev")["python_source"] == "versionguard's own Python (Pulumi.yaml names no virtualenv)"


def test_uv_project_runs_in_its_uv_environment() -> None:
    project = uv_project(PROGRAMS / "uv_project")
    out = check_json("--project", str(project), "--all")
    assert out.code == 1, out.stderr
    assert out.findings() == {("uv-retired", "retired-model-version", "mandatory")}
    assert out.report["summary"]["deployments"] == 2
    assert out.run("dev")["python"] == str(project / ".venv" / "bin" / "python")
    assert out.run("dev")["python_source"] == f"uv environment {project / '.venv'}"
    assert f"running on {project / '.venv'}" in out.stderr


def test_poetry_project_runs_in_the_environment_poetry_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = own_env_project(tmp_path, None)
    (project / "Pulumi.yaml").write_text((project / "Pulumi.yaml").read_text().replace("toolchain: pip",
                                                                                         "toolchain: poetry"))
    venv = pip_venv("pulumi-3.259.0")
    monkeypatch.setenv("PATH", f"{FAKE_POETRY}:{Path('/usr/bin')}:{Path('/bin')}")
    monkeypatch.setenv("FAKE_POETRY_ENV", str(venv))
    out = check_json("--project", str(project), "--all")
    assert out.code == 1, out.stderr
    assert out.run("dev")["python_source"] == f"poetry environment {venv}"
    monkeypatch.delenv("FAKE_POETRY_ENV")
    missing = check("--project", str(project), "--all")
    assert missing.code == 2 and "run `poetry install` in the project, or pass --python" in missing.stderr
    monkeypatch.setenv("PATH", "/nonexistent")
    absent = check("--project", str(project), "--all")
    assert absent.code == 2 and "runtime.options.toolchain: expected poetry on PATH" in absent.stderr


@pytest.mark.parametrize(("options", "needle"), [
    ("toolchain: pip\n    virtualenv: missing-venv",
     "Pulumi.yaml: runtime.options.virtualenv: expected an existing virtualenv at {root}/missing-venv: run "
     "`python3 -m venv {root}/missing-venv`"),
    ("toolchain: uv", "Pulumi.yaml: runtime.options.toolchain: expected an existing virtualenv at {root}/.venv: "
                      "run `uv sync` in the project"),
    ("toolchain: conda", "runtime.options.toolchain: expected one of pip, uv, poetry, got 'conda'"),
])
def test_a_missing_environment_is_exit_2_saying_how_to_create_it(tmp_path: Path, options: str, needle: str) -> None:
    project = tmp_path / "p"
    shutil.copytree(PROGRAMS / "uv_project", project, ignore=shutil.ignore_patterns(".venv", "uv.lock"))
    text = (project / "Pulumi.yaml").read_text().replace("toolchain: uv", options)
    (project / "Pulumi.yaml").write_text(text)
    out = check("--project", str(project), "--all")
    assert out.code == 2
    assert needle.format(root=project) in out.stderr
    assert "Traceback" not in out.stderr


def test_python_flag_takes_an_interpreter_or_a_virtualenv(tmp_path: Path) -> None:
    args = ["--project", str(PROGRAMS / "behaviours"), "--stack", "plain"]
    by_dir = check_json(*args, "--python", str(ROOT / ".venv"))
    assert by_dir.code == 0 and by_dir.run("plain")["python"] == str(ROOT / ".venv" / "bin" / "python")
    missing = check(*args, "--python", str(tmp_path / "nope" / "python"))
    assert missing.code == 2 and "--python: expected an existing, executable Python interpreter" in missing.stderr
    no_pulumi = tmp_path / "bare"
    import venv

    venv.create(no_pulumi, with_pip=False)
    bare = check(*args, "--python", str(no_pulumi))
    assert bare.code == 2
    assert "expected a Python environment with the `pulumi` package" in bare.stderr


def test_an_interpreter_that_cannot_run_is_exit_2_naming_it_never_a_traceback(tmp_path: Path) -> None:
    """--python DIR whose bin/python is not executable, a virtualenv named in Pulumi.yaml likewise, and an
    executable file that is no program (exec format error when started)."""
    args = ["--project", str(PROGRAMS / "behaviours"), "--stack", "plain"]
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("#!/bin/sh\n")
    (venv / "bin" / "python").chmod(0o644)
    by_dir = check(*args, "--python", str(venv))
    assert by_dir.code == 2, by_dir.stderr
    assert (f"{venv}: --python: expected a Python interpreter or a virtualenv directory with an executable "
            f"bin/python, got '{venv}/bin/python is not executable'") in by_dir.stderr

    project = own_env_project(tmp_path, venv)
    named = check("--project", str(project), "--all")
    assert named.code == 2, named.stderr
    assert f"runtime.options.virtualenv: expected an existing virtualenv at {venv}" in named.stderr
    assert f"got '{venv}/bin/python is not executable'" in named.stderr

    garbage = tmp_path / "garbage"
    garbage.write_bytes(b"\x00\x01 not a program")
    garbage.chmod(0o755)
    started = check(*args, "--python", str(garbage))
    assert started.code == 2, started.stderr
    assert (f"{garbage}: (interpreter): expected a Python interpreter that can be started to run the program, "
            "got 'Exec format error'") in started.stderr
    for out in (by_dir, named, started):
        assert "Traceback" not in out.stderr and "internal error" not in out.stderr


def test_a_poetry_that_cannot_run_or_hangs_is_exit_2_naming_the_toolchain(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from versionguard.adapters.program import project_python as python_env

    project = own_env_project(tmp_path, None)
    (project / "Pulumi.yaml").write_text((project / "Pulumi.yaml").read_text().replace("toolchain: pip",
                                                                                         "toolchain: poetry"))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    poetry = bin_dir / "poetry"
    poetry.write_text("#!/nonexistent/interpreter\n")  # on PATH and executable, but exec fails
    poetry.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    broken = check("--project", str(project), "--all")
    assert broken.code == 2, broken.stderr
    assert (f"Pulumi.yaml: runtime.options.toolchain: expected a poetry that answers `poetry env info --path` "
            f"(the project uses poetry), or pass --python, got '{poetry} could not be run: No such file or "
            "directory'") in broken.stderr

    poetry.write_text("#!/bin/sh\nexec sleep 30\n")
    monkeypatch.setattr(python_env, "POETRY_TIMEOUT", 0.5)
    hung = check("--project", str(project), "--all")
    assert hung.code == 2, hung.stderr
    assert f"got '{poetry} did not answer within 0.5 s'" in hung.stderr
    for out in (broken, hung):
        assert "Traceback" not in out.stderr
