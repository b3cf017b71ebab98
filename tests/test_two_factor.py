"""The second factor, re-authentication and the __Host- cookie, through the HTTP client.

Codes are computed with pyotp from the secret the enrolment page shows, as an
authenticator app would.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from factcheck.extensions import db
from factcheck.models import ApiToken, AuditEvent, PasswordLink, RecoveryCode, TotpCredential

from .conftest import PASSWORD, Auth

SETTINGS = {
    "site_name": "Factcheck",
    "organization_name": "Factcheck Desk",
    "organization_url": "http://127.0.0.1:5000/",
    "approvals_required": 1,
    "session_idle_minutes": 60,
    "session_max_hours": 12,
    "tip_email_days": 90,
}


class Phone:
    """An authenticator app: the code of the current step, never one it already gave."""

    def __init__(self, secret: str) -> None:
        self.totp = pyotp.TOTP(secret)
        self.last_step = -1

    def code(self) -> str:
        step = max(int(time.time()) // 30, self.last_step + 1)
        self.last_step = step
        return self.totp.at(step * 30)

    def wrong_code(self) -> str:
        right = {self.totp.at((int(time.time()) // 30 + d) * 30) for d in (-1, 0, 1)}
        return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


def enrol(client: FlaskClient) -> tuple[Phone, list[str]]:
    return enrol_at(client, "")


def enrol_at(client: FlaskClient, base: str) -> tuple[Phone, list[str]]:
    page = client.get(f"{base}/account/two-factor/enrol")
    assert page.status_code == 200, page.status_code
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.get_data(as_text=True)).group(1)
    phone = Phone(secret)
    done = client.post(f"{base}/account/two-factor/enrol", data={"code": phone.code()})
    assert done.status_code == 200, done.get_data(as_text=True)[:300]
    codes = re.findall(
        r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", done.get_data(as_text=True)
    )
    assert len(codes) == 10
    return phone, codes


def sign_in(client: FlaskClient, email: str, code: str) -> Any:
    first = client.post("/login", data={"email": email, "password": PASSWORD})
    assert first.status_code == 302 and first.headers["Location"].endswith("/login/code")
    return client.post("/login/code", data={"code": code})


def signed_in(client: FlaskClient) -> bool:
    return client.get("/desk/").status_code == 200


def enrolled_user(app, make_user, role: str = "fact_checker") -> tuple[Any, Phone, list[str]]:
    user = make_user(role)
    client = app.test_client()
    Auth(client).login(user)
    phone, codes = enrol(client)
    Auth(client).logout()
    return user, phone, codes


def test_enrolment_shows_an_svg_qr_code_and_needs_a_right_code(app, make_user, login_as, users):
    client = login_as("fact_checker")
    page = client.get("/account/two-factor/enrol")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<svg" in html and "<script" not in html
    assert page.headers["Cache-Control"] == "no-store"
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', html).group(1)
    # The page keeps its secret across reloads, and a GET stores nothing.
    assert secret in client.get("/account/two-factor/enrol").get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TotpCredential)) == 0

    phone = Phone(secret)
    wrong = client.post("/account/two-factor/enrol", data={"code": phone.wrong_code()})
    assert wrong.status_code == 400 and "not right" in wrong.get_data(as_text=True)
    assert db.session.get(TotpCredential, users["fact_checker"].id) is None

    done = client.post("/account/two-factor/enrol", data={"code": phone.code()})
    assert done.status_code == 200
    codes = re.findall(
        r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", done.get_data(as_text=True)
    )
    assert len(set(codes)) == 10
    credential = db.session.get(TotpCredential, users["fact_checker"].id)
    # Neither the secret nor a recovery code is stored as such.
    assert secret not in credential.secret_encrypted
    stored = set(db.session.scalars(sa.select(RecoveryCode.code_hash)))
    assert len(stored) == 10 and not stored & {c.replace("-", "") for c in codes}
    status = client.get("/account/two-factor").get_data(as_text=True)
    assert 'id="codes-left">10<' in status


def test_sign_in_asks_for_the_code_after_the_password(app, make_user):
    user, phone, _ = enrolled_user(app, make_user)
    client = app.test_client()
    resp = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert resp.headers["Location"].endswith("/login/code")
    assert not signed_in(client), "the password alone must not open a session"

    wrong = client.post("/login/code", data={"code": phone.wrong_code()})
    assert wrong.status_code == 200 and "not right" in wrong.get_data(as_text=True)
    assert not signed_in(client)

    resp = client.post("/login/code", data={"code": phone.code()})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/desk/")
    assert signed_in(client)
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"auth.second_factor", "auth.second_factor_failed"} <= actions


def test_a_code_is_accepted_only_once(app, make_user):
    user, phone, _ = enrolled_user(app, make_user)
    client = app.test_client()
    code = phone.code()
    assert sign_in(client, user.email, code).status_code == 302
    Auth(client).logout()
    again = sign_in(client, user.email, code)
    assert again.status_code == 200 and "used already" in again.get_data(as_text=True)
    assert not signed_in(client)


def test_a_recovery_code_works_once(app, make_user):
    user, _, codes = enrolled_user(app, make_user)
    client = app.test_client()
    resp = sign_in(client, user.email, codes[3].upper())  # case and dash do not matter
    assert resp.status_code == 302
    assert "9 left" in client.get("/desk/").get_data(as_text=True)
    Auth(client).logout()
    assert sign_in(client, user.email, codes[3]).status_code == 200
    assert not signed_in(client)


def test_new_recovery_codes_replace_the_old_ones(app, make_user):
    user, phone, old = enrolled_user(app, make_user)
    client = app.test_client()
    sign_in(client, user.email, phone.code())
    page = client.post("/account/two-factor/recovery-codes")
    new = re.findall(
        r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", page.get_data(as_text=True)
    )
    assert len(new) == 10 and not set(new) & set(old)
    Auth(client).logout()
    assert sign_in(client, user.email, old[0]).status_code == 200
    assert sign_in(client, user.email, new[0]).status_code == 302


def test_wrong_codes_are_throttled_like_passwords(app, make_user):
    user, phone, _ = enrolled_user(app, make_user)
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    for _ in range(5):
        assert client.post("/login/code", data={"code": phone.wrong_code()}).status_code == 200
    blocked = client.post("/login/code", data={"code": phone.code()})
    assert blocked.status_code == 429
    assert not signed_in(client)


def test_a_half_finished_sign_in_expires(app, make_user):
    user, phone, _ = enrolled_user(app, make_user)
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    with client.session_transaction() as session:
        session["_pending_2fa"]["at"] -= 6 * 60
    resp = client.post("/login/code", data={"code": phone.code()})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/login")
    assert not signed_in(client)


def test_turning_it_off_needs_the_password_and_a_code(app, make_user):
    user, phone, codes = enrolled_user(app, make_user)
    client = app.test_client()
    sign_in(client, user.email, phone.code())
    refused = client.post(
        "/account/two-factor/disable", data={"password": "not my password", "code": "123456"}
    )
    assert refused.status_code == 400
    assert db.session.get(TotpCredential, user.id) is not None
    ok = client.post("/account/two-factor/disable", data={"password": PASSWORD, "code": codes[0]})
    assert ok.status_code == 302
    assert db.session.get(TotpCredential, user.id) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)) == 0
    Auth(client).logout()
    assert Auth(client).login(user).headers["Location"].endswith("/desk/")


def test_roles_named_in_the_settings_must_enrol_before_anything_else(app, users, login_as):
    admin = login_as("admin")
    saved = admin.post(
        "/admin/settings", data={**SETTINGS, "version": 0, "two_factor_roles": ["editor"]}
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)[:500]

    checker = login_as("fact_checker")  # not named: signs in as before
    assert signed_in(checker)

    editor = app.test_client()
    resp = Auth(editor).login(users["editor"])
    assert resp.headers["Location"].endswith("/account/two-factor/enrol")
    for path in ("/desk/", "/account/tokens", "/"):
        held = editor.get(path)
        assert held.status_code == 302, path
        assert held.headers["Location"].endswith("/account/two-factor/enrol"), path
    phone, _ = enrol(editor)
    assert signed_in(editor)
    # Next time the password alone is not enough.
    Auth(editor).logout()
    assert sign_in(editor, users["editor"].email, phone.code()).status_code == 302
    assert signed_in(editor)


def test_by_default_editors_and_admins_must_enrol_over_https_only(another_app, users):
    https = another_app(HTTPS=True)
    client = https.test_client()
    base = "https://localhost"
    for role, held in (("fact_checker", False), ("editor", True), ("admin", True)):
        resp = client.post(f"{base}/login", data={"email": users[role].email, "password": PASSWORD})
        assert resp.headers["Location"].endswith("/account/two-factor/enrol") is held, role
        client.post(f"{base}/logout")
    # Plain http (the demo): nobody is held.
    plain = another_app().test_client()
    resp = Auth(plain).login(users["admin"])
    assert resp.headers["Location"].endswith("/desk/")


def _age_the_proof(client: FlaskClient, minutes: int = 11) -> None:
    with client.session_transaction() as session:
        session["_proved_at"] = (datetime.now(UTC) - timedelta(minutes=minutes)).timestamp()


def test_a_token_needs_a_recent_password_and_the_form_is_kept(app, users, login_as):
    client = login_as("fact_checker")
    _age_the_proof(client)
    resp = client.post("/account/tokens", data={"name": "nightly script"})
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith("/account/confirm?next=/account/tokens")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0

    page = client.get(resp.headers["Location"])
    assert "Please confirm it is you" in page.get_data(as_text=True)
    wrong = client.post(resp.headers["Location"], data={"password": "not my password"})
    assert wrong.status_code == 400
    confirmed = client.post(resp.headers["Location"], data={"password": PASSWORD})
    html = confirmed.get_data(as_text=True)
    assert confirmed.status_code == 200
    assert 'action="/account/tokens"' in html and 'value="nightly script"' in html

    # The token form asks for the password itself as well (a kept form never carries it).
    sent = client.post("/account/tokens", data={"name": "nightly script", "password": PASSWORD})
    assert sent.status_code == 200
    assert db.session.scalar(sa.select(ApiToken.name)) == "nightly script"
    # Within the ten minutes a second token goes straight through.
    client.post("/account/tokens", data={"name": "another", "password": PASSWORD})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 2


@pytest.mark.parametrize(
    ("path", "data", "table"),
    [
        ("/admin/users/{id}/role", {"role": "editor", "version": "{version}"}, None),
        ("/admin/users/{id}/password-link", {}, PasswordLink),
        (
            "/admin/users/new",
            {"name": "Nia New", "email": "nia@example.org", "role": "editor"},
            None,
        ),
        ("/admin/settings", {**SETTINGS, "version": 0, "two_factor_roles": ["admin"]}, None),
    ],
)
def test_admin_changes_need_a_recent_proof(app, users, login_as, path, data, table):
    client = login_as("admin")
    target = users["fact_checker"]
    url = path.format(id=target.id)
    data = {
        k: (v.format(version=target.version) if isinstance(v, str) else v) for k, v in data.items()
    }
    _age_the_proof(client)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    resp = client.post(url, data=data)
    assert resp.status_code == 302 and "/account/confirm?next=" in resp.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == before
    assert db.session.get(type(target), target.id).role == "fact_checker"
    if table is not None:
        assert db.session.scalar(sa.select(sa.func.count()).select_from(table)) == 0


def test_a_code_also_confirms_and_the_way_back_stays_on_the_site(app, make_user, users):
    admin, phone, codes = enrolled_user(app, make_user, "admin")
    client = app.test_client()
    sign_in(client, admin.email, codes[0])  # keeps the app's next code for the proof
    _age_the_proof(client)
    target = users["fact_checker"]
    resp = client.post(
        f"/admin/users/{target.id}/role", data={"role": "editor", "version": target.version}
    )
    confirm = resp.headers["Location"]
    assert confirm.endswith(f"/account/confirm?next=/admin/users/{target.id}")
    page = client.post(confirm, data={"code": phone.code()})
    assert page.status_code == 200 and 'name="role" value="editor"' in page.get_data(as_text=True)
    done = client.post(
        f"/admin/users/{target.id}/role", data={"role": "editor", "version": target.version}
    )
    assert done.status_code == 302
    assert db.session.get(type(target), target.id).role == "editor"

    _age_the_proof(client)
    away = client.post("/account/confirm?next=//evil.example/", data={"password": PASSWORD})
    assert away.status_code == 302 and away.headers["Location"].endswith("/desk/")


def _set_cookie(resp: Any, name_prefix: str) -> str:
    cookies = [c for c in resp.headers.getlist("Set-Cookie") if c.startswith(name_prefix)]
    assert cookies, resp.headers.getlist("Set-Cookie")
    return cookies[-1]


def test_over_https_the_session_cookie_is_host_prefixed(another_app, users):
    https = another_app(HTTPS=True)
    client = https.test_client()
    resp = client.post(
        "https://localhost/login",
        data={"email": users["fact_checker"].email, "password": PASSWORD},
    )
    assert resp.status_code == 302
    cookie = _set_cookie(resp, "__Host-session=")
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"secure", "httponly", "path"} <= attributes and "domain" not in attributes
    assert "Path=/;" in cookie + ";"
    assert client.get("https://localhost/desk/").status_code == 200

    plain = another_app().test_client()
    resp = Auth(plain).login(users["fact_checker"])
    assert _set_cookie(resp, "session=")


def test_an_admin_can_turn_off_a_lost_second_factor(app, make_user, login_as):
    user, phone, _ = enrolled_user(app, make_user)
    holder = app.test_client()
    sign_in(holder, user.email, phone.code())
    admin = login_as("admin")
    page = admin.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "<dt>Second factor</dt><dd>On</dd>" in page
    resp = admin.post(f"/admin/users/{user.id}/two-factor/reset")
    assert resp.status_code == 302
    assert db.session.get(TotpCredential, user.id) is None
    assert not signed_in(holder), "their sessions end with it"
    assert Auth(holder).login(user).headers["Location"].endswith("/desk/")
    assert "user.two_factor_reset" in set(db.session.scalars(sa.select(AuditEvent.action)))


def test_the_command_line_turns_off_a_second_factor(app, make_user, runner):
    user, _, _ = enrolled_user(app, make_user)
    result = runner.invoke(args=["two-factor", "reset", "--email", user.email])
    assert result.exit_code == 0, result.output
    assert db.session.get(TotpCredential, user.id) is None
    again = runner.invoke(args=["two-factor", "reset", "--email", user.email])
    assert again.exit_code == 1 and "does not use a second factor" in again.output
    unknown = runner.invoke(args=["two-factor", "reset", "--email", "nobody@example.org"])
    assert unknown.exit_code == 1 and "No account" in unknown.output


def test_wrong_answers_on_the_confirm_page_are_throttled(app, users, login_as):
    client = login_as("fact_checker")
    for _ in range(10):
        assert client.post("/account/confirm", data={"password": "wrong guess"}).status_code == 400
    assert client.post("/account/confirm", data={"password": PASSWORD}).status_code == 429
    empty = client.get("/account/confirm")
    assert empty.status_code == 200


def test_the_settings_page_refuses_an_unknown_role_and_shows_the_https_default(
    another_app, app, users, login_as
):
    admin = login_as("admin")
    page = admin.get("/admin/settings").get_data(as_text=True)
    roles = re.findall(r'<input[^>]*name="two_factor_roles"[^>]*>', page)
    assert roles and not any("checked" in box for box in roles)
    resp = admin.post(
        "/admin/settings", data={**SETTINGS, "version": 0, "two_factor_roles": ["owner"]}
    )
    assert resp.status_code == 400
    from factcheck.models import SiteSettings

    assert db.session.get(SiteSettings, 1) is None

    https = another_app(HTTPS=True).test_client()
    https.post(
        "https://localhost/login", data={"email": users["admin"].email, "password": PASSWORD}
    )
    # Held for enrolment, but the settings are what this test wants to read: enrol first.
    phone, _ = enrol_at(https, "https://localhost")
    page = https.get("https://localhost/admin/settings").get_data(as_text=True)
    boxes = re.findall(r'<input[^>]*name="two_factor_roles"[^>]*>', page)
    checked = {re.search(r'value="(\w+)"', box)[1] for box in boxes if "checked" in box}  # type: ignore[index]
    assert checked == {"editor", "admin"}
