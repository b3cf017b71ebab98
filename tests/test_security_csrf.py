"""CSRF: with protection on (as in production), a POST without the token is refused."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from factcheck.extensions import db
from factcheck.models import User

from .conftest import PASSWORD


def token_from(client: FlaskClient, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', html).group(1)


@pytest.fixture
def protected(another_app):
    return another_app(WTF_CSRF_ENABLED=True)


def signed_in(app, user: User) -> FlaskClient:
    client = app.test_client()
    data = {"email": user.email, "password": PASSWORD, "csrf_token": token_from(client, "/login")}
    assert client.post("/login", data=data).status_code == 302
    return client


def test_sign_in_without_the_token_is_refused(protected, users):
    client = protected.test_client()
    resp = client.post("/login", data={"email": users["editor"].email, "password": PASSWORD})
    assert resp.status_code == 400
    assert "The CSRF token is missing." in resp.get_data(as_text=True)
    assert client.get("/desk/").status_code == 302
    forged = client.post(
        "/login",
        data={"email": users["editor"].email, "password": PASSWORD, "csrf_token": "forged"},
    )
    assert forged.status_code == 400


def test_sign_out_without_the_token_is_refused(protected, users):
    client = signed_in(protected, users["editor"])
    assert client.post("/logout").status_code == 400
    assert client.get("/desk/").status_code == 200  # still signed in
    resp = client.post("/logout", data={"csrf_token": token_from(client, "/desk/")})
    assert resp.status_code == 302
    assert client.get("/desk/").status_code == 302


def test_an_admin_action_without_the_token_is_refused(protected, users):
    client = signed_in(protected, users["admin"])
    target = users["fact_checker"]
    data = {"role": "editor", "version": target.version}
    assert client.post(f"/admin/users/{target.id}/role", data=data).status_code == 400
    assert client.post(f"/admin/users/{target.id}/deactivate", data=data).status_code == 400
    db.session.expire_all()
    assert (target.role, target.active) == ("fact_checker", True)
    # The same request with the page's token goes through.
    token = token_from(client, f"/admin/users/{target.id}")
    resp = client.post(f"/admin/users/{target.id}/role", data={**data, "csrf_token": token})
    assert resp.status_code == 302
    db.session.expire_all()
    assert target.role == "editor"


def test_a_token_from_another_session_is_refused(protected, users):
    admin = signed_in(protected, users["admin"])
    other = signed_in(protected, users["editor"])
    target = users["fact_checker"]
    token = token_from(other, "/desk/")
    resp = admin.post(
        f"/admin/users/{target.id}/deactivate",
        data={"version": target.version, "csrf_token": token},
    )
    assert resp.status_code == 400
    db.session.expire_all()
    assert target.active
