"""``versionguard catalog import-docs``: the published retirement schedule (Markdown) -> a catalog.

The pages under tests/fixtures/schedule/ are ours, in the two published layouts
(retirement-schedule-2026-09-02.md describes both): ``learn-page.md`` (the Learn page's Markdown:
``##``/``###`` provider sections, ``—`` for none, ``^1^`` footnotes, "No earlier than" dates, a
duplicated row with conflicting dates, a name with a remark, rows without a version, a cell with two
replacements) and ``include-file.md`` (the docs include: front matter with ``ms.date: MM/DD/YYYY``,
``<sup>1</sup>`` footnotes, bold cells, ``(already retired)``, a Deprecation date column). The table
rows of the Azure OpenAI section carry the 2026-09-02 schedule's facts; ``AZURE_OPENAI`` below is
that table transcribed by hand into catalog terms, not our code's output.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from lifecycle_helpers import ROOT

from tests.support.page_server import PageServer, Reply, Serving
from versionguard.adapters.files.catalog_file import load_catalog
from versionguard.cli import app
from versionguard.core.catalog import Catalog

PAGES = ROOT / "tests" / "fixtures" / "schedule"
LEARN = PAGES / "learn-page.md"
INCLUDE = PAGES / "include-file.md"
D = dt.date.fromisoformat
AS_OF = "2026-09-02"

# The Azure OpenAI table of the 2026-09-02 schedule: (model, version, lifecycle, retirement, replacement).
# Lifecycle words as the catalog spells them; "—" is None. gpt-realtime-mini 2025-10-06 and 2025-12-15 are
# listed twice (2027-04-06 / 2026-09-21; 2027-06-15 / 2026-12-15): the earliest date applies (fail closed).
AZURE_OPENAI = [
    ("codex-mini", "2025-05-16", "deprecated", "2026-11-15", None),
    ("gpt-4.1", "2025-04-14", "legacy", "2027-04-14", None),
    ("gpt-4.1-mini", "2025-04-14", "legacy", "2027-04-14", None),
    ("gpt-4.1-nano", "2025-04-14", "legacy", "2027-04-14", None),
    ("gpt-4o", "2024-05-13", "deprecated", "2026-10-01", "gpt-5.1"),
    ("gpt-4o", "2024-08-06", "deprecated", "2027-04-14", "gpt-5.1"),
    ("gpt-4o", "2024-11-20", "legacy", "2027-04-14", "gpt-5.1"),
    ("gpt-4o-mini", "2024-07-18", "deprecated", "2027-04-14", None),
    ("gpt-4o-mini-transcribe", "2025-03-20", "ga", "2026-10-15", None),
    ("gpt-4o-mini-transcribe", "2025-12-15", "ga", "2027-06-15", None),
    ("gpt-4o-mini-tts", "2025-03-20", "preview", "2026-10-15", None),
    ("gpt-4o-mini-tts", "2025-12-15", "ga", "2027-06-15", None),
    ("gpt-4o-transcribe", "2025-03-20", "ga", "2026-10-15", None),
    ("gpt-4o-transcribe-diarize", "2025-10-15", "ga", "2027-04-15", None),
    ("gpt-5", "2025-08-07", "ga", "2027-02-09", None),
    ("gpt-5-chat", "2025-08-07", "retired", "2026-06-29", "gpt-chat-latest"),
    ("gpt-5-chat", "2025-10-03", "retired", "2026-05-13", "gpt-chat-latest"),
    ("gpt-5-codex", "2025-09-15", "ga", "2027-03-17", None),
    ("gpt-5-mini", "2025-08-07", "ga", "2027-02-09", None),
    ("gpt-5-nano", "2025-08-07", "ga", "2027-02-09", None),
    ("gpt-5-pro", "2025-10-06", "ga", "2027-04-07", None),
    ("gpt-5.1", "2025-11-13", "ga", "2027-05-15", None),
    ("gpt-5.1-chat", "2025-11-13", "retired", "2026-06-29", "gpt-chat-latest"),
    ("gpt-5.1-codex", "2025-11-13", "ga", "2027-05-15", None),
    ("gpt-5.1-codex-max", "2025-12-04", "ga", "2027-05-18", None),
    ("gpt-5.1-codex-mini", "2025-11-13", "ga", "2027-05-15", None),
    ("gpt-5.2", "2025-12-11", "ga", "2027-06-08", None),
    ("gpt-5.2-chat", "2025-12-11", "retired", "2026-05-13", "gpt-chat-latest"),
    ("gpt-5.2-chat", "2026-02-10", "retired", "2026-06-29", "gpt-chat-latest"),
    ("gpt-5.2-codex", "2026-01-14", "ga", "2027-07-13", None),
    ("gpt-5.3-chat", "2026-03-03", "retired", "2026-06-29", "gpt-chat-latest"),
    ("gpt-5.3-codex", "2026-02-24", "ga", "2027-08-24", None),
    ("gpt-5.4", "2026-03-05", "ga", "2027-09-02", None),
    ("gpt-5.4-mini", "2026-03-17", "ga", "2027-09-21", None),
    ("gpt-5.4-nano", "2026-03-17", "ga", "2027-09-21", None),
    ("gpt-5.4-pro", "2026-03-05", "ga", "2027-09-07", None),
    ("gpt-5.5", "2026-04-24", "ga", "2027-10-26", None),
    ("gpt-5.6-luna", "2026-07-09", "ga", "2028-01-11", None),
    ("gpt-5.6-sol", "2026-07-09", "ga", "2028-01-11", None),
    ("gpt-5.6-terra", "2026-07-09", "ga", "2028-01-11", None),
    ("gpt-audio", "2025-08-28", "ga", "2027-03-02", None),
    ("gpt-audio-1.5", "2026-02-23", "ga", "2027-08-24", None),
    ("gpt-audio-mini", "2025-10-06", "ga", "2027-04-06", None),
    ("gpt-audio-mini", "2025-12-15", "ga", "2027-06-15", None),
    ("gpt-chat-latest", "2026-05-05", "preview", "2026-08-05", None),
    ("gpt-chat-latest", "2026-05-28", "preview", "2026-08-28", None),
    ("gpt-chat-latest", "2026-06-24", "preview", "2026-09-24", None),
    ("gpt-chat-latest", "2026-08-06", "preview", "2026-12-02", None),
    ("gpt-image-1", "2025-04-15", "preview", "2026-10-23", None),
    ("gpt-image-1-mini", "2025-10-06", "ga", "2027-04-07", None),
    ("gpt-image-1.5", "2025-12-16", "ga", "2027-06-16", None),
    ("gpt-image-2", "2026-04-21", "ga", "2027-10-21", None),
    ("gpt-realtime", "2025-08-28", "ga", "2027-03-02", None),
    ("gpt-realtime-1.5", "2026-02-23", "ga", "2027-08-24", None),
    ("gpt-realtime-2", "2026-05-06", "preview", "2026-08-31", None),
    ("gpt-realtime-2.1", "2026-07-07", "preview", "2027-06-25", None),
    ("gpt-realtime-2.1-mini", "2026-07-07", "preview", "2027-06-25", None),
    ("gpt-realtime-mini", "2025-10-06", "ga", "2026-09-21", None),
    ("gpt-realtime-mini", "2025-12-15", "ga", "2026-12-15", None),
    ("o1", "2024-12-17", "deprecated", "2026-10-21", "gpt-5.6-sol"),
    ("o1-pro", "2025-03-19", "ga", "2026-10-21", "gpt-5.6-sol"),
    ("o3", "2025-04-16", "ga", "2026-10-21", "gpt-5.6-sol"),
    ("o3-deep-research", "2025-06-26", "ga", "2026-12-26", None),
    ("o3-mini", "2025-01-31", "deprecated", "2026-10-01", "o4-mini"),
    ("o3-pro", "2025-06-10", "ga", "2026-12-17", None),
    ("o4-mini", "2025-04-16", "deprecated", "2026-10-16", None),
    ("sora-2", "2025-10-06", "preview", "2026-07-15", "sora-2 2025-12-08"),
    ("sora-2", "2025-12-08", "preview", "2026-10-15", None),
    ("text-embedding-3-large", "1", "ga", "2028-02-09", None),
    ("text-embedding-3-small", "1", "ga", "2028-02-09", None),
    ("text-embedding-ada-002", "1", "ga", "2028-02-09", None),
    ("text-embedding-ada-002", "2", "ga", "2028-02-09", None),
    ("tts", "001", "preview", "2026-12-15", None),
    ("tts-hd", "001", "ga", "2026-12-15", None),
    ("whisper", "001", "ga", "2026-12-15", None),
]
# The fine-tuned table: (model, version, training retirement ("No earlier than"), deployment retirement).
FINE_TUNED = [
    ("gpt-4.1", "2025-04-14", "2027-04-14", "2027-10-14"),
    ("gpt-4.1-mini", "2025-04-14", "2027-04-14", "2027-10-14"),
    ("gpt-4.1-nano", "2025-04-14", "2027-04-14", "2027-10-14"),
    ("gpt-4o", "2024-08-06", "2027-04-01", "2027-10-01"),
    ("gpt-4o-mini", "2024-07-18", "2027-04-01", "2027-10-01"),
    ("o4-mini", "2025-04-16", "2027-04-16", "2027-10-16"),
]


def import_docs(runner, tmp_path: Path, *sources: str, as_of: str = AS_OF, extra: tuple[str, ...] = ()
                ) -> tuple[Any, Catalog | None]:
    out = tmp_path / "imported.yaml"
    result = runner.invoke(app, ["catalog", "import-docs", *sources, "--as-of", as_of, "-o", str(out), *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        assert not out.exists()
        return result, None
    return result, load_catalog(out)


def test_learn_page_reproduces_the_schedules_azure_openai_rows(runner, tmp_path):
    result, cat = import_docs(runner, tmp_path, str(LEARN))
    assert result.exit_code == 0, result.output
    got = [(v.model, v.version, v.lifecycle, v.retirement.isoformat() if v.retirement else None,
            str(v.replacement) if v.replacement else None) for v in cat.versions if v.format == "OpenAI"
           and v.model != "model-router"]
    assert sorted(got) == sorted(AZURE_OPENAI)
    for name, version, *_ in AZURE_OPENAI:
        v = cat.lookup(name, version, "OpenAI")
        assert v.date_status is None and v.sources == ("learn-page-md",)
    sora = cat.lookup("sora-2", "2025-10-06")
    assert sora.replacement.name == "sora-2" and sora.replacement.version == "2025-12-08"  # "name (version)"
    assert cat.lookup("gpt-4o", "2024-11-20").replacement.version is None  # a name alone: its default that day


def test_duplicate_rows_keep_the_earliest_date_and_both_rows_in_notes(runner, tmp_path):
    result, cat = import_docs(runner, tmp_path, str(LEARN))
    assert result.exit_code == 0, result.output
    v = cat.lookup("gpt-realtime-mini", "2025-10-06")
    assert v.retirement == D("2026-09-21")
    assert "learn-page.md line" in v.notes and "retirement 2027-04-06" in v.notes and "retirement 2026-09-21" in v.notes
    data = yaml.safe_load((tmp_path / "imported.yaml").read_text("utf-8"))
    [entry] = [e for m in data["models"] if m["name"] == "gpt-realtime-mini" for e in m["versions"]
               if e["version"] == "2025-10-06"]
    assert isinstance(entry["notes"], list) and len(entry["notes"]) == 1  # a per-version list of notes


def test_fine_tuned_table_is_tentative_with_its_footnote(runner, tmp_path):
    result, cat = import_docs(runner, tmp_path, str(LEARN))
    assert result.exit_code == 0, result.output
    for name, version, training, deployment in FINE_TUNED:
        ft = cat.lookup(name, version).fine_tuned
        assert (ft.training_retirement, ft.deployment_retirement, ft.date_status) == (
            D(training), D(deployment), "tentative"), name
    notes = cat.lookup("o4-mini", "2025-04-16").notes
    assert "no earlier than 2027-04-16" in notes
    assert "footnote 1: Only for customers who already fine-tune this model" in notes  # ^1^ resolved to its text
    assert cat.lookup("gpt-5", "2025-08-07").fine_tuned is None


def test_odd_cells_of_the_other_sections(runner, tmp_path):
    result, cat = import_docs(runner, tmp_path, str(LEARN))
    assert result.exit_code == 0, result.output
    # provider sections -> format; model-router is deployed with format OpenAI although listed under Microsoft
    assert cat.lookup("DeepSeek-R1", "1", "DeepSeek").lifecycle == "retired"
    assert str(cat.lookup("DeepSeek-V4-Flash", "2026-04-23", "DeepSeek").replacement) == "DeepSeek-V4-Flash-0731"
    assert cat.lookup("DeepSeek-V3.2", "1", "DeepSeek").retirement is None  # "—": no date announced
    assert cat.lookup("model-router", "2025-11-18", "OpenAI").retirement == D("2027-05-20")
    assert cat.lookup("MAI-Image-2", "2026-02-20", "Microsoft").lifecycle == "retired"
    assert cat.lookup("tsuzumi-7b", "2", "NTT Data").lifecycle == "legacy"
    assert [v.version for v in cat.versions_of("claude-haiku-4-5", "Anthropic")] == ["1", "2"]
    assert cat.lookup("Mistral-Large-3", "1", "Mistral AI").retirement is None
    # two replacements in one cell: the first is the replacement, both are in notes
    doc = cat.lookup("mistral-document-ai-2505", "1", "Mistral AI")
    assert str(doc.replacement) == "mistral-document-ai-2512"
    assert "(mistral-document-ai-2512, mistral-ocr-4-0)" in doc.notes
    # rows without a version cannot be entries: left out, each said on stderr with its line
    assert not cat.versions_of("Llama-3.3-70B-Instruct") and not cat.versions_of("claude-opus-4-1")
    assert not cat.versions_of("claude-mythos-preview")
    assert "learn-page.md: line 126: Llama-3.3-70B-Instruct has no version" in result.stderr
    assert "claude-mythos-preview has no version" in result.stderr  # the remark in parentheses is not the name
    assert "3 rows without a version left out" in result.stderr
    assert not cat.versions_of("not-a-row")  # a table inside a code block is not a table


def test_include_file_form(runner, tmp_path):
    result, cat = import_docs(runner, tmp_path, str(INCLUDE))
    assert result.exit_code == 0, result.output
    assert cat.sources["include-file-md"].date == D("2026-07-07")  # ms.date: 07/07/2026
    assert cat.as_of == D(AS_OF)
    assert cat.lookup("gpt-4.1", "2025-04-14").retirement == D("2026-10-14")  # `code` in a cell is read
    assert cat.lookup("gpt-5.2", "2025-12-11").retirement == D("2026-12-12")  # **bold**
    old = cat.lookup("gpt-35-turbo", "0125")
    assert old.retirement == D("2025-11-14") and old.lifecycle == "retired"  # **DATE (already retired)**
    assert "already retired" in old.notes and str(old.replacement) == "gpt-4o-mini 2024-07-18"
    v = cat.lookup("gpt-4o", "2024-11-20")
    assert v.deprecation == D("2026-04-01") and v.deprecation_status == "tentative" and v.date_status is None
    assert "footnote 1: Our note: an illustrative footnote" in cat.lookup("text-embedding-3-large", "1").notes
    ft = cat.lookup("gpt-4o-mini", "2024-07-18").fine_tuned
    assert (ft.training_retirement, ft.deployment_retirement, ft.date_status) == (
        D("2026-10-01"), D("2027-04-01"), "tentative")
    assert "training ends earlier for customers" in cat.lookup("gpt-4o-mini", "2024-07-18").notes  # <sup>1</sup>


def test_a_fine_tuned_section_beside_the_provider_sections(runner, tmp_path):
    path = tmp_path / "beside.md"
    text = "## Sold by Azure\n\n" + page("| gpt-4o | 2024-08-06 | Deprecated | 2027-04-14 | gpt-5.1 |")
    text += FT_HEAD.replace("####", "###") + "| gpt-4o | 2024-08-06 | No earlier than 2027-04-01 | 2027-10-01 |\n"
    path.write_text(text, "utf-8")
    result, cat = import_docs(runner, tmp_path, str(path))
    assert result.exit_code == 0, result.output
    ft = cat.lookup("gpt-4o", "2024-08-06", "OpenAI").fine_tuned
    assert (ft.training_retirement, ft.deployment_retirement, ft.date_status) == (
        D("2027-04-01"), D("2027-10-01"), "tentative")


def test_two_pages_merge_and_the_earliest_date_wins(runner, tmp_path):
    result, cat = import_docs(runner, tmp_path, str(LEARN), str(INCLUDE))
    assert result.exit_code == 0, result.output
    v = cat.lookup("gpt-4o", "2024-11-20")
    assert v.retirement == D("2026-10-01") and v.lifecycle == "legacy"  # include: ga 2026-10-01; learn: legacy
    assert "include-file.md line" in v.notes and "learn-page.md line" in v.notes
    assert v.sources == ("learn-page-md", "include-file-md")
    assert set(cat.sources) == {"learn-page-md", "include-file-md"}


def test_a_page_dated_after_the_as_of_date_is_refused(runner, tmp_path):
    result, _ = import_docs(runner, tmp_path, str(INCLUDE), as_of="2026-07-06")
    assert result.exit_code == 2
    assert "include-file.md: ms.date: expected a page dated on or before the as-of date 2026-07-06" in result.stderr


PREVIOUS = """schema: 1
as_of: 2026-08-01
sources:
  old: {title: an older catalog}
