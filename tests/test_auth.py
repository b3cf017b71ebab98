"""Signing in and out, password links, one's own password and tokens, and their audit trail."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.models import ApiToken, AuditEvent, User
from factcheck.services import accounts
from factcheck.web.security import safe_next

PASSWORD = "correct horse battery staple"


def events(action: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by("id"))
    )


def test_sign_in_and_out_are_audited(client, users, auth):
    editor = users["editor"]
    resp = auth.login(editor)
    assert resp.status_code == 302 and resp.headers["Location"] == "/desk/"
    assert client.get("/desk/").status_code == 200
    login = events("auth.login")[-1]
    assert (login.actor_id, login.entity_id, login.ip) == (editor.id, editor.id, "127.0.0.1")
    assert db.session.get(User, editor.id).last_login_at is not None

    resp = client.post("/logout")
    assert resp.status_code == 302
    assert events("auth.logout")[-1].actor_id == editor.id
    assert client.get("/desk/").status_code == 302


def test_failed_sign_ins_are_audited_with_the_address(client, users, auth):
    auth.login(users["editor"], "not the password at all")
    auth.login("ghost@example.org", "whatever it is")
    first, second = events("auth.login_failed")
    assert first.entity_id == users["editor"].id and first.actor_id is None
    assert second.entity_id is None and second.note == "email=ghost@example.org"
    assert first.ip == second.ip == "127.0.0.1"


def test_an_account_without_a_password_cannot_sign_in(client, users):
    invited, _ = accounts.invite_user(
        users["admin"], email="pending@example.org", name="Pending", role="editor"
    )
    resp = client.post("/login", data={"email": invited.email, "password": ""})
    assert resp.status_code == 200 and "This field is required" in resp.get_data(as_text=True)
    resp = client.post("/login", data={"email": invited.email, "password": "anything at all"})
    assert "The email or password is not right." in resp.get_data(as_text=True)


def test_the_email_is_matched_without_regard_to_case_or_spaces(client, users):
    resp = client.post(
        "/login", data={"email": "  " + users["editor"].email.upper(), "password": PASSWORD}
    )
    assert resp.status_code == 302


def test_signed_in_users_visiting_login_go_to_the_desk(login_as):
    resp = login_as("editor").get("/login")
    assert resp.status_code == 302 and resp.headers["Location"] == "/desk/"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/admin/users?role=editor", "/admin/users?role=editor"),
        ("//evil.example/", "/desk/"),
        ("https://evil.example/", "/desk/"),
        ("/\\evil.example", "/desk/"),
        ("\\\\evil.example", "/desk/"),
        ("/\t/evil.example", "/desk/"),
        (" /desk/", "/desk/"),
        ("javascript:alert(1)", "/desk/"),
        ("desk", "/desk/"),
    ],
)
def test_sign_in_only_redirects_to_local_pages(client, users, target, expected):
    resp = client.post(
        "/login",
        query_string={"next": target},
        data={"email": users["admin"].email, "password": PASSWORD},
    )
    assert resp.status_code == 302
    assert resp.headers["Location"] == expected


def test_safe_next_keeps_paths_with_queries():
    assert safe_next("/claims?q=a%20b", "/") == "/claims?q=a%20b"
    assert safe_next("/x" + "y" * 3000, "/d") == "/d"
    assert safe_next(None, "/d") == "/d"


def test_a_page_needing_sign_in_comes_back_after_it(client, users):
    resp = client.get("/admin/users")
    assert resp.status_code == 302
    login_url = resp.headers["Location"]
    assert login_url.startswith("/login?next=")
    done = client.post(login_url, data={"email": users["admin"].email, "password": PASSWORD})
    assert done.headers["Location"] == "/admin/users"


# --- reset requests and links -------------------------------------------------------


def test_a_reset_request_for_a_deactivated_account_tells_nobody(client, users):
    editor = users["editor"]
    accounts.set_active(users["admin"], editor, False, editor.version)
    resp = client.post("/reset-password", data={"email": editor.email})
    assert resp.status_code == 302
    assert events("user.reset_requested") == []


def test_an_unknown_link_is_404(client):
    resp = client.get("/set-password/not-a-real-token")
    assert resp.status_code == 404
    assert "expired or been used already" in resp.get_data(as_text=True)


def test_set_password_checks_the_repeat_and_the_policy(client, users):
    issued = accounts.issue_password_link(users["admin"], users["editor"], "reset")
    url = f"/set-password/{issued.secret}"
    differ = client.post(url, data={"password": "one long passphrase", "confirm": "another one"})
    assert "The two passwords differ." in differ.get_data(as_text=True)
    common = client.post(url, data={"password": "password1234", "confirm": "password1234"})
    assert "most common passwords" in common.get_data(as_text=True)
    assert client.get(url).status_code == 200  # refused attempts do not use the link up


def test_a_signed_in_user_using_a_link_is_signed_out(login_as, users):
    client = login_as("editor")
    issued = accounts.issue_password_link(users["admin"], users["editor"], "reset")
    resp = client.post(
        f"/set-password/{issued.secret}",
        data={"password": "quiet harbour lanterns", "confirm": "quiet harbour lanterns"},
    )
    assert resp.headers["Location"] == "/login"
    assert client.get("/desk/").status_code == 302


# --- own password ------------------------------------------------------------------


def test_changing_ones_password_ends_other_sessions_but_not_this_one(login_as, users):
    here, elsewhere = login_as("editor"), login_as("editor")
    wrong = here.post(
        "/account/password",
        data={
            "current_password": "not it",
            "password": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
    )
    assert "Not right." in wrong.get_data(as_text=True)
    resp = here.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
    )
    assert resp.status_code == 302
    assert here.get("/desk/").status_code == 200
    assert elsewhere.get("/desk/").status_code == 302
    assert events("user.password_change")[-1].actor_id == users["editor"].id


def test_guessing_the_current_password_is_throttled(login_as):
    client = login_as("editor")
    data = {
        "current_password": "guess",
        "password": "a brand new passphrase",
        "confirm": "a brand new passphrase",
    }
    statuses = [client.post("/account/password", data=data).status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429


# --- own tokens --------------------------------------------------------------------


def test_own_tokens_are_created_shown_once_and_revoked(login_as, users):
    client = login_as("fact_checker")
    resp = client.post("/account/tokens", data={"name": "my script", "password": PASSWORD})
    secret = re.search(r"fc_[A-Za-z0-9_-]{20,}", resp.get_data(as_text=True)).group(0)
    assert resp.headers["Cache-Control"] == "no-store"
    assert secret not in client.get("/account/tokens").get_data(as_text=True)
    user, token = accounts.user_for_token(secret)
    assert user.id == users["fact_checker"].id
    assert events("token.create")[-1].actor_id == user.id

    client.post(f"/account/tokens/{token.id}/revoke")
    assert db.session.get(ApiToken, token.id).revoked_at is not None
    assert accounts.user_for_token(secret) is None
    assert events("token.revoke")[-1].entity_id == token.id


def test_a_token_needs_a_name(login_as):
    resp = login_as("editor").post("/account/tokens", data={"name": "   ", "password": PASSWORD})
    assert "Required." in resp.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0
