"""Import by URL against SSRF: one checked resolution, pinned connections, one deadline.

No test here looks up a real name or sends a packet outside 127.0.0.0/8: names are
answered by a stub resolver, and every server is a local one. Addresses outside
loopback appear only as answers that must be refused before any connection.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.models import Article
from factcheck.services.fetching import FetchPolicy, fetch, is_public_address

PAGE = """<!doctype html><html><head><title>{title}</title></head><body><article>
<h1>{title}</h1>
<p>Councillor Ivo Brenn said that the tram line will cost 85 million euros, twice the estimate.</p>
</article></body></html>"""
LOOPBACK = ("127.0.0.0/8",)


class Site:
    """A local HTTP server on one loopback address that records what it was asked."""

    def __init__(self, address: str, port: int, title: str) -> None:
        site = self
        self.requests: list[str] = []
        self.redirects: dict[str, str] = {}
        self.drip: float | None = None  # seconds between bytes of a slow body
        self.title = title

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                site.requests.append(self.path)
                if self.path in site.redirects:
                    self.send_response(302)
                    self.send_header("Location", site.redirects[self.path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = PAGE.format(title=site.title).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if site.drip is None:
                    self.wfile.write(body)
                    return
                try:
                    for byte in body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(site.drip)
                except OSError:
                    pass  # the importer hung up, as it should

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((address, port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class StubResolver:
    """Answers names from a table (a list answers in turn: DNS rebinding); counts the asks."""

    def __init__(self, answers: dict[str, list[list[str]]]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        turns = self.answers.get(host)
        if not turns:
            raise OSError("name not known")
        return turns[0] if len(turns) == 1 else turns.pop(0)


@pytest.fixture
def sites() -> Iterator[tuple[Site, Site]]:
    """Two sites on the same port: "public" on 127.0.0.1, "internal" on 127.0.0.2."""
    public = Site("127.0.0.1", 0, "Council vote on trams")
    try:
        internal = Site("127.0.0.2", public.port, "Internal admin page")
    except OSError:
        public.stop()
        pytest.skip("127.0.0.2 cannot be bound here")
    yield public, internal
    public.stop()
    internal.stop()


def desk_import(client, url):  # type: ignore[no-untyped-def]
    """An import by URL from the desk: refused in the form at once, or run as a job (in
    tests, inside the request) whose page tells how it went."""
    return client.post("/desk/articles/import", data={"url": url}, follow_redirects=True)


def articles() -> int:
    return db.session.scalar(sa.select(sa.func.count(Article.id))) or 0


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "169.254.169.254",
        "100.64.0.7",  # carrier-grade NAT
        "100.127.255.254",
        "0.0.0.0",  # noqa: S104  (an address judged, never bound)
        "224.0.0.1",
        "198.18.0.1",
        "::1",
        "fd00::1",
        "fe80::1",
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:10.0.0.1",
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:a9fe:a9fe::",  # 6to4 of 169.254.169.254
        "2002:6440:1::",  # 6to4 of 100.64.0.1
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "64:ff9b:1::a00:1",  # local-use NAT64
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
        "2001:db8::1",
    ],
)
def test_addresses_inside_or_special_are_not_public(address):
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "2606:4700::1111", "::ffff:93.184.216.34", "64:ff9b::5db8:d822"]
)
def test_global_unicast_addresses_are_public(address):
    # Judged only: nothing is sent to them.
    assert is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "answer", ["100.64.0.7", "2002:7f00:1::1", "64:ff9b::7f00:1", "::ffff:10.0.0.1", "10.9.8.7"]
)
def test_a_name_resolving_inside_is_refused_before_any_connection(app, login_as, answer):
    resolver = StubResolver({"news.example": [[answer]]})
    app.config.update(IMPORT_RESOLVER=resolver)

    resp = desk_import(login_as("fact_checker"), "http://news.example/story")

    assert resp.status_code == 200 and b"inside our own network" in resp.data
    assert resolver.asked == ["news.example"] and articles() == 0


@pytest.mark.parametrize(
    "url", ["http://[2002:7f00:1::1]/", "http://[64:ff9b::7f00:1]/", "http://[::ffff:127.0.0.1]/"]
)
def test_wrapped_loopback_literals_are_refused(login_as, url):
    resp = desk_import(login_as("fact_checker"), url)

    assert resp.status_code == 200 and b"inside our own network" in resp.data


def test_a_mixed_answer_is_refused_whole(app, login_as, sites):
    public, _ = sites
    resolver = StubResolver({"news.example": [["127.0.0.1", "10.0.0.1"]]})
    app.config.update(IMPORT_RESOLVER=resolver, IMPORT_ALLOWED_NETWORKS=LOOPBACK)

    resp = desk_import(login_as("fact_checker"), f"http://news.example:{public.port}/a")

    assert b"inside our own network" in resp.data and public.requests == []


def test_dns_rebinding_reaches_only_the_checked_address(app, login_as, sites):
    public, internal = sites
    # First answer: the address that passes the check; every later one: the inside.
    resolver = StubResolver({"news.example": [["127.0.0.1"], ["127.0.0.2"]]})
    app.config.update(IMPORT_RESOLVER=resolver, IMPORT_ALLOWED_NETWORKS=LOOPBACK)

    resp = desk_import(login_as("fact_checker"), f"http://news.example:{public.port}/story")

    assert resp.status_code == 200  # the import job's page, the job run inside the request
    assert resolver.asked == ["news.example"]  # resolved once, connected to that answer
    assert public.requests == ["/story"] and internal.requests == []
    assert db.session.scalars(sa.select(Article.title)).one() == "Council vote on trams"


def test_every_redirect_is_checked_again(app, login_as, sites):
    public, internal = sites
    resolver = StubResolver(
        {"news.example": [["127.0.0.1"]], "metadata.example": [["169.254.169.254"]]}
    )
    app.config.update(IMPORT_RESOLVER=resolver, IMPORT_ALLOWED_NETWORKS=LOOPBACK)
    public.redirects = {
        "/to-metadata": "http://metadata.example/latest/meta-data/",
        "/to-mapped": f"http://[::ffff:10.0.0.1]:{public.port}/",
        "/to-file": "file:///etc/passwd",
        "/fine": "/story",
    }
    client = login_as("fact_checker")

    for path, message in [
        ("/to-metadata", b"inside our own network"),
        ("/to-mapped", b"inside our own network"),
        ("/to-file", b"http:// or https://"),
    ]:
        resp = desk_import(client, f"http://news.example:{public.port}{path}")
        assert resp.status_code == 200 and message in resp.data, path
    assert articles() == 0 and internal.requests == []

    followed = desk_import(client, f"http://news.example:{public.port}/fine")
    assert followed.status_code == 200 and articles() == 1
    assert db.session.scalars(sa.select(Article.url)).one().endswith("/story")


def test_a_server_dripping_bytes_is_cut_at_the_overall_deadline(sites):
    public, _ = sites
    public.drip = 0.05  # about 400 bytes: 20 seconds in total
    policy = FetchPolicy(timeout=1.0, allowed_networks=(ipaddress.ip_network("127.0.0.0/8"),))
    started = time.monotonic()

    with pytest.raises(Exception, match="did not send the page within 1 seconds"):
        fetch(f"http://127.0.0.1:{public.port}/slow", policy)

    # The whole drip takes 20 s; well under that shows the deadline covers the whole fetch
    # (a loaded CI machine adds seconds of its own, so no tighter bound).
    assert time.monotonic() - started < 8


def test_the_desk_reports_a_slow_drip_with_a_clear_message(app, login_as, sites):
    public, _ = sites
    public.drip = 0.05
    app.config.update(IMPORT_ALLOWED_NETWORKS=LOOPBACK, IMPORT_FETCH_TIMEOUT=0.8)
    started = time.monotonic()

    resp = desk_import(login_as("fact_checker"), f"http://127.0.0.1:{public.port}/slow")

    assert resp.status_code == 200 and b"did not send the page within 0.8 seconds" in resp.data
    # The fetch's deadline is 0.8 s; the rest is the job's own bookkeeping.
    assert time.monotonic() - started < 10 and articles() == 0  # the drip alone: 20 s


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:99999/", b"malformed"),
        ("http://[::1/", b"malformed"),
        ("http://", b"http:// or https://"),
        ("javascript:alert(1)", b"http:// or https://"),
        ("http://user:secret@news.example/", b"user name or password"),
        ("http://news example/", b"spaces"),
        ("http://news.example:0/", b"no valid port"),
        ("http://" + "a" * 2100 + ".example/", b"longer than"),
    ],
)
def test_malformed_urls_get_a_clear_message(app, login_as, url, message):
    app.config.update(IMPORT_RESOLVER=StubResolver({}))

    resp = desk_import(login_as("fact_checker"), url)

    assert resp.status_code == 200 and message in resp.data
    assert articles() == 0


def test_imports_by_url_are_rate_limited_per_person(app, login_as):
    app.config.update(IMPORT_URL_RATE_LIMIT="2 per minute", IMPORT_RESOLVER=StubResolver({}))
    first, second = login_as("fact_checker"), login_as("editor")

    answers = [desk_import(first, "http://gone.example/").status_code for _ in range(3)]
    pasted = first.post("/desk/articles/import", data={"text": ""})

    assert answers == [200, 200, 429]
    assert pasted.status_code == 200  # pasting text does not count
    assert desk_import(second, "http://gone.example/").status_code == 200
