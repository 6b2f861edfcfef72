"""Azure Resource Graph results: the envelope of a page of model-deployment rows.

Two shapes carry the same rows (``resultFormat`` objectArray, the default):

- ``az graph query -q QUERY`` prints ``{"count", "data": [...], "skip_token", "total_records"}``;
- the REST API (``POST /providers/Microsoft.ResourceGraph/resources``) answers
  ``{"totalRecords", "count", "data": [...], "resultTruncated", "$skipToken"?, "facets"?}``.

Files of deployment rows (read by ``audit FILE``) come from :data:`DEPLOYMENTS_QUERY` where a tenant
answers it (Azure's Resource Graph does not: see :data:`ACCOUNTS_QUERY`): ARM's item shape (``id``,
``name``, ``type``, ``sku``, ``properties``) plus ``subscriptionId``, ``resourceGroup``, ``tenantId``
and ``location``; ``type`` is lower case.

The envelope must be consistent: ``count`` is the number of rows in the page, and a total
(``total_records``/``totalRecords``) is at least that. A page with a skip token, a truncated
result, or a total above its rows is one page of several (:attr:`GraphPage.whole` is False): the
caller decides whether the pages it was given add up to the whole result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from versionguard.core.errors import InputError
from versionguard.core.records import shape_of

# Resource Graph does not index model deployments (microsoft.cognitiveservices/accounts/deployments is not
# among its supported types: a query for them returns nothing). `audit --live` asks it for the accounts
# that can hold model deployments and lists each account's deployments through ARM.
ACCOUNTS_QUERY = ("resources | where type =~ 'microsoft.cognitiveservices/accounts' "
                  "| where kind in~ ('OpenAI', 'AIServices') "
                  "| project id, name, type, kind, location, subscriptionId, resourceGroup")
# What versionguard asked before it knew: kept to name it in errors and tests, never run.
DEPLOYMENTS_QUERY = "resources | where type =~ 'microsoft.cognitiveservices/accounts/deployments'"
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


_ACCOUNT_ID = re.compile(r"^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\.CognitiveServices/"
                         r"accounts/([^/]+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Account:
    """A Cognitive Services account (kind OpenAI or AIServices) found by :data:`ACCOUNTS_QUERY`."""

    id: str
    name: str
    subscription: str
    resource_group: str
    kind: str

    def __str__(self) -> str:
        return f"{self.name} (subscription {self.subscription}, resource group {self.resource_group})"


def read_account(row: Any, path: str, source: str) -> Account:
    """One account row; its ARM id is its identity (the name, subscription and group come from it, so
    they agree with the URL ARM is asked)."""
    if type(row) is not dict:
        raise InputError(source, path, "an account row object", shape_of(row))
    arm_id = row.get("id")
    match = _ACCOUNT_ID.match(arm_id.strip()) if type(arm_id) is str else None
    if match is None:
        raise InputError(source, f"{path}.id", "an ARM id /subscriptions/<id>/resourceGroups/<group>/providers/"
                         "Microsoft.CognitiveServices/accounts/<name>", arm_id)
    kind = row.get("kind")
    return Account(arm_id.strip(), match.group(3), match.group(1), match.group(2), kind if type(kind) is str else "")
