"""The versionguard CrossGuard policy pack. Policies live in ``versionguard.adapters.pack``; this file
only serves them (like ``PolicyPack(...)``, with versionguard's servicer; it never returns)."""

from versionguard.adapters.pack_server import serve

serve()
