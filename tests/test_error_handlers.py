"""The error handlers roll back first: a request whose flush failed still gets the styled
page (desk and public) or the JSON error (API), signed-in header included."""

from __future__ import annotations

import pytest
from flask import abort
from sqlalchemy.exc import IntegrityError

from factcheck.errors import Conflict
from factcheck.extensions import db
from factcheck.models import Tag

from .conftest import PASSWORD


def _fail_a_flush() -> None:
    """Insert a second tag with a taken slug and swallow the error: the session is now in
    the failed state (every further query raises until it is rolled back)."""
    db.session.add(Tag(name="Harbour", slug="harbour"))
    try:
        db.session.flush()
    except IntegrityError:
        pass


@pytest.fixture
def failing_app(another_app):
    app = another_app(PROPAGATE_EXCEPTIONS=False)

    def failed_flush_then(kind: str):  # type: ignore[no-untyped-def]
        _fail_a_flush()
        if kind == "crash":
            raise RuntimeError("a bug after a failed flush")
        if kind == "missing":
            abort(404)
        if kind == "conflict":
            raise Conflict("This claim is in review; it cannot be edited now.")
        if kind == "bad":
            abort(400, "The input is not valid.")
        raise AssertionError(kind)

    for prefix in ("/desk/_test", "/_test", "/api/_test"):
        app.add_url_rule(
            f"{prefix}/failed-flush/<kind>",
            endpoint=f"failed_flush{prefix.replace('/', '_')}",
            view_func=failed_flush_then,
        )
    with app.app_context():
        db.session.add(Tag(name="Harbour", slug="harbour"))
        db.session.commit()
    return app


@pytest.mark.parametrize(
    "kind, status, text",
    [
        ("crash", 500, "Something went wrong on our side"),
        ("missing", 404, "Not found"),
        ("conflict", 409, "it cannot be edited now"),
        ("bad", 400, "The input is not valid."),
    ],
)
def test_after_a_failed_flush_the_page_is_the_styled_one(failing_app, users, kind, status, text):
    client = failing_app.test_client()
    signed_in = client.post("/login", data={"email": users["editor"].email, "password": PASSWORD})
    assert signed_in.status_code == 302
    resp = client.get(f"/desk/_test/failed-flush/{kind}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == status, html[:500]
    assert text in html
    assert 'rel="stylesheet"' in html and "Sign out" in html  # the site's page, signed in
    assert "PendingRollback" not in html and "Traceback" not in html
    # The failed request left nothing behind: the next one works.
    assert client.get("/desk/").status_code == 200


@pytest.mark.parametrize("kind, status", [("crash", 500), ("missing", 404), ("conflict", 409)])
def test_after_a_failed_flush_the_api_answers_json(failing_app, kind, status):
    resp = failing_app.test_client().get(f"/api/_test/failed-flush/{kind}")
    assert resp.status_code == status
    assert resp.is_json and resp.get_json()["error"]["status"] == status


def test_after_a_failed_flush_a_public_page_is_styled_for_readers(failing_app):
    resp = failing_app.test_client().get("/_test/failed-flush/crash")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 500
    assert 'rel="stylesheet"' in html and "Sign in" in html
