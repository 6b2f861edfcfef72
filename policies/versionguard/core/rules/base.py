"""What a rule is: metadata (id, level, severity, docs, config schema), exactly one pure check
function and, optionally, a pure remediation (the property edits that fix what the check reports).

Rules read :class:`DeploymentRecord` fields through :func:`known`, which turns an unknown value
into a :class:`NeedsValue` outcome and a malformed one into a :class:`Violation`, so a rule body
only ever handles real strings and ``None``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..api_usage import ApiUsage, UsageScan
from ..catalog import Catalog, VersionInfo
from ..lifecycle import format_caveat, resolve, upgrade_path
from ..records import DeploymentRecord, Field, Malformed, Unknown
from ..settings import RuleSettings
from ..vocabulary import is_standard_sku, known_sku
from ..waivers import Waivers

# Rule docs live in the repository; the link is relative to its root until the docs are published.
DOCS_URL = "docs/rules.md"


class Level(StrEnum):
    ADVISORY = "advisory"
    MANDATORY = "mandatory"
    REMEDIATE = "remediate"
    DISABLED = "disabled"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Scope(StrEnum):
    RESOURCE = "resource"
    STACK = "stack"


# JSON-schema fragments for the config keys, shared so every rule documents them identically.
WINDOW = {"retirementWindowDays": {
    "type": "integer", "minimum": 0, "maximum": 36_500, "default": 90,
    "description": "Days ahead of the as-of date in which a retirement counts as near."}}
FAIL_ON_UNKNOWN = {"failOnUnknown": {
    "type": "boolean", "default": False,
    "description": "Report a value unknown during preview as a violation at this policy's level."}}
SETTING_NAMES = {"settingNames": {
    "type": "array", "items": {"type": "string", "minLength": 1, "pattern": "\\S"}, "default": [],
    "description": "App setting / environment variable names holding an api-version, besides "
                   "OPENAI_API_VERSION and AZURE_OPENAI_API_VERSION (compared case-insensitively)."}}


@dataclass(frozen=True)
class RuleMeta:
    id: str
    title: str
    description: str  # one-line synopsis; CrossGuard prefixes every violation with it
    level: Level
    severity: Severity
    remediation: str
    scope: Scope = Scope.RESOURCE
    config: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Coerce (and so validate) plain strings: a typo such as "hihg" fails at import, not in a reporter.
        object.__setattr__(self, "level", Level(self.level))
        object.__setattr__(self, "severity", Severity(self.severity))
        object.__setattr__(self, "scope", Scope(self.scope))

    @property
    def url(self) -> str:
        return f"{DOCS_URL}#{self.id}"


@dataclass(frozen=True)
class Violation:
    message: str


@dataclass(frozen=True)
class NeedsValue:
    """The rule needs a value that is unknown during preview, or (with ``reason``) a fact the
    catalog lacks; either way advisory unless ``failOnUnknown``."""

    unknown: Unknown
    reason: str = ""


Outcome = Violation | NeedsValue


@dataclass(frozen=True)
class Context:
    """What a check may read besides its subject. ``policies`` maps every policy id of the pack to its
    scope (callers pass :data:`versionguard.core.rules.SCOPES`), so waiver-hygiene can tell a typo
    or a stack policy from a waivable one without importing the registry that imports it."""

    as_of: dt.date
    catalog: Catalog
    settings: RuleSettings = field(default_factory=RuleSettings)
    waivers: Waivers = field(default_factory=Waivers)
    stack: str | None = None
    policies: Mapping[str, Scope] = field(default_factory=dict)


class Undecidable(Exception):
    """Raised by :func:`known`; the engine turns it into its outcome."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome)
        self.outcome = outcome


def known(value: Field) -> str | None:
    if value is None or type(value) is str:  # the common case first: called for every rule and record
        return value
    if isinstance(value, Unknown):
        raise Undecidable(NeedsValue(value))
    if isinstance(value, Malformed):
        raise Undecidable(Violation(f"cannot judge this deployment: {value.describe()}"))
    return value


def readable(value: Field) -> str | None:
    """A field's value for optional context in a message: unknown or malformed reads as None
    (unlike :func:`known`, never decides the outcome)."""
    return value if isinstance(value, str) else None


def catalog_entry(rec: DeploymentRecord, ctx: Context) -> VersionInfo | None:
    """The catalog entry the deployment is judged on, looked up by (format, name, version) and
    resolving fine-tuned model names to their base version's fine-tuned dates; None when absent."""
    name, version = known(rec.model_name), known(rec.model_version)
    if name is None or version is None:
        return None
    fmt = rec.model_format  # read only once the model is known; a plain string skips known()
    return resolve(ctx.catalog, fmt if fmt is None or type(fmt) is str else known(fmt), name, version)


def retirement(rec: DeploymentRecord, entry: VersionInfo) -> tuple[dt.date | None, str | None]:
    """The retirement date for this deployment's SKU, and that SKU. The SKU is only read (and so
    only needs to be known) when the version has per-SKU dates."""
    if not entry.retirement_by_sku:
        sku = rec.sku_name if isinstance(rec.sku_name, str) else None
        return entry.retirement, sku
    sku = known(rec.sku_name)
    return entry.retirement_for(sku), sku


def days_until(day: dt.date, ctx: Context) -> int:
    return (day - ctx.as_of).days


def retired(entry: VersionInfo, retires: dt.date | None, ctx: Context) -> bool:
    """Whether the version has retired for the deployment by the as-of date: its retirement date
    for the SKU (``retires``, from :func:`retirement`) has come, or with no date the catalog lists
    it as retired."""
    return days_until(retires, ctx) <= 0 if retires is not None else entry.lifecycle == "retired"


