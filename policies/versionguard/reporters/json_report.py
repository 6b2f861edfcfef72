"""The JSON shape of DESIGN.md: as_of, catalog_as_of, stacks, findings, summary."""

from __future__ import annotations

import json

from versionguard.core.findings import Report


def render(report: Report) -> str:
    return json.dumps(report.to_json(), indent=2) + "\n"
