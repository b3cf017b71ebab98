"""The admin pages: accounts, password links, roles, deactivation, tokens, settings."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.models import ApiToken, AuditEvent, Notification, PasswordLink, SiteSettings, User
from factcheck.models.base import utcnow
from factcheck.services import accounts

LINK = re.compile(r"http://localhost/set-password/[A-Za-z0-9_-]{40,}")
NEW_PASSWORD = "a river of quiet lanterns"


def events(action: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by("id"))
    )


def count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def link_in(html: str) -> str:
    found = LINK.findall(html)
    assert len(found) == 1, html
    return found[0].removeprefix("http://localhost")


# --- listing -------------------------------------------------------------------


def test_accounts_list_shows_everyone_and_filters(login_as, users, make_user):
    make_user("editor", email="zoe.quill@example.org", name="Zoë Quill")
    admin = login_as("admin")
    page = admin.get("/admin/users").get_data(as_text=True)
    for user in users.values():
        assert user.email in page
    assert "Zoë Quill" in page

    editors = admin.get("/admin/users?role=editor").get_data(as_text=True)
    assert "Zoë Quill" in editors and users["editor"].email in editors
    assert users["fact_checker"].email not in editors

    found = admin.get("/admin/users?q=QUILL").get_data(as_text=True)
    assert "Zoë Quill" in found and users["admin"].email not in found

    # A LIKE wildcard typed into the search is a character, not "anything".
    assert "No account matches" in admin.get("/admin/users?q=%25").get_data(as_text=True)


def test_accounts_list_filters_deactivated_accounts(login_as, users):
    accounts.set_active(users["admin"], users["editor"], False, users["editor"].version)
    admin = login_as("admin")
    page = admin.get("/admin/users?state=inactive").get_data(as_text=True)
    assert users["editor"].email in page and users["fact_checker"].email not in page
    assert "deactivated" in page


# --- creating an account -----------------------------------------------------------


def test_admin_creates_an_account_and_the_one_time_link_sets_its_password(
    app, login_as, users, auth
):
    admin = login_as("admin")
    resp = admin.post(
        "/admin/users/new",
        data={"name": "Nadia Newcomer", "email": "Nadia@Example.org", "role": "editor"},
    )
    assert resp.status_code == 201
    page = resp.get_data(as_text=True)
    assert "Invitation link for Nadia Newcomer" in page
    assert resp.headers["Cache-Control"] == "no-store"
    path = link_in(page)

    user = accounts.find_user_by_email("nadia@example.org")
    assert user is not None and user.role == "editor" and user.password_hash is None
    assert [e.after["email"] for e in events("user.create")][-1] == "nadia@example.org"
    assert events("user.invite_link")[-1].entity_id == user.id
    # Only the hash of the link is stored.
    stored = db.session.scalars(sa.select(PasswordLink).where(PasswordLink.user_id == user.id))
    assert path.rsplit("/", 1)[1] not in {link.token_hash for link in stored}

    newcomer = app.test_client()
    form = newcomer.get(path)
    assert form.status_code == 200 and "Nadia Newcomer" in form.get_data(as_text=True)
    short = newcomer.post(path, data={"password": "too short", "confirm": "too short"})
    assert "at least 12 characters" in short.get_data(as_text=True)
    done = newcomer.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/login"

    assert newcomer.get(path).status_code == 404  # one time only
    signed_in = newcomer.post(
        "/login", data={"email": "nadia@example.org", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert newcomer.get("/desk/").status_code == 200


def test_an_expired_link_is_refused(app, login_as):
    admin = login_as("admin")
    resp = admin.post(
        "/admin/users/new",
        data={"name": "Late Larry", "email": "larry@example.org", "role": "editor"},
    )
    path = link_in(resp.get_data(as_text=True))
    link = db.session.scalars(sa.select(PasswordLink)).one()
    link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    resp = app.test_client().get(path)
    assert resp.status_code == 404
    assert "expired or been used" in resp.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        (
            {"name": "Dup", "email": "admin3@example.org", "role": "editor"},
            409,
            "already has an account",
        ),
        ({"name": "Bad", "email": "not-an-email", "role": "editor"}, 400, "must have an @-sign"),
        ({"name": "", "email": "x@example.org", "role": "editor"}, 400, "This field is required"),
        (
            {"name": "Boss", "email": "boss@example.org", "role": "overlord"},
            400,
            "Not a valid choice",
        ),
        ({"name": "N" * 121, "email": "long@example.org", "role": "editor"}, 400, "120"),
    ],
)
def test_account_form_errors_are_shown_and_create_nothing(login_as, users, data, status, message):
    admin = login_as("admin")
    before = count(User)
    resp = admin.post("/admin/users/new", data=data)
    assert resp.status_code == status
    assert message in resp.get_data(as_text=True)
    assert count(User) == before


# --- roles -----------------------------------------------------------------------


def test_admin_changes_a_role_and_it_is_audited(login_as, users):
    admin = login_as("admin")
    target = users["fact_checker"]
    resp = admin.post(
        f"/admin/users/{target.id}/role", data={"role": "editor", "version": target.version}
    )
    assert resp.status_code == 302
    assert db.session.get(User, target.id).role == "editor"
    event = events("user.role_change")[-1]
    assert event.actor_id == users["admin"].id and event.entity_id == target.id
    assert event.before == {"role": "fact_checker"} and event.after == {"role": "editor"}


def test_a_role_change_from_a_stale_page_is_refused_and_can_be_redone(login_as, users):
    admin = login_as("admin")
    target = users["fact_checker"]
    seen = target.version
    accounts.change_role(users["admin"], target, "editor", seen)  # someone else, meanwhile

    stale = admin.post(f"/admin/users/{target.id}/role", data={"role": "admin", "version": seen})
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "changed while you were editing" in page and "Nothing was saved" in page
    assert db.session.get(User, target.id).role == "editor"
    # The form now carries the current version: saving again is a deliberate overwrite.
    current = re.search(r'name="version"[^>]*value="(\d+)"', page) or re.search(
        r'value="(\d+)"[^>]*name="version"', page
    )
    assert current and int(current.group(1)) == target.version
    again = admin.post(
        f"/admin/users/{target.id}/role", data={"role": "admin", "version": current.group(1)}
    )
    assert again.status_code == 302 and db.session.get(User, target.id).role == "admin"


def test_admins_cannot_lock_themselves_out(login_as, users):
    admin = login_as("admin")
    me = users["admin"]
    resp = admin.post(f"/admin/users/{me.id}/role", data={"role": "editor", "version": me.version})
    assert resp.status_code == 409 and "your own admin role" in resp.get_data(as_text=True)
    resp = admin.post(f"/admin/users/{me.id}/deactivate", data={"version": me.version})
    assert resp.status_code == 409 and "your own account" in resp.get_data(as_text=True)
    assert me.role == "admin" and me.active


def test_an_unknown_account_is_404(login_as):
    assert login_as("admin").get("/admin/users/999999").status_code == 404


# --- deactivation ------------------------------------------------------------------


def test_deactivation_ends_open_sessions_tokens_and_sign_in(app, login_as, users, auth):
    editor = users["editor"]
    editor_client = login_as("editor")
    assert editor_client.get("/desk/").status_code == 200
    token = accounts.create_api_token(editor, editor, "script")
    admin = login_as("admin")

    resp = admin.post(f"/admin/users/{editor.id}/deactivate", data={"version": editor.version})
    assert resp.status_code == 302
    assert db.session.get(User, editor.id).active is False

    # The session that was open stops working on its next request.
    out = editor_client.get("/desk/")
    assert out.status_code == 302 and out.headers["Location"].startswith("/login")
    # The right password no longer signs in, with the same message as a wrong one.
    again = app.test_client().post(
        "/login", data={"email": editor.email, "password": "correct horse battery staple"}
    )
    assert again.status_code == 200
    assert "The email or password is not right." in again.get_data(as_text=True)
    assert accounts.user_for_token(token.secret) is None
    event = events("user.deactivate")[-1]
    assert event.after == {"active": False, "tokens_revoked": 1}

    resp = admin.post(f"/admin/users/{editor.id}/reactivate", data={"version": editor.version})
    assert resp.status_code == 302 and events("user.activate")
    assert login_as("editor").get("/desk/").status_code == 200
    assert accounts.user_for_token(token.secret) is None  # revoked tokens stay revoked


def test_a_link_issued_before_deactivation_stays_dead_after_reactivation(app, users):
    admin, editor = users["admin"], users["editor"]
    issued = accounts.issue_password_link(admin, editor, "reset")
    accounts.set_active(admin, editor, False, editor.version)
    accounts.set_active(admin, editor, True, editor.version)
    assert app.test_client().get(f"/set-password/{issued.secret}").status_code == 404


def test_a_deactivated_account_gets_no_link(login_as, users):
    editor = users["editor"]
    accounts.set_active(users["admin"], editor, False, editor.version)
    resp = login_as("admin").post(f"/admin/users/{editor.id}/password-link", follow_redirects=True)
    assert "reactivate it first" in resp.get_data(as_text=True)
    assert count(PasswordLink) == 0


# --- reset links -------------------------------------------------------------------


def test_reset_link_replaces_the_password_and_ends_the_sessions(app, login_as, users):
    checker = users["fact_checker"]
    checker_client = login_as("fact_checker")
    admin = login_as("admin")
    first = admin.post(f"/admin/users/{checker.id}/password-link")
    second = admin.post(f"/admin/users/{checker.id}/password-link")
    assert "Password reset link for" in second.get_data(as_text=True)
    old_path, path = link_in(first.get_data(as_text=True)), link_in(second.get_data(as_text=True))
    assert app.test_client().get(old_path).status_code == 404  # a new link replaces the old
    assert len(events("user.reset_link")) == 2

    visitor = app.test_client()
    resp = visitor.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert resp.status_code == 302
    assert events("user.password_set")[-1].note == "reset"
    assert checker_client.get("/desk/").status_code == 302  # signed out everywhere
    assert (
        visitor.post("/login", data={"email": checker.email, "password": NEW_PASSWORD}).status_code
        == 302
    )


def test_the_same_link_cannot_be_used_twice(app, users):
    issued = accounts.issue_password_link(users["admin"], users["editor"], "reset")
    accounts.use_password_link(issued.secret, NEW_PASSWORD)
    from factcheck.errors import NotFound

    with pytest.raises(NotFound):
        accounts.use_password_link(issued.secret, "another fine passphrase")


# --- tokens ------------------------------------------------------------------------


def test_admin_lists_and_revokes_any_accounts_tokens(login_as, users):
    checker = login_as("fact_checker")
    created = checker.post("/account/tokens", data={"name": "nightly import"})
    secret = re.search(r"fc_[A-Za-z0-9_-]+", created.get_data(as_text=True)).group(0)
    token = db.session.scalars(sa.select(ApiToken)).one()
    assert events("token.create")[-1].after == {
        "name": "nightly import",
        "user": users["fact_checker"].email,
    }

    admin = login_as("admin")
    listing = admin.get("/admin/tokens").get_data(as_text=True)
    assert "nightly import" in listing and users["fact_checker"].name in listing
    assert secret not in listing  # never shown again

    resp = admin.post(f"/admin/tokens/{token.id}/revoke")
    assert resp.status_code == 302 and resp.headers["Location"] == "/admin/tokens"
    assert db.session.get(ApiToken, token.id).revoked_at is not None
    assert accounts.user_for_token(secret) is None
    assert events("token.revoke")[-1].actor_id == users["admin"].id
    active_rows = admin.get("/admin/tokens").get_data(as_text=True).split("<table")[1]
    assert "nightly import" not in active_rows
    revoked_rows = (
        admin.get("/admin/tokens?state=revoked").get_data(as_text=True).split("<table")[1]
    )
    assert "nightly import" in revoked_rows


def test_revoking_from_the_account_page_returns_there(login_as, users):
    checker = users["fact_checker"]
    issued = accounts.create_api_token(checker, checker, "laptop")
    admin = login_as("admin")
    page = admin.get(f"/admin/users/{checker.id}").get_data(as_text=True)
    assert "laptop" in page and issued.row.prefix in page
    resp = admin.post(f"/admin/tokens/{issued.row.id}/revoke?from=user")
    assert resp.headers["Location"] == f"/admin/users/{checker.id}"


def test_a_fact_checker_cannot_revoke_someone_elses_token(login_as, users):
    editor = users["editor"]
    issued = accounts.create_api_token(editor, editor, "editor's script")
    resp = login_as("fact_checker").post(f"/account/tokens/{issued.row.id}/revoke")
    assert resp.status_code == 403
    assert db.session.get(ApiToken, issued.row.id).revoked_at is None


# --- settings ----------------------------------------------------------------------

SETTINGS = {
    "site_name": "Harbour Checks",
    "organization_name": "Harbour Fact Desk",
    "organization_url": "https://harbour.example.org/",
    "approvals_required": "2",
    "session_idle_minutes": "30",
    "session_max_hours": "8",
    "tip_email_days": "30",
}


def test_admin_saves_the_settings_and_the_site_uses_them(login_as, users):
    admin = login_as("admin")
    form = admin.get("/admin/settings")
    assert form.status_code == 200 and 'value="0"' in form.get_data(as_text=True)
    resp = admin.post("/admin/settings", data={**SETTINGS, "version": "0"})
    assert resp.status_code == 302
    settings = db.session.get(SiteSettings, 1)
    assert (settings.site_name, settings.approvals_required, settings.session_idle_minutes) == (
        "Harbour Checks",
        2,
        30,
    )
    event = events("settings.update")[-1]
    assert event.before["site_name"] == "Factcheck" and event.after["site_name"] == "Harbour Checks"
    assert "<title>Site settings · Harbour Checks</title>" in admin.get("/admin/settings").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"approvals_required": "4"}, "Not a valid choice"),
        ({"session_idle_minutes": "0"}, "between 5 and 720"),
        ({"session_max_hours": "1000"}, "between 1 and 168"),
        ({"session_idle_minutes": "600", "session_max_hours": "2"}, "Cannot exceed the maximum"),
        ({"organization_url": "javascript:alert(1)"}, "starting with http"),
        ({"site_name": "   "}, "Required."),
        ({"session_max_hours": "eight"}, "Not a valid integer"),
    ],
)
def test_invalid_settings_are_refused_with_a_message(login_as, change, message):
    admin = login_as("admin")
    resp = admin.post("/admin/settings", data={**SETTINGS, "version": "0", **change})
    assert resp.status_code == 400
    assert message in resp.get_data(as_text=True)
    assert events("settings.update") == []


def test_settings_saved_meanwhile_are_not_overwritten_silently(login_as, users):
    from factcheck.services.settings import update_settings

    admin = login_as("admin")
    update_settings(users["admin"], 0, {**SETTINGS, "site_name": "Someone Else's Name"})
    stale = admin.post("/admin/settings", data={**SETTINGS, "version": "0"})
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "Someone Else&#39;s Name" in page and "Nothing was saved" in page
    assert 'value="Harbour Checks"' in page  # what the admin typed is kept
    assert db.session.get(SiteSettings, 1).site_name == "Someone Else's Name"
    version = db.session.get(SiteSettings, 1).version
    again = admin.post("/admin/settings", data={**SETTINGS, "version": str(version)})
    assert again.status_code == 302
    assert db.session.get(SiteSettings, 1).site_name == "Harbour Checks"


# --- notifications -----------------------------------------------------------------


def test_notifications_page_lists_and_marks_read_only_on_post(login_as, users):
    checker = users["fact_checker"]
    db.session.add(
        Notification(user_id=checker.id, message="Your verdict on claim #7 was sent back.")
    )
    db.session.add(Notification(user_id=users["editor"].id, message="Not for the checker."))
    db.session.commit()
    client = login_as("fact_checker")
    page = client.get("/account/notifications").get_data(as_text=True)
    assert "claim #7 was sent back" in page and "Not for the checker" not in page
    assert "1 unread" in page
    unread = sa.select(sa.func.count()).where(
        Notification.user_id == checker.id, Notification.read_at.is_(None)
    )
    assert db.session.scalar(unread) == 1  # a GET changes nothing

    resp = client.post("/account/notifications/read")
    assert resp.status_code == 302
    assert db.session.scalar(unread) == 0
    assert (
        "unread"
        not in client.get("/account/notifications").get_data(as_text=True).split("<main")[1]
    )


def test_a_reset_request_notifies_the_admins_once(app, users):
    client = app.test_client()
    for _ in range(3):
        client.post("/reset-password", data={"email": users["editor"].email})
    notes = db.session.scalars(
        sa.select(Notification).where(Notification.user_id == users["admin"].id)
    )
    assert [n.message for n in notes] == [
        f"{users['editor'].name} ({users['editor'].email}) asked for a password reset link."
    ]
    page = client.post(
        "/login", data={"email": users["admin"].email, "password": "correct horse battery staple"}
    )
    assert page.status_code == 302
    assert "asked for a password reset link" in client.get("/account/notifications").get_data(
        as_text=True
    )


def test_a_demotion_applies_to_the_open_session_at_once(login_as, users):
    other_admin = accounts.create_user(
        None,
        email="second.admin@example.org",
        name="Second Admin",
        role="admin",
        password="correct horse battery staple",
    )
    client = login_as("admin")
    assert client.get("/admin/users").status_code == 200
    me = users["admin"]
    accounts.change_role(other_admin, me, "editor", me.version)
    assert client.get("/admin/users").status_code == 403


def test_the_account_page_repeats_no_element_id(login_as, users):
    page = login_as("admin").get(f"/admin/users/{users['editor'].id}").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert page.count('name="version"') == 2


HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (f"/admin/users/{HUGE}", 404),
        (f"/admin/users?page={HUGE}", 200),
        ("/admin/users?page=-3", 200),
        (f"/admin/tokens?page={HUGE}", 200),
        (f"/admin/audit?before={HUGE}", 200),
        (f"/admin/audit?after={HUGE}", 200),
        (f"/admin/audit?actor={HUGE}", 200),
        (f"/admin/audit?entity_id={HUGE}", 400),
    ],
)
def test_out_of_range_numbers_are_never_a_server_error(login_as, url, status):
    assert login_as("admin").get(url).status_code == status


def test_a_huge_id_in_any_url_is_a_404(login_as):
    client = login_as("admin")
    assert client.post(f"/admin/tokens/{HUGE}/revoke").status_code == 404
    assert client.post(f"/account/tokens/{2**31}/revoke").status_code == 404
