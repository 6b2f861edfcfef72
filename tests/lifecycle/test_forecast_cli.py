"""``versionguard forecast`` over the real program's stacks, its output formats and the timeline chart."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from lifecycle_helpers import AS_OF, ROOT, native

from versionguard.cli import app
from versionguard.core.forecast import forecast
from versionguard.reporters.forecast import render
from versionguard.reporters.timeline_chart import write_chart

CATALOG = """schema: 1
as_of: 2026-04-20
models:
  - name: gpt-4.1
    versions:
      - version: "2025-04-14"
        lifecycle: ga
        retirement: 2026-09-30
        retirement_by_sku: {GlobalProvisionedManaged: 2026-07-31}
        upgrade_lead_days: {GlobalStandard: 14}
      - version: "2025-11-01"
        lifecycle: ga
        default: true
        default_since: 2026-05-01
  - name: gpt-4o-mini
    versions:
      - version: "2024-07-18"
        lifecycle: ga
        deprecation: 2026-05-15
        retirement: 2026-06-30
"""
# Hand-computed for as of 2026-05-01 (program: stacks/Pulumi.{dev,prod}.yaml):
PROD = [
    ("2026-05-15", "prod-chat-mini", "deprecation"),
    ("2026-06-30", "prod-chat-mini", "stops-working"),  # no other gpt-4o-mini version: no upgrade target
    ("2026-07-31", "prod-chat-ptu", "migration-required"),  # per-SKU date of GlobalProvisionedManaged
    ("2026-09-16", "prod-chat", "upgrade-on-expiry"),  # 2026-09-30 - 14 lead days (GlobalStandard)
    ("2026-09-16", "prod-chat-failover", "upgrade-on-expiry"),
]
DEV = [("2026-05-01", "dev-chat", "auto-upgrade")]  # new default since 2026-05-01: moves by + 14 days


@pytest.fixture
def catalog(tmp_path):
    path = tmp_path / "catalog.yaml"
    path.write_text(CATALOG, "utf-8")
    return path


def invoke(runner, catalog, *args: str):
    return runner.invoke(app, ["forecast", "--project", str(ROOT), "--catalog", str(catalog),
                               "--as-of", "2026-05-01", *args])


def test_prod_and_dev_json(runner, catalog):
    result = invoke(runner, catalog, "--stack", "prod", "--stack", "dev", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["as_of"], data["horizon_days"], data["catalog_as_of"], data["stacks"]) == (
        "2026-05-01", 180, "2026-04-20", ["prod", "dev"])
    got = [(e["date"], e["deployment"], e["kind"]) for e in data["events"]]
    assert got == sorted(PROD[:1] + DEV + PROD[1:], key=lambda t: (t[0], "dev" if t[1].startswith("dev") else "prod"))
    ptu = next(e for e in data["events"] if e["deployment"] == "prod-chat-ptu")
    assert (ptu["stack"], ptu["model"], ptu["version"], ptu["sku"], ptu["option"], ptu["days_from_as_of"]) == (
        "prod", "gpt-4.1", "2025-04-14", "GlobalProvisionedManaged", "NoAutoUpgrade", 91)
    skipped = {(s["stack"], s["deployment"]) for s in data["skipped"]}
    assert skipped == {("prod", "prod-embed"), ("dev", "dev-embed"), ("dev", "dev-chat-next")}


def test_horizon_and_all_stacks(runner, catalog):
    result = invoke(runner, catalog, "--all", "--horizon", "60", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["stacks"] == ["dev", "prod", "staging"]
    assert all(e["days_from_as_of"] <= 60 for e in data["events"])
    assert ("2026-06-30", "prod-chat-mini", "stops-working") in {
        (e["date"], e["deployment"], e["kind"]) for e in data["events"]}


def test_table_and_markdown_output(runner, catalog, tmp_path):
    result = invoke(runner, catalog, "--stack", "prod")
    assert result.exit_code == 0
    assert "forecast of prod as of 2026-05-01, horizon 180 days" in result.stdout
    assert "migration required" in result.stdout and "not forecast: prod/prod-embed" in result.stdout
    out = tmp_path / "f.md"
    result = invoke(runner, catalog, "--stack", "prod", "-f", "markdown", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert text.startswith("## versionguard forecast as of 2026-05-01")
    assert "| 2026-07-31 | in 91 d | prod | prod-chat-ptu |" in text
    assert "forecast of prod" in result.stderr  # the table summary goes to the terminal


def test_chart_option_writes_svg(runner, catalog, tmp_path):
    import matplotlib  # noqa: F401  (a core dependency: a missing chart library is a failure, not a skip)
    chart = tmp_path / "timeline.svg"
    result = invoke(runner, catalog, "--stack", "prod", "-f", "json", "--chart", str(chart))
    assert result.exit_code == 0, result.output
    assert "chart written" in result.stderr and "<svg" in chart.read_text("utf-8")


@pytest.mark.parametrize(("args", "needle"), [
    (["--stack", "prod", "--format", "sarif"], "--format"),
    (["--stack", "prod", "--horizon", "-1"], "--horizon"),
    (["--stack", "prod", "--chart", "x.gif"], ".svg or .png"),
    ([], "--stack/--all"),
    (["--stack", "prod", "--all"], "--stack/--all"),
    (["--stack", "nosuch"], "Pulumi.nosuch.yaml"),
    (["--stack", "prod", "--as-of", "2026-02-30"], "--as-of"),
])
def test_bad_input_exits_2(runner, catalog, args, needle):
    result = runner.invoke(app, ["forecast", "--project", str(ROOT), "--catalog", str(catalog), *args])
    assert result.exit_code == 2, result.output
    assert needle in result.stderr


def test_the_environment_is_read_as_for_check(runner, catalog, tmp_path, monkeypatch):
    """forecast loads its runtime as check does: a bad VERSIONGUARD_* variable is exit 2 naming it."""
    monkeypatch.setenv("VERSIONGUARD_WAIVERS", str(tmp_path / "missing.yaml"))
    result = invoke(runner, catalog, "--stack", "prod")
    assert result.exit_code == 2 and "VERSIONGUARD_WAIVERS" in result.stderr


def test_bad_catalog_exits_2(runner, tmp_path):
    bad = tmp_path / "c.yaml"
    bad.write_text("schema: 2\n", "utf-8")
    result = runner.invoke(app, ["forecast", "--project", str(ROOT), "--catalog", str(bad), "--stack", "prod"])
    assert result.exit_code == 2 and "c.yaml" in result.stderr


def test_chart_png_with_overdue_and_no_events(small_catalog, tmp_path):
    import matplotlib  # noqa: F401  (a core dependency: a missing chart library is a failure, not a skip)
    recs = {"prod": [native("gpt-4.1", "2025-01-01", "GlobalStandard", "OnceNewDefaultVersionAvailable", "late"),
                     native("gpt-4o", "2024-05-13", "ProvisionedManaged", "NoAutoUpgrade", "ptu"),
                     native("o9-preview", "1", "Standard", "NoAutoUpgrade", "preview")]}
    result = forecast(recs, small_catalog, AS_OF, 180)
    png = tmp_path / "t.png"
    write_chart(result, png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    empty = forecast({"dev": []}, small_catalog, AS_OF, 30)
    write_chart(empty, tmp_path / "empty.svg")
    assert "No lifecycle events" in (tmp_path / "empty.svg").read_text("utf-8")


def test_render_formats_share_the_events(small_catalog):
    result = forecast({"prod": [native("gpt-4o", "2024-05-13", "Standard", "NoAutoUpgrade", "chat")]},
                      small_catalog, AS_OF, 180)
    assert json.loads(render(result, "json"))["events"][1]["kind"] == "stops-working"
    assert "stops working" in render(result, "table") and "stops working" in render(result, "markdown")
    assert render(result, "table").count("prod/chat") == 2
    assert result.horizon_end == AS_OF + dt.timedelta(days=180)
