"""The versionguard CrossGuard policy pack. Policies live in ``versionguard.adapters.crossguard.policies``; this file
only serves them (like ``PolicyPack(...)``, with versionguard's servicer; it never returns)."""

from versionguard.adapters.crossguard.server import serve

serve()
