"""Every endpoint for every kind of caller: anonymous, each role, a revoked token, a deactivated account."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.models import ApiToken, Claim
from factcheck.services import accounts

from .conftest import PASSWORD

CALLERS = ("anonymous", "fact_checker", "editor", "admin", "revoked", "deactivated")
STAFF = ("fact_checker", "editor", "admin")


def expected(
    caller: str, *, public: int, staff: int, role_rule: dict[str, int] | None = None
) -> int:
    if caller in ("revoked", "deactivated"):
        return 401
    if caller == "anonymous":
        return public
    return (role_rule or {}).get(caller, staff)


@pytest.fixture
def headers_for(users, api_token, make_user) -> Any:
    def build(caller: str) -> dict[str, str]:
        if caller == "anonymous":
            return {}
        if caller in STAFF:
            return {"Authorization": f"Bearer {api_token(caller)}"}
        owner = make_user("editor")
        issued = accounts.create_api_token(owner, owner, "to be disabled", password=PASSWORD)
        if caller == "revoked":
            accounts.revoke_api_token(owner, db.session.get(ApiToken, issued.row.id))
        else:
            accounts.set_active(users["admin"], owner, False, owner.version)
        return {"Authorization": f"Bearer {issued.secret}"}

    return build


@pytest.mark.parametrize("caller", CALLERS)
def test_every_endpoint_answers_each_caller_as_the_rules_say(
    client, make_claim, headers_for, caller
):
    headers = headers_for(caller)
    published = make_claim("published", source="Daily Fictional")
    logged = make_claim("logged", text="Exports grew by 50 percent over the last year.")
    researching = make_claim("researching", text="The new bridge cost twice the estimate.")
    in_review = make_claim("in_review", text="The region opened 200 new schools in 2024.")
    versions = {c.id: c.version for c in (logged, researching, in_review)}

    cases: list[tuple[str, str, dict[str, Any] | None, int]] = [
        ("GET", "/api/v1/claims", None, expected(caller, public=200, staff=200)),
        ("GET", "/api/v1/claims?status=logged", None, expected(caller, public=200, staff=200)),
        ("GET", f"/api/v1/claims/{published.id}", None, expected(caller, public=200, staff=200)),
        ("GET", f"/api/v1/claims/{logged.id}", None, expected(caller, public=404, staff=200)),
        (
            "GET",
            f"/api/v1/claims/{published.id}/similar",
            None,
            expected(caller, public=200, staff=200),
        ),
        (
            "GET",
            f"/api/v1/claims/{logged.id}/similar",
            None,
            expected(caller, public=404, staff=200),
        ),
        ("GET", "/api/v1/claims.csv", None, expected(caller, public=401, staff=200)),
        ("GET", "/api/v1/speakers", None, expected(caller, public=200, staff=200)),
        ("GET", "/api/v1/speakers/alma-testperson", None, expected(caller, public=200, staff=200)),
        ("GET", "/api/v1/sources", None, expected(caller, public=200, staff=200)),
        ("GET", "/api/v1/sources/daily-fictional", None, expected(caller, public=200, staff=200)),
        ("GET", "/api/v1/ratings", None, expected(caller, public=200, staff=200)),
        ("GET", "/api/v1/search?q=roads", None, expected(caller, public=200, staff=200)),
        (
            "POST",
            "/api/v1/claims",
            {
                "text": "The ministry hired 3,000 teachers.",
                "speaker": "Ines Fictiva",
                "date": "2025-02-03",
            },
            expected(caller, public=401, staff=201),
        ),
        (
            "PATCH",
            f"/api/v1/claims/{logged.id}",
            {"context": "A press conference", "version": versions[logged.id]},
            expected(caller, public=401, staff=200),
        ),
        (
            "POST",
            f"/api/v1/claims/{researching.id}/evidence",
            {"url": "https://stats.example.org/bridge", "stance": "refutes"},
            expected(caller, public=401, staff=201),
        ),
        (
            "PUT",
            f"/api/v1/claims/{researching.id}/verdict",
            {"rating": "false", "summary": "It cost about the same."},
            expected(caller, public=401, staff=200),
        ),
        (
            "POST",
            f"/api/v1/claims/{in_review.id}/transitions",
            {"action": "approve"},
            expected(caller, public=401, staff=200, role_rule={"fact_checker": 403}),
        ),
    ]
    for method, path, body, status in cases:
        resp = client.open(path, method=method, json=body, headers=headers)
        assert resp.status_code == status, (method, path, resp.get_data(as_text=True)[:300])
        if status >= 400:
            assert resp.get_json()["error"]["status"] == status
        if status == 401:
            assert resp.headers["WWW-Authenticate"].startswith("Bearer")

    db.session.expire_all()
    wrote = caller in STAFF
    assert (db.session.scalar(sa.select(sa.func.count(Claim.id))) == 5) is wrote
    approved = db.session.get(Claim, in_review.id).status == "published"
    assert approved is (caller in ("editor", "admin"))
