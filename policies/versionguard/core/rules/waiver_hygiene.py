"""waiver-hygiene — every waiver is reasoned, current and short.

Rationale: a waiver is a promise to fix something by a date. One without a reason cannot be
reviewed, an expired one silences nothing and hides a broken promise, and a long one is a
permanent exception in disguise. A waiver for a policy that does not exist is a typo.

Fix: give the waiver a reason, renew or delete expired ones, keep ``expires`` within
``maxWaiverDays`` (default 90) of ``granted`` (or of today when ``granted`` is absent).
"""

from __future__ import annotations

from .base import Context, Level, Outcome, Rule, RuleMeta, Scope, Violation

META = RuleMeta(
    id="waiver-hygiene",
    title="Waiver hygiene",
    description="Waivers must have a reason, must not be expired and must not run longer than allowed.",
    level=Level.MANDATORY,
    severity="medium",
    remediation="Give each waiver a reason and an expiry within maxWaiverDays; delete or renew expired ones.",
    scope=Scope.STACK,
    config={"maxWaiverDays": {"type": "integer", "minimum": 0, "default": 90,
                              "description": "Longest accepted waiver, in days from granted (or today)."}},
)

def check_stack(ctx: Context) -> list[Outcome]:
    from . import RULE_IDS  # the registry imports this module; read it at call time

    out: list[Outcome] = []
    for w in ctx.waivers.items:
        if w.stacks is not None and ctx.stack is not None and ctx.stack not in w.stacks:
            continue
        what = f"waiver #{w.index + 1} ({w.policy} on {w.resource}, {ctx.waivers.origin})"
        if w.policy not in RULE_IDS:
            out.append(Violation(f"{what} names no versionguard policy."))
        if not w.reason:
            out.append(Violation(f"{what} has no reason, so it silences nothing."))
        if w.expires < ctx.as_of:
            out.append(Violation(f"{what} expired on {w.expires} and silences nothing."))
        start = w.granted or ctx.as_of
        if (w.expires - start).days > ctx.settings.max_waiver_days:
            out.append(Violation(f"{what} runs {(w.expires - start).days} days from {start} to {w.expires}, "
                                 f"longer than {ctx.settings.max_waiver_days}."))
    return out


RULE = Rule(META, check_stack=check_stack)
