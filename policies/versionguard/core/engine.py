"""Run rules over records. Pure: records, catalog, date and settings in; outcomes out."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .api_usage import UsageScan
from .records import DeploymentRecord
from .rules import RULES
from .rules.base import Context, Level, NeedsValue, Outcome, Rule, Undecidable, Violation


def _outcomes(check: Callable[..., Iterable[Outcome]] | None, *subject: object) -> list[Outcome]:
    """A check's outcomes; an unknown or malformed input raised as Undecidable becomes its outcome."""
    if check is None:
        return []
    try:
        return list(check(*subject))
    except Undecidable as u:
        return [u.outcome]


def evaluate(rule: Rule, rec: DeploymentRecord, ctx: Context) -> list[Outcome]:
    """Outcomes of one deployment rule on one record."""
    return _outcomes(rule.check, rec, ctx)


def evaluate_usages(rule: Rule, scan: UsageScan, ctx: Context) -> list[Outcome]:
    """Outcomes of one api-version rule on one resource's usages."""
    return _outcomes(rule.check_usages, scan, ctx)


def evaluate_stack(rule: Rule, ctx: Context) -> list[Outcome]:
    return _outcomes(rule.check_stack, ctx)


@dataclass(frozen=True)
class Judgement:
    """One rule's outcome on one record (``None`` for a stack rule), with the level it is reported at."""

    rule: Rule
    record: DeploymentRecord | None
    outcome: Outcome
    level: Level


def judge(records: Iterable[DeploymentRecord], ctx: Context,
          levels: dict[str, Level] | None = None,
          rules: Iterable[Rule] = RULES) -> list[Judgement]:
    """Every deployment and stack rule over the records at default (or given) levels; the library
    entry point used by the audit command and by benchmarks. The api-version rules judge usage scans
    of any resource's inputs (:func:`evaluate_usages`, called by the pack), not records: they yield
    nothing here. Disabled rules are skipped; with ``failOnUnknown`` off an unknown value is an
    advisory note, as CrossGuard reports it."""
    out: list[Judgement] = []
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
        if rule.check is None:  # an api-version rule
            continue
        for rec in recs:
            out += [Judgement(rule, rec, o, _level_of(o, level, ctx)) for o in evaluate(rule, rec, ctx)]
    return out


def _level_of(o: Outcome, level: Level, ctx: Context) -> Level:
    return Level.ADVISORY if isinstance(o, NeedsValue) and not ctx.settings.fail_on_unknown else level


def unknown_message(o: NeedsValue) -> str:
    return o.reason or f"value at .{o.unknown.dotted} can't be known during preview"


def message_of(o: Outcome) -> str:
    return o.message if isinstance(o, Violation) else unknown_message(o)

