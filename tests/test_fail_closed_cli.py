"""The CLI fails closed on the inputs and outputs DESIGN's "Fail closed, everywhere" names: a padded
catalog version, a catalog dated in the future, missing explicit paths, unwritable outputs and dates at
the calendar's edge end in exit 2 naming the problem (or a clean result), never a pass or a traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.support import ROOT
from versionguard.cli import app

FIX = ROOT / "tests" / "fixtures"
LIVE = FIX / "arm" / "deployments-seed.json"
MODELS = FIX / "arm" / "models-list-spec.json"
VIOLATIONS = ["check", "-s", "violations", "--project", str(ROOT), "--stack-dir", str(FIX / "stacks"),
              "--as-of", "2026-12-07"]


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


# --- catalog -------------------------------------------------------------------------------------------

def test_a_padded_catalog_version_is_an_error_not_a_silent_pass(tmp_path: Path) -> None:
    """'2025-12-11 ' never matched gpt-5.2 2025-12-11, so the NoAutoUpgrade deployment retiring in 20 days
    got only an advisory 'not in the catalog' and the check passed its mandatory rule."""
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text((FIX / "catalog.yaml").read_text("utf-8").replace('"2025-12-11"', '"2025-12-11 "'))
    code, _, err = invoke(*VIOLATIONS, "--catalog", str(catalog), "-f", "json")
    assert code == 2
    assert err.startswith(f"versionguard: error: {catalog}: models[4] gpt-5.2 > versions[0] 2025-12-11  > "
                          "version: expected non-empty text without surrounding whitespace")


@pytest.mark.parametrize("padded", ["name: gpt-5.2", "Standard: 2026-03-31"])
def test_padded_model_names_and_sku_keys_are_errors(tmp_path: Path, padded: str) -> None:
    catalog = tmp_path / "catalog.yaml"
    key, value = padded.split(": ")
    replacement = f"'{key} ': {value}" if key == "Standard" else f"{key}: ' {value}'"
    catalog.write_text((FIX / "catalog.yaml").read_text("utf-8").replace(padded, replacement))
    code, _, err = invoke("audit", str(LIVE), "--as-of", "2026-12-07", "--catalog", str(catalog))
    assert code == 2 and err.startswith(f"versionguard: error: {catalog}: models[")


@pytest.mark.parametrize("command", [["check", "--all", "--project", str(ROOT)], ["audit", str(LIVE)],
                                     ["forecast", "--all", "--project", str(ROOT)]])
def test_a_catalog_dated_after_the_as_of_date_is_an_error(command: list[str]) -> None:
    """A future as_of kept catalog-freshness quiet for ever (the bundled catalog is as of 2026-12-04)."""
    code, _, err = invoke(*command, "--as-of", "2026-01-01")
    assert code == 2
    assert err == ("versionguard: error: bundled catalog: as_of: expected a date on or before the as-of date "
                   "2026-01-01, got '2026-12-04'\n")


# --- explicit paths ----------------------------------------------------------------------------------------

MISSING = "/nonexistent/versionguard-input"


@pytest.mark.parametrize("args", [
    ["check", "--all", "--project", str(ROOT), "--catalog", MISSING],
    ["check", "--all", "--project", str(ROOT), "--waivers", MISSING],
    ["check", "--all", "--project", MISSING],
    ["check", "--all", "--project", str(ROOT), "--stack-dir", MISSING],
    ["forecast", "--all", "--project", str(ROOT), "--catalog", MISSING],
    ["audit", MISSING],
    ["audit", str(LIVE), "--policy-config", MISSING],
    ["audit", str(LIVE), "--catalog", MISSING],
    ["audit", str(LIVE), "--waivers", MISSING],
    ["catalog", "import", MISSING],
    ["catalog", "import", str(MODELS), "--previous", MISSING],
    ["catalog", "diff", MISSING, "@bundled"],
    ["catalog", "diff", "@bundled", MISSING],
], ids=lambda args: "-".join(a for a in args if a.startswith("-") or a.isalpha())[:60])
def test_an_explicit_path_that_does_not_exist_is_an_error(args: list[str]) -> None:
    code, _, err = invoke(*args, "--as-of", "2026-12-07") if args[0] != "catalog" or args[1] == "import" \
        else invoke(*args)
    assert code == 2
    assert err.startswith("versionguard: error: ") and MISSING in err


# --- outputs -------------------------------------------------------------------------------------------------

def _unwritable(tmp_path: Path) -> list[Path]:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    targets = [tmp_path, tmp_path / "a-file" / "below-a-file.json"]
    (tmp_path / "a-file").write_text("x")
    if os.geteuid() != 0:  # root writes anywhere: only directories and files-as-directories stop it
        targets.append(locked / "report.json")
    return targets


@pytest.mark.parametrize("command", [
    ["check", "-s", "dev", "--project", str(ROOT), "--as-of", "2026-12-07"],
    ["audit", str(LIVE), "--as-of", "2026-12-07"],
    ["forecast", "-s", "dev", "--project", str(ROOT), "--as-of", "2026-12-07"],
    ["catalog", "diff", "@bundled", "@bundled"],
    ["catalog", "import", str(MODELS), "--as-of", "2026-12-07"],
], ids=["check", "audit", "forecast", "diff", "import"])
def test_an_unwritable_output_is_exit_2_naming_it(tmp_path: Path, command: list[str]) -> None:
    for target in _unwritable(tmp_path):
        code, _, err = invoke(*command, "-o", str(target))
        assert code == 2, (target, err)
        assert f"versionguard: error: {target}: --output: expected a writable file path, got " in err, err


def test_an_unwritable_chart_is_exit_2_naming_it(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    target = tmp_path / "a-file" / "chart.svg"
    code, _, err = invoke("forecast", "-s", "dev", "--project", str(ROOT), "--as-of", "2026-12-07", "--chart",
                          str(target))
    assert code == 2 and err.startswith(f"versionguard: error: {target}: --chart: expected a writable file path")


def test_reports_and_charts_share_one_output_writer(tmp_path: Path) -> None:
    """Text and bytes, parents created; an unwritable path is an InputError naming it and the flag."""
    from versionguard.adapters.files.output_file import write_output
    from versionguard.core.errors import InputError

    write_output(tmp_path / "new" / "report.md", "é\n")
    write_output(tmp_path / "chart.png", b"\x89PNG", "--chart")
    assert (tmp_path / "new" / "report.md").read_bytes() == "é\n".encode() and \
        (tmp_path / "chart.png").read_bytes() == b"\x89PNG"
    for target in _unwritable(tmp_path):
        with pytest.raises(InputError) as caught:
            write_output(target, b"x", "--chart")
        assert (caught.value.source, caught.value.key, caught.value.expected) == (str(target), "--chart",
                                                                                  "a writable file path")


# --- dates at the calendar's edge ------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["--as-of", "9999-12-31"], ["--as-of", "2026-12-07", "--horizon", "10" * 20],
                                  ["--as-of", "9999-12-01", "--horizon", "100"]],
                         ids=["last-day", "huge-horizon", "past-the-end"])
def test_forecast_at_the_calendars_edge_is_a_clean_result(tmp_path: Path, args: list[str]) -> None:
    code, out, err = invoke("forecast", "-s", "prod", "--project", str(ROOT), *args, "-f", "json",
                            "--chart", str(tmp_path / "chart.svg"))
    assert code == 0, err
    data = json.loads(out)
    assert data["as_of"] == args[1] and all(e["date"] <= "9999-12-31" for e in data["events"])
    assert (tmp_path / "chart.svg").stat().st_size > 0


def test_check_on_the_last_day_fails_every_dated_deployment_cleanly() -> None:
    code, out, _ = invoke("check", "-s", "prod", "--project", str(ROOT), "--as-of", "9999-12-31", "-f", "json")
    assert code == 1
    assert {f["policy"] for f in json.loads(out)["findings"]} >= {"retired-model-version"}
