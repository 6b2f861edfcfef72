"""The rule contract: exactly one check per rule, a severity enum, remediation owned by the rule,
and the policy scopes reaching waiver-hygiene through the context."""

from __future__ import annotations

import ast
import dataclasses
from typing import Any

import pytest

from tests.support import ROOT
from tests.unit.testkit import context, record
from versionguard.core.rules import BY_ID, RULES, SCOPES
from versionguard.core.rules.base import Level, PropertyEdit, Rule, RuleMeta, Scope, Severity, Violation
from versionguard.core.waivers import waivers_from_data

PACKAGE = ROOT / "policies" / "versionguard"
META = RuleMeta(id="x-rule", title="X", description="X.", level=Level.ADVISORY, severity=Severity.LOW,
                remediation="Fix it.")


def _resource(_rec: Any, _ctx: Any) -> list[Violation]:
    return []


def _stack(_ctx: Any) -> list[Violation]:
    return []


def _edits(_rec: Any, _ctx: Any) -> list[PropertyEdit]:
    return []


@pytest.mark.parametrize("checks", [
    {},
    {"check": _resource, "check_stack": _stack},
    {"check": _resource, "check_usages": _resource},
    {"check_stack": _stack, "check_usages": _resource},
    {"check": _resource, "check_stack": _stack, "check_usages": _resource},
], ids=["none", "resource+stack", "resource+usages", "stack+usages", "all-three"])
def test_a_rule_needs_exactly_one_check(checks: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="exactly one of check, check_stack, check_usages"):
        Rule(META, **checks)


@pytest.mark.parametrize("kind", ["check", "check_stack", "check_usages"])
def test_one_check_of_any_kind_is_a_rule(kind: str) -> None:
    rule = Rule(META, **{kind: _stack if kind == "check_stack" else _resource})
    assert getattr(rule, kind) is not None


@pytest.mark.parametrize("kind", ["check_stack", "check_usages"])
def test_only_a_deployment_rule_remediates(kind: str) -> None:
    with pytest.raises(ValueError, match="only a deployment rule"):
        Rule(META, **{kind: _stack if kind == "check_stack" else _resource}, remediate=_edits)
    assert Rule(META, check=_resource, remediate=_edits).remediate is _edits


def test_every_registered_rule_has_one_check() -> None:
    for rule in RULES:
        assert sum(c is not None for c in (rule.check, rule.check_stack, rule.check_usages)) == 1, rule.meta.id


@pytest.mark.parametrize(("given", "expected"), [("low", Severity.LOW), ("critical", Severity.CRITICAL),
                                                 (Severity.HIGH, Severity.HIGH)])
def test_severity_is_an_enum(given: Any, expected: Severity) -> None:
    meta = RuleMeta(id="x", title="X", description="X.", level=Level.ADVISORY, severity=given, remediation="r")
    assert meta.severity is expected


@pytest.mark.parametrize("bad", ["hihg", "HIGH", "", "info"])
def test_unknown_severity_fails_at_construction(bad: str) -> None:
    with pytest.raises(ValueError, match=repr(bad)):
        RuleMeta(id="x", title="X", description="X.", level=Level.ADVISORY, severity=bad, remediation="r")


def test_registered_severities_are_enums() -> None:
    assert all(type(r.meta.severity) is Severity for r in RULES)


def test_scopes_cover_every_rule() -> None:
    assert {r.meta.id: r.meta.scope for r in RULES} == SCOPES
    assert SCOPES["waiver-hygiene"] == Scope.STACK and SCOPES["retired-model-version"] == Scope.RESOURCE


def test_waiver_hygiene_reads_the_policies_of_its_context() -> None:
    waivers = waivers_from_data({"waivers": [{"policy": "x-rule", "resource": "dep", "reason": "r",
                                         "expires": "2026-02-01"}]}, "w.yaml")
    check = BY_ID["waiver-hygiene"].check_stack
    assert check is not None
    ctx = context(waivers=waivers)
    assert [o.message for o in check(ctx)] == ["waiver #1 (x-rule on dep, w.yaml) names no versionguard policy."]
    assert check(dataclasses.replace(ctx, policies={"x-rule": Scope.RESOURCE})) == []
    assert [o.message for o in check(dataclasses.replace(ctx, policies={"x-rule": Scope.STACK}))] == [
        "waiver #1 (x-rule on dep, w.yaml) names the stack policy x-rule, which judges the stack, not a resource: "
        "no waiver can silence it."]


def test_waiver_hygiene_does_not_import_the_registry() -> None:
    tree = ast.parse((PACKAGE / "core" / "rules" / "waiver_hygiene.py").read_text("utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert imported <= {"__future__", "base"}, imported


@pytest.mark.parametrize(("flavour", "path", "value"), [
    ("native", "properties.versionUpgradeOption", "OnceCurrentVersionExpired"),
    ("versioned", "properties.versionUpgradeOption", "OnceCurrentVersionExpired"),
    ("classic", "versionUpgradeOption", "OnceNewDefaultVersionAvailable"),
])
def test_upgrade_option_explicit_remediation_is_an_edit(flavour: str, path: str, value: str) -> None:
    remediate = BY_ID["upgrade-option-explicit"].remediate
    assert remediate is not None
    assert remediate(record(flavour), context()) == [PropertyEdit(path, value)]
    assert remediate(record(flavour, option="NoAutoUpgrade"), context()) == []


def test_no_adapter_or_command_picks_a_rule_by_id() -> None:
    """The pack and the commands treat every rule alike: no ``meta.id == "..."`` special case."""
    offenders = []
    for sub in ("adapters", "commands", "cli", "reporters"):
        for path in (PACKAGE / sub).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.Compare) and any(isinstance(c, ast.Constant) and isinstance(c.value, str)
                                                         for c in node.comparators) \
                        and isinstance(node.left, ast.Attribute) and node.left.attr == "id":
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []
