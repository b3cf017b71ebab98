"""Fetching an article by URL: http(s) only, a timeout, a size limit, no private addresses."""

from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.request
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import current_app

from ..errors import ValidationFailed

ARTICLE_TYPES = ("text/html", "text/plain", "application/xhtml+xml")


@dataclass
class Fetched:
    body: bytes
    content_type: str | None
    url: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


class FetchFailed(ValidationFailed):
    """The address could not be fetched; ``transient`` when trying later may succeed."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message, fields={"url": message})
        self.transient = transient


def _refuse(message: str, *, transient: bool = False) -> FetchFailed:
    return FetchFailed(message, transient=transient)


def _check_host(host: str, port: int) -> None:
    """Refuse addresses inside our own network (SSRF), unless configured for tests."""
    if current_app.config.get("IMPORT_ALLOW_PRIVATE_ADDRESSES"):
        return
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        raise _refuse(f"The host “{host}” could not be found.") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if (
            address.is_private
            or address.is_loopback
            or address.is_link_local
            or address.is_reserved
        ):
            raise _refuse("That address points inside our own network; it cannot be fetched.")


class _NoRedirectToPrivate(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        parts = urlsplit(newurl)
        if parts.scheme not in ("http", "https"):
            raise _refuse("The page redirected to an address that is not http or https.")
        _check_host(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    content_types: Collection[str] = ARTICLE_TYPES,
    accept: str = "text/html,text/plain;q=0.9",
    what: str = "an article (HTML or text)",
) -> Fetched:
    """The page at ``url``; a 304 answer to a conditional GET comes back with an empty body."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _refuse("Give a web address starting with http:// or https://.")
    _check_host(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    timeout = float(current_app.config.get("IMPORT_FETCH_TIMEOUT", 10))
    limit = int(current_app.config.get("IMPORT_MAX_BYTES", 2 * 1024 * 1024))
    opener = urllib.request.build_opener(_NoRedirectToPrivate)
    request = urllib.request.Request(  # noqa: S310  (scheme checked above)
        url,
        headers={"User-Agent": "factcheck-importer/1.0", "Accept": accept, **(headers or {})},
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise _refuse(f"The page is larger than the {limit // 1024} KB import limit.")
            body = response.read(limit + 1)
            if len(body) > limit:
                raise _refuse(f"The page is larger than the {limit // 1024} KB import limit.")
            content_type = response.headers.get_content_type()
            final_url = response.geturl()
            answered = dict(response.headers.items())
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(b"", None, url, status=304, headers=dict(exc.headers.items()))
        raise _refuse(
            f"The site answered {exc.code} {exc.reason}.",
            transient=exc.code >= 500 or exc.code == 429,
        ) from None
    except TimeoutError:
        raise _refuse(
            f"The site did not answer within {timeout:g} seconds.", transient=True
        ) from None
    except urllib.error.URLError as exc:
        raise _refuse(f"The page could not be fetched: {exc.reason}.", transient=True) from None
    if content_type not in content_types:
        raise _refuse(f"That address serves {content_type}, not {what}.")
    return Fetched(
        body=body, content_type=content_type, url=final_url, status=200, headers=answered
    )
