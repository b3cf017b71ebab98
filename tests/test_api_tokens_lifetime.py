"""API tokens: created with the password, expiring, ended by a password change or reset."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.models import ApiToken
from factcheck.models.base import utcnow
from factcheck.services import accounts

from .conftest import PASSWORD

NEW_PASSWORD = "seven quiet herons at dusk"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def create(client, **data):  # type: ignore[no-untyped-def]
    resp = client.post("/account/tokens", data={"name": "nightly script", **data})
    found = re.search(r"fc_[A-Za-z0-9_-]{20,}", resp.get_data(as_text=True))
    return resp, found.group(0) if found else None


def token_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(ApiToken.id))) or 0


def test_creating_a_token_asks_for_the_current_password(login_as):
    client = login_as("fact_checker")

    missing, secret = create(client)
    assert missing.status_code == 200 and secret is None
    wrong, secret = create(client, password="not my password at all")
    assert "Not right: no token was created." in wrong.get_data(as_text=True) and secret is None
    assert token_count() == 0

    _, secret = create(client, password=PASSWORD)
    assert (
        secret is not None
        and client.get("/api/v1/claims", headers=bearer(secret)).status_code == 200
    )


def test_a_token_expires_after_90_days_by_default_and_the_pages_say_when(login_as, users):
    client = login_as("editor")
    _, secret = create(client, password=PASSWORD)
    token = db.session.scalars(sa.select(ApiToken)).one()
    assert token.expires_at is not None
    assert abs(token.expires_at - (utcnow() + timedelta(days=90))) < timedelta(minutes=5)

    shown = f"{token.expires_at:%-d %b %Y}"
    assert shown in client.get("/account/tokens").get_data(as_text=True)
    admin = login_as("admin")
    assert shown in admin.get("/admin/tokens").get_data(as_text=True)
    assert shown in admin.get(f"/admin/users/{users['editor'].id}").get_data(as_text=True)


def test_an_expired_token_is_refused_and_shown_as_expired(login_as, users):
    client = login_as("editor")
    _, secret = create(client, password=PASSWORD, days="30")
    token = db.session.scalars(sa.select(ApiToken)).one()
    token.expires_at = utcnow() - timedelta(seconds=1)  # thirty days later
    db.session.commit()

    resp = client.get("/api/v1/claims", headers=bearer(secret))

    assert resp.status_code == 401 and "expired" in resp.get_json()["error"]["message"]
    assert "<td>expired</td>" in client.get("/account/tokens").get_data(as_text=True)
    admin = login_as("admin")
    assert "nightly script" in admin.get("/admin/tokens?state=expired").get_data(as_text=True)
    assert "nightly script" not in admin.get("/admin/tokens?state=active").get_data(as_text=True)


def test_a_token_may_be_made_without_expiry_but_not_with_an_odd_lifetime(login_as):
    client = login_as("editor")
    _, forever = create(client, password=PASSWORD, days="0")
    assert forever is not None
    assert db.session.scalars(sa.select(ApiToken.expires_at)).one() is None

    odd, secret = create(client, password=PASSWORD, days="100000")
    assert odd.status_code == 200 and secret is None and token_count() == 1


def test_changing_the_password_ends_every_token(login_as, users):
    client = login_as("fact_checker")
    _, first = create(client, password=PASSWORD)
    _, second = create(client, password=PASSWORD)
    assert "all your API tokens are revoked" in client.get("/account/password").get_data(
        as_text=True
    )

    done = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        follow_redirects=True,
    )

    assert "your API tokens were revoked" in done.get_data(as_text=True)
    for secret in (first, second):
        refused = client.get("/api/v1/claims", headers=bearer(secret))
        assert refused.status_code == 401
    assert db.session.scalars(sa.select(ApiToken.revoked_at)).all().count(None) == 0


def test_a_password_reset_ends_every_token(login_as, users, client):
    checker = users["fact_checker"]
    _, secret = create(login_as("fact_checker"), password=PASSWORD)
    link = accounts.issue_password_link(users["admin"], checker, "reset")
    page = client.get(f"/set-password/{link.secret}").get_data(as_text=True)
    assert "ends all its API tokens" in page

    client.post(
        f"/set-password/{link.secret}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )

    assert client.get("/api/v1/claims", headers=bearer(secret)).status_code == 401


def test_the_command_line_creates_tokens_without_a_password(runner, users):
    result = runner.invoke(
        args=["tokens", "create", "--email", users["editor"].email, "--name", "bot"]
    )

    assert result.exit_code == 0, result.output
    assert "valid until" in result.output and result.output.split()[-1].startswith("fc_")
