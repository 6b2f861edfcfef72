"""Output formats over hand-built reports (no Pulumi): SARIF against the OASIS 2.1.0 schema, JUnit
parsed back with junitparser, Markdown, JSON and the table. Messages carry ``|``, ``<``, ``&``,
newlines and non-ASCII text so every format's escaping is exercised."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from junitparser import JUnitXml, TestCase

from versionguard.core.findings import STACK_RESOURCE, Finding, Report, StackRun
from versionguard.core.rules import BY_ID, RULES
from versionguard.reporters import render
from versionguard.reporters import sarif as sarif_mod
from versionguard.reporters.inert import inert
from versionguard.reporters.markdown import cell, docs_link

DEPLOYMENT = "azure-native:cognitiveservices:Deployment"
NASTY = 'retired | since <2026-03-31> & "gone"\nsecond line: café ✓ 模型'
AS_OF, CATALOG_AS_OF = dt.date(2026, 5, 1), dt.date(2026, 4, 23)


def urn(stack: str, name: str) -> str:
    return f"urn:pulumi:{stack}::foundry-deployments::{DEPLOYMENT}::{name}"


def finding(stack: str, policy: str, level: str, resource: str, message: str, **kw: Any) -> Finding:
    is_stack = resource == STACK_RESOURCE
    return Finding(stack, policy, level, resource, "pulumi:pulumi:Stack" if is_stack else DEPLOYMENT,
                   "" if is_stack else urn(stack, resource), message, **kw)


def waived(stack: str, policy: str, resource: str, reason: str, expires: dt.date) -> Finding:
    return finding(stack, policy, BY_ID[policy].meta.level.value, resource, f"{policy} on {resource}",
                   waived=True, waiver_reason=reason, waiver_expires=expires)


FINDINGS = [
    finding("prod", "retired-model-version", "mandatory", "prod-chat", NASTY),
    finding("prod", "upgrade-option-explicit", "advisory", "prod-chat", "versionUpgradeOption <missing> & defaulted"),
    finding("prod", "model-version-pinned", "mandatory", "prod-embed", "model.version is missing"),
    waived("prod", "no-auto-upgrade-near-retirement", "prod-batch", "CHG-1234 | migrate <gpt-4.1>",
           dt.date(2026, 6, 30)),
    finding("dev", "preview-model-version", "advisory", "dev-chat", "gpt-5 2025-08-07 is a preview version"),
    finding("dev", "catalog-freshness", "advisory", STACK_RESOURCE, "catalog is 130 days old"),
    waived("dev", "provisioned-migration-due", "dev-ptu", "capacity booked", dt.date(2026, 7, 15)),
]


STACK_FILES = {"dev": "infra/config/Pulumi.dev.yml", "prod": "infra/config/Pulumi.prod.yml"}
RUNS = [StackRun("dev", 2, "/p/.venv/bin/python", "Pulumi.yaml runtime.options.virtualenv (.venv)", None,
                 stack_file=STACK_FILES["dev"]),
        StackRun("prod", 3, "/p/.venv/bin/python", "Pulumi.yaml runtime.options.virtualenv (.venv)",
                 "policies/config/prod.json", stack_file=STACK_FILES["prod"])]
NOT_JUDGED = "stack 'prod': the program called sys.exit(0); a program that exits cannot be judged"


@pytest.fixture(autouse=True)
def _no_actions_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rule links become absolute inside GitHub Actions; keep them repo-relative here."""
    for key in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"):
        monkeypatch.delenv(key, raising=False)


@pytest.fixture
def report() -> Report:
    return Report(AS_OF, CATALOG_AS_OF, ["dev", "prod"], FINDINGS, runs=RUNS)


@pytest.fixture
def not_judged() -> Report:
    """dev judged at the default policy config, prod's program exited."""
    dev = [f for f in FINDINGS if f.stack == "dev"]
    return Report(AS_OF, CATALOG_AS_OF, ["dev", "prod"], dev,
                  runs=[RUNS[0], StackRun("prod", 0, RUNS[1].python, RUNS[1].python_source, None, NOT_JUDGED)])


@pytest.fixture
def empty() -> Report:
    return Report(AS_OF, CATALOG_AS_OF, ["dev", "prod"], [])


# --- SARIF -------------------------------------------------------------------------------------

def sarif(report: Report) -> dict[str, Any]:
    return json.loads(render(report, "sarif"))


