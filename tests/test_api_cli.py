"""`factcheck tokens create` and `factcheck export claimreview`."""

from __future__ import annotations

import json

import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.models import ApiToken
from factcheck.services import accounts


def test_tokens_create_prints_a_working_token_last(runner, client, users):
    user = users["editor"]
    result = runner.invoke(
        args=["tokens", "create", "--email", user.email.upper(), "--name", "Newsroom bot"]
    )
    assert result.exit_code == 0, result.output
    token = result.output.split()[-1]
    assert token.startswith("fc_")
    row = db.session.scalars(sa.select(ApiToken)).one()
    assert row.user_id == user.id and row.name == "Newsroom bot"
    assert token not in (row.token_hash, row.prefix)  # only its hash is stored
    resp = client.get("/api/v1/claims?status=logged", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200


def test_tokens_create_refuses_unknown_invalid_and_deactivated_accounts(runner, users):
    unknown = runner.invoke(args=["tokens", "create", "--email", "who@example.org", "--name", "x"])
    assert unknown.exit_code == 1
    assert "There is no account with the email who@example.org" in unknown.output
    invalid = runner.invoke(args=["tokens", "create", "--email", "not-an-email", "--name", "x"])
    assert invalid.exit_code == 1 and "Invalid email address" in invalid.output
    nameless = runner.invoke(
        args=["tokens", "create", "--email", users["editor"].email, "--name", "  "]
    )
    assert nameless.exit_code == 1 and "Give the token a name" in nameless.output
    checker = users["fact_checker"]
    accounts.set_active(users["admin"], checker, False, checker.version)
    inactive = runner.invoke(args=["tokens", "create", "--email", checker.email, "--name", "x"])
    assert inactive.exit_code == 1 and "deactivated" in inactive.output
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0


def test_export_claimreview_prints_the_data_feed(runner, make_claim):
    published = make_claim("published")
    make_claim("in_review", text="A claim still in review is never exported.")
    result = runner.invoke(args=["export", "claimreview", "--base-url", "https://fc.example.org"])
    assert result.exit_code == 0, result.output
    feed = json.loads(result.output)
    assert feed["@type"] == "DataFeed"
    [element] = feed["dataFeedElement"]
    [review] = element["item"]
    assert review["@type"] == "ClaimReview"
    assert review["url"] == f"https://fc.example.org/claims/{published.id}-{published.slug}"
    assert review["claimReviewed"] == published.text
    assert review["reviewRating"]["alternateName"] == "False"
