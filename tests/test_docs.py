"""The rule reference and the configuration docs agree with the code.

docs/rules.md must have one section per rule (headed by the rule id, so ``RuleMeta.url`` resolves),
with the parts every section promises, and a summary table whose levels, severities, scopes and
config keys are the rules' own. The shipped policy config files may only name real policies and
their real properties; the waivers and policy-config pages must cover the file format and variables.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
import typer

from tests.support import ROOT
from versionguard.adapters.files.env_vars import ENV_AS_OF, ENV_CATALOG, ENV_WAIVERS
from versionguard.adapters.files.policy_config import PolicyInfo, load_policy_config, reconcile
from versionguard.core.rules import RULE_IDS, RULES
from versionguard.core.rules.base import Rule
from versionguard.core.waivers import Waiver

DOCS = ROOT / "docs"
RULES_MD = DOCS / "rules.md"
WAIVERS_MD = DOCS / "waivers.md"
POLICY_CONFIG_MD = DOCS / "policy-config.md"
CONFIG_FILES = sorted((ROOT / "policies" / "config").glob("*.json"))
# Keys of a policy pack config file that are not policy names.
NON_POLICY_KEYS = {"all", "environments"}

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _prose_lines(text: str) -> list[tuple[bool, str]]:
    """Every line with a flag: True when it is outside fenced code blocks."""
    out: list[tuple[bool, str]] = []
    fenced = False
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            out.append((False, line))
            continue
        out.append((not fenced, line))
    return out


def github_slug(heading: str) -> str:
    """The anchor GitHub derives from a heading's text (before de-duplication)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # links keep their text
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def headings(text: str) -> list[tuple[int, str]]:
    """(level, text) of every Markdown heading outside code blocks."""
    found = []
    for prose, line in _prose_lines(text):
        m = _HEADING.match(line) if prose else None
        if m:
            found.append((len(m.group(1)), m.group(2)))
    return found


def anchors(text: str) -> set[str]:
    """Every anchor GitHub generates for the headings of a document, with its -1, -2 suffixes."""
    seen: dict[str, int] = {}
    out: set[str] = set()
    for _, heading in headings(text):
        slug = github_slug(heading)
        count = seen.get(slug, 0)
        out.add(slug if count == 0 else f"{slug}-{count}")
        seen[slug] = count + 1
    return out


def sections(text: str) -> dict[str, str]:
    """Level-2 heading text -> the section's text up to the next level-2 heading."""
    out: dict[str, str] = {}
    current: str | None = None
    lines: list[str] = []
    for prose, line in _prose_lines(text):
        m = _HEADING.match(line) if prose else None
        if m and len(m.group(1)) == 2:
            if current is not None:
                out[current] = "\n".join(lines)
            current, lines = m.group(2), []
        elif current is not None:
            lines.append(line)
    if current is not None:
        out[current] = "\n".join(lines)
    return out


def summary_rows(text: str) -> dict[str, list[str]]:
    """The summary table of rules.md: rule id -> its cells after the first."""
    body = sections(text)["Summary"]
    table = []
    for line in body.splitlines():
        if line.startswith("|"):
            table.append(line)
        elif table:
            break  # the first table only
    rows: dict[str, list[str]] = {}
    for line in table[2:]:  # header and separator
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        m = re.fullmatch(r"\[([^\]]+)\]\(#([^)]+)\)", cells[0])
        assert m, f"summary row does not start with a [id](#id) link: {line}"
        assert m.group(1) == m.group(2), f"summary link text and anchor differ: {cells[0]}"
        rows[m.group(1)] = cells[1:]
    return rows


@pytest.fixture(scope="module")
def rules_md() -> str:
    return RULES_MD.read_text("utf-8")


@pytest.fixture(scope="module")
def rule_sections(rules_md: str) -> dict[str, str]:
    return sections(rules_md)


def _ids(rule: Rule) -> str:
    return rule.meta.id


# ------------------------------------------------------------------------------------------ helpers


def test_slugs_follow_github() -> None:
    assert github_slug("model-version-pinned") == "model-version-pinned"
    assert github_slug("Values: case, defaults, deployment types") == "values-case-defaults-deployment-types"
    assert github_slug("As-of date, catalog and retirement dates") == "as-of-date-catalog-and-retirement-dates"
    assert anchors("## Examples\n\n## Examples\n\n```sh\n# not a heading\n```\n") == {"examples", "examples-1"}


# ------------------------------------------------------------------------------------------ rules.md


@pytest.mark.parametrize("rule", RULES, ids=_ids)
def test_every_rule_has_a_section_headed_by_its_id(rule: Rule, rule_sections: dict[str, str]) -> None:
    assert rule.meta.id in rule_sections, f"docs/rules.md has no '## {rule.meta.id}' section"


