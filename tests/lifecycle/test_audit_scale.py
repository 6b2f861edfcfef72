"""What the fleet-scale shortcuts of ``audit`` rest on (speed itself is measured in bench/bench_fleet.py).

- Rules judge a record's content, never its identity (name, URN, account): ``audit`` judges each
  distinct content once and copies the outcome to every deployment that has it.
- The JSON report cuts the C encoder's compact list between findings: nothing inside a finding may
  be cut, whatever its strings hold; a file gets each finding formatted without a dictionary, and
  the bytes must be ``json.dumps``' own, whatever the strings, waivers and scope hold.
"""

from __future__ import annotations

import dataclasses
import json

from hypothesis import given, settings
from hypothesis import strategies as st
from lifecycle_helpers import AS_OF, arm_item

from versionguard.adapters.azure.arm_deployments import read_items
from versionguard.commands.audit import audit
from versionguard.core import engine
from versionguard.core.findings import Finding, Report
from versionguard.core.records import IDENTITY_FIELDS, judged_content
from versionguard.core.rules import RULES
from versionguard.core.rules.base import Context
from versionguard.core.settings import rule_settings
from versionguard.core.vocabulary import KNOWN_SKUS, UPGRADE_OPTIONS
from versionguard.reporters.json_report import pieces, render

MODELS = [("gpt-4o", "2024-08-06"), ("gpt-35-turbo", "0301"), ("gpt-4.1", "2025-04-14"), ("gpt-5.2", "2025-12-11"),
          ("text-embedding-3-large", "1"), ("nope", "1"), ("gpt-4o", " 2024-08-06 ")]
items = st.builds(
    lambda i, model, sku, option: arm_item(f"acct-{i % 3}", f"dep-{i}", {"format": "OpenAI", "name": model[0],
                                                                       "version": model[1]}, sku, option),
    st.integers(0, 50), st.sampled_from(MODELS), st.sampled_from([*KNOWN_SKUS, "Weird", None, 7]),
    st.sampled_from([*UPGRADE_OPTIONS, None, "noautoupgrade", 42]))


@settings(derandomize=True, database=None, deadline=None, max_examples=200)
@given(item=items, name=st.text(min_size=1, max_size=8), account=st.text(max_size=8))
def test_no_rule_reads_a_records_identity(small_catalog, item, name, account):
    [d] = read_items([item], "value", "x.json")
    renamed = dataclasses.replace(d.record, name=name, urn=f"urn:{name}", account=account or None)
    assert judged_content(renamed) == judged_content(d.record)
    assert set(IDENTITY_FIELDS) <= {f.name for f in dataclasses.fields(d.record)}
    for rule in RULES:
        ctx = Context(AS_OF, small_catalog, rule_settings({}, rule.meta.id))
        assert engine.evaluate(rule, renamed, ctx) == engine.evaluate(rule, d.record, ctx), rule.meta.id


def test_grouped_judgement_equals_judging_each_deployment_alone(small_catalog):
    arm = [arm_item(f"a{i % 4}", f"d{i}", {"format": "OpenAI", "name": m, "version": v}, sku, option)
           for i, ((m, v), sku, option) in enumerate(
               (MODELS[i % len(MODELS)], KNOWN_SKUS[i % len(KNOWN_SKUS)], [*UPGRADE_OPTIONS, None][i % 4])
               for i in range(120))]
    arm.append(arm_item("a9", "list-model", [], "Standard", None))  # unhashable malformed content: own group
    live = read_items(arm, "value", "x.json")
    together = audit(live, small_catalog, AS_OF).to_json()["findings"]
    alone = [f for d in live for f in audit([d], small_catalog, AS_OF).to_json()["findings"]
             if f["resource"] != "(stack)"]
    stack = [f for f in together if f["resource"] == "(stack)"]
    assert sorted(map(json.dumps, together)) == sorted(map(json.dumps, alone + stack))


tricky = st.text(alphabet=st.sampled_from(['}', '{', ',', ' ', '"', '\\', ':', 's', 't', 'a', 'c', 'k', '\n', 'é']),
                 max_size=30)


@settings(derandomize=True, database=None, deadline=None, max_examples=200)
@given(texts=st.lists(st.tuples(tricky, tricky, tricky), max_size=4))
def test_json_report_cuts_only_between_findings(texts):
    findings = [Finding(stack, "p", "advisory", resource, "t", "u", message, subscription=stack or None)
                for stack, resource, message in texts]
    report = Report(AS_OF, AS_OF, ["s"], findings, command="audit")
    text = render(report)
    assert json.loads(text) == report.to_json()
    assert "".join(pieces(report)) == text  # what a file gets, written a chunk at a time
    lines = text.splitlines()
    assert len([line for line in lines if line.startswith('    {"stack": ')]) == len(findings)


optional = st.one_of(st.none(), tricky)


@settings(derandomize=True, database=None, deadline=None, max_examples=200)
@given(rows=st.lists(st.tuples(tricky, tricky, tricky, optional, optional, st.booleans(), optional,
                               st.one_of(st.none(), st.dates())), max_size=6))
def test_json_report_formatted_findings_are_json_dumps_bytes(rows):
    """Waived findings (reason and expiry or not), findings with and without a scope, non-ASCII and
    escapes: the file's text is the encoder's, byte for byte."""
    findings = [Finding(stack, "p\u00e9", "mandatory", resource, "t", resource + "/u", message, waived, reason,
                        expires, subscription, group)
                for stack, resource, message, subscription, group, waived, reason, expires in rows]
    findings.append(Finding("s", "p", "advisory", "(stack)", "", "", "stack-wide"))
    report = Report(AS_OF, AS_OF, ["s"], findings, command="audit")
    assert "".join(pieces(report)) == render(report)
    assert json.loads(render(report))["findings"] == [f.to_json() for f in report.sorted()]
