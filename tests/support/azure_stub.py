"""A local HTTPS stand-in for Azure Resource Manager (test double; only tests use it).

The real SDK clients (azure-mgmt-resourcegraph, azure-mgmt-cognitiveservices, their azure-core
pipeline with bearer-token auth and the retry policy) talk to it over TLS: its certificate comes from
a CA that ``trustme`` makes at test time, trusted through ``REQUESTS_CA_BUNDLE``. It answers as the
sources say Azure does (docs/lifecycle-commands.md, "What the live audit relies on", lists them and
what is inferred):

- ``POST /providers/Microsoft.ResourceGraph/resources``: rows of ``accounts`` (Cognitive Services
  accounts, filtered by ``kind`` and subscription as the query asks) in pages of ``page_size`` with a
  ``$skipToken``; the subscriptions for the ``resourcecontainers`` query; and an EMPTY result for a
  query of ``microsoft.cognitiveservices/accounts/deployments``: Resource Graph does not index that type
  (it is not on Microsoft's list of supported types), so Azure returns no rows, whatever is deployed.
- ``GET /subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.CognitiveServices/accounts/{a}/
  deployments``: ARM Deployments - List (``{"value": [...], "nextLink"?}``), in pages of
  ``deployments_page_size`` joined by an absolute ``nextLink``; per-account faults (``faults``):
  ``forbidden`` (403 ``AuthorizationFailed``, ARM's message naming the action and scope), ``deleted``
  (404 ``ResourceNotFound``), ``parent-deleted`` (404 ``ParentResourceNotFound``), ``throttled:N``
  (N answers 429 with ``Retry-After`` before the real one; N above the client's retries exhausts them),
  ``garbage`` (200 with a body that is not JSON), ``drop`` (the connection closes unanswered).
- ``GET /subscriptions/{id}/providers/Microsoft.CognitiveServices/locations/{region}/models``: each
  region's items, in two pages joined by ``nextLink`` when ``models_page_size`` is set.

Failure modes for every request: the first ``throttle`` requests answer 429 with ``Retry-After``
(``retry_after`` seconds: Azure sends whole seconds; tests may send less to stay fast); ``auth_fail``
answers 401 (an ARM ``AuthenticationFailed`` error) to everything. Every request is recorded.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from azure.core.credentials import AccessToken

from tests.support.tls_server import TlsServer


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    authorization: str | None
    body: Any
    at: float
    status: int = 0


ARM_API_VERSION = "2025-09-01"  # azure-mgmt-cognitiveservices 14.1.0's default
_ACCOUNT_TYPE = "microsoft.cognitiveservices/accounts"
_JUDGED_KINDS = {"openai", "aiservices"}


def error(code: str, message: str) -> dict[str, Any]:
    """ARM's error body (the common ErrorResponse shape: ``{"error": {"code", "message"}}``)."""
    return {"error": {"code": code, "message": message}}