@pytest.mark.parametrize("rule", RULES, ids=_ids)
def test_each_section_has_every_part(rule: Rule, rule_sections: dict[str, str]) -> None:
    body = rule_sections[rule.meta.id]
    for word in ("Synopsis", "Rationale", "Recommendation", "Example", "Configuration", "Links"):
        assert word in body, f"section {rule.meta.id} lacks {word}"
    for key in rule.meta.config:
        assert f"`{key}`" in body, f"section {rule.meta.id} does not document its config key {key}"
    # A failing and a passing example, each with a snippet.
    assert re.search(r"\bFailing\b", body) and re.search(r"\bPassing\b", body), rule.meta.id
    assert body.count("```") >= 4, f"section {rule.meta.id} needs example snippets"


@pytest.mark.parametrize("rule", RULES, ids=_ids)
def test_synopsis_and_level_line_match_the_metadata(rule: Rule, rule_sections: dict[str, str]) -> None:
    body = rule_sections[rule.meta.id]
    assert f"**Synopsis:** {rule.meta.description}" in body
    meta = rule.meta
    assert f"**Level:** {meta.level.value} · **Severity:** {meta.severity} · **Scope:** {meta.scope.value}" in body


def test_rule_sections_follow_the_registry_order(rules_md: str) -> None:
    order = [text for level, text in headings(rules_md) if level == 2 and text in RULE_IDS]
    assert order == [r.meta.id for r in RULES]


@pytest.mark.parametrize("rule", RULES, ids=_ids)
def test_rule_url_resolves_to_a_heading(rule: Rule, rules_md: str) -> None:
    path, _, anchor = rule.meta.url.partition("#")
    assert (ROOT / path).resolve() == RULES_MD.resolve(), rule.meta.url
    assert anchor == rule.meta.id
    assert anchor in anchors(rules_md), f"{rule.meta.url} points at no heading"


def test_summary_table_lists_every_rule_once_in_order(rules_md: str) -> None:
    assert list(summary_rows(rules_md)) == [r.meta.id for r in RULES]


@pytest.mark.parametrize("rule", RULES, ids=_ids)
def test_summary_row_matches_the_rule(rule: Rule, rules_md: str) -> None:
    level, severity, scope, keys = summary_rows(rules_md)[rule.meta.id]
    assert level == rule.meta.level.value
    assert severity == rule.meta.severity
    assert scope == rule.meta.scope.value
    assert re.findall(r"`([^`]+)`", keys) == list(rule.meta.config)


def test_config_key_table_gives_the_schema_defaults(rules_md: str) -> None:
    body = sections(rules_md)["Summary"]
    schemas: dict[str, list[tuple[str, dict]]] = {}
    for r in RULES:
        for k, v in r.meta.config.items():
            schemas.setdefault(k, []).append((r.meta.id, v))
    for key, owners in schemas.items():
        row = next((line for line in body.splitlines() if line.startswith(f"| `{key}` |")), None)
        assert row is not None, f"the config key table has no row for {key}"
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        defaults = {json.dumps(schema["default"]) for _, schema in owners}
        for _, schema in owners:
            assert cells[1].startswith(schema["type"]), (key, cells[1])
        # the usual default first; a rule with another default is named beside it
        common = max(defaults, key=lambda d: sum(json.dumps(s["default"]) == d for _, s in owners))
        assert cells[2].startswith(f"`{common}`"), (key, cells[2])
        for rule_id, schema in owners:
            if json.dumps(schema["default"]) != common:
                assert f"`{json.dumps(schema['default'])}` for {rule_id}" in cells[2], (key, rule_id, cells[2])


# ------------------------------------------------------------------------------------------ links


@pytest.mark.parametrize("doc", [RULES_MD, WAIVERS_MD, POLICY_CONFIG_MD], ids=lambda p: p.name)
def test_relative_links_resolve(doc: Path) -> None:
    text = doc.read_text("utf-8")
    prose = "\n".join(line for ok, line in _prose_lines(text) if ok)
    for target in _LINK.findall(prose):
        if re.match(r"^[a-z]+:", target):
            continue  # external
        path, _, anchor = target.partition("#")
        file = (doc.parent / path).resolve() if path else doc
        assert file.is_file(), f"{doc.name}: link to missing file {target}"
        if anchor and file.suffix == ".md":
            assert anchor in anchors(file.read_text("utf-8")), f"{doc.name}: link to missing anchor {target}"


