"""The skeleton: app boots, pages render, errors are HTML or JSON, the CLI works."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from factcheck.extensions import db
from factcheck.models import Claim, Source, Speaker


def test_home_page_renders(client):
    resp = client.get("/")
    assert resp.status_code == 200
    assert b"Latest fact-checks" in resp.data


def test_unknown_page_is_html_404(client):
    resp = client.get("/no-such-page")
    assert resp.status_code == 404
    assert resp.mimetype == "text/html"
    assert b"Not found" in resp.data


def test_unknown_api_path_is_json_404(client):
    resp = client.get("/api/v1/no-such-thing")
    assert resp.status_code == 404
    assert resp.get_json()["error"]["status"] == 404


def test_security_headers_on_every_response(client):
    resp = client.get("/")
    csp = resp.headers["Content-Security-Policy"]
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"]


def test_duplicate_speaker_slug_is_refused_by_the_database(app):
    db.session.add(Speaker(name="A", normalized_name="a", slug="same"))
    db.session.add(Speaker(name="B", normalized_name="b", slug="same"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_unknown_claim_status_is_refused_by_the_database(app, users):
    speaker = Speaker(name="A", normalized_name="a", slug="a")
    db.session.add(speaker)
    db.session.flush()
    db.session.add(
        Claim(
            text="x" * 20,
            slug="x",
            speaker_id=speaker.id,
            created_by_id=users["admin"].id,
            status="bogus",
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_unknown_source_kind_is_refused_by_the_database(app):
    db.session.add(Source(name="S", normalized_name="s", slug="s", kind="tabloid"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_cli_users_create_and_errors(runner, app):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Ann@Example.org",
            "--name",
            "Ann",
            "--role",
            "editor",
            "--password",
            "a long enough passphrase",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Created editor Ann <ann@example.org>" in result.output
    dup = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "ann@example.org",
            "--name",
            "Ann",
            "--role",
            "editor",
            "--password",
            "a long enough passphrase",
        ]
    )
    assert dup.exit_code == 1
    assert "already exists" in dup.output
    bad = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "bob@example.org",
            "--name",
            "Bob",
            "--role",
            "overlord",
            "--password",
            "a long enough passphrase",
        ]
    )
    assert bad.exit_code == 1
    assert "Unknown role 'overlord'" in bad.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(sa.table("users"))) == 1


def test_cli_users_create_generates_a_password_without_a_terminal(runner, app):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "gen@example.org",
            "--name",
            "Gen",
            "--role",
            "fact_checker",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Generated password (shown once):" in result.output


def test_a_value_the_database_refuses_is_a_400_and_changes_nothing(login_as):
    # NUL cannot be stored by PostgreSQL; SQLite stores it. Either way: never a 500.
    client = login_as("editor")
    resp = client.post("/desk/ratings/new", data={"name": "Odd\x00name", "colour": "#123456"})
    assert resp.status_code in (302, 400)
    assert client.get("/desk/speakers?q=a%00b").status_code in (200, 400)