def test_sarif_validates_against_the_schema(report: Report, empty: Report, sarif_validator: Any) -> None:
    for r in (report, empty):
        errors = sorted(sarif_validator.iter_errors(sarif(r)), key=str)
        assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_sarif_header_and_run(report: Report) -> None:
    log = sarif(report)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-schema-2.1.0.json")
    (run,) = log["runs"]
    from versionguard import __version__
    assert run["tool"]["driver"]["name"] == "versionguard" and run["tool"]["driver"]["version"] == __version__
    assert run["invocations"][0]["executionSuccessful"] is True
    assert run["properties"]["asOf"] == "2026-05-01" and run["properties"]["catalogAsOf"] == "2026-04-23"
    assert len(run["results"]) == len(FINDINGS)


def test_sarif_lists_every_rule_with_help(empty: Report) -> None:
    rules = sarif(empty)["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [rule.meta.id for rule in RULES]
    for descriptor, rule in zip(rules, RULES, strict=True):
        meta = rule.meta
        assert descriptor["shortDescription"]["text"] == meta.description
        assert descriptor["name"][0].isupper() and "-" not in descriptor["name"]
        assert descriptor["defaultConfiguration"]["level"] == {"mandatory": "error", "advisory": "warning"}[meta.level]
        assert meta.remediation in descriptor["help"]["text"] and meta.remediation in descriptor["help"]["markdown"]
        rationale = sarif_mod.rule_doc(rule)["rationale"]
        assert rationale and rationale.replace("``", "") in descriptor["help"]["text"]
        assert "helpUri" not in descriptor  # the docs link is repo-relative, which helpUri forbids
        assert descriptor["properties"]["docs"] == f"docs/rules.md#{meta.id}"
    assert sarif_mod.camel_case("model-version-pinned") == "ModelVersionPinned"


def test_sarif_help_uri_is_absolute_in_github_actions(empty: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "contoso/foundry")
    monkeypatch.setenv("GITHUB_SHA", "abc123")
    rule = sarif(empty)["runs"][0]["tool"]["driver"]["rules"][0]
    assert rule["helpUri"] == "https://github.com/contoso/foundry/blob/abc123/docs/rules.md#model-version-pinned"


def test_sarif_results(report: Report) -> None:
    run = sarif(report)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    by_message = {f.message: f for f in FINDINGS}
    for res in run["results"]:
        f = by_message[res["message"]["text"]]  # the nasty message survives JSON as-is
        assert res["ruleId"] == f.policy and rules[res["ruleIndex"]]["id"] == f.policy
        assert res["level"] == {"mandatory": "error", "advisory": "warning"}[f.level]
        (loc,) = res["locations"]
        assert loc["physicalLocation"]["artifactLocation"] == {"uri": STACK_FILES[f.stack], "uriBaseId": "%SRCROOT%"}
        assert loc["physicalLocation"]["region"]["startLine"] == 1
        assert loc["logicalLocations"] == [{"name": f.resource, "kind": "resource",
                                            "fullyQualifiedName": f.urn or f"{f.stack}::(stack)"}]
        assert res["properties"] == {"stack": f.stack, "resourceType": f.type}
        if f.waived:
            (sup,) = res["suppressions"]
            assert sup["kind"] == "external" and sup["status"] == "accepted"
            assert sup["justification"] == f"{f.waiver_reason} (expires {f.waiver_expires.isoformat()})"
        else:
            assert "suppressions" not in res
    assert NASTY in {r["message"]["text"] for r in run["results"]}


def test_sarif_locations_are_the_real_files_or_logical_only(sarif_validator: Any) -> None:
    """The run's stack file (any name, any directory, percent-encoded); an absolute one (no repository) as a
    file URI; a stack in no file (audit of live deployments) gets a logical location only, no invented path."""
    findings = [finding(s, "retired-model-version", "mandatory", "chat", "m") for s in ("a", "b", "live")]
    runs = [StackRun("a", 1, stack_file="deploy/stacks dir/Pulumi.a.yml"),
            StackRun("b", 1, stack_file="/srv/proj/Pulumi.b.yaml"),
            StackRun("live", 1), StackRun("c", error="stack 'c': failed", stack_file="Pulumi.yaml"),
            StackRun("d", error="cannot be judged")]
    log = sarif(Report(AS_OF, CATALOG_AS_OF, ["a", "b", "live", "c", "d"], findings, command="audit", runs=runs))
    assert not list(sarif_validator.iter_errors(log))
    run = log["runs"][0]
    where = {r["properties"]["stack"]: r["locations"][0] for r in run["results"]}
    assert where["a"]["physicalLocation"]["artifactLocation"] == {"uri": "deploy/stacks%20dir/Pulumi.a.yml",
                                                                  "uriBaseId": "%SRCROOT%"}
    assert where["b"]["physicalLocation"]["artifactLocation"] == {"uri": "file:///srv/proj/Pulumi.b.yaml"}
    assert where["live"] == {"logicalLocations": [{"name": "chat", "kind": "resource", "fullyQualifiedName":
                                                   urn("live", "chat")}]}
    c, d = run["invocations"][0]["toolExecutionNotifications"]
    assert c["locations"] == [{"physicalLocation": {"artifactLocation": {"uri": "Pulumi.yaml", "uriBaseId":
                                                                         "%SRCROOT%"}, "region": {"startLine": 1}}}]
    assert "locations" not in d


def test_sarif_fingerprints_are_stable_and_unique(report: Report) -> None:
    prints = [r["partialFingerprints"] for r in sarif(report)["runs"][0]["results"]]
    assert len({json.dumps(p) for p in prints}) == len(prints)
    assert prints == [r["partialFingerprints"] for r in sarif(report)["runs"][0]["results"]]
    reworded = Report(AS_OF, CATALOG_AS_OF, ["prod"], [finding("prod", "retired-model-version", "mandatory",
                                                               "prod-chat", "other words")])
    first = sarif(reworded)["runs"][0]["results"][0]["partialFingerprints"]
    assert first in prints  # the message is not part of the fingerprint


def test_sarif_unknown_policy_gets_a_rule(sarif_validator: Any) -> None:
    r = Report(AS_OF, CATALOG_AS_OF, ["dev"], [finding("dev", "custom-policy", "mandatory", "x", "m")])
    log = sarif(r)
    run = log["runs"][0]
    assert run["tool"]["driver"]["rules"][run["results"][0]["ruleIndex"]]["id"] == "custom-policy"
    assert not list(sarif_validator.iter_errors(log))


# --- JUnit -------------------------------------------------------------------------------------

def cases(xml: JUnitXml) -> dict[tuple[str, str, str], TestCase]:
    return {(suite.name, case.classname, case.name): case for suite in xml for case in suite}


def test_junit_parses_back_with_matching_counts(report: Report) -> None:
    text = render(report, "junit")
    assert text.startswith("<?xml")
    xml = JUnitXml.fromstring(text)
    suites = {s.name: s for s in xml}
    assert list(suites) == ["dev", "prod"]
    # prod: 2 mandatory cases, 1 advisory, 1 waived, the other policies untouched; dev: 2 advisory, 1 waived
    policies = len(RULES)  # one case per finding, plus one passing case per untouched policy
    assert (suites["prod"].tests, suites["prod"].failures, suites["prod"].skipped) == (policies, 2, 1)
    assert (suites["dev"].tests, suites["dev"].failures, suites["dev"].skipped) == (policies, 0, 1)
    assert (xml.tests, xml.failures, xml.skipped, xml.errors) == (2 * policies, 2, 2, 0)
    # recount from the cases themselves, not only the attributes the writer set
    parsed = cases(xml).values()
    assert sum(c.is_failure for c in parsed) == report.summary["mandatory"]
    assert sum(c.is_skipped for c in parsed) == report.summary["waived"]


def test_junit_case_contents(report: Report) -> None:
    by_key = cases(JUnitXml.fromstring(render(report, "junit")))
    failed = by_key["prod", "versionguard.prod.retired-model-version", "prod-chat"]
    (failure,) = failed.result
    assert failure.text == NASTY and failure.message == NASTY  # newline, <, &, unicode survive
    advisory = by_key["prod", "versionguard.prod.upgrade-option-explicit", "prod-chat"]
    assert advisory.is_passed and advisory.system_out == "advisory: versionUpgradeOption <missing> & defaulted"
    skipped = by_key["prod", "versionguard.prod.no-auto-upgrade-near-retirement", "prod-batch"]
    (skip,) = skipped.result
    assert skip.message == "waived until 2026-06-30: CHG-1234 | migrate <gpt-4.1>"
    stack_level = by_key["dev", "versionguard.dev.catalog-freshness", STACK_RESOURCE]
    assert stack_level.is_passed and "130 days" in stack_level.system_out
    # checked policies without findings still appear, once per stack
    assert by_key["dev", "versionguard.dev.retired-model-version", "(all deployments)"].is_passed
    assert by_key["prod", "versionguard.prod.waiver-hygiene", STACK_RESOURCE].is_passed


def test_junit_empty_report(empty: Report) -> None:
    xml = JUnitXml.fromstring(render(empty, "junit"))
    assert [(s.name, s.tests, s.failures, s.skipped) for s in xml] == [("dev", len(RULES), 0, 0),
                                                                       ("prod", len(RULES), 0, 0)]


def test_junit_survives_characters_xml_cannot_carry() -> None:
    r = Report(AS_OF, CATALOG_AS_OF, ["dev"], [finding("dev", "model-version-pinned", "mandatory", "x", "a\x00b\x1bc")])
    (case,) = [c for c in cases(JUnitXml.fromstring(render(r, "junit"))).values() if c.is_failure]
    assert case.result[0].text == "a\\x00b\\x1bc"  # visible escapes: inert, and what the input held


# --- Markdown ----------------------------------------------------------------------------------

def test_markdown_verdict_summary_and_escaping(report: Report) -> None:
    md = render(report, "markdown")
    lines = md.splitlines()
    assert lines[0] == "## ❌ versionguard check: 2 mandatory · 3 advisory"
    assert "2026-05-01" in lines[2] and "2026-04-23" in lines[2]
    assert "2 deployments" not in lines[2] and "**5** deployments judged" in lines[2]
    assert "| dev | 2 | 0 | 2 | 1 |" in lines and "| prod | 3 | 2 | 1 | 1 |" in lines
    assert "Programs ran with <code>/p/.venv/bin/python</code> (Pulumi.yaml runtime.options.virtualenv (.venv))." \
        in lines
    assert "No policy config file for dev: judged at the documented defaults." in lines
    (row,) = [line for line in lines if "prod-chat" in line and "retired-model-version" in line]
    assert row.startswith("| ❌ | [retired-model-version](docs/rules.md#retired-model-version) | "
                          "<code>prod-chat</code> |")
    assert r"retired \| since &lt;2026-03-31&gt; &amp; " in row and "second line: café ✓ 模型 |" in row
    assert any(line.startswith("| ⚠️ | [upgrade-option-explicit]") for line in lines)


def test_markdown_waived_in_details(report: Report) -> None:
    md = render(report, "markdown")
    details = md.split("<details>")[2].split("</details>")[0]  # dev comes first, prod second
    assert "1 waived in prod" in details
    assert r"| <code>prod-batch</code> | 2026-06-30 | CHG-1234 \| migrate &lt;gpt-4.1&gt; |" in details
    active = md.split("### prod")[1].split("<details>")[0]
    assert "prod-batch" not in active


def test_markdown_empty_report(empty: Report) -> None:
    md = render(empty, "markdown")
    assert md.splitlines()[0] == "## ✅ versionguard check: pass"
    assert "No findings in dev, prod." in md and "|" not in md


def test_markdown_links_absolute_with_a_base() -> None:
    assert docs_link("docs/rules.md#x", "https://h/r/blob/s/") == "https://h/r/blob/s/docs/rules.md#x"
    assert docs_link("docs/rules.md#x") == "docs/rules.md#x"


def split_row(row: str) -> list[str]:
    """Split a GFM table row on unescaped pipes, keeping escapes (the table parser's view)."""
    cells, current, chars = [], "", iter(row.strip()[1:-1])
    for ch in chars:
        if ch == "\\":
            current += ch + next(chars, "")
        elif ch == "|":
            cells.append(current)
            current = ""
        else:
            current += ch
    return [*cells, current]


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1))
def test_markdown_cell_keeps_any_text_in_one_cell(message: str) -> None:
    row = f"| a | {cell(message)} | b |"
    assert "\n" not in row
    assert len(split_row(row)) == 3
    unescaped = re.sub(r"\\([\\`*_\[\]|~])", r"\1", split_row(row)[1].strip())
    # the same text, but for the zero-width spaces that keep mentions and autolinks inert (issue 20)
    zwsp = "\u200b"
    assert html.unescape(unescaped).replace(zwsp, "") == " ".join(inert(message).split()).replace(zwsp, "")


