"""waiver-hygiene — every waiver is reasoned, current and short.

Rationale: a waiver is a promise to fix something by a date. One without a reason cannot be
reviewed, an expired one silences nothing and hides a broken promise, and a long one is a
permanent exception in disguise. A waiver for a policy that does not exist is a typo; one for a stack
policy silences nothing (those judge the stack, not a resource). A waiver granted after the as-of
date is not in force yet, and would otherwise dodge ``maxWaiverDays`` by starting the count later.

Fix: give the waiver a reason, renew or delete expired ones, keep ``expires`` within
``maxWaiverDays`` (default 90) of ``granted`` (or of today when ``granted`` is absent or later).
"""

from __future__ import annotations

from .base import Context, Level, Outcome, Rule, RuleMeta, Scope, Severity, Violation

META = RuleMeta(
    id="waiver-hygiene",
    title="Waiver hygiene",
    description="Waivers must have a reason, must not be expired and must not run longer than allowed.",
    level=Level.MANDATORY,
    severity=Severity.MEDIUM,
    remediation="Give each waiver a reason and an expiry within maxWaiverDays; delete or renew expired ones.",
    scope=Scope.STACK,
    config={"maxWaiverDays": {"type": "integer", "minimum": 0, "maximum": 36_500, "default": 90,
                              "description": "Longest accepted waiver, in days from granted (or today)."}},
)

def check_stack(ctx: Context) -> list[Outcome]:
    policies = ctx.policies
    out: list[Outcome] = []
    for w in ctx.waivers.items:
        if w.stacks is not None and ctx.stack is not None and ctx.stack not in w.stacks:
            continue
        what = f"waiver #{w.index + 1} ({w.policy} on {w.resource}, {ctx.waivers.origin})"
        if w.policy not in policies:
            out.append(Violation(f"{what} names no versionguard policy."))
        elif policies[w.policy] == Scope.STACK:
            out.append(Violation(f"{what} names the stack policy {w.policy}, which judges the stack, not a "
                                 "resource: no waiver can silence it."))
        if not w.reason:
            out.append(Violation(f"{what} has no reason, so it silences nothing."))
        if w.expires < ctx.as_of:
            out.append(Violation(f"{what} expired on {w.expires} and silences nothing."))
        if w.granted is not None and w.granted > ctx.as_of:
            out.append(Violation(f"{what} is granted on {w.granted}, after the as-of date {ctx.as_of}: it silences "
                                 "nothing before then, and its length cannot be measured from a future day."))
        start = min(w.granted or ctx.as_of, ctx.as_of)  # a future grant date must not shorten the measured length
        if (w.expires - start).days > ctx.settings.max_waiver_days:
            out.append(Violation(f"{what} runs {(w.expires - start).days} days from {start} to {w.expires}, "
                                 f"longer than {ctx.settings.max_waiver_days}."))
    return out


RULE = Rule(META, check_stack=check_stack)
