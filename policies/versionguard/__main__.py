"""``python -m versionguard``."""

from .cli import main

main()
