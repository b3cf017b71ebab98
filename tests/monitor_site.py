"""A local web site of fictional outlets for the monitor's tests and benchmark.

Serves RSS and Atom feeds and article pages on 127.0.0.1 only, answers conditional
GETs (ETag, Last-Modified), and plays the hostile cases: a redirect loop, a page
that never answers, an endless body, a server error that passes.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

SPEAKERS = ["Mayor Odile Varga", "Minister Kasper Lunde", "Councillor Ivo Brenn", "Dr. Mira Solt"]


def article_html(n: int, *, speaker: str | None = None, statement: str | None = None) -> str:
    """A fictional news article whose body attributes numeric statements to a speaker."""
    who = speaker or SPEAKERS[n % len(SPEAKERS)]
    said = (
        statement
        or f"the harbour budget grew by {10 + n} percent in 2024, to {40 + n} million euros"
    )
    return f"""<!doctype html><html><head><title>Harbour report {n}</title>
<meta property="og:site_name" content="Saltmere Courier"></head><body><article>
<h1>Harbour report {n}</h1>
<p>{who} said that {said}.</p>
<p>{who.split()[-1]} added that {200 + n} new jobs were created at the port, twice the number of 2023.</p>
<p>The weather on the coast was mild on Tuesday.</p>
</article></body></html>"""


def rss(
    items: list[tuple[str, str]], *, version: str = "2.0", title: str = "Saltmere Courier"
) -> str:
    entries = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
        + ("" if version.startswith("0.9") else f"<guid>{escape(link)}</guid>")
        + "</item>"
        for t, link in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="{version}"><channel>'
        f"<title>{escape(title)}</title><link>http://127.0.0.1/</link>"
        f"<description>Fictional news</description>{entries}</channel></rss>"
    )


def atom(items: list[tuple[str, str]], *, title: str = "Valley Post") -> str:
    entries = "".join(
        f'<entry><title>{escape(t)}</title><link href="{escape(link)}"/>'
        f"<id>urn:valley:{i}</id><updated>2026-11-0{1 + i % 9}T10:00:00Z</updated></entry>"
        for i, (t, link) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:valley</id>"
        f"<updated>2026-11-01T10:00:00Z</updated>{entries}</feed>"
    )


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">'
    '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;">]>'
    '<rss version="2.0"><channel><title>&f;</title><item><title>&f;</title>'
    "<link>http://127.0.0.1/x</link></item></channel></rss>"
)


@dataclass
class Page:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    delay: float = 0.0
    etag: str | None = None
    redirect: str | None = None
    endless: bool = False  # stream forever without a Content-Length
    fail_first: int = 0  # answer 503 this many times first


@dataclass
class Site:
    url: str
    pages: dict[str, Page] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    conditional_hits: Counter[str] = field(default_factory=Counter)
    posts: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)

    def add(self, path: str, body: str | bytes = b"", **options: object) -> str:
        data = body.encode() if isinstance(body, str) else body
        self.pages[path] = Page(body=data, **options)  # type: ignore[arg-type]
        return self.url + path


def serve() -> tuple[Site, ThreadingHTTPServer]:
    site = Site(url="")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            site.posts.append((self.path, dict(self.headers.items()), self.rfile.read(length)))
            self._answer(200, "application/json", b'{"ok": true}')

        def do_GET(self) -> None:  # noqa: N802
            path = self.path
            site.hits[path] += 1
            page = site.pages.get(path)
            if page is None:
                self._answer(404, "text/plain", b"missing")
                return
            time.sleep(page.delay)
            if page.fail_first and site.hits[path] <= page.fail_first:
                self._answer(503, "text/plain", b"busy")
                return
            if page.redirect:
                self.send_response(302)
                self.send_header("Location", page.redirect)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if page.etag and self.headers.get("If-None-Match") == page.etag:
                site.conditional_hits[path] += 1
                self.send_response(304)
                self.send_header("ETag", page.etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if page.endless:
                self.send_response(200)
                self.send_header("Content-Type", page.content_type)
                self.send_header("Connection", "close")
                self.end_headers()
                chunk = b"<item>" + b"x" * 65530
                try:
                    for _ in range(800):  # 50 MB, unless the client stops reading first
                        self.wfile.write(chunk)
                except OSError:
                    pass
                self.close_connection = True
                return
            extra = {"ETag": page.etag} if page.etag else {}
            extra["Last-Modified"] = formatdate(usegmt=True)
            self._answer(page.status, page.content_type, page.body, extra)

        def _answer(
            self, status: int, ctype: str, body: bytes, extra: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return site, server
