"""Start the versionguard CrossGuard policy pack (what a pack's ``__main__.py`` runs).

Two packs run it: ``policies/`` in this repository (self-contained for ``pulumi policy publish``)
and ``versionguard/data/pack/`` inside the installed package (``versionguard pack-path``).
"""

from __future__ import annotations

from pulumi_policy import EnforcementLevel, PolicyPack

from versionguard.adapters.pack import PACK_NAME, build_policies, load_runtime_or_exit


def serve() -> None:
    """Construct the PolicyPack, which starts the analyzer server and never returns."""
    PolicyPack(
        name=PACK_NAME,
        display_name="versionguard: Azure OpenAI model lifecycle",
        description="Judges Azure OpenAI / AI Foundry model deployments against the model lifecycle.",
        enforcement_level=EnforcementLevel.ADVISORY,
        policies=build_policies(load_runtime_or_exit()),
    )