@dataclass
class ArmStub:
    accounts: list[dict[str, Any]] = field(default_factory=list)  # Resource Graph rows of accounts
    deployments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # account id (folded) -> items
    faults: dict[str, str] = field(default_factory=dict)  # account name -> fault (see the module doc)
    subscriptions: list[str] = field(default_factory=list)
    models: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # region -> items
    page_size: int = 1000
    deployments_page_size: int | None = None
    models_page_size: int | None = None
    throttle: int = 0
    retry_after: str = "1"
    auth_fail: bool = False
    delay: float = 0.0  # seconds each ARM deployments answer takes (to see how many run at once)
    in_flight: int = 0
    max_in_flight: int = 0
    principal: str = "00000000-0000-0000-0000-0000000000aa"
    seen: list[Seen] = field(default_factory=list)
    url: str = ""
    ca_file: Path | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def respond(self, seen: Seen) -> tuple[int, dict[str, str], Any]:
        with self.lock:  # the live audit lists accounts concurrently
            return self._respond(seen)

    def _respond(self, seen: Seen) -> tuple[int, dict[str, str], Any]:
        if self.auth_fail:
            return 401, {"WWW-Authenticate": 'Bearer error="invalid_token"'}, error(
                "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing or the token "
                "is invalid.")
        if self.throttle > 0:
            self.throttle -= 1
            return 429, {"Retry-After": self.retry_after}, error("TooManyRequests", "Too many requests.")
        if seen.method == "POST" and seen.path == "/providers/Microsoft.ResourceGraph/resources":
            return 200, {}, self._graph(seen.body)
        parts = seen.path.strip("/").split("/")
        if seen.method == "GET" and len(parts) == 7 and parts[4] == "locations" and parts[6] == "models":
            return self._models(parts[1], parts[5], int(seen.query.get("page", ["0"])[0]))
        if (seen.method == "GET" and len(parts) == 9 and parts[0] == "subscriptions" and parts[2] == "resourceGroups"
                and parts[5].casefold() == "microsoft.cognitiveservices" and parts[6] == "accounts"
                and parts[8] == "deployments"):
            return self._deployments(parts, seen)
        return 404, {}, error("NotFound", f"no stub for {seen.method} {seen.path}")

    # --- Resource Graph ---------------------------------------------------------------------------

    def _graph(self, body: dict[str, Any]) -> dict[str, Any]:
        query = " ".join(body["query"].split()).casefold()
        scope = {s.casefold() for s in body.get("subscriptions") or []}
        if query.startswith("resourcecontainers"):
            rows: list[dict[str, Any]] = [{"subscriptionId": s} for s in self.subscriptions]
        elif "accounts/deployments" in query:
            rows = []  # not an indexed type: Resource Graph answers no rows
        elif _ACCOUNT_TYPE in query:
            kinds = _JUDGED_KINDS if "kind in~" in query else None
            rows = [r for r in self.accounts
                    if r["type"].casefold() == _ACCOUNT_TYPE and (kinds is None or r["kind"].casefold() in kinds)
                    and (not scope or r["subscriptionId"].casefold() in scope)]
            if "| project " in query:
                keep = [c.strip() for c in query.split("| project ", 1)[1].split("|")[0].split(",")]
                rows = [{k: v for k, v in r.items() if k.casefold() in keep} for r in rows]
        else:
            rows = []
        options = body.get("options") or {}
        start = int(options.get("$skipToken") or 0)
        page = rows[start:start + min(self.page_size, options.get("$top") or 100)]
        out: dict[str, Any] = {"totalRecords": len(rows), "count": len(page), "data": page, "facets": [],
                               "resultTruncated": "false"}
        if start + len(page) < len(rows):
            out["$skipToken"] = str(start + len(page))
        return out

    # --- ARM Deployments - List ---------------------------------------------------------------------

    def _deployments(self, parts: list[str], seen: Seen) -> tuple[int, dict[str, str], Any]:
        subscription, group, name = parts[1], parts[3], parts[7]
        account_id = f"/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.CognitiveServices/" \
                     f"accounts/{name}"
        fault = self.faults.get(name, "")
        if fault == "forbidden":
            return 403, {"x-ms-failure-cause": "gateway"}, error(
                "AuthorizationFailed", f"The client 'auditor@contoso.com' with object id '{self.principal}' does not "
                "have authorization to perform action 'Microsoft.CognitiveServices/accounts/deployments/read' over "
                f"scope '{account_id}/deployments' or the scope is invalid. If access was recently granted, please "
                "refresh your credentials.")
        if fault == "deleted":
            return 404, {}, error("ResourceNotFound", f"The Resource 'Microsoft.CognitiveServices/accounts/{name}' "
                                  f"under resource group '{group}' was not found. For more details please go to "
                                  "https://aka.ms/ARMResourceNotFoundFix")
        if fault == "parent-deleted":
            return 404, {}, error("ParentResourceNotFound", "Can not perform requested operation on nested resource. "
                                  f"Parent resource '{name}' not found.")
        if fault.startswith("throttled:"):
            left = int(fault.split(":")[1])
            if left > 0:
                self.faults[name] = f"throttled:{left - 1}"
                return 429, {"Retry-After": self.retry_after}, error(
                    "TooManyRequests", "The request is being throttled as the limit has been reached for operation "
                    "type - Read_ObservationWindow_00:05:00.")
        if fault == "drop":
            return 0, {}, b""  # the connection closes without an answer (a network failure)
        if fault == "garbage":
            return 200, {}, b"<html>upstream proxy error</html>"
        items = self.deployments.get(account_id.casefold())
        if items is None:
            return 404, {}, error("ResourceNotFound", f"The Resource 'Microsoft.CognitiveServices/accounts/{name}' "
                                  f"under resource group '{group}' was not found.")
        if self.deployments_page_size is None:
            return 200, {}, {"value": items}
        size = self.deployments_page_size
        start = int(seen.query.get("$skipToken", ["0"])[0])
        out: dict[str, Any] = {"value": items[start:start + size]}
        if start + size < len(items):
            out["nextLink"] = (f"{self.url}{account_id}/deployments?api-version={ARM_API_VERSION}"
                               f"&$skipToken={start + size}")
        return 200, {}, out

    def _models(self, subscription: str, region: str, page: int) -> tuple[int, dict[str, str], Any]:
        if region not in self.models:
            return 404, {}, error("LocationNotFound", f"no region {region}")
        items = self.models[region]
        if self.models_page_size is None:
            return 200, {}, {"value": items}
        size = self.models_page_size
        chunk = items[page * size:(page + 1) * size]
        out: dict[str, Any] = {"value": chunk}
        if (page + 1) * size < len(items):
            out["nextLink"] = (f"{self.url}/subscriptions/{subscription}/providers/Microsoft.CognitiveServices/"
                               f"locations/{region}/models?api-version={ARM_API_VERSION}&page={page + 1}")
        return 200, {}, out

    def requests_to(self, fragment: str) -> list[Seen]:
        return [s for s in self.seen if fragment in s.path]


