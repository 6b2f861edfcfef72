"""A local HTTPS server for the test doubles (the Azure stand-in, published pages): 127.0.0.1 on a free
port, a certificate from a throwaway trustme CA written beside the test, served on a thread for the
duration of a ``with`` block."""

from __future__ import annotations

import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import trustme


class TlsServer:
    """``with TlsServer(handler, ca_file) as url:`` serves ``handler`` at ``url`` (https://127.0.0.1:PORT)
    until the block ends; clients trust it through ``ca_file``."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], ca_file: Path) -> None:
        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1", "localhost")
        ca.cert_pem.write_to_path(str(ca_file))
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(context)
        self.http = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.http.daemon_threads = True
        self.http.socket = context.wrap_socket(self.http.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.http.server_address[1]}"
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        return self.url

    def __exit__(self, *exc: object) -> None:
        self.http.shutdown()
        self.http.server_close()
