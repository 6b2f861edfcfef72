"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run, whose driver lists every registered rule (not only those that fired) so viewers can show
the rule help for any alert. Each finding becomes a result located logically at the Pulumi resource
(its URN) and, because code scanning only shows results with a physical location, physically at the
file its stack was read from (``StackRun.stack_file``: the real stack file, ``.yaml`` or ``.yml``, in
whatever stack directory, or the project file for a stack without one). That path is relative to the
repository root, which is what ``%SRCROOT%`` means to GitHub code scanning, wherever versionguard ran
(the action's ``working-directory``, ``--project``, ``--stack-dir``); outside a repository it is
relative to the current directory, or an absolute ``file://`` URI. Live deployments (``audit``) are in
no file: their results carry the logical location only. Waived findings stay in the log as
externally suppressed results, mirroring the other formats which list them as waived.

Plain dicts are built and dumped with :mod:`json`; the ``sarif-om`` object model adds dependencies
and still needs a custom serializer, for no gain in validity (the tests validate against the
OASIS schema).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import re
from collections import Counter
from typing import Any
from urllib.parse import quote

from versionguard import __version__
from versionguard.core.findings import Finding, Report
from versionguard.core.rules import RULES
from versionguard.core.rules.base import Level, Rule

from .markdown import docs_link

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"  # the repository root, for GitHub code scanning
FINGERPRINT_KEY = "versionguard/v1"

_SARIF_LEVEL = {Level.MANDATORY: "error", Level.REMEDIATE: "error", Level.ADVISORY: "warning",
                Level.DISABLED: "none"}


def render(report: Report) -> str:
    # ensure_ascii: control, bidi and every other non-ASCII character is written as a \u escape.
    return json.dumps(build(report), indent=2) + "\n"


def build(report: Report) -> dict[str, Any]:
    """The SARIF log as plain JSON-ready data."""
    rules = [rule_descriptor(rule) for rule in RULES]
    index = {r["id"]: i for i, r in enumerate(rules)}
    findings = report.sorted()
    for policy in dict.fromkeys(f.policy for f in findings):
        if policy not in index:  # a policy from outside the registry still needs a valid ruleIndex
            index[policy] = len(rules)
            rules.append(_unknown_rule(policy))
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "versionguard", "version": __version__, "semanticVersion": __version__,
                            "rules": rules}},
        "invocations": [_invocation(report)],
        "columnKind": "unicodeCodePoints",
        "results": _results(findings, index, {r.stack: r.stack_file for r in report.runs}),
        "properties": {"command": report.command, "asOf": report.as_of.isoformat(),
                       "catalogAsOf": report.catalog_as_of.isoformat(), "stacks": list(report.stacks),
                       "summary": report.summary, "runs": [r.to_json() for r in report.runs]},
    }
    return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def _invocation(report: Report) -> dict[str, Any]:
    """Stacks that could not be judged make the run unsuccessful, each with an error notification."""
    invocation: dict[str, Any] = {"executionSuccessful": not report.errors, "exitCode": report.exit_code}
    if report.errors:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": f"{r.stack}: {r.error}"},
             **({"locations": [{"physicalLocation": _physical(r.stack_file)}]} if r.stack_file else {})}
            for r in report.errors]
    # Input judged although it is not the whole result (--allow-partial: pages or accounts left out).
    partial = [{"level": "warning", "message": {"text": f"partial, not covered by this verdict: {gap}"}}
               for gap in report.partial]
    if partial:
        invocation["toolExecutionNotifications"] = [*invocation.get("toolExecutionNotifications", []), *partial]
    return invocation


# --- rules -------------------------------------------------------------------------------------

def rule_doc(rule: Rule) -> dict[str, str]:
    """Synopsis, rationale and fix from the rule module's docstring (``id — synopsis`` first line,
    then ``Rationale:`` and ``Fix:`` paragraphs), each unwrapped onto one line."""
    check = rule.check or rule.check_usages or rule.check_stack
    doc = (importlib.import_module(check.__module__).__doc__ or "") if check else ""
    paragraphs = [" ".join(p.split()) for p in doc.strip().split("\n\n") if p.strip()]
    out = {"synopsis": rule.meta.description, "rationale": "", "fix": ""}
    if paragraphs and "—" in paragraphs[0]:
        out["synopsis"] = paragraphs[0].split("—", 1)[1].strip()
    for p in paragraphs[1:]:
        key, _, text = p.partition(":")
        if key.lower() in ("rationale", "fix"):
            out[key.lower()] = text.strip()
    return {k: _capitalized(v) for k, v in out.items()}