@pytest.mark.parametrize("doc", [ROOT / "README.md", *sorted(DOCS.glob("*.md"))], ids=lambda p: p.name)
def test_no_doc_announces_a_shipped_command_as_coming(doc: Path) -> None:
    """README said `catalog fetch` "is being added" after it shipped."""
    from versionguard.cli import app

    group = typer.main.get_command(app)
    shipped = [f"versionguard {name}" for name in group.commands]  # type: ignore[attr-defined]
    shipped += [f"versionguard catalog {name}" for name in group.commands["catalog"].commands]  # type: ignore
    text = " ".join(doc.read_text("utf-8").replace("`", "").split())
    for sentence in re.split(r"(?<=[.!?])\s", text):
        if re.search(r"\b(is|are) being added\b|\bwill be added\b|\bcoming soon\b", sentence):
            assert not [c for c in shipped if c in sentence], sentence


# ------------------------------------------------------------------------------------------ config files


def test_there_are_shipped_policy_configs() -> None:
    assert {p.stem for p in CONFIG_FILES} >= {"dev", "staging", "prod"}


@pytest.mark.parametrize("path", CONFIG_FILES, ids=lambda p: p.name)
def test_policy_config_names_only_real_policies_and_properties(path: Path) -> None:
    data = json.loads(path.read_text("utf-8"))
    by_id = {r.meta.id: r for r in RULES}
    for name, value in data.items():
        if name in NON_POLICY_KEYS:
            continue
        assert name in RULE_IDS, f"{path.name}: {name} is not a versionguard policy"
        if isinstance(value, dict):
            unknown = set(value) - {"enforcementLevel"} - set(by_id[name].meta.config)
            assert not unknown, f"{path.name}: {name} has no properties {sorted(unknown)}"


@pytest.mark.parametrize("path", CONFIG_FILES, ids=lambda p: p.name)
def test_policy_config_passes_the_offline_validation(path: Path) -> None:
    infos = [PolicyInfo(r.meta.id, r.meta.level.value, r.meta.config) for r in RULES]
    settings = reconcile(infos, load_policy_config(path), str(path))
    assert set(settings) == RULE_IDS


@pytest.mark.parametrize("path", CONFIG_FILES, ids=lambda p: p.name)
def test_policy_config_page_names_each_shipped_file(path: Path) -> None:
    assert f"`{path.name}`" in POLICY_CONFIG_MD.read_text("utf-8")


# ------------------------------------------------------------------------------------------ other pages


def test_waivers_page_documents_every_waiver_key() -> None:
    text = WAIVERS_MD.read_text("utf-8")
    keys = [f.name for f in dataclasses.fields(Waiver) if f.name != "index"]
    for key in keys:
        assert f"| `{key}` |" in text, f"docs/waivers.md does not document the waiver key {key}"
    assert ENV_WAIVERS in text and "--waivers" in text


def test_policy_config_page_documents_the_environment_and_properties() -> None:
    text = POLICY_CONFIG_MD.read_text("utf-8")
    for name in (ENV_AS_OF, ENV_CATALOG, ENV_WAIVERS, "--policy-pack-config", '"all"', "enforcementLevel"):
        assert name in text, f"docs/policy-config.md does not mention {name}"
    for key in {k for r in RULES for k in r.meta.config}:
        assert f"`{key}`" in text, f"docs/policy-config.md does not document {key}"


def test_waivers_page_says_what_the_code_does_with_fail_on_unknown() -> None:
    """A waiver silences a failOnUnknown violation of its policy (tests/unit/test_waivers.py pins the code)."""
    text = " ".join(WAIVERS_MD.read_text("utf-8").split())
    not_silenced = text.split("What a waiver does **not** silence:", 1)[1].split("**Unknown values", 1)[0]
    assert "failOnUnknown` property is `true`" not in not_silenced and "violation" in not_silenced
    assert "a matching active waiver silences it like any other violation of that policy" in text


def test_readme_adopter_sample_is_what_check_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """README "Use it in your own Pulumi project": the `check` output shown is a real run's, verdict line
    (with its deployment count) and per-stack run lines included. The project is the fixture the README
    names, laid out as there: /tmp/adopt/infra with versionguard's virtualenv at /tmp/adopt/.venv."""
    import shutil

    from typer.testing import CliRunner

    from versionguard.cli import app

    readme = (ROOT / "README.md").read_text("utf-8")
    command = "$ ../.venv/bin/versionguard check -s dev --as-of 2026-12-07\n"
    shown = readme[readme.index(command) + len(command):]
    shown = shown[:shown.index("\n$ ")] + "\n"
    infra = tmp_path / "adopt" / "infra"
    shutil.copytree(ROOT / "tests" / "fixtures" / "programs" / "readme_adopter", infra)
    (tmp_path / "adopt" / ".venv").symlink_to(ROOT / ".venv")
    monkeypatch.chdir(infra)
    result = CliRunner().invoke(app, ["check", "-s", "dev", "--as-of", "2026-12-07"])
    assert result.exit_code == 1, result.output
    assert result.output == shown
