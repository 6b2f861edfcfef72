"""The versionguard CrossGuard policy pack. Policies live in ``versionguard.adapters.pack``; this file
only serves them (like ``PolicyPack(...)``, with versionguard's servicer; it never returns)."""

from versionguard.adapters.pack import build_policies, load_runtime_or_exit, serve

serve(
    build_policies(load_runtime_or_exit()),
    display_name="versionguard: Azure OpenAI model lifecycle",
    description="Judges Azure OpenAI / AI Foundry model deployments against the model lifecycle, and the "
                "data-plane api-versions apps call them with.",
)