def _capitalized(text: str) -> str:
    """Docstring paragraphs follow a colon, so they start lower-case; help text stands alone."""
    return text if text.startswith("``") else text[:1].upper() + text[1:]


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    meta = rule.meta
    doc = rule_doc(rule)
    plain = {k: v.replace("``", "") for k, v in doc.items()}
    text = "\n\n".join(filter(None, [
        plain["synopsis"], plain["rationale"] and f"Rationale: {plain['rationale']}",
        plain["fix"] and f"Fix: {plain['fix']}", f"Remediation: {meta.remediation}", f"Docs: {meta.url}"]))
    md = {k: v.replace("``", "`") for k, v in doc.items()}  # RST literals -> Markdown code spans
    markdown = "\n\n".join(filter(None, [
        f"**{meta.title}**: {md['synopsis']}", md["rationale"] and f"**Rationale.** {md['rationale']}",
        md["fix"] and f"**Fix.** {md['fix']}", f"**Remediation.** {meta.remediation}",
        f"[Rule documentation]({docs_link(meta.url)})"]))
    descriptor: dict[str, Any] = {
        "id": meta.id,
        "name": camel_case(meta.id),
        "shortDescription": {"text": meta.description},
        "fullDescription": {"text": " ".join(filter(None, [plain["synopsis"], plain["rationale"]]))},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": _SARIF_LEVEL.get(meta.level, "warning"),
                                 "enabled": meta.level != Level.DISABLED},
        # No "security-severity": code scanning would then file these as security alerts, which
        # lifecycle findings are not. The rule's own severity is kept as a plain property.
        "properties": {"tags": ["azure-openai", "model-lifecycle", "pulumi", str(meta.scope)],
                       "severity": meta.severity, "scope": str(meta.scope), "docs": meta.url},
    }
    link = docs_link(meta.url)
    if _is_absolute(link):  # helpUri must be an absolute URI; the repo-relative path stays in properties
        descriptor["helpUri"] = link
    return descriptor


def _unknown_rule(policy: str) -> dict[str, Any]:
    return {"id": policy, "name": camel_case(policy), "shortDescription": {"text": f"Policy {policy}"},
            "properties": {"tags": ["azure-openai", "model-lifecycle", "pulumi"]}}


def camel_case(rule_id: str) -> str:
    """``model-version-pinned`` -> ``ModelVersionPinned`` (SARIF's human-readable rule name)."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", rule_id) if part)


def _is_absolute(uri: str) -> bool:
    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", uri) is not None


# --- results -----------------------------------------------------------------------------------

def _results(findings: list[Finding], index: dict[str, int], files: dict[str, str | None]) -> list[dict[str, Any]]:
    seen: Counter[str] = Counter()
    results = []
    for f in findings:
        base = fingerprint(f)
        seen[base] += 1  # two findings of one policy on one resource need distinct fingerprints
        results.append(result(f, index[f.policy], f"{base}:{seen[base]}", files.get(f.stack)))
    return results


def result(f: Finding, rule_index: int, print_: str, stack_file: str | None = None) -> dict[str, Any]:
    location: dict[str, Any] = {"physicalLocation": _physical(stack_file)} if stack_file else {}
    out: dict[str, Any] = {
        "ruleId": f.policy,
        "ruleIndex": rule_index,
        "level": "error" if f.level == "mandatory" else "warning",
        "message": {"text": f.message},
        "locations": [{**location, "logicalLocations": [_logical(f)]}],
        "partialFingerprints": {FINGERPRINT_KEY: print_},
        "properties": {"stack": f.stack, "resourceType": f.type},
    }
    if f.waived:
        out["suppressions"] = [{"kind": "external", "status": "accepted", "justification": justification(f)}]
    return out


def justification(f: Finding) -> str:
    reason = f.waiver_reason or "no reason given"
    return f"{reason} (expires {f.waiver_expires.isoformat()})" if f.waiver_expires else reason


def fingerprint(f: Finding) -> str:
    """Stable across runs and message wording: only stack, policy and resource go in."""
    key = "\0".join((f.stack, f.policy, f.resource))
    if f.subscription is not None:  # audit: same-named deployments in two subscriptions are two results
        key += "\0" + "\0".join((f.subscription, f.resource_group or ""))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]  # any str, even a lone surrogate


def _physical(path: str) -> dict[str, Any]:
    """A repository-relative path under ``%SRCROOT%``; an absolute one (no repository) as a file URI."""
    uri = quote(path, errors="surrogatepass")
    artifact = {"uri": f"file://{uri}"} if path.startswith("/") else {"uri": uri, "uriBaseId": SRCROOT}
    return {"artifactLocation": artifact, "region": {"startLine": 1}}


def _logical(f: Finding) -> dict[str, Any]:
    # Stack-level findings carry the stack's URN when known, else "<stack>::(stack)".
    return {"name": f.resource, "fullyQualifiedName": f.urn or f"{f.stack}::{f.resource}", "kind": "resource"}
