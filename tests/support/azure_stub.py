"""A local HTTPS stand-in for Azure Resource Manager (test double; only tests use it).

The real SDK clients (azure-mgmt-resourcegraph, azure-mgmt-cognitiveservices, their azure-core
pipeline with bearer-token auth and the retry policy) talk to it over TLS: its certificate comes from
a CA that ``trustme`` makes at test time, trusted through ``REQUESTS_CA_BUNDLE``. It serves:

- ``POST /providers/Microsoft.ResourceGraph/resources``: the deployment rows in pages of
  ``page_size`` with a ``$skipToken`` (as Resource Graph does when a result is larger than a page),
  and the subscriptions for the ``resourcecontainers`` query;
- ``GET /subscriptions/{id}/providers/Microsoft.CognitiveServices/locations/{region}/models``: each
  region's items, in two pages joined by ``nextLink`` when ``models_page_size`` is set.

Failure modes: the first ``throttle`` requests answer 429 with ``Retry-After: 1``; ``auth_fail``
answers 401 (an ARM ``AuthenticationFailed`` error) to everything. Every request is recorded.
"""

from __future__ import annotations

import json
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import trustme
from azure.core.credentials import AccessToken


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    authorization: str | None
    body: Any
    at: float
    status: int = 0


@dataclass
class ArmStub:
    rows: list[dict[str, Any]] = field(default_factory=list)
    subscriptions: list[str] = field(default_factory=list)
    models: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # region -> items
    page_size: int = 1000
    models_page_size: int | None = None
    throttle: int = 0
    auth_fail: bool = False
    seen: list[Seen] = field(default_factory=list)
    url: str = ""
    ca_file: Path | None = None

    def respond(self, seen: Seen) -> tuple[int, dict[str, str], Any]:
        if self.auth_fail:
            return 401, {"WWW-Authenticate": 'Bearer error="invalid_token"'}, {"error": {
                "code": "AuthenticationFailed", "message": "Authentication failed. The 'Authorization' header "
                "is missing or the token is invalid."}}
        if self.throttle > 0:
            self.throttle -= 1
            return 429, {"Retry-After": "1"}, {"error": {"code": "RateLimiting", "message": "Too many requests."}}
        if seen.method == "POST" and seen.path == "/providers/Microsoft.ResourceGraph/resources":
            return 200, {}, self._graph(seen.body)
        parts = seen.path.strip("/").split("/")
        if seen.method == "GET" and len(parts) == 7 and parts[4] == "locations" and parts[6] == "models":
            return self._models(parts[1], parts[5], int(seen.query.get("page", ["0"])[0]))
        return 404, {}, {"error": {"code": "NotFound", "message": f"no stub for {seen.method} {seen.path}"}}

    def _graph(self, body: dict[str, Any]) -> dict[str, Any]:
        if body["query"].startswith("resourcecontainers"):
            rows: list[dict[str, Any]] = [{"subscriptionId": s} for s in self.subscriptions]
        else:
            scope = {s.casefold() for s in body.get("subscriptions") or []}
            rows = [r for r in self.rows if not scope or r["subscriptionId"].casefold() in scope]
        start = int((body.get("options") or {}).get("$skipToken") or 0)
        page = rows[start:start + min(self.page_size, (body.get("options") or {}).get("$top") or 100)]
        out: dict[str, Any] = {"totalRecords": len(rows), "count": len(page), "data": page, "facets": [],
                               "resultTruncated": "false"}
        if start + len(page) < len(rows):
            out["$skipToken"] = str(start + len(page))
        return out

    def _models(self, subscription: str, region: str, page: int) -> tuple[int, dict[str, str], Any]:
        if region not in self.models:
            return 404, {}, {"error": {"code": "LocationNotFound", "message": f"no region {region}"}}
        items = self.models[region]
        if self.models_page_size is None:
            return 200, {}, {"value": items}
        size = self.models_page_size
        chunk = items[page * size:(page + 1) * size]
        out: dict[str, Any] = {"value": chunk}
        if (page + 1) * size < len(items):
            out["nextLink"] = (f"{self.url}/subscriptions/{subscription}/providers/Microsoft.CognitiveServices/"
                               f"locations/{region}/models?api-version=2025-09-01&page={page + 1}")
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
            stub.seen.append(seen)
            status, headers, body = stub.respond(seen)
            seen.status = status
            data = json.dumps(body).encode()
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
        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1", "localhost")
        stub.ca_file = directory / "stub-ca.pem"
        ca.cert_pem.write_to_path(str(stub.ca_file))
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(context)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stub))
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        stub.url = f"https://127.0.0.1:{self.server.server_address[1]}"
        self.stub = stub
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> ArmStub:
        self.thread.start()
        return self.stub

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


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
