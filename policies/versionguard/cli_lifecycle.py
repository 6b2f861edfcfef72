"""CLI commands between pull requests: forecast, audit, catalog (registered on ``cli.app``)."""

from __future__ import annotations
