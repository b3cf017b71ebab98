"""Fetching an article by URL without letting the URL reach inside our own network (SSRF).

The rules, in the order a fetch meets them:

- the URL must parse, be http or https, name a host and carry no credentials;
- the host is resolved ONCE; every address it resolves to must be a global unicast
  address, judged after unwrapping the IPv4 inside IPv4-mapped (``::ffff:a.b.c.d``),
  6to4 (``2002::/16``) and NAT64 (``64:ff9b::/96``) addresses, with carrier-grade NAT
  (``100.64.0.0/10``) and the other special-purpose blocks refused;
- the connection goes to the address that was checked (no second lookup, so a DNS
  answer that changes between check and connect, "DNS rebinding", changes nothing);
  HTTPS still verifies the certificate against the host name;
- each redirect is checked the same way (at most ``MAX_REDIRECTS``);
- one deadline covers the whole fetch, redirects included: a server that sends a
  byte a second is cut off when it passes, not after minutes;
- at most ``max_bytes`` are read, and only HTML or plain text is accepted.

A background job can call :func:`fetch` with a :class:`FetchPolicy` of its own; the
web app builds one from its configuration. Tests inject a resolver function
(``IMPORT_RESOLVER``) so no test ever looks up or reaches a real address.
"""

from __future__ import annotations

import errno
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..errors import ValidationFailed, num, tr

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# host, port -> the addresses it resolves to, as strings
Resolver = Callable[[str, int], list[str]]

MAX_REDIRECTS = 5
MAX_URL_CHARS = 2000
READ_CHUNK = 16 * 1024
ACCEPTED_TYPES = ("text/html", "text/plain", "application/xhtml+xml")
NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Blocks Python's ``is_global`` lets through on some versions, or that no article lives on.
NEVER_FETCHED: tuple[Network, ...] = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "100.64.0.0/10",  # carrier-grade NAT: the provider's inside
        "192.0.0.0/24",
        "192.88.99.0/24",  # 6to4 relay anycast
        "198.18.0.0/15",
        "224.0.0.0/3",  # multicast and the reserved rest
        "64:ff9b:1::/48",  # local-use NAT64
        "2001::/32",  # Teredo: the inner address cannot be trusted
        "ff00::/8",
    )
)


@dataclass
class Fetched:
    body: bytes
    content_type: str | None
    url: str
    status: int = 200  # 304: a conditional GET found nothing new (the body is empty)
    headers: dict[str, str] = field(default_factory=dict)


class FetchFailed(ValidationFailed):
    """The address could not be fetched; ``transient`` when trying later may succeed."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message, fields={"url": message})
        self.transient = transient


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the operating system's resolver gives for ``host``."""
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


@dataclass(frozen=True)
class FetchPolicy:
    """How a fetch may go: its deadline, size limit, resolver and address exceptions."""

    timeout: float = 10.0
    max_bytes: int = 2 * 1024 * 1024
    # True: any address may be fetched (a closed network or a test); the rules above stay.
    allow_private: bool = False
    # Networks fetched even though they are not global (tests: 127.0.0.0/8 only).
    allowed_networks: tuple[Network, ...] = ()
    resolver: Resolver = system_resolver
    user_agent: str = "factcheck-importer/1.0"

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> FetchPolicy:
        return cls(
            timeout=float(config.get("IMPORT_FETCH_TIMEOUT") or 10),
            max_bytes=int(config.get("IMPORT_MAX_BYTES") or 2 * 1024 * 1024),
            allow_private=bool(config.get("IMPORT_ALLOW_PRIVATE_ADDRESSES")),
            allowed_networks=tuple(
                ipaddress.ip_network(n) for n in config.get("IMPORT_ALLOWED_NETWORKS") or ()
            ),
            resolver=config.get("IMPORT_RESOLVER") or system_resolver,
        )


def _refuse(message: str, *, transient: bool = False) -> FetchFailed:
    return FetchFailed(message, transient=transient)


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv4-mapped, 6to4 or NAT64 address carries, else None."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public_address(address: IPAddress) -> bool:
    """True for a global unicast address, judged by the IPv4 inside any wrapper."""
    inner = embedded_ipv4(address)
    if inner is not None:
        return is_public_address(inner)
    if any(address in network for network in NEVER_FETCHED if network.version == address.version):
        return False
    return (
        address.is_global
        and not address.is_private
        and not address.is_multicast
        and not address.is_reserved
        and not address.is_loopback
        and not address.is_link_local
        and not address.is_unspecified
    )


