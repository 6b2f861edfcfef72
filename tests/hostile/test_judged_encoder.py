"""The JSON report's group encoder (``json_report.encode_judged``, used by ``audit`` when only JSON is
written) gives each finding the text and place the findings path gives it, whatever the strings hold:
the same bytes as ``pieces`` over the findings, for hostile names, messages, scopes and waivers."""

from __future__ import annotations

import datetime as dt
import json
from operator import itemgetter

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.hostile.strategies import hostile_text
from versionguard.adapters.azure.arm_deployments import LiveDeployment
from versionguard.commands.audit import Judged
from versionguard.core.findings import order_key
from versionguard.core.records import normalize
from versionguard.core.waivers import Waiver
from versionguard.reporters.json_report import _FindingText, encode_judged

scope = st.one_of(st.none(), hostile_text)


@st.composite
def deployments(draw: st.DrawFn) -> LiveDeployment:
    account, name = draw(hostile_text), draw(hostile_text)
    arm_id = draw(st.one_of(hostile_text, st.just(f"/subscriptions/s/accounts/{account}/deployments/{name}")))
    record = normalize("azure-native:cognitiveservices:Deployment", {}, name, urn=arm_id, account=account)
    return LiveDeployment(record, arm_id, account, name, draw(hostile_text), "f.json", "[0]", draw(scope),
                          draw(scope))


@st.composite
def outcomes(draw: st.DrawFn) -> Judged:
    text = st.one_of(st.sampled_from(["live", "retired-model-version", "mandatory", "advisory"]), hostile_text)
    level = draw(st.sampled_from(["mandatory", "advisory", "disabled"]))
    if draw(st.integers(0, 5)) == 0:  # a stack outcome
        return Judged(draw(text), draw(text), level, draw(hostile_text), None, None)
    group = draw(st.lists(deployments(), min_size=1, max_size=4))
    waivers = draw(st.one_of(st.none(), st.lists(
        st.one_of(st.none(), st.builds(Waiver, policy=text, resource=hostile_text, reason=hostile_text,
                                       expires=st.one_of(st.none(), st.dates(dt.date(2026, 1, 1))))),
        min_size=len(group), max_size=len(group))))
    return Judged(draw(text), draw(text), level, draw(hostile_text), group, waivers)


@settings(max_examples=150, deadline=None)
@given(st.lists(outcomes(), max_size=6))
def test_group_texts_are_the_findings_texts(batch: list[Judged]) -> None:
    pairs = encode_judged(batch)
    findings = [f for o in batch for f in o.findings()]
    text_of = _FindingText()
    assert pairs == [(order_key(f), text_of(f)) for f in findings]
    for _, text in pairs:
        assert json.loads(text)  # each a JSON object, escaped as the report writes it
        assert "\n" not in text  # one line each: the report's layout depends on it
    # Sorted by key, stably, the order the findings path gives (Report.sorted).
    assert [t for _, t in sorted(pairs, key=itemgetter(0))] == \
        [text_of(f) for f in sorted(findings, key=order_key)]
