"""Azure Resource Graph results: the envelope of a page of model-deployment rows.

Two shapes carry the same rows (``resultFormat`` objectArray, the default):

- ``az graph query -q QUERY`` prints ``{"count", "data": [...], "skip_token", "total_records"}``;
- the REST API (``POST /providers/Microsoft.ResourceGraph/resources``) answers
  ``{"totalRecords", "count", "data": [...], "resultTruncated", "$skipToken"?, "facets"?}``.

Rows come from :data:`QUERY`: ARM's item shape (``id``, ``name``, ``type``, ``sku``, ``properties``)
plus ``subscriptionId``, ``resourceGroup``, ``tenantId`` and ``location``; ``type`` is lower case.
A page with a skip token is one page of several: the caller is told (only that page is in the file).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from versionguard.core.errors import InputError
from versionguard.core.records import shape_of

# The query `audit --resource-graph` runs, and the one docs/lifecycle-commands.md tells people to run.
QUERY = "resources | where type =~ 'microsoft.cognitiveservices/accounts/deployments'"
_SKIP_KEYS = ("$skipToken", "skip_token", "skipToken")
_TOTAL_KEYS = ("totalRecords", "total_records")
GRAPH_ENVELOPE = ('a Resource Graph result: {"count", "data": [...], "skip_token", "total_records"} '
                  '(az graph query) or {"totalRecords", "count", "data": [...]} (REST)')


@dataclass(frozen=True)
class GraphPage:
    rows: list[Any]
    prefix: str  # JSON path of the rows: "data"
    skip_token: str | None  # more pages follow
    total: int | None  # rows over every page, when the response says
    notes: list[str]


def is_graph_response(data: Any) -> bool:
    """A Resource Graph result rather than an ARM list: an object with ``data`` and no ``value``."""
    return type(data) is dict and "data" in data and "value" not in data


def graph_page(data: dict[str, Any], source: str) -> GraphPage:
    """The rows of one page; errors name the file and the JSON path."""
    rows = data["data"]
    if type(rows) is dict and "rows" in rows:
        raise InputError(source, "data", "a list of row objects (resultFormat objectArray, the default; this "
                         "is the table format)", "an object with columns and rows")
    if type(rows) is not list:
        raise InputError(source, "data", "a list of row objects", shape_of(rows))
    token = next((data[k] for k in _SKIP_KEYS if data.get(k) is not None), None)
    if token is not None and (type(token) is not str or not token):
        raise InputError(source, next(k for k in _SKIP_KEYS if data.get(k) is not None),
                         "a skip token (a non-empty string) or null", shape_of(token))
    total = next((data[k] for k in _TOTAL_KEYS if data.get(k) is not None), None)
    if total is not None and (type(total) is not int or total < 0):
        raise InputError(source, next(k for k in _TOTAL_KEYS if data.get(k) is not None),
                         "a whole number of records", shape_of(total))
    notes = []
    if token is not None or data.get("resultTruncated") in (True, "true", "True"):
        shown = f" of {total}" if total is not None else ""
        notes.append(f"{source}: this Resource Graph result is one page ({len(rows)}{shown} rows); only this page "
                     "was read (fetch every page with --skip-token, or use audit --resource-graph)")
    return GraphPage(rows, "data", token, total, notes)
