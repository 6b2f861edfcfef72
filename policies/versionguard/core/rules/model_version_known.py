"""model-version-known — the model version is in the catalog.

Rationale: every other lifecycle rule needs the version's dates. An unknown name or version is
usually a typo (Azure would reject it at deploy time) or a catalog that needs refreshing. Look-ups
use (format, name, version); a fine-tuned model (``<base>-<version>.ft-<id>``) is known when its
base version has ``fine_tuned`` dates.

Fix: correct the name/version (the message suggests near matches), or refresh the catalog with
``versionguard catalog import``.
"""

from __future__ import annotations

from ..lifecycle import parse_fine_tuned
from ..records import DeploymentRecord
from .base import FAIL_ON_UNKNOWN, Context, Level, Outcome, Rule, RuleMeta, Severity, Violation, catalog_entry, known

META = RuleMeta(
    id="model-version-known",
    title="Model version known",
    description="The model name and version should be in the versionguard catalog.",
    level=Level.ADVISORY,
    severity=Severity.MEDIUM,
    remediation="Fix a typo in model name/version, or refresh the catalog (versionguard catalog import).",
    config=dict(FAIL_ON_UNKNOWN),
)


def check(rec: DeploymentRecord, ctx: Context) -> list[Outcome]:
    if catalog_entry(rec, ctx) is not None:
        return []
    name, version = known(rec.model_name), known(rec.model_version)
    if name is None or version is None:
        return []  # model-version-pinned reports a missing version
    fmt = known(rec.model_format)
    unknown = "so its retirement date is unknown."
    catalog = f"the catalog (as of {ctx.catalog.as_of})"
    tuned = parse_fine_tuned(ctx.catalog, name, version, fmt) if ".ft-" in name.casefold() else None
    if tuned is not None:
        base = ctx.catalog.lookup(tuned.base_model, tuned.base_version, fmt)
        if base is None:
            return [Violation(f"{name} {version} is a fine-tuned model of {tuned.base_model} {tuned.base_version}, "
                              f"which is not in {catalog}, {unknown}")]
        return [Violation(f"{name} {version} is a fine-tuned model of {base.label}, and {catalog} has no "
                          f"fine-tuned retirement dates for that version, {unknown}")]
    formats = ctx.catalog.formats_of(name, version)
    if formats:
        asked = f"format {fmt}" if fmt is not None else "no model.format"
        return [Violation(f"{name} {version} with {asked} is not in {catalog}, which lists it with format "
                          f"{' and '.join(formats)}; set model.format to match, {unknown}")]
    near = ctx.catalog.near(name, version)
    hint = f" Did you mean: {'; '.join(near)}?" if near else ""
    return [Violation(f"{name} {version} is not in {catalog}, {unknown}{hint}")]


RULE = Rule(META, check=check)
