"""Sessions: cookie flags, HSTS, fixation, timeouts, replay after sign-out, no enumeration."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.models import AuditEvent
from factcheck.services import accounts
from factcheck.services.settings import update_settings

from .conftest import PASSWORD


def session_set_cookie(resp) -> str:
    [header] = [h for h in resp.headers.getlist("Set-Cookie") if h.startswith("session=")]
    return header


def cookie_value(client) -> str | None:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def ago(**delta) -> float:
    return (datetime.now(UTC) - timedelta(**delta)).timestamp()


# --- cookies and headers -------------------------------------------------------------


def test_the_session_cookie_is_httponly_and_samesite_lax(client, users, auth):
    header = session_set_cookie(auth.login(users["editor"]))
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Secure" not in header  # plain HTTP in development and tests


@pytest.mark.parametrize(
    "overrides", [{"HTTPS": True}, {"SESSION_COOKIE_SECURE": True}], ids=["HTTPS", "cookie flag"]
)
def test_the_session_cookie_is_secure_when_configured(another_app, users, overrides):
    app = another_app(**overrides)
    client = app.test_client()
    resp = client.post(
        "/login",
        data={"email": users["editor"].email, "password": PASSWORD},
        base_url="https://localhost",
    )
    assert resp.status_code == 302
    header = session_set_cookie(resp)
    assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header


def test_hsts_only_when_https_is_configured(another_app, client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    app = another_app(HTTPS=True)
    secure = app.test_client()
    resp = secure.get("/", base_url="https://localhost")
    assert resp.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    # Plain HTTP is sent to HTTPS.
    redirect = secure.get("/claims", base_url="http://localhost")
    assert redirect.status_code in (301, 302)
    assert redirect.headers["Location"].startswith("https://localhost/claims")


def test_signed_in_pages_are_not_cached_and_public_pages_may_be(client, login_as):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    signed_in = login_as("editor")
    for url in ("/", "/desk/", "/account/tokens"):
        resp = signed_in.get(url)
        assert resp.headers["Cache-Control"] == "no-store", url
        assert "Cookie" in resp.headers["Vary"]


def test_the_trusted_proxy_setting_decides_whose_address_is_recorded(another_app, users):
    forwarded = {"X-Forwarded-For": "203.0.113.9"}
    direct = another_app().test_client()
    direct.post("/login", data={"email": "x@example.org", "password": "p"}, headers=forwarded)
    proxied = another_app(TRUSTED_PROXIES=1).test_client()
    proxied.post("/login", data={"email": "y@example.org", "password": "p"}, headers=forwarded)
    ips = db.session.scalars(
        sa.select(AuditEvent.ip).where(AuditEvent.action == "auth.login_failed").order_by("id")
    ).all()
    assert ips == ["127.0.0.1", "203.0.113.9"]


# --- sign-in starts a new session ---------------------------------------------------


def test_the_session_is_renewed_at_sign_in(client, users, auth):
    client.get("/login")
    with client.session_transaction() as sess:
        sess["planted"] = "by someone else"
        sess["_user_id"] = "not a token"
    before = cookie_value(client)
    assert auth.login(users["editor"]).status_code == 302
    after = cookie_value(client)
    assert after and after != before
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess["_user_id"] == users["editor"].session_token


def test_two_clients_keep_their_own_users(login_as, users):
    """Requests reuse the test's app context; one client's user must not leak to another."""
    checker, admin = login_as("fact_checker"), login_as("admin")
    assert checker.get("/admin/users").status_code == 403
    assert admin.get("/admin/users").status_code == 200
    assert checker.get("/admin/users").status_code == 403


# --- timeouts ----------------------------------------------------------------------


def test_an_idle_session_ends(login_as):
    client = login_as("editor")
    with client.session_transaction() as sess:
        sess["_seen_at"] = ago(minutes=61)
    resp = client.get("/desk/")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "signed out after a period of inactivity" in page
    assert client.get("/desk/").status_code == 302  # and stays ended


def test_activity_keeps_the_session_alive(login_as):
    client = login_as("editor")
    with client.session_transaction() as sess:
        sess["_seen_at"] = ago(minutes=59)
    assert client.get("/desk/").status_code == 200
    with client.session_transaction() as sess:
        assert sess["_seen_at"] > ago(minutes=1)


def test_a_session_ends_at_its_maximum_length_even_when_active(login_as):
    client = login_as("editor")
    with client.session_transaction() as sess:
        sess["_started_at"] = ago(hours=12, minutes=1)
        sess["_seen_at"] = ago(seconds=5)
    resp = client.get("/desk/")
    assert resp.status_code == 302
    assert "maximum length" in client.get(resp.headers["Location"]).get_data(as_text=True)


def test_the_limits_come_from_the_site_settings(login_as, users):
    update_settings(
        users["admin"],
        0,
        {
            "site_name": "Factcheck",
            "organization_name": "Desk",
            "organization_url": "https://desk.example.org/",
            "approvals_required": 1,
            "session_idle_minutes": 10,
            "session_max_hours": 1,
            "tip_email_days": 90,
        },
    )
    idle, old = login_as("editor"), login_as("editor")
    with idle.session_transaction() as sess:
        sess["_seen_at"] = ago(minutes=11)
    with old.session_transaction() as sess:
        sess["_started_at"] = ago(minutes=61)
    assert idle.get("/desk/").status_code == 302
    assert old.get("/desk/").status_code == 302


def test_a_session_without_timestamps_is_not_trusted(login_as):
    client = login_as("editor")
    with client.session_transaction() as sess:
        del sess["_started_at"]
    assert client.get("/desk/").status_code == 302


# --- replaying an old cookie ---------------------------------------------------------


def replay(app, value: str):
    thief = app.test_client()
    thief.set_cookie("session", value)
    return thief.get("/desk/")


def test_after_sign_out_the_old_cookie_does_not_sign_in(app, login_as):
    client = login_as("editor")
    stolen = cookie_value(client)
    assert replay(app, stolen).status_code == 200  # the copy works while the session lives
    client.post("/logout")
    resp = replay(app, stolen)
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")


def test_after_deactivation_the_old_cookie_does_not_sign_in(app, login_as, users):
    client = login_as("editor")
    stolen = cookie_value(client)
    editor = users["editor"]
    accounts.set_active(users["admin"], editor, False, editor.version)
    assert replay(app, stolen).status_code == 302
    accounts.set_active(users["admin"], editor, True, editor.version)
    assert replay(app, stolen).status_code == 302  # reactivation does not revive it


def test_after_a_password_change_other_cookies_do_not_sign_in(app, login_as, users):
    stolen = cookie_value(login_as("editor"))
    accounts.change_password(users["editor"], PASSWORD, "a completely new passphrase")
    assert replay(app, stolen).status_code == 302


# --- no account enumeration ----------------------------------------------------------


def normalised(html: str, email: str) -> str:
    html = re.sub(r'name="csrf_token" type="hidden" value="[^"]*"', "CSRF", html)
    return html.replace(email, "EMAIL")


def test_sign_in_answers_the_same_for_known_and_unknown_emails(another_app, users):
    app = another_app(WTF_CSRF_ENABLED=True)
    answers = []
    for email in (users["editor"].email, "nobody.here@example.org"):
        client = app.test_client()
        token = re.search(
            r'name="csrf_token" type="hidden" value="([^"]+)"',
            client.get("/login").get_data(as_text=True),
        ).group(1)
        resp = client.post(
            "/login",
            data={"email": email, "password": "wrong but long enough", "csrf_token": token},
        )
        answers.append((resp.status_code, normalised(resp.get_data(as_text=True), email)))
    assert answers[0][0] == answers[1][0] == 200
    assert answers[0][1] == answers[1][1]


def test_reset_requests_answer_the_same_for_known_and_unknown_emails(app, users):
    answers = []
    for email in (users["editor"].email, "nobody.here@example.org"):
        client = app.test_client()
        resp = client.post("/reset-password", data={"email": email})
        page = client.get(resp.headers["Location"])
        answers.append(
            (
                resp.status_code,
                resp.headers["Location"],
                normalised(page.get_data(as_text=True), email),
            )
        )
    assert answers[0] == answers[1]
    assert "If that email has an account" in answers[0][2]
