"""The JSON report (described in README.md, "The CLI"): as_of, catalog_as_of, stacks, findings, summary."""

from __future__ import annotations

import json
from typing import Any

from versionguard.core.findings import Report


def render(report: Report) -> str:
    return dumps_listing(report.to_json(), "findings")


def dumps_listing(data: dict[str, Any], listing: str, first_key: str = "stack") -> str:
    """Indented JSON with one item of ``data[listing]`` per line. ``indent`` switches json to its
    pure-Python encoder, a third of a fleet audit's time at 100,000 findings: the list goes through
    the C encoder in one call instead, and only the small rest is indented. The compact list is cut
    between items at ``}, {"<first_key>": `` (every item's first key): that text cannot occur inside
    a JSON string, where a quote is always escaped."""
    pieces = []  # joined once: the listing is tens of megabytes in a fleet audit, so no copy is spared
    for key, value in data.items():
        pieces.append(f",\n  {json.dumps(key)}: " if pieces else f"{{\n  {json.dumps(key)}: ")
        if key == listing and value:
            cut = '}, {' + json.dumps(first_key) + ": "
            pieces += ["[\n    ", json.dumps(value)[1:-1].replace(cut, "},\n    {" + cut[4:]), "\n  ]"]
        else:
            pieces.append(json.dumps(value, indent=2).replace("\n", "\n  "))
    pieces.append("\n}\n")
    return "".join(pieces)
