"""Fetching one web page for ``curate import URL``: for editors at their desk, never for builds.

Only ``http`` and ``https`` addresses are fetched; redirects are followed by
hand (at most :data:`MAX_REDIRECTS`, each to ``http(s)`` only); the whole
fetch has a deadline (:data:`TIMEOUT_SECONDS`), the body a size limit
(:data:`MAX_BYTES`), and the answer must be an HTML page. Every failure is a
:class:`FetchError` saying what went wrong in one sentence, with a hint. The
body is returned exactly as received (a ``gzip`` or ``deflate`` transfer
encoding undone), so the snapshot is the page the server sent.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit

from . import __version__
from .errors import TargetError

TIMEOUT_SECONDS = 30.0
MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
HTML_TYPES = ("text/html", "application/xhtml+xml")
USER_AGENT = f"curate/{__version__} (article import; +https://www.python.org/)"
_CHUNK = 64 * 1024


class FetchError(TargetError):
    """A page could not be fetched (exit code 1); ``target`` is the address, the message says why."""


@dataclass(frozen=True)
class Fetched:
    """A fetched page.

    Attributes:
        url: The address asked for.
        final_url: The address the page came from, after redirects.
        data: The body exactly as received (transfer encoding undone).
        content_type: The media type (``text/html``), lower case.
        charset: The ``charset`` of the ``Content-Type`` header, or ``''``.
        redirects: Addresses redirected through, in order.
    """

    url: str
    final_url: str
    data: bytes
    content_type: str
    charset: str
    redirects: tuple[str, ...] = ()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by :func:`fetch` itself, so each hop is counted and checked."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None




def is_web_address(target: str) -> bool:
    """Whether ``target`` names a web address (any ``scheme://``) rather than a file."""
    scheme = urlsplit(target).scheme if "://" in target else ""
    return bool(scheme) and len(scheme) > 1  # "C:\\…" is a drive letter, not a scheme


def check_address(url: str) -> None:
    """Refuse an address curate does not fetch.

    Raises:
        FetchError: Not ``http``/``https``, or no host name.
    """
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise FetchError(url, f"not a valid web address ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(url, f"only http:// and https:// addresses are fetched, not {parts.scheme}:",
                         "save the page as a file and import the file")
    if not parts.hostname:
        raise FetchError(url, "the address has no host name", "write it as https://example.com/page")
    if any(c.isspace() or ord(c) < 32 for c in url):
        raise FetchError(url, "the address holds spaces or control characters", "copy the address again")


def fetch(url: str, timeout: float = TIMEOUT_SECONDS, max_bytes: int = MAX_BYTES,
          max_redirects: int = MAX_REDIRECTS) -> Fetched:
    """Fetch one HTML page.

    Args:
        url: An ``http`` or ``https`` address.
        timeout: Seconds for the whole fetch, redirects included.
        max_bytes: Largest body accepted, in bytes.
        max_redirects: Most redirects followed.

    Returns:
        The page.

    Raises:
        FetchError: A bad address, no answer in time, a connection or TLS
            failure, an HTTP error status, too many redirects, a redirect to
            another scheme, a body larger than ``max_bytes``, or an answer
            that is not an HTML page.
    """
    check_address(url)
    deadline = time.monotonic() + timeout
    current = url
    hops: list[str] = []
    while True:
        response = _open(url, current, deadline, timeout)
        try:
            status = response.status
            if status in (301, 302, 303, 307, 308):
                location = response.headers.get("Location")
                if not location:
                    raise FetchError(url, f"the server answered {status} (a redirect) without saying where to")
                target = urljoin(current, location.strip())
                if urlsplit(target).scheme.lower() not in ("http", "https"):
                    raise FetchError(url, f"the server redirects to {target}, which is not an http(s) address")
                if len(hops) >= max_redirects:
                    raise FetchError(url, f"more than {max_redirects} redirects (the last to {target})",
                                     "open the address in a browser, and import the address it ends at")
                hops.append(current)
                current = target
                continue
            if status >= 400:
                raise FetchError(url, f"the server answered {status} {response.reason}".rstrip(),
                                 _status_hint(status))
            return _read(url, current, response, deadline, timeout, max_bytes, tuple(hops))
        finally:
            response.close()


def _open(url: str, current: str, deadline: float, timeout: float) -> http.client.HTTPResponse:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(url, f"no complete answer within {timeout:g} seconds", "try again later")
    request = urllib.request.Request(current, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.1",
                                                       "Accept-Encoding": "identity"})
    try:
        # Built per fetch, so proxy settings (http_proxy, no_proxy) are read when the fetch happens.
        return urllib.request.build_opener(_NoRedirect).open(request, timeout=remaining)
    except urllib.error.HTTPError as exc:
        # An HTTPError is a response too (status, headers, body): the caller handles redirects and errors.
        return exc  # type: ignore[return-value]
    except urllib.error.URLError as exc:
        raise FetchError(url, _reason(exc.reason, current, timeout),
                         "check the address, and that this computer is online") from None
    except TimeoutError:
        raise FetchError(url, f"no answer within {timeout:g} seconds", "try again later") from None
    except (http.client.HTTPException, OSError, ValueError) as exc:
        raise FetchError(url, _reason(exc, current, timeout)) from None


