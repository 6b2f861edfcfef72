"""The command line: typer wiring only (``app`` builds it; one module per command)."""

from versionguard.cli.app import app, main

__all__ = ["app", "main"]
