"""A local HTTPS server for published pages (``catalog import-docs`` of an https:// URL).

TLS as the Azure stub does it: a certificate for 127.0.0.1 issued by a CA that ``trustme`` makes at
test time; the client trusts it only when the test points ``SSL_CERT_FILE`` at ``ca_file``. Each
path maps to a :class:`Reply` (status, headers, body, an optional delay before the body).
"""

from __future__ import annotations

import contextlib
import ssl
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from tests.support.tls_server import TlsServer


@dataclass
class Reply:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/markdown; charset=utf-8"})
    delay: float = 0.0  # seconds before the body is sent


@dataclass
class PageServer:
    replies: dict[str, Reply] = field(default_factory=dict)
    url: str = ""
    ca_file: Path | None = None
    seen: list[str] = field(default_factory=list)


def _handler(server: PageServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server.seen.append(self.path)
            reply = server.replies.get(self.path, Reply(b"not found", 404))
            self.send_response(reply.status)
            for k, v in reply.headers.items():
                self.send_header(k, v)
            if "Content-Length" not in reply.headers:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if reply.delay:
                time.sleep(reply.delay)
            with contextlib.suppress(BrokenPipeError, ConnectionResetError, ssl.SSLError):
                self.wfile.write(reply.body)  # the client may have given up (size cap, timeout): expected

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


class Serving:
    """Serve ``server`` on 127.0.0.1 (a free port) over TLS until the block ends."""

    def __init__(self, server: PageServer, directory: Path) -> None:
        server.ca_file = directory / "page-ca.pem"
        self.tls = TlsServer(_handler(server), server.ca_file)
        server.url = self.tls.url
        self.server = server

    def __enter__(self) -> PageServer:
        self.tls.__enter__()
        return self.server

    def __exit__(self, *exc: object) -> None:
        self.tls.__exit__(*exc)