# --- the same text through SARIF and JUnit -----------------------------------------------------

# XML 1.0 cannot hold control characters and turns CR into LF; everything else must survive.
XML_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff")
                   | st.just("\n"), min_size=1)


@settings(max_examples=100, deadline=None)
@given(XML_TEXT)
def test_any_message_survives_sarif_and_junit(message: str) -> None:
    r = Report(AS_OF, CATALOG_AS_OF, ["dev"], [finding("dev", "model-version-pinned", "mandatory", "x", message)])
    assert sarif(r)["runs"][0]["results"][0]["message"]["text"] == message
    (case,) = [c for c in cases(JUnitXml.fromstring(render(r, "junit"))).values() if c.is_failure]
    assert case.result[0].text == inert(message) and case.result[0].message == inert(message)


# --- JSON and table ----------------------------------------------------------------------------

def test_json_matches_the_design_shape(report: Report) -> None:
    data = json.loads(render(report, "json"))
    # "runs" (how each stack was judged) is an extension; summary adds deployments and errors.
    assert set(data) == {"as_of", "catalog_as_of", "stacks", "findings", "summary", "runs"}
    assert (data["as_of"], data["catalog_as_of"], data["stacks"]) == ("2026-05-01", "2026-04-23", ["dev", "prod"])
    assert data["summary"] == {"mandatory": 2, "advisory": 3, "waived": 2, "deployments": 5, "errors": 0}
    assert data["runs"][0] == {"stack": "dev", "deployments": 2, "python": "/p/.venv/bin/python",
                               "python_source": "Pulumi.yaml runtime.options.virtualenv (.venv)",
                               "policy_config": None, "error": None, "notes": [],
                               "stack_file": "infra/config/Pulumi.dev.yml"}
    design = {"stack", "policy", "level", "resource", "type", "urn", "message", "waived"}
    assert len(data["findings"]) == len(FINDINGS)
    for f in data["findings"]:
        # the waiver details are an extension on waived findings only (DESIGN: extend, don't break)
        assert set(f) == (design | {"waiver"} if f["waived"] else design)
        assert isinstance(f["waived"], bool) and f["level"] in ("mandatory", "advisory")
    assert NASTY in {f["message"] for f in data["findings"]}
    waived_one = next(f for f in data["findings"] if f["resource"] == "prod-batch")
    assert waived_one["waiver"] == {"reason": "CHG-1234 | migrate <gpt-4.1>", "expires": "2026-06-30"}
    assert json.loads(render(Report(AS_OF, CATALOG_AS_OF, [], []), "json")) == {
        "as_of": "2026-05-01", "catalog_as_of": "2026-04-23", "stacks": [], "findings": [],
        "summary": {"mandatory": 0, "advisory": 0, "waived": 0, "deployments": 0, "errors": 0}, "runs": []}


