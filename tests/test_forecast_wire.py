"""``forecast`` reads a program's registrations as ``check`` reads them: from the wire form, where
StackReference outputs are unknown and Pulumi secrets are still marked (fixture program
tests/fixtures/programs/wire, as of 2026-11-22 with the fixture catalog)."""

from __future__ import annotations

import json

from tests.support.cli import PROGRAMS, check_json, versionguard

WIRE = PROGRAMS / "wire"
SKIPPED = "can't be known during preview"


def test_forecast_dates_secret_inputs_without_showing_them_and_skips_unknown_ones() -> None:
    out = versionguard("forecast", "--project", str(WIRE), "--all", "--format", "json")
    assert out.code == 0, out.stderr
    report = json.loads(out.stdout)
    assert [(e["deployment"], e["kind"], e["date"], e["model"], e["version"], e["option"])
            for e in report["events"]] == [
        # model version Output.secret("2024-11-20"): retires 2026-10-01 and Azure moves it to the named
        # replacement gpt-4.1 2025-04-14, another model (lifecycle-2026-10)
        ("secret-version", "cross-model-upgrade", "2026-10-01", "gpt-4o", "[secret]", "OnceCurrentVersionExpired"),
        # the plain app's api-version; the secret app's (the same value) is not read
        ("plain-app", "api-version-unsupported", "2026-12-10", "api-version", "2025-04-01-preview",
         "setting OPENAI_API_VERSION"),
        # versionUpgradeOption Output.secret("NoAutoUpgrade")
        ("secret-option", "stops-working", "2026-12-12", "gpt-5.2", "2025-12-11", "[secret]"),
    ]
    # versionUpgradeOption from a StackReference without --stack-outputs
    assert report["skipped"] == [{"stack": "dev", "deployment": "ref-option",
                                  "reason": "versionUpgradeOption is (unknown), so Azure's behaviour cannot be dated"}]
    assert report["deployments"] == {"dev": 3}
    shown = out.stdout + out.stderr
    assert "2024-11-20" not in shown and "noautoupgrade" not in shown.casefold()
    table = versionguard("forecast", "--project", str(WIRE), "--all")
    assert "[secret]" in table.stdout and "2024-11-20" not in table.stdout + table.stderr


def test_check_judges_the_same_deployments_the_forecast_dates() -> None:
    out = check_json("--project", str(WIRE), "--all")
    assert out.code == 1, out.stderr
    assert {r for r, _, level in out.findings() if level == "mandatory"} == {"secret-version", "secret-option"}
    assert {f["resource"] for f in out.report["findings"] if SKIPPED in f["message"]} == {"ref-option"}
    assert "secret-app" not in {f["resource"] for f in out.report["findings"]}
    assert "2024-11-20" not in out.stdout and "noautoupgrade" not in out.stdout.casefold()
