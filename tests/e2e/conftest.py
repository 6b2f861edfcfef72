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


@pytest.fixture(scope="session")
def raw(cli_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pulumi]:
    """The raw fixture program (no components), judged with the fixture catalog."""
    tmp = tmp_path_factory.mktemp("e2e-raw")
    project = copy_project(FIXTURES / "raw_project", tmp / "project")
    text = (project / "Pulumi.yaml").read_text().replace("../../../.venv", str(ROOT / ".venv"))
    (project / "Pulumi.yaml").write_text(text)
    env = pulumi_env(cli_bin, tmp / "home", tmp / "state", {"VERSIONGUARD_CATALOG": str(FIXTURES / "catalog.yaml")})
    yield Pulumi(project, env, tmp)


@pytest.fixture(scope="session")
def preview_program(cli_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pulumi]:
    """The invokes-and-computed-outputs fixture program, judged with the fixture catalog."""
    tmp = tmp_path_factory.mktemp("e2e-preview")
    project = copy_project(PROGRAMS / "preview", tmp / "project")
    text = (project / "Pulumi.yaml").read_text().replace("../../../../.venv", str(ROOT / ".venv"))
    (project / "Pulumi.yaml").write_text(text)
    env = pulumi_env(cli_bin, tmp / "home", tmp / "state", {"VERSIONGUARD_CATALOG": str(FIXTURES / "catalog.yaml")})
    yield Pulumi(project, env, tmp)
