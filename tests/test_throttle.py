"""Sign-in throttling: 5 failures per account and 20 per address in 15 minutes.

In memory by default; against the real Redis (shared by several app servers) when
TEST_REDIS_URL is set.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis
from flask import Flask

from .conftest import PASSWORD, TEST_REDIS_URL, requires_redis

WRONG = "definitely not the password"
# The login limits last 15 minutes (LOGIN_WINDOW), and the page says so.
MESSAGE = "Too many attempts. Please wait 15 minutes and try again."


def attempt(app: Flask, email: str, password: str, address: str = "192.0.2.1") -> int:
    client = app.test_client()
    resp = client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )
    if resp.status_code == 429:
        assert MESSAGE in resp.get_data(as_text=True)
        assert int(resp.headers["Retry-After"]) > 0
    return resp.status_code


def check_account_limit(app: Flask, email: str, other_email: str) -> None:
    assert [attempt(app, email, WRONG) for _ in range(5)] == [200] * 5
    assert attempt(app, email, PASSWORD) == 429  # even with the right password
    assert attempt(app, " " + email.upper(), PASSWORD, address="192.0.2.77") == 429
    assert attempt(app, other_email, PASSWORD) == 302  # other accounts are unaffected


def check_address_limit(app: Flask, valid_email: str) -> None:
    for n in range(20):  # many accounts, each far below its own limit
        assert attempt(app, f"someone{n}@example.org", WRONG) == 200
    assert attempt(app, valid_email, PASSWORD) == 429
    assert attempt(app, valid_email, PASSWORD, address="198.51.100.7") == 302


def test_five_failures_lock_the_account_for_a_while(app, users):
    check_account_limit(app, users["editor"].email, users["admin"].email)


def test_twenty_failures_from_one_address_lock_the_address(app, users):
    check_address_limit(app, users["editor"].email)


def test_successful_sign_ins_do_not_count(app, users):
    for _ in range(25):
        assert attempt(app, users["editor"].email, PASSWORD) == 302
    assert [attempt(app, users["editor"].email, WRONG) for _ in range(5)] == [200] * 5


def test_an_empty_or_invalid_form_counts_as_a_failure(app, users):
    for _ in range(5):
        assert attempt(app, users["editor"].email, "") == 200
    assert attempt(app, users["editor"].email, PASSWORD) == 429


def test_getting_the_form_is_never_throttled(app):
    client = app.test_client()
    assert all(client.get("/login").status_code == 200 for _ in range(30))


# --- Redis -----------------------------------------------------------------------------


@pytest.fixture
def redis_db() -> Iterator[redis.Redis]:
    connection = redis.Redis.from_url(TEST_REDIS_URL)
    connection.flushdb()
    yield connection
    connection.flushdb()
    connection.close()


@pytest.fixture
def redis_app(another_app, redis_db) -> Flask:
    # The limiter is one object per process and takes the storage of the app built last.
    return another_app(RATELIMIT_STORAGE_URI=TEST_REDIS_URL)


@requires_redis()
@pytest.mark.redis
def test_redis_account_limit(users, redis_app, redis_db, another_app):
    from factcheck.extensions import limiter

    assert type(limiter.storage).__name__ == "RedisStorage"
    check_account_limit(redis_app, users["editor"].email, users["admin"].email)
    keys = [k.decode() for k in redis_db.keys("*")]
    assert any("account:" + users["editor"].email in k for k in keys), keys
    # A second app server sharing the Redis sees the same counters.
    other_server = another_app(RATELIMIT_STORAGE_URI=TEST_REDIS_URL)
    assert attempt(other_server, users["editor"].email, PASSWORD) == 429


@requires_redis()
@pytest.mark.redis
def test_redis_address_limit(users, redis_app, redis_db):
    check_address_limit(redis_app, users["editor"].email)
    assert any(b"192.0.2.1" in k for k in redis_db.keys("*"))