def in_window(day: dt.date | None, ctx: Context) -> bool:
    """Retires after the as-of date but within the window (the retirement day itself is 'retired')."""
    return day is not None and 0 < days_until(day, ctx) <= ctx.settings.retirement_window_days


@dataclass(frozen=True)
class Retiring:
    """A version retiring (for the deployment's SKU) inside the window; ``phrase`` is "<model
    version> retires on <date> for <SKU> (in N days, window W)"."""

    entry: VersionInfo
    day: dt.date
    sku: str | None
    phrase: str


def retiring_in_window(rec: DeploymentRecord, ctx: Context) -> Retiring | None:
    """For the window rules: the retirement inside the window, else None."""
    entry = catalog_entry(rec, ctx)
    if entry is None:
        return None
    retires, sku = retirement(rec, entry)
    if retires is None or not in_window(retires, ctx):
        return None
    return Retiring(entry, retires, sku, f"{entry.label} retires on {retires} for {sku_phrase(sku, entry)} "
                                         f"(in {days_until(retires, ctx)} days, window "
                                         f"{ctx.settings.retirement_window_days})")


def sku_phrase(sku: str | None, entry: VersionInfo | None = None) -> str:
    """"the Standard deployment type"; with per-SKU dates, a missing or unrecognised SKU says that
    the earliest date over all types was used."""
    phrase = f"the {sku} deployment type" if sku else "a deployment with no SKU"
    if entry is not None and entry.retirement_by_sku and known_sku(sku) is None:
        phrase += " (the earliest date over all deployment types applies)"
    return phrase


def replacement_hint(entry: VersionInfo) -> str:
    return f" Azure names {entry.replacement} as its replacement." if entry.replacement else ""


def expiry_upgrade_hint(ctx: Context, entry: VersionInfo, sku: str | None) -> str:
    """Whether letting Azure upgrade at retirement (OnceCurrentVersionExpired) would save a
    deployment: only on a Standard type and only when the catalog has an upgrade target."""
    retires = entry.retirement_for(sku)
    if not is_standard_sku(sku) or retires is None:
        return ""
    path = upgrade_path(ctx.catalog, entry, sku, retires)
    if path.target is not None:
        return (f" Or set versionUpgradeOption to OnceCurrentVersionExpired: Azure then upgrades it to the "
                f"default version, {path.target.label} in the catalog.{format_caveat(entry.format)}")
    newer = f" (it lists {', '.join(v.version for v in path.candidates)} as newer GA versions)" \
        if path.candidates else ""
    return (f" Setting versionUpgradeOption to OnceCurrentVersionExpired would not save it: Azure upgrades only to "
            f"a newer default version of {entry.model}, and the catalog records none{newer}.")


@dataclass(frozen=True)
class PropertyEdit:
    """Set the input at the dotted ``path`` (e.g. ``properties.versionUpgradeOption``) to ``value``,
    creating missing parent objects; an adapter applies it to whatever holds the inputs."""

    path: str
    value: Any


ResourceCheck = Callable[[DeploymentRecord, Context], Sequence[Outcome]]
StackCheck = Callable[[Context], Sequence[Outcome]]
UsageCheck = Callable[[UsageScan, Context], Sequence[Outcome]]
Remediation = Callable[[DeploymentRecord, Context], Sequence[PropertyEdit]]


@dataclass(frozen=True)
class Rule:
    """Exactly one of the checks is set (enforced): ``check`` judges deployment records,
    ``check_usages`` the api-version usages found in any resource's inputs, ``check_stack`` the stack
    as a whole. ``remediate`` (deployment rules only) returns the edits that fix the deployment, or
    none when it cannot; the CrossGuard adapter applies them at enforcement level ``remediate``."""

    meta: RuleMeta
    check: ResourceCheck | None = None
    check_stack: StackCheck | None = None
    check_usages: UsageCheck | None = None
    remediate: Remediation | None = None

    def __post_init__(self) -> None:
        checks = [c for c in (self.check, self.check_stack, self.check_usages) if c is not None]
        if len(checks) != 1:
            raise ValueError(f"rule {self.meta.id} must have exactly one of check, check_stack, check_usages; "
                             f"it has {len(checks)}")
        if self.remediate is not None and self.check is None:
            raise ValueError(f"rule {self.meta.id}: only a deployment rule (check) can remediate")


def usage_outcomes(scan: UsageScan, judge_one: Callable[[ApiUsage], Outcome | None]) -> list[Outcome]:
    """The outcomes of an api-version rule on one resource: a malformed location is a violation
    (fail closed), then each usage's outcome, then unknown values; violations come first because
    CrossGuard stops a policy at its first unknown value."""
    out: list[Outcome] = []
    if scan.malformed:
        out.append(Violation("cannot judge this resource's api-versions: "
                             + "; ".join(m.describe() for m in scan.malformed)))
    out += [o for o in map(judge_one, scan.usages) if o is not None]
    out += [NeedsValue(u) for u in scan.unknowns]
    return sorted(out, key=lambda o: isinstance(o, NeedsValue))


def usage_path(usage: ApiUsage) -> Unknown:
    """The usage's place as an :class:`Unknown` path, for a catalog fact that is missing."""
    return Unknown(tuple(str(part) for part in usage.parts))


V1_HINT = ("the v1 API (base URL https://<resource>.openai.azure.com/openai/v1/ with the OpenAI() client), "
           "which takes no api-version")