def _handler(stub: ArmStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            url = urlparse(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            seen = Seen(self.command, url.path, parse_qs(url.query), self.headers.get("Authorization"),
                        json.loads(raw) if raw else None, time.monotonic())
            with stub.lock:
                stub.seen.append(seen)
            listing = url.path.endswith("/deployments")
            if listing:
                with stub.lock:
                    stub.in_flight += 1
                    stub.max_in_flight = max(stub.max_in_flight, stub.in_flight)
                time.sleep(stub.delay)
            try:
                status, headers, body = stub.respond(seen)
            finally:
                if listing:
                    with stub.lock:
                        stub.in_flight -= 1
            seen.status = status
            if status == 0:
                self.close_connection = True
                self.connection.close()
                return
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _serve

        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

    return Handler


class Running:
    """Start the stub on 127.0.0.1 (a free port) over TLS; stop it on exit."""

    def __init__(self, stub: ArmStub, directory: Path) -> None:
        stub.ca_file = directory / "stub-ca.pem"
        self.tls = TlsServer(_handler(stub), stub.ca_file)
        stub.url = self.tls.url
        self.stub = stub

    def __enter__(self) -> ArmStub:
        self.tls.__enter__()
        return self.stub

    def __exit__(self, *exc: object) -> None:
        self.tls.__exit__(*exc)


class StaticCredential:
    """A fixed bearer token (test double for DefaultAzureCredential); records the scopes asked for."""

    token = "versionguard-test-token"

    def __init__(self, fail: Exception | None = None) -> None:
        self.scopes: list[tuple[str, ...]] = []
        self.fail = fail

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        self.scopes.append(scopes)
        if self.fail is not None:
            raise self.fail
        return AccessToken(self.token, int(time.time()) + 3600)