models:
  - name: gpt-5
    versions:
      - {version: "2025-08-07", lifecycle: ga, default: true, default_since: 2025-08-20, released: 2025-08-07,
         retirement: 2027-02-09, retirement_by_sku: {ProvisionedManaged: 2027-08-09, Standard: 2027-02-09},
         upgrade_lead_days: {Standard: 14}, auto_upgrade_start: 2027-01-10, sources: [old]}
  - name: gpt-4o
    versions:
      - {version: "2024-08-06", lifecycle: ga, default: true, default_since: 2025-02-13, deprecation: 2025-08-06,
         retirement: 2026-10-01, fine_tuned: {deployment_retirement: 2027-03-31}, sources: [old]}
  - name: gpt-5-chat
    versions:
      - {version: "2025-08-07", lifecycle: ga, default: true, retirement: 2026-06-29, sources: [old]}
  - name: gpt-chat-latest
    versions:
      - {version: "2026-05-05", lifecycle: preview, default: true, retirement: 2026-08-05, sources: [old]}
  - name: dall-e-3
    versions:
      - {version: "3", lifecycle: retired, retirement: 2026-03-04, sources: [old]}
api_versions:
  - {version: "2024-10-21", lifecycle: ga, sources: [old]}
"""


def test_previous_carries_over_what_the_page_does_not_state_and_the_diff_is_printed(runner, tmp_path):
    previous = tmp_path / "previous.yaml"
    previous.write_text(PREVIOUS, "utf-8")
    result, cat = import_docs(runner, tmp_path, str(LEARN), extra=("--previous", str(previous)))
    assert result.exit_code == 0, result.output
    g = cat.lookup("gpt-5", "2025-08-07")
    assert g.default and g.default_since == D("2025-08-20") and g.released == D("2025-08-07")
    assert g.retirement_by_sku == {"ProvisionedManaged": D("2027-08-09")}  # the one equal to the page's date is not
    assert g.upgrade_lead_by_sku == {"Standard": 14} and g.auto_upgrade_start == D("2027-01-10")
    assert "carried over from the previous catalog" in g.notes and "previous-catalog" in g.sources
    o = cat.lookup("gpt-4o", "2024-08-06")
    assert o.deprecation == D("2025-08-06") and o.retirement == D("2027-04-14")  # the page's date wins
    # the page has a fine-tuned row for it: the page's dates, not the previous catalog's
    assert o.fine_tuned.deployment_retirement == D("2027-10-01")
    assert not cat.lookup("gpt-5-chat", "2025-08-07").default  # retired on the page: no longer a default
    assert not cat.lookup("gpt-chat-latest", "2026-05-05").default  # its retirement date has passed
    assert cat.api_versions.lookup("2024-10-21") is not None  # the page says nothing about api-versions
    # the diff against --previous, as `catalog diff` prints it
    diff = runner.invoke(app, ["catalog", "diff", str(previous), str(tmp_path / "imported.yaml")])
    table = [line for line in diff.stdout.splitlines() if "│" in line]
    assert table and all(line in result.stderr for line in table)
    assert "dall-e-3" in result.stderr and "removed" in result.stderr
    assert "catalog import-docs (as of 2026-09-02):" in result.stderr


def test_without_previous_the_diff_is_against_the_bundled_catalog(runner, tmp_path):
    result, cat = import_docs(runner, tmp_path, str(INCLUDE))
    assert result.exit_code == 0
    assert "catalog diff bundled catalog (as of" in result.stderr
    assert "previous-catalog" not in cat.sources


def test_stdout_gets_the_catalog(runner, tmp_path):
    result = runner.invoke(app, ["catalog", "import-docs", str(INCLUDE), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(result.stdout)
    assert data["as_of"] == D(AS_OF) and len(data["models"]) == 7
    assert result.stdout.startswith("# Generated by `versionguard catalog import-docs` on 2026-09-02")


# --- what it cannot read: exit 2 naming the source and the line -----------------------------------

HEAD = ("### Azure OpenAI\n\n| Model | Version | Lifecycle | Retirement date | Replacement |\n"
        "| --- | --- | --- | --- | --- |\n")
FT_HEAD = ("\n#### Fine-tuned models\n\n| Model | Version | Training retirement date | Deployment retirement date |\n"
           "| --- | --- | --- | --- |\n")


def page(*rows: str, head: str = HEAD) -> str:
    return head + "".join(r + "\n" for r in rows)


MALFORMED = [
    pytest.param(page("| gpt-5 | 2025-08-07 | Sunset | 2027-02-09 | — |"), "line 5", "Lifecycle", id="lifecycle-word"),
    pytest.param(page("| gpt-5 | 2025-08-07 | GA | 2027-02-30 | — |"), "line 5", "Retirement date", id="no-such-day"),
    pytest.param(page("| gpt-5 | 2025-08-07 | GA | Q1 2027 | — |"), "line 5", "Retirement date", id="quarter"),
    pytest.param(page("| gpt-5 | 2025-08-07 | GA | 02/09/2027 | — |"), "line 5", "Retirement date", id="us-date"),
    pytest.param(page("| gpt-5 | 2025-08-07 | GA | No earlier than soon | — |"), "line 5", "Retirement date",
                 id="not-before-word"),
    pytest.param(page("| gpt-5 | 2025-08-07 | GA | 2027-02-09 | gpt-5.1 or later |"), "line 5", "Replacement",
                 id="replacement-prose"),
    pytest.param(page("| gpt-5 | 2025-08-07 | GA | 2027-02-09 | gpt-5.1 (2025-11-13 |"), "line 5", "Replacement",
                 id="replacement-paren"),
    pytest.param(page("| gpt-5 | 2025-08-07 | GA | 2027-02-09 | gpt-5.1, |"), "line 5", "Replacement",
                 id="replacement-empty-part"),
    pytest.param(page("| gpt-5 | 2025-08-07 | GA | 2027-02-09 |  |"), "line 5", "Replacement", id="empty-cell"),
    pytest.param(page("| gpt 5 | 2025-08-07 | GA | 2027-02-09 | — |"), "line 5", "Model", id="name-with-space"),
    pytest.param(page("| gpt-5 | 2025 08 07 | GA | 2027-02-09 | — |"), "line 5", "Version", id="version-space"),
    pytest.param(page("| gpt-5 | 2025-08-07 | GA | 2027-02-09<br>2027-03-01 | — |"), "line 5", "plain text",
                 id="html-in-cell"),
    pytest.param(page("| gpt-5 | 2025-08-07 | GA | 2027-02-09 |"), "line 5", "5 cells", id="short-row"),
    pytest.param(page("| gpt-5 | 2025-08-07 | GA |", head="### Azure OpenAI\n\n| Model | Version | Lifecycle |\n"
                      "| --- | --- | --- |\n"), "line 3", "columns Model | Version", id="missing-columns"),
    pytest.param(page("| gpt-5 | 2025-08-07 | GA | 2027-02-09 | — | x |",
                      head="### Azure OpenAI\n\n| Model | Version | Lifecycle | Retirement date | Replacement | Notes "
                      "|\n| --- | --- | --- | --- | --- | --- |\n"), "line 3", "columns Model | Version",
                 id="unknown-column"),
    pytest.param("### Azure OpenAI\n\n| Model | Version | Lifecycle | Retirement date | Replacement |\n"
                 "| gpt-5 | 2025-08-07 | GA | 2027-02-09 | — |\n", "line 3", "delimiter row", id="no-delimiter"),
    pytest.param(page(), "line 3", "at least one row", id="no-rows"),
    pytest.param("# Nothing here\n\nJust prose.\n", "(page)", "at least one retirement table", id="no-table"),
    pytest.param("| Model | Version | Lifecycle | Retirement date | Replacement |\n| --- | --- | --- | --- | --- |\n"
                 "| gpt-5 | 2025-08-07 | GA | 2027-02-09 | — |\n", "line 1", "provider heading", id="no-heading"),
    pytest.param("---\nms.date: 13/45/2026\n---\n" + page("| gpt-5 | 2025-08-07 | GA | 2027-02-09 | — |"),
                 "line 2", "ms.date", id="bad-ms-date"),
    pytest.param("---\nms.date: 07/07/2026\n" + page("| gpt-5 | 2025-08-07 | GA | 2027-02-09 | — |"), "line 1",
                 "front matter closed", id="open-front-matter"),
    pytest.param(page("| gpt-5 | 2025-08-07 | GA | 2027-02-09 | — |") + "```\n| a |\n", "line", "closed code fence",
                 id="open-fence"),
    pytest.param(page("| gpt-5 | 2025-08-07 | GA | 2027-02-09 | — |") + FT_HEAD +
                 "| gpt-35-turbo | 0613 | 2027-04-01 | 2027-10-01 |\n", "line 11", "base model version",
                 id="ft-no-base"),
    pytest.param(page("| gpt-5 | 2025-08-07 | GA | 2027-02-09 | — |") + FT_HEAD +
                 "| gpt-5 | 2025-08-07 | Never | 2027-10-01 |\n", "line 11", "Training retirement date",
                 id="ft-bad-date"),
]


@pytest.mark.parametrize(("text", "where", "expected"), MALFORMED)
def test_what_it_cannot_read_is_exit_2_naming_source_and_line(runner, tmp_path, text, where, expected):
    path = tmp_path / "bad-page.md"
    path.write_text(text, "utf-8")
    result, _ = import_docs(runner, tmp_path, str(LEARN), str(path))
    assert result.exit_code == 2, result.output
    assert f"versionguard: error: {path}: {where}" in result.stderr and expected in result.stderr


def test_missing_file_and_binary_page(runner, tmp_path):
    result, _ = import_docs(runner, tmp_path, str(tmp_path / "none.md"))
    assert result.exit_code == 2 and "none.md" in result.stderr
    (tmp_path / "bin.md").write_bytes(b"\xff\xfe| a |\n")
    result, _ = import_docs(runner, tmp_path, str(tmp_path / "bin.md"))
    assert result.exit_code == 2 and "bin.md: (encoding)" in result.stderr


# --- https:// sources ----------------------------------------------------------------------------

@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PageServer]:
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy",
                 "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with Serving(PageServer(), tmp_path) as running:
        running.replies["/schedule.md"] = Reply(LEARN.read_bytes())
        yield running


def trust(server: PageServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(server.ca_file))


def test_https_url_gives_the_same_catalog_as_the_file(runner, tmp_path, server, monkeypatch):
    trust(server, monkeypatch)
    url = f"{server.url}/schedule.md"
    result, from_url = import_docs(runner, tmp_path, url)
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((tmp_path / "imported.yaml").read_text("utf-8"))
    assert data["sources"] == {"schedule-md": {"title": url, "url": url, "date": D(AS_OF)}}
    (tmp_path / "imported.yaml").unlink()
    _, from_file = import_docs(runner, tmp_path, str(LEARN))
    assert [(v.model, v.version, v.format, v.lifecycle, v.retirement, v.replacement, v.fine_tuned)
            for v in from_url.versions] == [(v.model, v.version, v.format, v.lifecycle, v.retirement, v.replacement,
                                             v.fine_tuned) for v in from_file.versions]


def test_tls_is_verified(runner, tmp_path, server):
    result, _ = import_docs(runner, tmp_path, f"{server.url}/schedule.md")  # the test CA is not trusted
    assert result.exit_code == 2
    assert f"{server.url}/schedule.md: (TLS): expected a certificate the system" in result.stderr


@pytest.mark.parametrize(("reply", "expected"), [
    (Reply(b"gone", 404), "expected HTTP 200, got 'HTTP 404 Not Found'"),
    (Reply(b"x" * (8 * 1024 * 1024 + 1)), "a page of at most 8192 KiB"),
    (Reply(b"x" * (8 * 1024 * 1024 + 1), headers={"Content-Type": "text/markdown", "Content-Length": "999999999"}),
     "Content-Length 999999999"),
    (Reply(b"", 302, headers={"Location": "http://127.0.0.1:1/schedule.md"}), "expected an https:// URL"),
    (Reply(b"\x00\x01binary", headers={"Content-Type": "application/octet-stream"}), "expected UTF-8 text"),
])
def test_bad_responses_exit_2_naming_the_url(runner, tmp_path, server, monkeypatch, reply, expected):
    trust(server, monkeypatch)
    server.replies["/bad.md"] = reply
    result, _ = import_docs(runner, tmp_path, f"{server.url}/bad.md")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("versionguard: error: ") and expected in result.stderr


def test_a_slow_server_times_out(runner, tmp_path, server, monkeypatch):
    trust(server, monkeypatch)
    server.replies["/slow.md"] = Reply(LEARN.read_bytes(), delay=3)
    result, _ = import_docs(runner, tmp_path, f"{server.url}/slow.md", extra=("--timeout", "0.5"))
    assert result.exit_code == 2, result.output
    assert "within 0.5 s" in result.stderr


@pytest.mark.parametrize(("url", "expected"), [
    ("http://127.0.0.1:9/schedule.md", "expected an https:// URL"),
    ("ftp://example.invalid/schedule.md", "expected an https:// URL"),
    ("https://user:secret@127.0.0.1:9/schedule.md", "without user name or password"),
    ("https:///schedule.md", "with a host name"),
])
def test_only_plain_https_urls(runner, tmp_path, url, expected):
    result, _ = import_docs(runner, tmp_path, url)
    assert result.exit_code == 2 and expected in result.stderr
    assert "secret" not in result.stderr  # credentials are never echoed


def test_redirect_to_https_is_followed(runner, tmp_path, server, monkeypatch):
    trust(server, monkeypatch)
    server.replies["/moved.md"] = Reply(b"", 301, headers={"Location": "/schedule.md"})
    result, cat = import_docs(runner, tmp_path, f"{server.url}/moved.md")
    assert result.exit_code == 0, result.output
    assert server.seen == ["/moved.md", "/schedule.md"] and cat.lookup("gpt-5", "2025-08-07") is not None


def test_notes_may_be_a_list_of_text_in_any_catalog(tmp_path):
    from versionguard.core.catalog import catalog_from_data
    from versionguard.core.errors import InputError

    def data(notes: Any) -> dict[str, Any]:
        return {"schema": 1, "as_of": "2026-09-02", "models": [{"name": "m", "versions": [
            {"version": "1", "lifecycle": "ga", "notes": notes}]}]}

    assert catalog_from_data(data(["one.", "two."]), "x.yaml").versions[0].notes == "one.\ntwo."
    assert catalog_from_data(data("free text"), "x.yaml").versions[0].notes == "free text"
    for bad in ([1], {"a": "b"}, [["nested"]]):
        with pytest.raises(InputError, match="notes"):
            catalog_from_data(data(bad), "x.yaml")


@pytest.mark.parametrize("carry", ["models-list", "schedule"])
def test_both_carry_overs_keep_a_tentative_training_date_tentative(carry: str) -> None:
    """The previous catalog's ``fine_tuned.training_status`` travels with the dates (a "No earlier than"
    training date must not become a firm one on refresh)."""
    from versionguard.core.catalog import catalog_from_data
    from versionguard.core.catalog_merge import carry_over
    from versionguard.core.schedule_import import carry_over_docs

    previous = catalog_from_data({"schema": 1, "as_of": "2026-09-01", "models": [{"name": "x", "versions": [
        {"version": "1", "lifecycle": "ga", "fine_tuned": {"training_retirement": "2027-01-01",
                                                           "deployment_retirement": "2027-06-01",
                                                           "training_status": "tentative"}}]}]}, "previous.yaml")
    data: dict[str, Any] = {"schema": 1, "as_of": D("2026-09-02"), "sources": {"s": {"title": "t"}},
                            "models": [{"name": "x", "versions": [{"version": "1", "lifecycle": "ga",
                                                                   "sources": ["s"]}]}]}
    (carry_over if carry == "models-list" else carry_over_docs)(data, previous)
    assert data["models"][0]["versions"][0]["fine_tuned"]["training_status"] == "tentative"
    assert "previous-catalog" in data["sources"]
