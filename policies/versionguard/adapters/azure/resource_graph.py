"""Azure Resource Graph results: the envelope of a page of model-deployment rows.

Two shapes carry the same rows (``resultFormat`` objectArray, the default):

- ``az graph query -q QUERY`` prints ``{"count", "data": [...], "skip_token", "total_records"}``;
- the REST API (``POST /providers/Microsoft.ResourceGraph/resources``) answers
  ``{"totalRecords", "count", "data": [...], "resultTruncated", "$skipToken"?, "facets"?}``.

Rows come from :data:`QUERY`: ARM's item shape (``id``, ``name``, ``type``, ``sku``, ``properties``)
plus ``subscriptionId``, ``resourceGroup``, ``tenantId`` and ``location``; ``type`` is lower case.

The envelope must be consistent: ``count`` is the number of rows in the page, and a total
(``total_records``/``totalRecords``) is at least that. A page with a skip token, a truncated
result, or a total above its rows is one page of several (:attr:`GraphPage.whole` is False): the
caller decides whether the pages it was given add up to the whole result.
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


@dataclass(frozen=True)
class GraphPage:
    """One page of a Resource Graph result: read from a file, or fetched by the live query."""

    rows: list[Any]
    total: int | None  # rows over every page, when the response says
    skip_token: str | None = None  # more pages follow
    truncated: bool = False  # resultTruncated: the service cut the result short
    number: int = 1  # 1-based position in a live query
    total_key: str = "total_records"  # how the file spells its fields, for errors
    token_key: str = "skip_token"

    @property
    def whole(self) -> bool:
        """The page is the whole result by its own account: no skip token, not truncated, and no
        total saying that more rows exist."""
        return self.skip_token is None and not self.truncated and (self.total is None or self.total == len(self.rows))


def is_graph_response(data: Any, source: str) -> bool:
    """A Resource Graph result (an object with ``data``) rather than an ARM list (``value``). An
    object with both is refused: which list holds the deployments would be a guess."""
    if type(data) is not dict or "data" not in data:
        return False
    if "value" in data:
        raise InputError(source, "(top level)", 'either a "value" list (ARM Deployments - List) or a "data" list '
                         "(Azure Resource Graph), not both", "an object with both")
    return True


def graph_page(data: dict[str, Any], source: str) -> GraphPage:
    """The rows of one page, with its paging facts; errors name the file and the JSON path."""
    rows = data["data"]
    if type(rows) is dict and "rows" in rows:
        raise InputError(source, "data", "a list of row objects (resultFormat objectArray, the default; this "
                         "is the table format)", "an object with columns and rows")
    if type(rows) is not list:
        raise InputError(source, "data", "a list of row objects", shape_of(rows))
    token_key = next((k for k in _SKIP_KEYS if data.get(k) is not None), _SKIP_KEYS[1])
    token = data.get(token_key)
    if token is not None and (type(token) is not str or not token):
        raise InputError(source, token_key, "a skip token (a non-empty string) or null", shape_of(token))
    total_key = next((k for k in _TOTAL_KEYS if data.get(k) is not None), _TOTAL_KEYS[1])
    total = _whole_number(data, total_key, source)
    if total is not None and total < len(rows):
        raise InputError(source, total_key, f"the number of records over every page, at least the {len(rows)} rows "
                         "in this file", total)
    count = _whole_number(data, "count", source)
    if count is not None and count != len(rows):
        raise InputError(source, "count", f"the number of rows in data ({len(rows)}): the file does not hold the rows "
                         "it says it does", count)
    truncated = data.get("resultTruncated")
    if truncated not in (None, True, False, "true", "false", "True", "False"):
        raise InputError(source, "resultTruncated", "true or false", shape_of(truncated))
    return GraphPage(rows, total, token, truncated in (True, "true", "True"), total_key=total_key, token_key=token_key)


def _whole_number(data: dict[str, Any], key: str, source: str) -> int | None:
    value = data.get(key)
    if value is not None and (type(value) is not int or value < 0):
        raise InputError(source, key, "a whole number of records", shape_of(value))
    return value
