"""Fixtures of the lifecycle tests (helpers live in lifecycle_helpers.py)."""

from __future__ import annotations

import pytest
from lifecycle_helpers import SMALL_CATALOG
from typer.testing import CliRunner

from versionguard.adapters.files.catalog_file import load_catalog
from versionguard.core.catalog import Catalog


@pytest.fixture(scope="session")
def small_catalog() -> Catalog:
    return load_catalog(SMALL_CATALOG)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
