"""Findings and reports: the one result shape every command and output format shares."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

STACK_RESOURCE = "(stack)"


@dataclass(frozen=True)
class Finding:
    stack: str
    policy: str
    level: str  # advisory | mandatory (remediate is reported as mandatory)
    resource: str
    type: str
    urn: str
    message: str
    waived: bool = False
    waiver_reason: str | None = None
    waiver_expires: dt.date | None = None
    # Where a live deployment sits (audit); None for stack resources, and then not in the JSON.
    subscription: str | None = None
    resource_group: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "stack": self.stack, "policy": self.policy, "level": self.level, "resource": self.resource,
            "type": self.type, "urn": self.urn, "message": self.message, "waived": self.waived,
        }
        if self.subscription is not None:
            out["subscription"] = self.subscription
        if self.resource_group is not None:
            out["resource_group"] = self.resource_group
        if self.waived:
            out["waiver"] = {"reason": self.waiver_reason,
                             "expires": self.waiver_expires.isoformat() if self.waiver_expires else None}
        return out


@dataclass(frozen=True)
class StackRun:
    """How one stack was judged: what ran it and how many deployments it declared, or why it could not be."""

    stack: str
    deployments: int = 0
    python: str = ""  # the interpreter that ran the program
    python_source: str = ""  # how that interpreter was chosen
    policy_config: str | None = None  # None: no per-stack policy config file, the documented defaults
    error: str | None = None  # the stack could not be judged (exit 2)
    notes: tuple[str, ...] = ()  # what the person should know (unknown stack references, ...)
    output: str = ""  # what the program printed: terminal only, never part of the report
    # The file the stack's findings point at (SARIF): its stack file, else the project file, relative to the
    # repository root (absolute outside one). None: no file holds the stack (an audit of live deployments).
    stack_file: str | None = None
    # Input the person chose to judge although it is not the whole result (audit --allow-partial):
    # what the verdict does not cover. Empty: the verdict covers everything asked for.
    partial: tuple[str, ...] = ()
    # audit --live: (accounts Resource Graph found, accounts whose deployments ARM listed). None: not live.
    accounts: tuple[int, int] | None = None

    def to_json(self) -> dict[str, Any]:
        out = {"stack": self.stack, "deployments": self.deployments, "python": self.python,
               "python_source": self.python_source, "policy_config": self.policy_config, "error": self.error,
               "notes": list(self.notes), "stack_file": self.stack_file}
        if self.partial:
            out["partial"] = list(self.partial)
        if self.accounts is not None:
            out["accounts"] = {"found": self.accounts[0], "listed": self.accounts[1]}
            out["coverage"] = self.coverage
        return out

    @property
    def coverage(self) -> str | None:
        """A live run's reach in words: accounts found, listed, deployments judged, and what an empty
        result means (so that "0 deployments, PASS" never stands alone). None for other runs."""
        if self.accounts is None:
            return None
        found, listed = self.accounts
        line = (f"{found} account{'' if found == 1 else 's'} found, {listed} listed, {self.deployments} "
                f"deployment{'' if self.deployments == 1 else 's'} judged")
        if found == 0:
            return line + ": no Azure OpenAI or AI Services account in scope, so nothing was judged"
        if listed < found:
            line += f"; {found - listed} account{'' if found - listed == 1 else 's'} NOT audited"
        if listed and self.deployments == 0:
            line += f": the {listed} account{'' if listed == 1 else 's'} listed hold no model deployments"
        return line


def tally(findings: Sequence[Finding]) -> tuple[int, int, int]:
    """Mandatory and advisory findings not waived, and waived ones."""
    active = [f for f in findings if not f.waived]
    return (sum(f.level == "mandatory" for f in active), sum(f.level == "advisory" for f in active),
            sum(f.waived for f in findings))


def order_key(f: Finding) -> tuple[Any, ...]:
    """A finding's place in every report."""
    # The URN after the name keeps same-named deployments of different subscriptions apart.
    return (f.stack, f.waived, f.level != "mandatory", f.resource, f.urn, f.policy, f.message)


@dataclass(frozen=True)
class Report:
    as_of: dt.date
    catalog_as_of: dt.date
    stacks: Sequence[str]
    findings: Sequence[Finding]
    command: str = "check"
    runs: Sequence[StackRun] = ()
    # (mandatory, advisory, waived) of findings carried outside ``findings``: a fleet audit judged in
    # several processes hands its findings to the JSON report as text. None: counted from ``findings``.
    tally: tuple[int, int, int] | None = None

    @property
    def scoped(self) -> bool:
        """Any finding carries a subscription (audit of live deployments): tables show the scope."""
        return any(f.subscription is not None for f in self.findings)

    def sorted(self) -> list[Finding]:
        return sorted(self.findings, key=order_key)

    @property
    def errors(self) -> list[StackRun]:
        return [r for r in self.runs if r.error is not None]

    @property
    def partial(self) -> list[str]:
        """What the verdict does not cover (input judged with ``audit --allow-partial``); empty when whole."""
        return [f"{r.stack}: {gap}" for r in self.runs for gap in r.partial]

    @functools.cached_property
    def summary(self) -> dict[str, int]:  # computed once: a fleet report has 100,000s of findings
        mandatory, advisory, waived = self.tally if self.tally is not None else tally(self.findings)
        return {
            "mandatory": mandatory,
            "advisory": advisory,
            "waived": waived,
            "deployments": sum(r.deployments for r in self.runs),
            "errors": len(self.errors),
            **self._accounts(),
        }

    def _accounts(self) -> dict[str, int]:
        """Live audits count the accounts found and listed too."""
        live = [r.accounts for r in self.runs if r.accounts is not None]
        if not live:
            return {}
        return {"accounts_found": sum(a[0] for a in live), "accounts_listed": sum(a[1] for a in live)}

    @property
    def exit_code(self) -> int:
        """2 when a stack could not be judged (the verdict does not cover it), 1 on mandatory findings."""
        if self.errors:
            return 2
        return 1 if self.summary["mandatory"] else 0

    def to_json(self, findings: bool = True) -> dict[str, Any]:
        """The report as JSON data; ``findings=False`` leaves the list empty for a reporter that
        encodes the findings itself, a chunk at a time."""
        return {
            "as_of": self.as_of.isoformat(),
            "catalog_as_of": self.catalog_as_of.isoformat(),
            "stacks": list(self.stacks),
            "findings": [f.to_json() for f in self.sorted()] if findings else [],
            "summary": self.summary,
            "runs": [r.to_json() for r in self.runs],
        }
