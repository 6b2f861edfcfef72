"""Start the versionguard CrossGuard policy pack (what a pack's ``__main__.py`` runs).

Two packs run it: ``policies/`` in this repository (self-contained for ``pulumi policy publish``)
and ``versionguard/data/pack/`` inside the installed package (``versionguard pack-path``).
"""

from __future__ import annotations

import sys
from typing import NoReturn

from versionguard.adapters.crossguard.policies import build_policies
from versionguard.adapters.crossguard.servicer import serve as serve_policies
from versionguard.adapters.evaluation_inputs import Runtime, load_runtime
from versionguard.core.errors import InputError


def serve() -> NoReturn:
    """Serve every policy (like ``PolicyPack(...)``, with versionguard's servicer); never returns."""
    serve_policies(
        build_policies(load_runtime_or_exit()),
        display_name="versionguard: Azure OpenAI model lifecycle",
        description="Judges Azure OpenAI / AI Foundry model deployments against the model lifecycle, and the "
                    "data-plane api-versions apps call them with.",
    )


def load_runtime_or_exit() -> Runtime:
    """For the pack process: a bad catalog, waivers file or variable stops the pack, loudly."""
    try:
        return load_runtime()
    except InputError as e:
        print(f"versionguard policy pack cannot start: {e}", file=sys.stderr)
        raise SystemExit(2) from None