def test_table_verdict_line(report: Report, empty: Report) -> None:
    failing = render(report, "table")
    assert "FAIL check of dev, prod as of 2026-05-01 (catalog 2026-04-23): 2 mandatory, 3 advisory, 2 waived, " \
        "5 deployments" in failing
    assert "dev: 2 deployments judged, policy config none (no policy config file: the documented defaults)" \
        in failing
    assert "prod: 3 deployments judged, policy config policies/config/prod.json" in failing
    assert "programs ran with /p/.venv/bin/python (Pulumi.yaml runtime.options.virtualenv (.venv))" in failing
    assert "café ✓ 模型" in failing and "<2026-03-31>" in failing
    assert "PASS check of dev, prod" in render(empty, "table")


# --- stacks that could not be judged ---------------------------------------------------------

def test_a_stack_not_judged_exits_2_in_every_format(not_judged: Report, sarif_validator: Any) -> None:
    assert not_judged.exit_code == 2
    assert not_judged.summary["errors"] == 1
    table = render(not_judged, "table")
    assert f"prod: NOT JUDGED: {NOT_JUDGED}" in table
    assert "ERROR check of dev, prod" in table and "1 of 2 stacks could not be judged" in table
    data = json.loads(render(not_judged, "json"))
    assert [r["error"] for r in data["runs"]] == [None, NOT_JUDGED]
    md = render(not_judged, "markdown")
    assert md.splitlines()[0].startswith("## ❌ versionguard check: 1 of 2 stacks not judged")
    assert "| prod | not judged |" in md or "- ❌ **prod** could not be judged" in md
    log = sarif(not_judged)
    sarif_validator.validate(log)
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False and invocation["exitCode"] == 2
    assert invocation["toolExecutionNotifications"][0]["message"]["text"] == f"prod: {NOT_JUDGED}"
    xml = JUnitXml.fromstring(render(not_judged, "junit").encode())
    prod = next(s for s in xml if s.name == "prod")
    (case,) = list(prod)
    assert case.result[0].type == "not-judged" and NOT_JUDGED in case.result[0].message
    assert prod.errors == 1
