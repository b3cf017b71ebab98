"""Reliability against real servers: concurrent edits, load, a database that goes away."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.models import Claim

from .conftest import PASSWORD, TEST_POSTGRES_URL, make_app, migrate_to_head, sqlalchemy_url

ROOT = Path(__file__).resolve().parents[1]


class Browser:
    """A cookie-keeping HTTP client that fills forms the way a person's browser does."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def csrf(self, path: str) -> tuple[str, str]:
        status, html = self.request(path)
        assert status == 200, (path, status)
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
            r'name="csrf_token" value="([^"]+)"', html
        )
        return (match.group(1) if match else ""), html

    def login(self, email: str) -> None:
        token, _ = self.csrf("/login")
        status, _ = self.request(
            "/login", {"email": email, "password": PASSWORD, "csrf_token": token}
        )
        assert status == 302


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def test_two_clients_editing_one_claim_on_a_real_server_lose_nothing(app, users, make_claim):
    from .conftest import LiveServer

    app.config["WTF_CSRF_ENABLED"] = True  # a real server, real forms, real tokens
    claim = make_claim("logged")
    server = LiveServer(app)
    try:
        alice, bob = Browser(server.url), Browser(server.url)
        alice.login(users["fact_checker"].email)
        bob.login(users["editor"].email)
        forms = {}
        for name, who in (("alice", alice), ("bob", bob)):
            token, html = who.csrf(f"/desk/claims/{claim.id}/edit")
            version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
            forms[name] = {
                "csrf_token": token,
                "version": version,
                "speaker": "Alma Testperson",
                "language": "en",
            }
        results = {}

        def save(name: str, who: Browser) -> None:
            results[name] = who.request(
                f"/desk/claims/{claim.id}/edit",
                {**forms[name], "text": f"{name} rewrote this claim about 40 million."},
            )

        threads = [
            threading.Thread(target=save, args=(n, w)) for n, w in (("alice", alice), ("bob", bob))
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        statuses = sorted(status for status, _ in results.values())
        assert statuses == [302, 409], results
        loser = next(n for n, (s, _) in results.items() if s == 409)
        winner = next(n for n in results if n != loser)
        conflict_page = results[loser][1]
        assert (
            f"{winner} rewrote this claim" in conflict_page
            and f"{loser} rewrote this claim" in conflict_page
        )
        db.session.expire_all()
        assert (
            db.session.get(Claim, claim.id).text == f"{winner} rewrote this claim about 40 million."
        )
    finally:
        server.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_200_concurrent_clients_for_30_seconds_get_no_server_error(
    database_url, app, make_claim, tmp_path
):
    published = [
        make_claim(
            "published",
            text=f"The bridge number {i} cost {i * 7} million to build.",
            speaker=f"Builder {i % 4}",
        )
        for i in range(6)
    ]
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "load-test",
        "FACTCHECK_INSTANCE": str(tmp_path),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "2",
            "-k",
            "gthread",
            "--threads",
            "16",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        paths = [
            "/",
            "/claims",
            "/search?q=bridge",
            f"/claims/{published[0].id}",
            "/claims?page=2",
            "/login",
            "/feed.atom",
            "/no-such-page",
        ]
        counts: Counter[int] = Counter()
        errors: list[str] = []
        lock = threading.Lock()
        seconds = float(os.environ.get("LOAD_TEST_SECONDS", "30"))
        deadline = time.monotonic() + seconds

        def client(n: int) -> None:
            i = n
            while time.monotonic() < deadline:
                path = paths[i % len(paths)]
                i += 1
                try:
                    with urllib.request.urlopen(base + path, timeout=30) as resp:
                        status = resp.status
                except urllib.error.HTTPError as exc:
                    status = exc.code
                except OSError as exc:
                    with lock:
                        errors.append(f"{path}: {exc}")
                    continue
                with lock:
                    counts[status] += 1

        threads = [threading.Thread(target=client, args=(n,)) for n in range(200)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        total = sum(counts.values())
        print(
            f"\nload: {total} requests in {seconds:g} s from 200 clients; statuses {dict(counts)}; connection errors {len(errors)}"
        )
        assert total > 500
        assert not [s for s in counts if s >= 500], dict(counts)
        assert not errors, errors[:5]
    finally:
        server.send_signal(signal.SIGTERM)
        out, _ = server.communicate(timeout=30)
        assert b"Traceback" not in out, out.decode()[-3000:]


class TcpProxy:
    """A TCP proxy in front of PostgreSQL: closing it is the database going away."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = _free_port()
        self.sockets: list[socket.socket] = []
        self.listener: socket.socket | None = None
        self.running = False

    def start(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        assert self.listener is not None
        while self.running:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.close()
                except OSError:
                    pass

    def stop(self) -> None:
        self.running = False
        if self.listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone does not on Linux.
            try:
                self.listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.listener.close()
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass
        self.sockets.clear()


@pytest.mark.skipif(
    not TEST_POSTGRES_URL, reason="needs PostgreSQL (TEST_POSTGRES_URL or TEST_DATABASE_URL)"
)
def test_database_down_gives_503_in_html_and_json_and_recovers():
    url = sa.engine.make_url(sqlalchemy_url(TEST_POSTGRES_URL))
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    name = f"fc_outage_{os.getpid()}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    proxy.start()
    try:
        direct = url.set(database=name)
        app = make_app(direct.render_as_string(hide_password=False))
        migrate_to_head(app)
        app = make_app(
            direct.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        )
        client = app.test_client()
        assert client.get("/").status_code == 200
        proxy.stop()
        down = client.get("/")
        assert down.status_code == 503 and down.mimetype == "text/html"
        assert b"database is unavailable" in down.data
        api = client.get("/api/v1/claims")
        assert api.status_code == 503 and api.get_json()["error"]["status"] == 503
        assert down.headers.get("Retry-After")
        proxy.start()
        for _ in range(20):
            if client.get("/").status_code == 200:
                break
            time.sleep(0.1)
        assert client.get("/").status_code == 200
        with app.app_context():
            db.engine.dispose()
    finally:
        proxy.stop()
        with admin.connect() as conn:
            conn.execute(
                sa.text(
                    f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
                )
            )
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
