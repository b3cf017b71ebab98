"""`factcheck users set-password`: a lost password replaced from the command line."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.models import ApiToken, AuditEvent
from factcheck.services import accounts
from factcheck.services.accounts import users as user_accounts

from .conftest import PASSWORD


def test_generate_prints_a_password_that_signs_in_and_ends_the_old_one(runner, users):
    email = users["editor"].email
    token = accounts.create_api_token(
        users["editor"], users["editor"], name="script", operator=True
    )
    result = runner.invoke(args=["users", "set-password", "--email", email, "--generate"])
    assert result.exit_code == 0, result.output
    assert f"New password set for {users['editor'].name} <{email}>." in result.output
    assert "1 API token of the account was revoked" in result.output
    new = re.search(r"Generated password \(shown once\): (\S+)", result.output)
    assert new is not None
    db.session.expire_all()
    assert user_accounts.authenticate(email, new[1]) is not None
    assert user_accounts.authenticate(email, PASSWORD) is None
    assert db.session.get(ApiToken, token.row.id).revoked_at is not None
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "user.password_set")
    ).one()
    assert event.actor_id is None and event.note == "command line"


def test_at_a_terminal_it_asks_twice(runner, users, monkeypatch):
    monkeypatch.setattr("factcheck.cli.users.has_terminal", lambda: True)
    email = users["fact_checker"].email
    typed = "a brand new long passphrase"
    result = runner.invoke(
        args=["users", "set-password", "--email", email], input=f"{typed}\n{typed}\n"
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("password") >= 2  # the prompt and its confirmation
    assert "Generated password" not in result.output and typed not in result.output
    db.session.expire_all()
    assert user_accounts.authenticate(email, typed) is not None


def test_different_answers_at_the_terminal_are_asked_again(runner, users, monkeypatch):
    monkeypatch.setattr("factcheck.cli.users.has_terminal", lambda: True)
    email = users["fact_checker"].email
    result = runner.invoke(
        args=["users", "set-password", "--email", email],
        input="first long passphrase\nsecond long passphrase\nthird long passphrase\n"
        "third long passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    db.session.expire_all()
    assert user_accounts.authenticate(email, "third long passphrase") is not None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--email", "nobody@example.org", "--generate"], "no account with the email"),
        (["--email", "anyone@example.org"], "add --generate"),
    ],
)
def test_clear_errors_without_a_trace(runner, users, args, message):
    result = runner.invoke(args=["users", "set-password", *args])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_weak_password_is_refused_with_the_rule(runner, users, monkeypatch):
    monkeypatch.setattr("factcheck.cli.users.has_terminal", lambda: True)
    email = users["admin"].email
    result = runner.invoke(args=["users", "set-password", "--email", email], input="short\nshort\n")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith("Error: ")
    db.session.expire_all()
    assert user_accounts.authenticate(email, PASSWORD) is not None
