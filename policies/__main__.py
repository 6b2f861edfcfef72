"""The versionguard CrossGuard policy pack. Policies live in ``versionguard.adapters.pack``; this file
only starts it (constructing the PolicyPack starts the analyzer server and never returns)."""

from versionguard.adapters.pack_server import serve

serve()
