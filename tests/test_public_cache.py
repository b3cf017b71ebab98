"""The public page cache against the real Redis, and two app servers sharing it.

Pages are cached for anonymous readers under a "public generation" kept in the
cache; publishing or correcting a claim bumps it on commit. Skipped without
TEST_REDIS_URL (and, for the two-process test, without PostgreSQL).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask
from sqlalchemy import event

from factcheck.extensions import db

from .conftest import PASSWORD, TEST_REDIS_URL, _empty_tables, make_app, requires_redis
from .public_support import approve, claim_url, open_correction

pytestmark = [requires_redis(), pytest.mark.redis]
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def redis_db() -> Iterator[redis.Redis]:
    connection = redis.Redis.from_url(TEST_REDIS_URL)
    connection.flushdb()
    yield connection
    connection.flushdb()
    connection.close()


@pytest.fixture
def app(database_url: str, redis_db: redis.Redis) -> Iterator[Flask]:
    """The test app with the Redis cache (and limiter) of a real deployment."""
    app = make_app(
        database_url,
        CACHE_TYPE="RedisCache",
        CACHE_REDIS_URL=TEST_REDIS_URL,
        RATELIMIT_STORAGE_URI=TEST_REDIS_URL,
    )
    with app.app_context():
        yield app
    _empty_tables(app)


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


def fetch(client, url: str, seen: list[str]) -> tuple[str, int]:
    seen.clear()
    resp = client.get(url)
    assert resp.status_code == 200, url
    return resp.get_data(as_text=True), len(seen)


def test_pages_come_from_redis_until_a_claim_is_published(client, make_claim, statements, redis_db):
    make_claim("published", text="The harbour moved 7 million tonnes last year.")
    for url in ("/", "/claims", "/speakers/alma-testperson", "/feed.atom"):
        first, ran = fetch(client, url, statements)
        assert ran > 0, url
        again, ran = fetch(client, url, statements)
        assert (again, ran) == (first, 0), url  # served from Redis: no SQL at all
    assert any(b"public:" in key for key in redis_db.keys("*"))

    make_claim("published", text="The ferry carried 12 thousand cars in May.")
    home, ran = fetch(client, "/", statements)
    assert ran > 0 and "12 thousand cars" in home
    speaker, _ = fetch(client, "/speakers/alma-testperson", statements)
    assert "12 thousand cars" in speaker


def test_a_correction_invalidates_the_cached_claim_page(client, make_claim, users, statements):
    claim = make_claim("published", summary="The tunnel cost 40 million.")
    url = claim_url(claim)
    before, _ = fetch(client, url, statements)
    assert "The tunnel cost 40 million." in before
    assert fetch(client, url, statements) == (before, 0)

    open_correction(users, claim, "New audit figures.", summary="The tunnel cost 44 million.")
    during, _ = fetch(client, url, statements)
    assert "The tunnel cost 40 million." in during  # a correction in review stays invisible
    approve(users, claim)
    after, ran = fetch(client, url, statements)
    assert ran > 0
    assert "The tunnel cost 44 million." in after
    assert "New audit figures." in after


def test_signed_in_pages_are_never_cached(login_as, make_claim, statements):
    make_claim("published", text="The library opened 3 new branches.")
    editor = login_as("editor")
    _, first = fetch(editor, "/", statements)
    _, second = fetch(editor, "/", statements)
    assert first > 0 and second > 0


# --- two app servers sharing PostgreSQL and Redis ---------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def two_servers(app: Flask, database_url: str, tmp_path: Path) -> Iterator[list[str]]:
    if not database_url.startswith("postgres"):
        pytest.skip("two app servers need a shared PostgreSQL: set TEST_DATABASE_URL")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": TEST_REDIS_URL,
        "SECRET_KEY": "shared-secret-for-the-two-servers",
        "FACTCHECK_INSTANCE": str(tmp_path),
    }
    processes, urls = [], []
    for _ in range(2):
        port = free_port()
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}"]
                + ["factcheck:create_app()"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    import requests

    try:
        deadline = time.monotonic() + 20
        for url in urls:
            while True:
                try:
                    if requests.get(url + "/login", timeout=10).status_code == 200:
                        break
                except (requests.ConnectionError, requests.Timeout):
                    pass
                assert time.monotonic() < deadline, "the app servers did not start"
                time.sleep(0.2)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


def sign_in(url: str, email: str, password: str) -> int:
    import requests

    with requests.Session() as browser:
        form = browser.get(url + "/login", timeout=10).text
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
        assert match, "no CSRF token on the sign-in form"
        resp = browser.post(
            url + "/login",
            data={"csrf_token": match[1], "email": email, "password": password},
            allow_redirects=False,
            timeout=10,
        )
        return resp.status_code


def test_two_servers_share_the_sign_in_throttle_and_the_cache(two_servers, users, make_claim):
    import requests

    a, b = two_servers
    email = users["editor"].email
    wrong = "definitely not the password"
    # (a) Five failures for one account, spread over both servers, lock it on both.
    assert [sign_in(server, email, wrong) for server in (a, b, a, b, a)] == [200] * 5
    assert sign_in(b, email, PASSWORD) == 429
    assert sign_in(a, email, PASSWORD) == 429
    assert sign_in(b, users["admin"].email, PASSWORD) == 302  # another account is unaffected

    # (b) A page cached by B changes once a claim is published elsewhere.
    make_claim("published", text="The old bridge carried 9 thousand trucks.")
    first = requests.get(b + "/", timeout=10).text
    assert "9 thousand trucks" in first
    assert requests.get(b + "/", timeout=10).text == first
    make_claim("published", text="The new bridge carried 15 thousand trucks.")
    for server in (b, a):
        assert "15 thousand trucks" in requests.get(server + "/", timeout=10).text


def test_anonymous_api_reads_are_cached_token_reads_are_not(
    client, make_claim, statements, api_token
):
    claim = make_claim("published", summary="The canal is 31 km long.")
    url = f"/api/v1/claims/{claim.id}"
    first = client.get(url)
    etag = first.headers["ETag"]
    statements.clear()
    again = client.get(url)
    assert (again.get_json(), again.headers["ETag"], statements) == (first.get_json(), etag, [])
    assert client.get(url, headers={"If-None-Match": etag}).status_code in (200, 304)

    headers = {"Authorization": f"Bearer {api_token('editor')}"}
    client.get(url, headers=headers)
    statements.clear()
    assert client.get(url, headers=headers).status_code == 200
    assert statements  # a token's answer is never taken from the cache

    make_claim("published", summary="The lock raises boats 9 metres.")
    statements.clear()
    listed = client.get("/api/v1/claims").get_json()
    assert statements and "The lock raises boats 9 metres." in str(listed)
