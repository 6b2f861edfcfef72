"""``forecast`` lists the day an api-version an app uses leaves support or retires (core.api_forecast),
next to the deployments' events; unknown api-versions have no event; past events say so."""

from __future__ import annotations

import datetime as dt
import json

from typer.testing import CliRunner

from tests.support import AS_OF as CLI_AS_OF
from tests.support import ROOT
from tests.unit.api_kit import api_catalog, app
from tests.unit.testkit import AS_OF, day
from versionguard.cli import app as cli
from versionguard.core.api_forecast import api_version_events
from versionguard.core.api_usage import scan
from versionguard.core.forecast import API_RETIRED as RETIRED
from versionguard.core.forecast import API_UNSUPPORTED as UNSUPPORTED
from versionguard.core.forecast import KINDS, forecast, kind_label

FIXTURES = ROOT / "tests" / "fixtures"


def scans_of(*values: str) -> dict[str, list]:
    out = []
    for i, value in enumerate(values):
        type_, props = app("container-app", value)
        out.append(scan(type_, props, f"app{i}"))
    return {"dev": out}


def test_support_end_and_retirement_within_the_horizon() -> None:
    events = api_version_events(scans_of("2025-03-01-preview", "2024-09-01-preview", "2024-10-21", "2031-01-01"),
                                api_catalog(), AS_OF, 30)
    got = [(e.deployment, e.version, e.kind, e.date, e.days_from_as_of) for e in events]
    assert got == [("app0", "2025-03-01-preview", UNSUPPORTED, day(1), 1),
                   ("app1", "2024-09-01-preview", UNSUPPORTED, day(-30), -30),
                   ("app1", "2024-09-01-preview", RETIRED, day(0), 0)]
    assert "PAST (30 days ago)" in events[1].detail and "template.containers[0].env[1]" in events[0].detail
    assert events[0].option == "setting OPENAI_API_VERSION" and events[0].model == "api-version"


def test_api_version_event_kinds_have_the_one_legend_label() -> None:
    events = api_version_events(scans_of("2024-09-01-preview"), api_catalog(), AS_OF, 30)
    assert [(e.kind, kind_label(e.kind)) for e in events] == [(UNSUPPORTED, "api-version unsupported"),
                                                              (RETIRED, "api-version retired")]
    assert {e.kind for e in events} <= set(KINDS)


def test_horizon_cuts_future_events() -> None:
    assert api_version_events(scans_of("2025-03-01-preview"), api_catalog(), AS_OF, 0) == []


def test_merged_into_the_forecast_in_date_order() -> None:
    catalog = api_catalog()
    extra = api_version_events(scans_of("2025-03-01-preview"), catalog, AS_OF, 30)
    result = forecast({"dev": []}, catalog, AS_OF, 30, extra=extra)
    assert [e.kind for e in result.events] == [UNSUPPORTED]
    assert result.to_json()["events"][0]["model"] == "api-version"


def test_cli_forecast_lists_the_app_event() -> None:
    result = CliRunner().invoke(cli, ["forecast", "--project", str(FIXTURES / "raw_project"), "--all",
                                      "--catalog", str(FIXTURES / "catalog.yaml"), "--as-of", CLI_AS_OF,
                                      "--horizon", "30", "--format", "json"])
    assert result.exit_code == 0, result.output
    events = [e for e in json.loads(result.stdout)["events"] if e["kind"].startswith("api-version")]
    assert [(e["deployment"], e["version"], e["kind"], e["date"]) for e in events] == [
        ("raw-web-app", "2024-02-15-preview", UNSUPPORTED, "2024-07-01")]
    table = CliRunner().invoke(cli, ["forecast", "--project", str(FIXTURES / "raw_project"), "--all", "--catalog",
                                     str(FIXTURES / "catalog.yaml"), "--as-of", CLI_AS_OF, "--horizon", "30"])
    assert "1 api-version events" in table.output and "api-version unsupported" in table.output


def test_shipped_stacks_have_no_api_version_events() -> None:
    result = CliRunner().invoke(cli, ["forecast", "--all", "--as-of", "2026-12-07", "--horizon", "3650",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    assert not [e for e in json.loads(result.stdout)["events"] if e["kind"].startswith("api-version")]
    assert dt.date.fromisoformat(json.loads(result.stdout)["as_of"]) == dt.date(2026, 12, 7)
