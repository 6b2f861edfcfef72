"""Hostile schedule pages fed to ``catalog import-docs``: exit 2 naming the page, or a clean catalog.

The pages start from our valid test pages (tests/fixtures/schedule/) and are broken in a known way
(a cell of a table replaced by hostile text: the only right answer is exit 2 naming the page and a
line) or edited at random (any clean end: exit 0 with a catalog that loads, or exit 2 with an error).
Never a traceback, never a control character on the terminal or in the written catalog.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.hostile.strategies import ESCAPES, MARKDOWN, MARKUP, forbidden
from versionguard.adapters.files.catalog_file import load_catalog
from versionguard.cli import app

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "tests" / "fixtures" / "schedule" / name for name in ("learn-page.md", "include-file.md")]
AS_OF = ["--as-of", "2026-09-02"]
SETTINGS = settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])


def run(content: bytes, directory: Path) -> tuple[Path, Path, Any]:
    page, out = directory / "page.md", directory / "out.yaml"
    out.unlink(missing_ok=True)
    page.write_bytes(content)
    return page, out, CliRunner().invoke(app, ["catalog", "import-docs", str(page), *AS_OF, "-o", str(out)])


def ends_cleanly(result: Any, page: Path, out: Path) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    ours = [line for line in result.stderr.splitlines() if line.startswith("versionguard: ")]
    assert forbidden("\n".join(ours)) == [], result.stderr
    assert result.exit_code in (0, 2), result.stderr
    if result.exit_code == 2:
        assert result.stderr.startswith(f"versionguard: error: {page}: "), result.stderr
        assert not out.exists()
    else:
        assert forbidden(out.read_text("utf-8")) == []
        load_catalog(out)  # what it wrote loads


def _table_cells(text: str) -> list[tuple[int, int]]:
    """(line index, cell index) of every body cell of every table (not the header or delimiter)."""
    lines = text.split("\n")
    out, fenced = [], False
    for i, line in enumerate(lines):
        fenced ^= line.startswith("```")  # a table in a code block is not a table
        if not fenced and line.startswith("|") and i >= 2 and lines[i - 1].startswith("|") and "---" not in line:
            out += [(i, c) for c in range(line.count("|") - 1)]
    return out


# Cell text that is no lifecycle word, date, name, version or replacement in any column: always unreadable.
hostile_cell = st.lists(st.one_of(st.sampled_from(ESCAPES), st.sampled_from(MARKUP), st.sampled_from(MARKDOWN),
                                  st.sampled_from(["a b", "x (y", "<br>", "—, —", "gpt-5 or later"])),
                        min_size=1, max_size=3).map(" ".join).filter(lambda t: "|" not in t and "\n" not in t)


@SETTINGS
@given(page=st.sampled_from(PAGES), data=st.data(), cell=hostile_cell)
def test_an_unreadable_cell_is_exit_2_naming_page_and_line(tmp_path: Path, page: Path, data: Any, cell: str) -> None:
    text = page.read_text("utf-8")
    line, column = data.draw(st.sampled_from(_table_cells(text)))
    lines = text.split("\n")
    cells = lines[line].split("|")
    cells[column + 1] = f" {cell} "
    lines[line] = "|".join(cells)
    path, out, result = run("\n".join(lines).encode("utf-8", "surrogatepass"), tmp_path)
    ends_cleanly(result, path, out)
    assert result.exit_code == 2, (cell, result.stderr)
    assert result.stderr.startswith(f"versionguard: error: {path}: line "), result.stderr


@SETTINGS
@given(page=st.sampled_from(PAGES), data=st.data())
def test_random_edits_end_cleanly(tmp_path: Path, page: Path, data: Any) -> None:
    text = bytearray(page.read_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        op = data.draw(st.sampled_from(["insert", "delete", "truncate", "duplicate-line"]))
        if op == "insert":
            text[at:at] = data.draw(st.binary(min_size=1, max_size=4) | st.sampled_from(
                [b"|", b"\\|", b"\n", b"---\n", b"```", b"^1^", b"<sup>1</sup>", b"**", b"\xe2\x80\x94", b"#",
                 b"\x1b[31m", b"\xe2\x80\xae", b" (already retired)", b"No earlier than "]))
        elif op == "delete":
            del text[at:at + data.draw(st.integers(1, 8))]
        elif op == "truncate":
            del text[at:]
        else:
            start = text.rfind(b"\n", 0, at) + 1
            end = text.find(b"\n", at)
            end = len(text) if end < 0 else end + 1
            text[start:start] = text[start:end]
    path, out, result = run(bytes(text), tmp_path)
    ends_cleanly(result, path, out)


@SETTINGS
@given(text=st.text(st.characters(codec="utf-8"), max_size=400))
def test_arbitrary_text_ends_cleanly(tmp_path: Path, text: str) -> None:
    path, out, result = run(("### Azure OpenAI\n\n" + text).encode("utf-8", "surrogatepass"), tmp_path)
    ends_cleanly(result, path, out)


@pytest.mark.parametrize("size", [10_000, 200_000])
def test_huge_tables_and_lines_end_cleanly(tmp_path: Path, size: int) -> None:
    head = ("### Azure OpenAI\n\n| Model | Version | Lifecycle | Retirement date | Replacement |\n"
            "| --- | --- | --- | --- | --- |\n")
    rows = "".join(f"| m{i} | 1 | GA | 2027-01-01 | — |\n" for i in range(size // 40))
    path, out, result = run((head + rows + "| " + "x" * size + " |\n").encode(), tmp_path)
    ends_cleanly(result, path, out)
    assert result.exit_code == 2  # the last row has one cell
