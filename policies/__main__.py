"""The versionguard CrossGuard policy pack. Policies live in ``versionguard.pack``; this file
only constructs the PolicyPack (constructing it starts the analyzer server and never returns)."""

from pulumi_policy import EnforcementLevel, PolicyPack

from versionguard.adapters.pack import PACK_NAME, build_policies, load_runtime_or_exit

PolicyPack(
    name=PACK_NAME,
    display_name="versionguard: Azure OpenAI model lifecycle",
    description="Judges Azure OpenAI / AI Foundry model deployments against the model lifecycle.",
    enforcement_level=EnforcementLevel.ADVISORY,
    policies=build_policies(load_runtime_or_exit()),
)
