"""Every judging command prints the catalog's age: one line on stderr, whatever the format, so stdout
stays the report (JSON, SARIF, JUnit, Markdown parse as they are)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from versionguard.cli import app

ROOT = Path(__file__).resolve().parents[1]
SEED = str(ROOT / "tests" / "fixtures" / "arm" / "deployments-seed.json")
LINE = ("versionguard: note: the catalog was last checked against its sources on 2026-12-04, 3 days before the "
        "as-of date 2026-12-07.")


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("VERSIONGUARD_AS_OF", "VERSIONGUARD_CATALOG", "VERSIONGUARD_WAIVERS"):
        monkeypatch.delenv(name, raising=False)


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [*args, "--as-of", "2026-12-07"])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "markdown", "table"])
def test_audit_prints_the_age_on_stderr_only(fmt: str) -> None:
    code, out, err = _run("audit", SEED, "--format", fmt)
    assert code in (0, 1), err
    assert err.splitlines().count(LINE) == 1, err
    assert "last checked against its sources" not in out
    if fmt in ("json", "sarif"):
        json.loads(out)
    elif fmt == "junit":
        ET.fromstring(out)


def test_check_prints_the_age_on_stderr_only() -> None:
    code, out, err = _run("check", "-s", "dev", "--project", str(ROOT), "--format", "sarif")
    assert code in (0, 1), err
    assert err.splitlines().count(LINE) == 1, err
    json.loads(out)


def test_forecast_prints_the_age_on_stderr_only() -> None:
    code, out, err = _run("forecast", "-s", "dev", "--project", str(ROOT), "--format", "json")
    assert code == 0, err
    assert err.splitlines().count(LINE) == 1, err
    assert json.loads(out)["catalog_as_of"] == "2026-12-04"


def test_the_age_counts_days_and_says_one_day() -> None:
    from datetime import date

    from versionguard.core.catalog import catalog_age_line

    assert catalog_age_line(date(2026, 12, 4), date(2026, 12, 5)).endswith(", 1 day before the as-of date 2026-12-05.")
    assert ", 0 days before" in catalog_age_line(date(2026, 12, 4), date(2026, 12, 4))


def test_prod_makes_catalog_freshness_mandatory() -> None:
    """A prod gate on a catalog older than 120 days is not green (issue 18, item 5)."""
    config = json.loads((ROOT / "policies" / "config" / "prod.json").read_text("utf-8"))
    assert config["catalog-freshness"] == {"enforcementLevel": "mandatory", "maxCatalogAgeDays": 120}
    result = CliRunner().invoke(app, ["check", "-s", "prod", "--project", str(ROOT), "--as-of", "2027-04-04",
                                      "--format", "json"])
    assert result.exit_code == 1, result.stderr
    stale = [f for f in json.loads(result.stdout)["findings"] if f["policy"] == "catalog-freshness"]
    assert [(f["level"], f["message"]) for f in stale] == [
        ("mandatory", "the catalog (bundled catalog) was last checked on 2026-12-04, 121 days ago (limit 120).")]