def _allowed(address: IPAddress, policy: FetchPolicy) -> bool:
    if policy.allow_private or is_public_address(address):
        return True
    inner = embedded_ipv4(address) or address
    return any(inner in n for n in policy.allowed_networks if n.version == inner.version)


@dataclass(frozen=True)
class Target:
    """A URL taken apart and checked: where to connect, and what to ask for."""

    url: str
    scheme: str
    host: str
    port: int
    path: str
    address: str = field(default="")


def parse_url(url: str) -> Target:
    """The URL's parts, or a clear refusal of a malformed one (never a stack trace)."""
    url = (url or "").strip()
    if len(url) > MAX_URL_CHARS:
        raise _refuse(
            tr(
                "That web address is longer than %(max_url_chars)s characters.",
                max_url_chars=MAX_URL_CHARS,
            )
        )
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise _refuse(tr("A web address cannot contain spaces or control characters."))
    try:
        parts = urlsplit(url)
        port = parts.port
        host = parts.hostname
    except ValueError as exc:
        raise _refuse(tr("That web address is malformed (%(exc)s).", exc=exc)) from None
    if parts.scheme not in ("http", "https") or not host:
        raise _refuse(tr("Give a web address starting with http:// or https://."))
    if parts.username is not None or parts.password is not None:
        raise _refuse(tr("A web address with a user name or password cannot be imported."))
    if port == 0:
        raise _refuse(tr("That web address has no valid port."))
    try:
        host.encode("idna")
    except UnicodeError:
        raise _refuse(tr("The host name “%(host)s” is not valid.", host=host)) from None
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(
        url=url,
        scheme=parts.scheme,
        host=host,
        port=port or (443 if parts.scheme == "https" else 80),
        path=path,
    )


