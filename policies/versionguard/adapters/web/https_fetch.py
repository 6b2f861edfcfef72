"""A small HTTPS GET for published documentation pages: https only, TLS verified, bounded.

- ``https://`` only, also after redirects (a redirect to ``http://`` is refused, not followed);
  no credentials in the URL (they would end up in the catalog's sources and in messages).
- TLS verification is always on: the system's trust store, plus the CA file named by
  ``SSL_CERT_FILE`` or ``REQUESTS_CA_BUNDLE`` (the variable the Azure commands honour behind a TLS
  inspecting proxy).
- A time limit for the whole transfer and a size cap: a slow or endless response is an error, not a
  hang or an exhausted memory.
Every failure is an :class:`InputError` naming the URL and what went wrong (exit 2).
"""

from __future__ import annotations

import http.client
import os
import re
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from versionguard.core.errors import InputError

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_BYTES = 8 * 1024 * 1024
_CHUNK = 64 * 1024


def is_url(text: str) -> bool:
    """Whether a SOURCE argument is a URL (any scheme) rather than a path."""
    return "://" in text and text.split("://", 1)[0].isalpha()


def check_url(url: str) -> str:
    """``url`` if it is an https URL with a host and no credentials; else an error naming it."""
    if not url.isprintable() or any(ch.isspace() for ch in url):
        raise InputError("URL", "(url)", "an https:// URL without spaces or control characters", _redacted(url))
    try:
        return _checked(url, urllib.parse.urlsplit(url))
    except ValueError as exc:  # a bracket left open, a port out of range
        raise InputError(_redacted(url), "(url)", "a well-formed https:// URL", str(exc)) from None


def _redacted(url: str) -> str:
    """``url`` without a ``user:password@`` part: credentials are never echoed."""
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@", r"\1", url)


def _checked(url: str, parts: urllib.parse.SplitResult) -> str:
    if parts.scheme.casefold() != "https":
        raise InputError(_redacted(url), "(url)", "an https:// URL (plain http and other schemes are refused)",
                         f"{parts.scheme}://")
    if not parts.hostname:
        raise InputError(_redacted(url), "(url)", "an https:// URL with a host name")
    if parts.username is not None or parts.password is not None:
        raise InputError(_redacted(url), "(url)", "a URL without user name or password", "credentials in the URL")
    return url


class _HttpsOnlyRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = 5

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        check_url(urllib.parse.urljoin(req.full_url, newurl))
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _context() -> ssl.SSLContext:
    context = ssl.create_default_context()  # CERT_REQUIRED and host name checks
    extra = os.environ.get("SSL_CERT_FILE") or os.environ.get("REQUESTS_CA_BUNDLE")
    if extra:
        try:
            context.load_verify_locations(cafile=extra)
        except (OSError, ssl.SSLError) as exc:
            raise InputError(extra, "(CA file)", "a readable PEM CA bundle (SSL_CERT_FILE / REQUESTS_CA_BUNDLE)",
                             str(exc)) from None
    return context


def fetch(url: str, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The body of ``GET url``: at most ``max_bytes``, within ``timeout`` seconds overall."""
    check_url(url)
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=_context()), _HttpsOnlyRedirects())
    request = urllib.request.Request(url, headers={"Accept": "text/markdown, text/plain;q=0.9, */*;q=0.1",
                                                   "User-Agent": "versionguard catalog import-docs"})
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared is not None and declared.isdigit() and int(declared) > max_bytes:
                raise InputError(url, "(response)", f"a page of at most {max_bytes // 1024} KiB",
                                 f"Content-Length {declared}")
            body = bytearray()
            while True:
                if time.monotonic() > deadline:
                    raise InputError(url, "(response)", f"the whole page within {timeout:g} s", "a slower transfer")
                chunk = response.read(_CHUNK)
                if not chunk:
                    return bytes(body)
                body += chunk
                if len(body) > max_bytes:
                    raise InputError(url, "(response)", f"a page of at most {max_bytes // 1024} KiB", "a larger page")
    except urllib.error.HTTPError as exc:
        raise InputError(url, "(response)", "HTTP 200", f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, ssl.SSLCertVerificationError):
            raise InputError(url, "(TLS)", "a certificate the system (or SSL_CERT_FILE / REQUESTS_CA_BUNDLE) trusts",
                             reason.verify_message or str(reason)) from None
        if isinstance(reason, InputError):
            raise reason from None
        if isinstance(reason, TimeoutError):
            raise InputError(url, "(connection)", f"a response within {timeout:g} s", "a timeout") from None
        raise InputError(url, "(connection)", "a reachable https server", str(reason)) from None
    except ssl.SSLError as exc:
        raise InputError(url, "(TLS)", "a TLS connection", str(exc)) from None
    except TimeoutError:
        raise InputError(url, "(connection)", f"a response within {timeout:g} s", "a timeout") from None
    except (OSError, ValueError, http.client.HTTPException) as exc:  # reset, malformed response, ...
        raise InputError(url, "(connection)", "a well-formed HTTPS response", str(exc) or type(exc).__name__) from None
