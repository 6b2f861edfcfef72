"""Hostile text in everything `fix` shows (diff, summary, PR body): inert, tables intact, no secret shown."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.hostile.strategies import any_hostile_text, forbidden, hostile_text
from versionguard.adapters.program.tracing import Place
from versionguard.commands.fix import ByHand, Edit, FileEdit, FixPlan, FixResult, Move
from versionguard.core.catalog import Catalog, Source, VersionInfo
from versionguard.core.findings import Finding, Report
from versionguard.core.remediation import Target
from versionguard.reporters.fix import render_diff, render_pr_body, render_summary

DAY = dt.date(2026, 11, 22)
CIPHERTEXT = "v1:c2VjcmV0LWNpcGhlcnRleHQ="


@st.composite
def results(draw: st.DrawFn) -> FixResult:
    text = draw(any_hostile_text)
    stack, resource, value, new, message = (draw(hostile_text) for _ in range(5))
    sources = {"src": Source("src", draw(hostile_text), draw(hostile_text), DAY)}
    current = VersionInfo(draw(hostile_text), draw(hostile_text), "ga", retirement=DAY, sources=("src", "missing"))
    target_entry = VersionInfo(draw(hostile_text), draw(hostile_text), "ga", retirement=DAY, sources=("src",))
    finding = Finding(stack, "retired-model-version", "mandatory", resource, "t", "urn", message)
    move = Move(stack, resource, "urn", draw(hostile_text), current,
                Target(target_entry, draw(st.booleans()), draw(st.booleans()), draw(hostile_text)), (finding,))
    shown = draw(hostile_text)
    place = Place("stack-file", Path("/p/Pulumi.s.yaml"), value, 3, shown, yaml_path=("config", draw(hostile_text)))
    before = f"config:\n  p:pw:\n    secure: {CIPHERTEXT}\n  p:v: {text}\n".encode("utf-8", "surrogatepass")
    after = before.replace(b"p:v:", b"p:v: " + new.encode("utf-8", "surrogatepass"))
    plan = FixPlan(Report(DAY, DAY, [stack], [finding]), Catalog(DAY, (current, target_entry), sources),
                   moves=[move], edits=[Edit(place, "model.version", new, (move,))],
                   files=[FileEdit(Path("/p/Pulumi.s.yaml"), shown, before, after)],
                   by_hand=[ByHand(draw(hostile_text), draw(hostile_text), draw(any_hostile_text), (finding,))])
    return FixResult(plan, applied=draw(st.booleans()), recheck=Report(DAY, DAY, [stack], [finding]))


def _cells(row: str) -> int:
    return len(re.findall(r"(?<!\\)(?:\\\\)*\|", row)) - 1


@settings(max_examples=60, deadline=None)
@given(results())
def test_diff_is_inert_and_shows_no_secret(result: FixResult) -> None:
    out = render_diff(result)
    assert forbidden(out) == []
    assert CIPHERTEXT not in out
    for line in out.splitlines():  # every line is a diff line: a newline in a name cannot start a fake one
        assert line[:1] in {"-", "+", " ", "@", "\\"}


@settings(max_examples=60, deadline=None)
@given(results())
def test_summary_is_inert_line_by_line(result: FixResult) -> None:
    out = render_summary(result)
    assert forbidden(out, allowed="\n") == []
    assert all(line.startswith(("versionguard fix:", "  ", "re-check:", "not planned")) for line in out.splitlines())


@settings(max_examples=60, deadline=None)
@given(results())
def test_pr_body_is_inert_and_its_table_keeps_four_cells(result: FixResult) -> None:
    out = render_pr_body(result)
    assert forbidden(out) == []
    assert "<script>" not in out and CIPHERTEXT not in out
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    assert rows and all(_cells(row) == 4 for row in rows)
    headings = [line for line in out.splitlines() if line.startswith("#")]
    assert len(headings) == 2 + (1 if result.plan.by_hand else 0)  # a name cannot open a heading of its own


STACK_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "fix" / "project" / "stacks" / "Pulumi.alpha.yaml"


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_the_yaml_editor_on_broken_stack_files_ends_cleanly(data: st.DataObject) -> None:
    """Any document (a mutated stack file, every broken family): leaves or InputError; an edit is verified or
    refused — never a traceback, never a silently different file."""
    from tests.hostile.strategies import families, mutation
    from versionguard.adapters.edits.yaml_edit import leaves, set_values
    from versionguard.core.errors import InputError

    base = yaml.safe_load(STACK_FILE.read_text())
    makers = [mutation, *families("yaml").values()]
    maker = data.draw(st.sampled_from(makers), label="family")
    text = data.draw(maker(base, "yaml"), label="document").decode("utf-8", "replace")
    try:
        found = leaves(text, "s.yaml")
    except InputError:
        return
    if not found:
        return
    leaf = data.draw(st.sampled_from(found), label="leaf")
    try:
        out = set_values(text, "s.yaml", {leaf.path: "2024-11-20"})
    except InputError:
        return
    assert out[:leaf.start] == text[:leaf.start]
    assert {x.path: x.value for x in leaves(out, "s.yaml")}[leaf.path] == "2024-11-20"
