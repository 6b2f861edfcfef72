"""Session fixtures for the end-to-end tests (marker ``e2e``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import FIXTURES, PROGRAMS, ROOT, Pulumi, copy_project, install_cli, pulumi_env


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def cli_bin() -> Path:
    return install_cli()


@pytest.fixture(scope="session")
def shipped(cli_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pulumi]:
    """The real project (shipped stacks plus the fixture stacks), judged with the bundled catalog."""
    tmp = tmp_path_factory.mktemp("e2e-project")
    project = copy_project(ROOT, tmp / "project", extra_stacks=FIXTURES / "stacks")
    (project / ".venv").symlink_to(ROOT / ".venv")
    yield Pulumi(project, pulumi_env(cli_bin, tmp / "home", tmp / "state"), tmp)


def fixture_program(cli_bin: Path, tmp: Path, source: Path, venv_path: str) -> Pulumi:
    """A fixture program whose Pulumi.yaml names the repo's .venv by a relative ``venv_path``, judged
    with the fixture catalog."""
    project = copy_project(source, tmp / "project")
    text = (project / "Pulumi.yaml").read_text().replace(venv_path, str(ROOT / ".venv"))
    (project / "Pulumi.yaml").write_text(text)
    env = pulumi_env(cli_bin, tmp / "home", tmp / "state", {"VERSIONGUARD_CATALOG": str(FIXTURES / "catalog.yaml")})
    return Pulumi(project, env, tmp)


@pytest.fixture(scope="session")
def raw(cli_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Pulumi:
    """The raw fixture program (no components)."""
    return fixture_program(cli_bin, tmp_path_factory.mktemp("e2e-raw"), FIXTURES / "raw_project", "../../../.venv")


@pytest.fixture(scope="session")
def preview_program(cli_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Pulumi:
    """The invokes-and-computed-outputs fixture program."""
    return fixture_program(cli_bin, tmp_path_factory.mktemp("e2e-preview"), PROGRAMS / "preview", "../../../../.venv")
