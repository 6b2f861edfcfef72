"""model-version-known — the model version is in the catalog.

Rationale: every other lifecycle rule needs the version's dates. An unknown name or version is
usually a typo (Azure would reject it at deploy time) or a catalog that needs refreshing.

Fix: correct the name/version (the message suggests near matches), or refresh the catalog with
``versionguard catalog import``.
"""

from __future__ import annotations

from ..records import DeploymentRecord
from .base import FAIL_ON_UNKNOWN, Context, Level, Outcome, Rule, RuleMeta, Violation, known

META = RuleMeta(
    id="model-version-known",
    title="Model version known",
    description="The model name and version should be in the versionguard catalog.",
    level=Level.ADVISORY,
    severity="medium",
    remediation="Fix a typo in model name/version, or refresh the catalog (versionguard catalog import).",
    config=dict(FAIL_ON_UNKNOWN),
)


def check(rec: DeploymentRecord, ctx: Context) -> list[Outcome]:
    name, version = known(rec.model_name), known(rec.model_version)
    if name is None or version is None or ctx.catalog.lookup(name, version) is not None:
        return []
    near = ctx.catalog.near(name, version)
    hint = f" Did you mean: {'; '.join(near)}?" if near else ""
    return [Violation(f"{name} {version} is not in the catalog (as of {ctx.catalog.as_of}), so its retirement "
                      f"date is unknown.{hint}")]


RULE = Rule(META, check=check)
