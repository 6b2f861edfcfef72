"""Hostile strings in every name and message of every output format: inert, valid, lossless where the
format allows.

``table`` and ``markdown`` (reports, forecast, catalog diff), the terminal summary, notes and error
lines must carry no control character and interpret no markup; JSON and SARIF must parse back to the
exact strings (as ASCII, every control escaped); JUnit must be well-formed XML whose texts are the
inert form of the input; the chart must be a valid SVG.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from junitparser import JUnitXml

from tests.hostile.strategies import MARKUP, MENTIONS, any_hostile_text, forbidden, hostile_text, live_github
from versionguard.cli.options import emit_all, fail, show_runs
from versionguard.core.catalog_diff import CatalogDiff, Change, VersionDiff
from versionguard.core.errors import InputError
from versionguard.core.findings import Finding, Report, StackRun
from versionguard.core.forecast import KINDS, Event, Forecast, Skipped
from versionguard.core.rules import RULE_IDS
from versionguard.reporters import render
from versionguard.reporters.catalog_diff import DIFF_FORMATS
from versionguard.reporters.catalog_diff import render as render_diff
from versionguard.reporters.forecast import FORECAST_FORMATS
from versionguard.reporters.forecast import render as render_forecast
from versionguard.reporters.timeline_chart import write_chart

DAY = dt.date(2026, 11, 29)
SGR = re.compile(r"\x1b\[[0-9;]*m")  # rich's own colours on a terminal: the only escapes allowed


@pytest.fixture(autouse=True)
def _no_actions_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"):
        monkeypatch.delenv(name, raising=False)


@st.composite
def reports(draw: st.DrawFn) -> Report:
    findings = []
    for _ in range(draw(st.integers(1, 3))):
        waived = draw(st.booleans())
        findings.append(Finding(
            stack=draw(any_hostile_text), policy=draw(st.sampled_from(sorted(RULE_IDS))),
            level=draw(st.sampled_from(["mandatory", "advisory"])), resource=draw(any_hostile_text),
            type=draw(hostile_text), urn=draw(hostile_text), message=draw(any_hostile_text), waived=waived,
            waiver_reason=draw(hostile_text) if waived else None, waiver_expires=DAY if waived else None))
    stacks = list(dict.fromkeys(f.stack for f in findings))
    return Report(DAY, DAY, stacks, findings)


def _text_fields(f: Finding) -> list[str]:
    return [f.stack, f.resource, f.message, f.urn, f.type]


def assert_inert(out: str, color: bool = False) -> None:
    assert forbidden(SGR.sub("", out) if color else out) == []
    assert "\x1b]" not in out and "\x9d" not in out  # no OSC (hyperlinks, titles), raw or C1


# --- the five report formats --------------------------------------------------------------------------

@settings(max_examples=40)
@given(reports())
def test_table_is_inert(report: Report) -> None:
    assert_inert(render(report, "table"))
    assert_inert(render(report, "table", color=True), color=True)


@settings(max_examples=40)
@given(reports())
def test_json_parses_back_to_the_exact_strings(report: Report) -> None:
    out = render(report, "json")
    assert out.isascii()
    got = json.loads(out)["findings"]
    assert [(f["stack"], f["resource"], f["message"], f["urn"], f["type"]) for f in got] == \
        [tuple(_text_fields(f)) for f in report.sorted()]


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reports())
def test_sarif_is_valid_and_lossless(sarif_validator: Any, report: Report) -> None:
    out = render(report, "sarif")
    assert out.isascii()
    log = json.loads(out)
    sarif_validator.validate(log)
    results = log["runs"][0]["results"]
    assert [r["message"]["text"] for r in results] == [f.message for f in report.sorted()]
    assert [r["properties"]["stack"] for r in results] == [f.stack for f in report.sorted()]


@settings(max_examples=40)
@given(reports())
def test_junit_is_well_formed_and_inert(report: Report) -> None:
    from versionguard.reporters.inert import inert

    out = render(report, "junit")
    assert forbidden(out) == []
    ET.fromstring(out.encode("utf-8"))  # well-formed XML 1.0
    xml = JUnitXml.fromstring(out)
    assert {suite.name for suite in xml} == {inert(s) for s in report.stacks}
    cases = [case for suite in xml for case in suite]
    for f in report.findings:
        assert any(case.name == inert(f.resource) for case in cases)


def _cells(row: str) -> int:
    """Cells of a Markdown table row: pipes not escaped by a backslash."""
    return len(re.findall(r"(?<!\\)(?:\\\\)*\|", row)) - 1


@settings(max_examples=40)
@given(reports())
def test_markdown_is_inert_and_every_row_keeps_its_cells(report: Report) -> None:
    out = render(report, "markdown")
    assert_inert(out)
    assert "<script>" not in out  # HTML-escaped
    assert re.search(r"(?<!\\)\]\(https://(evil|t)\.example", out) is None  # no link or image from input
    assert live_github(out) == [], out  # no mention, issue reference or autolink from input
    widths: list[int] = []
    for line in out.splitlines():
        if line.startswith("|"):
            widths.append(_cells(line))
        elif widths:
            assert len(set(widths)) == 1, out  # one table: every row has the header's cells
            widths = []
    assert len(set(widths)) <= 1


@pytest.mark.parametrize("text", MENTIONS)
def test_markdown_mentions_and_bare_links_are_inert_but_read_the_same(text: str) -> None:
    """GitHub notifies ``@user``/``@org/team`` and links ``#123``, ``GH-1``, bare URLs and e-mail addresses
    after rendering, inside ``<code>`` too for autolinks; a zero-width space breaks each pattern while the
    visible text stays the same."""
    from versionguard.reporters.inert import md_cell, md_code

    report = Report(DAY, DAY, [text], [Finding(text, "retired-model-version", "mandatory", text, "t", "u",
                                               f"owner {text} asked")])
    out = render(report, "markdown")
    assert live_github(out) == [], out
    for shown in (md_cell(text), md_code(text)):
        assert live_github(shown) == []
        visible = re.sub(r"</?code>", "", shown).replace("\u200b", "").replace("&amp;", "&")
        assert visible == text.replace("\\", "\\\\").replace("\n", " ").strip() or not text.strip()


@pytest.mark.parametrize("text", [*MARKUP, "gpt-4o[/]", "prod[/bold]"])
def test_markup_in_names_is_shown_literally(text: str) -> None:
    """``gpt-4o[/]`` and ``prod[/bold]`` crashed the table; ``[link=…]`` became a terminal hyperlink."""
    report = Report(DAY, DAY, [text], [Finding(text, "retired-model-version", "mandatory", text, "t", "u",
                                               f"model {text} retired")])
    for color in (False, True):
        out = render(report, "table", color=color)
        assert "".join(f"model {text} retired".split()) in re.sub(r"[\s│┃]", "", SGR.sub("", out))
        assert "\x1b]8;" not in out


# --- forecast and catalog diff ---------------------------------------------------------------------------

@st.composite
def forecasts(draw: st.DrawFn) -> Forecast:
    events = [Event(draw(any_hostile_text), draw(hostile_text), draw(hostile_text), draw(hostile_text),
                    draw(st.none() | hostile_text), draw(hostile_text),
                    DAY + dt.timedelta(days=draw(st.integers(0, 90))), draw(st.sampled_from(sorted(KINDS))),
                    draw(any_hostile_text), 0)
              for _ in range(draw(st.integers(0, 3)))]
    skipped = [Skipped(draw(hostile_text), draw(hostile_text), draw(hostile_text))
               for _ in range(draw(st.integers(0, 2)))]
    stacks = list(dict.fromkeys([*(e.stack for e in events), draw(hostile_text)]))
    return Forecast(DAY, draw(st.integers(0, 10**12)), DAY, stacks, events, skipped, {s: 1 for s in stacks})


@st.composite
def diffs(draw: st.DrawFn) -> CatalogDiff:
    status = st.sampled_from(["added", "removed", "changed"])
    versions = [VersionDiff(draw(hostile_text), draw(hostile_text), draw(status),
                            tuple(Change(draw(hostile_text), draw(hostile_text), draw(hostile_text), draw(hostile_text))
                                  for _ in range(draw(st.integers(1, 2)))), draw(hostile_text))
                for _ in range(draw(st.integers(0, 3)))]
    return CatalogDiff(draw(hostile_text), draw(hostile_text), DAY, DAY, tuple(versions))


def check_text_formats(render_as: Any, formats: tuple[str, ...], listed: tuple[str, str],
                       expected: list[str]) -> None:
    """Each format: JSON is ASCII and keeps ``expected`` (``listed`` = list key, item key) exactly;
    table (plain and coloured) and Markdown are inert."""
    for fmt in formats:
        for color in (False, True) if fmt == "table" else (False,):
            out = render_as(fmt, color)
            if fmt == "json":
                assert out.isascii()
                assert [item[listed[1]] for item in json.loads(out)[listed[0]]] == expected
            else:
                assert_inert(out, color)
                assert fmt != "markdown" or "<script>" not in out  # HTML-escaped; a terminal shows it as text
                assert fmt != "markdown" or live_github(out) == [], out  # nobody notified, nothing linked


@settings(max_examples=20)
@given(forecasts())
def test_forecast_formats(result: Forecast) -> None:
    check_text_formats(lambda fmt, color: render_forecast(result, fmt, color=color), FORECAST_FORMATS,
                       ("events", "deployment"), [e.deployment for e in result.events])


@settings(max_examples=30)
@given(diffs())
def test_catalog_diff_formats(result: CatalogDiff) -> None:
    check_text_formats(lambda fmt, color: render_diff(result, fmt, color=color), DIFF_FORMATS,
                       ("versions", "model"), [v.model for v in result.versions])


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
@pytest.mark.filterwarnings("ignore:constrained_layout not applied")
@settings(max_examples=4, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(forecasts())
def test_the_chart_is_valid_svg(tmp_path: Path, result: Forecast) -> None:
    """Names are text on the picture; ``$`` would otherwise start matplotlib mathtext (a crash)."""
    path = tmp_path / "chart.svg"
    write_chart(result, path)
    ET.fromstring(path.read_bytes())


# --- lines on the terminal: summary, notes, errors ---------------------------------------------------------

@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reports(), hostile_text)
def test_terminal_lines_are_inert(tmp_path: Path, capsys: pytest.CaptureFixture[str], report: Report,
                                  text: str) -> None:
    from versionguard.cli.options import note

    emit_all(report, "json", [("json", tmp_path / "report.json")])
    note(text)
    fail(InputError(text, text, text, text))
    err = capsys.readouterr().err
    assert_inert(err)
    assert err.count("\n") == 3  # summary, note, error: nothing in the input started a line of its own


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hostile_text, hostile_text)
def test_run_lines_are_inert(capsys: pytest.CaptureFixture[str], stack: str, text: str) -> None:
    """What a program controls: its output, and the notes naming its stack references (a StackReference
    named with an OSC 8 link or a screen clear must reach the terminal as text)."""
    show_runs([StackRun(stack, output=f"{text}\n", notes=(f"StackReference {text}: see {text}=FILE",))])
    err = capsys.readouterr().err
    assert_inert(err)
    assert err.count("\n") == 3 + text.count("\n")  # header, the output's own lines, one note line


def test_a_stack_reference_named_with_escapes_reaches_the_terminal_as_text(
        capsys: pytest.CaptureFixture[str]) -> None:
    name = "acme/\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\/\x1b[2Jprod"
    show_runs([StackRun("dev", notes=(f"StackReference {name!r}: its outputs are unknown offline "
                                      f"(pass --stack-outputs {name}=FILE with `pulumi stack output --json`)",))])
    err = capsys.readouterr().err
    assert "\x1b" not in err and "--stack-outputs acme/\\x1b]8;;https://evil.example" in err
    assert "\\x1b[2Jprod=FILE" in err
