"""Which host names the site answers to, and the address its absolute links use.

An absolute link (sitemap, feeds, JSON-LD, API links, the password links admins
copy) must never take its host from the request's ``Host`` header as sent: anyone
can send ``Host: evil.example``. Links use ``SITE_URL`` when it is set; otherwise
the request's host, which is only accepted when it is on the allow-list
(``SITE_URL``'s host plus the environment's ``TRUSTED_HOSTS``, read into
``ALLOWED_HOSTS``; by default the loopback names, so a
local run works and a deployment that forgot to configure refuses instead of
trusting). Any other host gets a plain 400 before the app runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, request, url_for

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


def site_url_problem(value: str) -> str | None:
    """Why ``value`` cannot be the SITE_URL, or None."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"SITE_URL must be an address such as https://factcheck.example.org (got {value!r})."
    if parts.query or parts.fragment:
        return "SITE_URL must not carry a query or a fragment."
    return None


def allowed_hosts(config: dict[str, Any]) -> list[str]:
    """The host names the site answers to (a leading dot allows every subdomain)."""
    hosts = [h.strip().lower() for h in _split(config.get("ALLOWED_HOSTS")) if h.strip()]
    site = str(config.get("SITE_URL") or "")
    if site:
        problem = site_url_problem(site)
        if problem:
            raise RuntimeError(problem)
        hosts.append((urlsplit(site).hostname or "").lower())
    return [h.strip("[]") for h in hosts] or list(LOOPBACK_HOSTS)


def host_name(header: str) -> str:
    """The name in a Host header, without its port or IPv6 brackets, lower case."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].partition("]")[0]
    return header.partition(":")[0]


def host_is_allowed(header: str, hosts: list[str]) -> bool:
    name = host_name(header).rstrip(".")
    if not name:
        return False
    for allowed in hosts:
        if allowed.startswith("."):
            if name.endswith(allowed) or name == allowed[1:]:
                return True
        elif name == allowed:
            return True
    return False


def _split(value: str | Iterable[str] | None) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return value.replace(" ", ",").split(",")
    return list(value)


class HostGuard:
    """WSGI middleware: a request for a host that is not ours is a 400, before Flask runs."""

    def __init__(self, wsgi_app: Any, hosts: list[str]) -> None:
        self.wsgi_app = wsgi_app
        self.hosts = hosts

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME") or ""
        if host_is_allowed(host, self.hosts):
            return self.wsgi_app(environ, start_response)
        shown = host.encode("ascii", "replace").decode()[:100]
        body = (
            f"400 Bad request: this site does not answer to the host name {shown!r}. "
            "Its operator lists the names it answers to in SITE_URL and TRUSTED_HOSTS.\n"
        ).encode()
        start_response(
            "400 BAD REQUEST",
            [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-store"),
            ],
        )
        return [body]


def init_app(app: Flask) -> None:
    """Install the guard; ProxyFix must wrap it, so a forwarded host is the one checked."""
    hosts = allowed_hosts(app.config)
    app.wsgi_app = HostGuard(app.wsgi_app, hosts)  # type: ignore[method-assign]


def site_root() -> str:
    """The site's address ending in '/': SITE_URL, else this request's (checked) host."""
    configured = str(current_app.config.get("SITE_URL") or "")
    if configured:
        return configured.rstrip("/") + "/"
    return request.url_root


def external_url(endpoint: str, **values: Any) -> str:
    """``url_for`` as an absolute address on the site root (never the raw Host header)."""
    path = url_for(endpoint, **values)
    script_root = request.script_root
    if script_root and path.startswith(script_root):
        path = path[len(script_root) :]
    return site_root() + path.lstrip("/")