def resolve_checked(target: Target, policy: FetchPolicy) -> Target:
    """Resolve once and check every answer; the result names the address to connect to."""
    try:
        literal: IPAddress | None = ipaddress.ip_address(target.host)
    except ValueError:
        literal = None
    if literal is not None:
        answers = [str(literal)]
    else:
        try:
            answers = policy.resolver(target.host, target.port)
        except (OSError, UnicodeError):
            answers = []
        if not answers:
            raise _refuse(
                tr("The host “%(target_host)s” could not be found.", target_host=target.host)
            )
    addresses = []
    for answer in answers:
        try:
            addresses.append(ipaddress.ip_address(answer.split("%", 1)[0]))
        except ValueError:
            raise _refuse(
                tr(
                    "The host “%(target_host)s” resolved to a malformed address.",
                    target_host=target.host,
                )
            ) from None
    # Every answer is checked, not only the first: a mixed answer is refused whole.
    if not all(_allowed(a, policy) for a in addresses):
        raise _refuse(tr("That address points inside our own network; it cannot be fetched."))
    return replace(target, address=str(addresses[0]))


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address while the Host header keeps the name."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.pinned = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.pinned, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self.pinned = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self.pinned, self.port), self.timeout)
        # The certificate is checked against the name asked for, not the address.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _Deadline:
    """One clock for the whole fetch; when it runs out the open socket is shut."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self._timer: threading.Timer | None = None

    def left(self) -> float:
        left = self.ends - time.monotonic()
        if left <= 0:
            raise self.expired()
        return left

    def expired(self) -> FetchFailed:
        return _refuse(
            tr(
                "The site did not send the page within %(self_seconds)s seconds.",
                self_seconds=num(self.seconds),
            ),
            transient=True,
        )

    def watch(self, conn: http.client.HTTPConnection) -> None:
        self.stop()
        # Held here: once a response owns the socket, the connection forgets it.
        sock = conn.sock

        def cut() -> None:
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        self._timer = threading.Timer(max(0.0, self.ends - time.monotonic()), cut)
        self._timer.daemon = True
        self._timer.start()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


def fetch(
    url: str,
    policy: FetchPolicy | None = None,
    *,
    kinds: tuple[str, ...] | None = None,
    content_types: tuple[str, ...] | None = None,
    accept: str | None = None,
    headers: dict[str, str] | None = None,
    what: str = "an article (HTML or text)",
) -> Fetched:
    """The page at ``url``, by the rules in this module's docstring.

    ``kinds`` (or ``content_types``) are the content types accepted (articles by default;
    ClaimReview ingest and feeds ask for others), ``headers`` extra request headers (a
    feed's conditional GET: a 304 comes back as an empty ``Fetched`` with status 304).
    """
    kinds = tuple(kinds or content_types or ACCEPTED_TYPES)
    if policy is None:
        from flask import current_app

        policy = FetchPolicy.from_config(current_app.config)
    deadline = _Deadline(policy.timeout)
    target = parse_url(url)
    try:
        for _ in range(MAX_REDIRECTS + 1):
            target = resolve_checked(target, policy)
            outcome = _get(target, policy, deadline, kinds, what, accept, headers or {})
            if isinstance(outcome, Fetched):
                return outcome
            target = parse_url(urljoin(target.url, outcome))
        raise _refuse(
            tr(
                "The page redirected more than %(max_redirects)s times.",
                max_redirects=MAX_REDIRECTS,
            )
        )
    finally:
        deadline.stop()


def _get(
    target: Target,
    policy: FetchPolicy,
    deadline: _Deadline,
    kinds: tuple[str, ...] = ACCEPTED_TYPES,
    what: str = "an article (HTML or text)",
    accept: str | None = None,
    headers: dict[str, str] | None = None,
) -> Fetched | str:
    """One request: the page, or the address it redirects to."""
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    conn = connection_class(target, timeout=deadline.left())
    response: http.client.HTTPResponse | None = None
    try:
        conn.connect()
        deadline.watch(conn)
        conn.putrequest("GET", target.path, skip_accept_encoding=True)
        conn.putheader("User-Agent", policy.user_agent)
        conn.putheader("Accept", accept or ",".join(kinds))
        for name, value in (headers or {}).items():
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        answered = {k: v for k, v in response.getheaders()}
        if response.status == 304:
            return Fetched(b"", None, target.url, status=304, headers=answered)
        if response.status in (301, 302, 303, 307, 308):
            location = response.getheader("Location")
            if not location:
                raise _refuse(
                    tr(
                        "The site answered %(response_status)s without saying where to.",
                        response_status=response.status,
                    )
                )
            return location
        if response.status >= 400:
            raise _refuse(
                tr(
                    "The site answered %(response_status)s %(response_reason)s.",
                    response_status=response.status,
                    response_reason=response.reason,
                ),
                transient=response.status >= 500 or response.status == 429,
            )
        content_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
        if content_type not in kinds:
            raise _refuse(
                tr(
                    "That address serves %(content_type_or_no_conte)s, not %(what)s.",
                    content_type_or_no_conte=content_type or "no content type",
                    what=what,
                )
            )
        body = _read_body(response, policy.max_bytes, deadline)
        return Fetched(body=body, content_type=content_type, url=target.url, headers=answered)
    except ValidationFailed:
        raise
    except ssl.SSLError as exc:
        raise _refuse(
            tr("The site's secure connection failed (%(exc_reason)s).", exc_reason=exc.reason)
        ) from None
    except (OSError, http.client.HTTPException) as exc:
        if time.monotonic() >= deadline.ends:
            raise deadline.expired() from None
        raise _refuse(
            tr("The page could not be fetched: %(describe_exc)s.", describe_exc=_describe(exc)),
            transient=True,
        ) from None
    finally:
        deadline.stop()
        # A response that will close owns the socket from here on: close both.
        if response is not None:
            response.close()
        conn.close()


def _read_body(response: http.client.HTTPResponse, limit: int, deadline: _Deadline) -> bytes:
    too_big = _refuse(
        tr("The page is larger than the %(limit_1024)s KB import limit.", limit_1024=limit // 1024)
    )
    declared = response.getheader("Content-Length") or ""
    if declared.isdigit() and int(declared) > limit:
        raise too_big
    chunks: list[bytes] = []
    size = 0
    while True:
        deadline.left()
        # read1: whatever one read of the socket gives, so a slow drip still meets the clock.
        chunk = response.read1(READ_CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise too_big
        chunks.append(chunk)
    deadline.left()  # a body cut short by the deadline is not a page
    return b"".join(chunks)


def _describe(exc: BaseException) -> str:
    """A network failure in words for a person: never "[Errno 111] Connection refused"."""
    if isinstance(exc, TimeoutError | socket.timeout):
        return "the site did not answer in time"
    if isinstance(exc, ConnectionRefusedError):
        return "the site refused the connection (nothing answers at that address and port)"
    if isinstance(exc, ConnectionResetError | ConnectionAbortedError | BrokenPipeError):
        return "the site closed the connection before answering"
    if isinstance(exc, http.client.HTTPException):
        return "the site's answer was not a readable web page"
    if isinstance(exc, OSError) and exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return "the site cannot be reached from here"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror[:1].lower() + exc.strerror[1:200]
    text = str(exc) or exc.__class__.__name__
    return text[:200]
