"""JUnit XML (built with ``junitparser``) for CI test-report viewers.

One ``testsuite`` per stack; one ``testcase`` per (policy, resource) with findings, classname
``versionguard.<stack>.<policy>``, named after the resource. Only mandatory findings fail a case,
so the report's failures match the exit code: an advisory case passes with its message in
``system-out``, a waived one is ``skipped`` with the waiver. Every registered policy without a
finding in a stack gets one passing case, so the suite shows what was checked.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from junitparser import Error, Failure, JUnitXml, Skipped, TestCase, TestSuite
from junitparser.junitparser import etree  # lxml.etree or xml.etree.ElementTree, as junitparser chose

from versionguard.core.findings import STACK_RESOURCE, Finding, Report
from versionguard.core.rules import RULES
from versionguard.core.rules.base import Scope

from .inert import inert

ALL_RESOURCES = "(all deployments)"


def render(report: Report) -> str:
    xml = JUnitXml("versionguard")
    for stack in dict.fromkeys([*report.stacks, *(f.stack for f in report.findings)]):
        xml.add_testsuite(stack_suite(report, stack))
    xml.update_statistics()
    # The XML library's own indent, not junitparser's minidom pretty-printer, which writes newlines in
    # attributes raw (a parser then reads them as spaces).
    etree.indent(xml._elem)
    buffer = io.BytesIO()
    xml.write(buffer)  # with the XML declaration
    return buffer.getvalue().decode("utf-8") + "\n"


def stack_suite(report: Report, stack: str) -> TestSuite:
    suite = TestSuite(_clean(stack))
    suite.add_property("as_of", report.as_of.isoformat())
    suite.add_property("catalog_as_of", report.catalog_as_of.isoformat())
    run = next((r for r in report.runs if r.stack == stack), None)
    if run is not None and run.error is not None:  # not judged: one errored case, no passing ones
        case = TestCase("(program)", f"versionguard.{_clean(stack)}")
        error = Error(_clean(run.error), "not-judged")
        error.text = _clean(run.error)
        case.result = [error]
        suite.add_testcase(case)
        return suite
    if run is not None:
        suite.add_property("deployments", str(run.deployments))
        if run.partial:  # judged with --allow-partial: what the verdict does not cover
            suite.add_property("partial", _clean("; ".join(run.partial)))
        if run.accounts is not None:  # audit --live: accounts found and listed
            suite.add_property("accounts_found", str(run.accounts[0]))
            suite.add_property("accounts_listed", str(run.accounts[1]))
            suite.add_property("coverage", _clean(run.coverage or ""))
    findings = [f for f in report.sorted() if f.stack == stack]
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.policy, f.resource), []).append(f)
    cases = [finding_case(stack, policy, resource, group) for (policy, resource), group in groups.items()]
    fired = {f.policy for f in findings}
    cases += [passing_case(stack, rule.meta.id, STACK_RESOURCE if rule.meta.scope == Scope.STACK else ALL_RESOURCES)
              for rule in RULES if rule.meta.id not in fired]
    suite.add_testcases(cases)
    return suite


def finding_case(stack: str, policy: str, resource: str, findings: Sequence[Finding]) -> TestCase:
    """One case for every finding of a policy on a resource; the worst active level decides."""
    case = TestCase(_clean(resource), f"versionguard.{_clean(stack)}.{_clean(policy)}")
    active = [f for f in findings if not f.waived]
    mandatory = [f for f in active if f.level == "mandatory"]
    if mandatory:
        failure = Failure(_clean(mandatory[0].message), "mandatory")
        failure.text = _clean("\n".join(f.message for f in mandatory))
        case.result = [failure]
    elif not active:
        skipped = Skipped(_clean("; ".join(_waiver(f) for f in findings)), "waived")
        skipped.text = _clean("\n".join(f.message for f in findings))
        case.result = [skipped]
    notes = [f"{f.level}: {f.message}" for f in active if f.level != "mandatory"]
    notes += [f"{_waiver(f)}: {f.message}" for f in findings if f.waived and active]
    if notes:
        case.system_out = _clean("\n".join(notes))
    return case


def passing_case(stack: str, policy: str, name: str) -> TestCase:
    return TestCase(name, f"versionguard.{_clean(stack)}.{policy}")


def _waiver(f: Finding) -> str:
    until = f" until {f.waiver_expires.isoformat()}" if f.waiver_expires else ""
    return f"waived{until}: {f.waiver_reason or 'no reason given'}"


def _clean(text: str) -> str:
    # XML 1.0 cannot carry most control characters at all, escaped or not (ElementTree would write them
    # raw): the shared helper shows every one of them as a visible escape instead.
    return inert(text)
