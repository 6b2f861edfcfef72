"""The editors `fix` writes with: a scalar of a YAML file, a string literal of a Python file; nothing else moves."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from versionguard.adapters.edits.python_edit import literals, set_literals
from versionguard.adapters.edits.yaml_edit import leaves, set_values
from versionguard.core.errors import InputError

EDITS = Path(__file__).resolve().parents[1] / "fixtures" / "fix" / "edits"


def test_yaml_edits_keep_comments_quoting_order_and_indentation_byte_for_byte() -> None:
    text = (EDITS / "odd.yaml").read_text()
    edits = {("config", "proj:plain"): "gpt-4.1", ("config", "proj:single"): "it's 2025",
             ("config", "proj:double"): "2024-11-20", ("config", "proj:flow", "b"): "2025-04-14",
             ("config", "proj:flow", "c", 0): "2024-11-20",
             ("config", "proj:list", 0, "model", "version"): "2024-11-20"}
    assert set_values(text, "odd.yaml", edits) == (EDITS / "odd.expected.yaml").read_text()


def test_a_plain_value_yaml_would_read_as_a_date_or_number_is_quoted() -> None:
    text = "config:\n  p:v: gpt-4o # c\n"
    assert set_values(text, "s", {("config", "p:v"): "2024-11-20"}) == 'config:\n  p:v: "2024-11-20" # c\n'
    assert set_values(text, "s", {("config", "p:v"): "yes"}) == 'config:\n  p:v: "yes" # c\n'
    assert set_values(text, "s", {("config", "p:v"): "0613"}) == 'config:\n  p:v: "0613" # c\n'


def test_crlf_line_endings_stay() -> None:
    text = "config:\r\n  p:v: '0613'\r\n  p:w: x\r\n"
    assert set_values(text, "s", {("config", "p:v"): "2025"}) == "config:\r\n  p:v: '2025'\r\n  p:w: x\r\n"


def test_block_scalars_and_missing_paths_are_refused() -> None:
    text = "config:\n  p:v: |\n    0613\n"
    with pytest.raises(InputError, match="block scalar"):
        set_values(text, "s", {("config", "p:v"): "2025"})
    with pytest.raises(InputError, match="a scalar value to edit"):
        set_values(text, "s", {("config", "p:nope"): "2025"})


def test_leaves_name_their_paths_lines_and_styles() -> None:
    found = {leaf.dotted: (leaf.value, leaf.style, leaf.line) for leaf in leaves((EDITS / "odd.yaml").read_text(), "s")}
    assert found["config.proj:single"] == ("it's 0613", "'", 5)
    assert found["config.proj:flow.c[1]"] == ("2024-05-13", '"', 7)
    assert found["config.proj:list[0].model.version"] == ("2024-05-13", '"', 11)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(value=st.text(max_size=30), style=st.sampled_from(["", "'", '"']))
def test_any_value_is_written_so_yaml_reads_it_back_or_refused(value: str, style: str) -> None:
    """Hostile values: the edited file reads back as exactly that text, else the edit is refused."""
    text = {"": "config:\n  p:v: x # c\n", "'": "config:\n  p:v: 'x' # c\n", '"': 'config:\n  p:v: "x" # c\n'}[style]
    try:
        out = set_values(text, "s", {("config", "p:v"): value})
    except InputError:
        return  # refused: never a corrupt file
    assert yaml.safe_load(out)["config"]["p:v"] == value
    assert out.endswith(" # c\n")


SOURCE = b'''"""Module docstring mentions 2024-05-13 but is not a model version."""
A = "2024-05-13"
B = '2024-05-13'  # single
C = u"2024-05-13"
D = """2024-05-13"""
E = f"2024-05-13"
F = r"2024-05-13"
G = b"2024-05-13"
H = "2024-" "05-13"
call("gpt-4o", version='2024-05-13')
'''


def test_only_simple_string_literals_are_candidates() -> None:
    found = literals(SOURCE, "m.py", {"2024-05-13"})
    assert [lit.line for lit in found] == [2, 3, 4, 5, 10]  # no f-, r-, b-string, no concatenation


def test_literal_edits_keep_prefix_quotes_and_every_other_byte() -> None:
    found = literals(SOURCE, "m.py", {"2024-05-13"})
    out = set_literals(SOURCE, "m.py", {lit: "2024-11-20" for lit in found})
    expected = SOURCE.replace(b'A = "2024-05-13"', b'A = "2024-11-20"').replace(
        b"B = '2024-05-13'", b"B = '2024-11-20'").replace(b'C = u"2024-05-13"', b'C = u"2024-11-20"').replace(
        b'D = """2024-05-13"""', b'D = """2024-11-20"""').replace(b"version='2024-05-13'", b"version='2024-11-20'")
    assert out == expected


def test_a_value_that_needs_escaping_is_refused() -> None:
    [lit] = literals(b"A = 'x'\n", "m.py", {"x"})
    with pytest.raises(InputError, match="unescaped"):
        set_literals(b"A = 'x'\n", "m.py", {lit: "it's"})


def test_unparsable_python_names_the_file() -> None:
    with pytest.raises(InputError, match=r"m\.py"):
        literals(b"def (:\n", "m.py", {"x"})
