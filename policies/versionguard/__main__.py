"""``python -m versionguard``."""

from versionguard.cli import main

main()
