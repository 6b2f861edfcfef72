"""Run rules over records. Pure: records, catalog, date and settings in; outcomes out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .records import DeploymentRecord
from .rules import RULES
from .rules.base import Context, Level, NeedsValue, Outcome, Rule, Undecidable, Violation


def evaluate(rule: Rule, rec: DeploymentRecord, ctx: Context) -> list[Outcome]:
    """Outcomes of one resource rule on one record; unknown/malformed inputs become outcomes."""
    if rule.check is None:
        return []
    try:
        return list(rule.check(rec, ctx))
    except Undecidable as u:
        return [u.outcome]


def evaluate_stack(rule: Rule, ctx: Context) -> list[Outcome]:
    if rule.check_stack is None:
        return []
    try:
        return list(rule.check_stack(ctx))
    except Undecidable as u:
        return [u.outcome]


@dataclass(frozen=True)
class Judgement:
    """One rule's outcome on one record, with the level it is reported at."""

    rule: Rule
    record: DeploymentRecord | None
    outcome: Outcome
    level: Level


def judge(records: Iterable[DeploymentRecord], ctx: Context,
          levels: dict[str, Level] | None = None,
          rules: Iterable[Rule] = RULES) -> list[Judgement]:
    """Every rule over every record at default (or given) levels; the library entry point used by
    the audit and forecast commands and by benchmarks. Disabled rules are skipped; with
    ``failOnUnknown`` off an unknown value is an advisory note, as CrossGuard reports it."""
    out: list[Judgement] = []
    rules = list(rules)
    recs = list(records)
    for rule in rules:
        level = (levels or {}).get(rule.meta.id, rule.meta.level)
        if level == Level.DISABLED:
            continue
        if level == Level.REMEDIATE:
            level = Level.MANDATORY
        if rule.check_stack is not None:
            out += [Judgement(rule, None, o, level) for o in evaluate_stack(rule, ctx)]
            continue
        for rec in recs:
            for o in evaluate(rule, rec, ctx):
                if isinstance(o, NeedsValue) and not ctx.settings.fail_on_unknown:
                    out.append(Judgement(rule, rec, o, Level.ADVISORY))
                else:
                    out.append(Judgement(rule, rec, o, level))
    return out


def unknown_message(o: NeedsValue) -> str:
    return f"value at .{o.unknown.dotted} can't be known during preview"


def message_of(o: Outcome) -> str:
    return o.message if isinstance(o, Violation) else unknown_message(o)

