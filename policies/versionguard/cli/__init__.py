"""The command line: typer wiring only (``app`` builds it; one module per command).

``main`` first starts the program host of a command that runs Pulumi programs, or the workers of a
large ``audit`` (``early_start``), so that they work while this process still loads typer and the
commands, then runs the app.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["app", "main"]


def main() -> None:
    from versionguard.cli.early_start import start_audit_workers, start_program_host

    start_audit_workers(sys.argv[1:])
    start_program_host(sys.argv[1:])
    from versionguard.cli.application import main as run_app

    run_app()


def __getattr__(name: str) -> Any:
    if name == "app":  # loaded on first use: main() has work to start before typer and the commands load
        from versionguard.cli.application import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