def _reason(reason: object, current: str, timeout: float) -> str:
    host = urlsplit(current).hostname or current
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"the secure connection to {host} failed: {reason.verify_message or reason}"
    if isinstance(reason, ssl.SSLError):
        return f"the secure connection to {host} failed ({reason.reason or reason})"
    if isinstance(reason, socket.gaierror):
        return f"the host name {host} cannot be found"
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return f"no answer from {host} within {timeout:g} seconds"
    if isinstance(reason, ConnectionRefusedError):
        return f"{host} refused the connection"
    if isinstance(reason, OSError) and reason.strerror:
        return f"cannot reach {host}: {reason.strerror}"
    if isinstance(reason, http.client.HTTPException):
        return f"{host} sent an answer that is not valid HTTP ({type(reason).__name__})"
    return f"cannot reach {host}: {reason}"


def _status_hint(status: int) -> str:
    if status in (401, 403):
        return "the page is not public (a paywall or a login): open it in a browser, save it, and import the file"
    if status in (404, 410):
        return "check the address"
    if status == 429 or status >= 500:
        return "the server is busy or failing; try again later"
    return ""


def _read(url: str, current: str, response: http.client.HTTPResponse, deadline: float, timeout: float,
          max_bytes: int, hops: tuple[str, ...]) -> Fetched:
    headers: Message = response.headers
    content_type = (headers.get_content_type() if headers.get("Content-Type") else "").lower()
    charset = (headers.get_content_charset() or "") if headers.get("Content-Type") else ""
    if content_type and content_type not in HTML_TYPES:
        raise FetchError(url, f"the address serves {content_type}, not an HTML page",
                         "import the address of the article's web page"
                         + (", or save the text as a .txt file in content_sources/articles/"
                            if content_type.startswith("text/") else ""))
    length = headers.get("Content-Length")
    if length and length.strip().isdigit() and int(length) > max_bytes:
        raise FetchError(url, f"the page is {int(length) / 1e6:.1f} MB, more than the {max_bytes / 1e6:.0f} MB "
                              "curate imports", "save the article's page alone and import the file")
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            if time.monotonic() > deadline:
                raise FetchError(url, f"the page did not arrive within {timeout:g} seconds",
                                 "try again later")
            chunk = response.read(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(url, f"the page is larger than the {max_bytes / 1e6:.0f} MB curate imports",
                                 "save the article's page alone and import the file")
            chunks.append(chunk)
    except TimeoutError:
        raise FetchError(url, f"the page did not arrive within {timeout:g} seconds",
                         "try again later") from None
    except (http.client.HTTPException, OSError) as exc:
        raise FetchError(url, f"the connection broke while the page arrived ({type(exc).__name__})",
                         "try again") from None
    data = _undo_encoding(url, b"".join(chunks), (headers.get("Content-Encoding") or "").strip().lower(), max_bytes)
    if not content_type:
        head = data[:1024].lstrip().lower()
        if not head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml", b"<!--")):
            raise FetchError(url, "the server did not say what it sent, and it does not look like an HTML page")
    return Fetched(url, current, data, content_type or "text/html", charset, hops)


def _undo_encoding(url: str, data: bytes, encoding: str, max_bytes: int) -> bytes:
    """The body with a ``gzip``/``deflate`` content encoding undone (servers may send one unasked)."""
    if encoding in ("", "identity"):
        return data
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(url, f"the server sent the page compressed as '{encoding}', which curate cannot read")
    wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
    try:
        inflater = zlib.decompressobj(wbits)
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error:
        raise FetchError(url, f"the page's {encoding} compression is damaged", "try again") from None
    if len(out) > max_bytes or inflater.unconsumed_tail:
        raise FetchError(url, f"the page is larger than the {max_bytes / 1e6:.0f} MB curate imports (uncompressed)")
    return out


__all__ = [
    "MAX_BYTES",
    "MAX_REDIRECTS",
    "TIMEOUT_SECONDS",
    "FetchError",
    "Fetched",
    "check_address",
    "fetch",
    "is_web_address",
]
