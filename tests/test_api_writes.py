"""The JSON API's writes: bearer tokens, the desk's role rules, optimistic locking, bad input."""

from __future__ import annotations

import json
import secrets

import pytest
import sqlalchemy as sa
from redis import Redis

from factcheck.extensions import db
from factcheck.models import ApiToken, AuditEvent, Claim, Speaker, SpeakerAlias
from factcheck.services import accounts

from .conftest import PASSWORD, TEST_REDIS_URL, requires_redis

ROLES = ("fact_checker", "editor", "admin")
NEW_CLAIM = {
    "text": "The ministry hired 3,000 new teachers in 2024.",
    "speaker": "Ines Fictiva",
    "date": "2025-02-03",
}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def call(client, api_token):
    """call(method, path, role=None, json=..., headers=...) -> response."""

    def send(method: str, path: str, role: str | None = None, **kwargs):
        headers = dict(kwargs.pop("headers", {}) or {})
        if role is not None:
            headers.update(bearer(api_token(role)))
        return client.open(path, method=method, headers=headers, **kwargs)

    return send


def claim_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Claim.id))) or 0


# --- without a working token ---------------------------------------------------


@pytest.mark.parametrize(
    "method, path",
    [
        ("POST", "/api/v1/claims"),
        ("PATCH", "/api/v1/claims/{id}"),
        ("POST", "/api/v1/claims/{id}/evidence"),
        ("PUT", "/api/v1/claims/{id}/verdict"),
        ("POST", "/api/v1/claims/{id}/transitions"),
        ("GET", "/api/v1/claims.csv"),
    ],
)
def test_writes_without_a_token_are_401_with_a_bearer_challenge(call, make_claim, method, path):
    claim = make_claim("researching")
    resp = call(method, path.format(id=claim.id), json={"action": "submit"})
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"] == 'Bearer realm="factcheck"'
    error = resp.get_json()["error"]
    assert error["status"] == 401 and "Bearer" in error["message"]


def test_revoked_token_and_deactivated_account_cannot_write(client, users, api_token):
    token = api_token("fact_checker")
    assert client.post("/api/v1/claims", json=NEW_CLAIM, headers=bearer(token)).status_code == 201
    row = db.session.scalars(sa.select(ApiToken)).one()
    accounts.revoke_api_token(users["fact_checker"], row)
    resp = client.post("/api/v1/claims", json=NEW_CLAIM, headers=bearer(token))
    assert resp.status_code == 401
    assert 'error="invalid_token"' in resp.headers["WWW-Authenticate"]

    editor = users["editor"]
    editor_token = api_token("editor")
    accounts.set_active(users["admin"], editor, False, editor.version)
    assert (
        client.post("/api/v1/claims", json=NEW_CLAIM, headers=bearer(editor_token)).status_code
        == 401
    )
    assert claim_count() == 1


# --- POST /claims ----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_role_logs_a_claim(call, users, role):
    body = {
        **NEW_CLAIM,
        "quote": "We hired three thousand teachers.",
        "context": "Press conference, Fictionville",
        "source": "Fictional Herald",
        "article_url": "https://herald.example.org/teachers",
        "tags": ["Education", "Jobs"],
        "language": "en",
    }
    resp = call("POST", "/api/v1/claims", role, json=body)
    assert resp.status_code == 201, resp.get_json()
    claim = resp.get_json()
    assert claim["status"] == "logged" and claim["version"] == 1
    assert resp.headers["ETag"] == 'W/"1"'
    assert resp.headers["Location"].endswith(f"/api/v1/claims/{claim['id']}")
    assert claim["speaker"]["name"] == "Ines Fictiva"
    assert claim["source"]["name"] == "Fictional Herald"
    assert claim["article"]["url"] == "https://herald.example.org/teachers"
    assert claim["tags"] == ["Education", "Jobs"]
    assert claim["date"] == "2025-02-03"
    row = db.session.get(Claim, claim["id"])
    assert row.created_by_id == users[role].id
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "claim.create")
    ).one()
    assert event.actor_id == users[role].id and event.claim_id == claim["id"]


def test_speaker_is_found_by_alias(call, users):
    speaker = Speaker(name="Ines Fictiva", normalized_name="ines fictiva", slug="ines-fictiva")
    speaker.aliases.append(SpeakerAlias(name="The Minister", normalized_name="the minister"))
    db.session.add(speaker)
    db.session.commit()
    resp = call(
        "POST", "/api/v1/claims", "fact_checker", json={**NEW_CLAIM, "speaker": "the MINISTER"}
    )
    assert resp.status_code == 201
    assert resp.get_json()["speaker"]["slug"] == "ines-fictiva"
    assert db.session.scalar(sa.select(sa.func.count(Speaker.id))) == 1


@pytest.mark.parametrize(
    "body, field",
    [
        ({**NEW_CLAIM, "text": "short"}, "text"),
        ({**NEW_CLAIM, "text": 42}, "text"),
        ({**NEW_CLAIM, "date": "03/02/2025"}, "date"),
        ({**NEW_CLAIM, "date": "2999-01-01"}, "stated_on"),
        ({**NEW_CLAIM, "tags": "Education"}, "tags"),
        ({**NEW_CLAIM, "tags": [1]}, "tags.0"),
        ({**NEW_CLAIM, "language": "xx"}, "language"),
        ({**NEW_CLAIM, "article_url": "javascript:alert(1)"}, "article_url"),
        ({**NEW_CLAIM, "speaker": "Ines\u0000"}, "speaker"),
        ({k: v for k, v in NEW_CLAIM.items() if k != "speaker"}, "speaker"),
        ({**NEW_CLAIM, "status": "published"}, "status"),
    ],
)
def test_bad_claim_bodies_are_400_with_fields(call, body, field):
    resp = call("POST", "/api/v1/claims", "fact_checker", json=body)
    assert resp.status_code == 400, resp.get_json()
    error = resp.get_json()["error"]
    assert error["status"] == 400
    assert field in error["fields"], error
    assert claim_count() == 0


def test_unknown_fields_are_named(call):
    resp = call(
        "POST", "/api/v1/claims", "fact_checker", json={**NEW_CLAIM, "verdict": "x", "id": 9}
    )
    assert resp.status_code == 400
    assert resp.get_json()["error"]["message"] == "Unknown fields: id, verdict."


@pytest.mark.parametrize(
    "data, content_type, needle",
    [
        ("{not json", "application/json", "not valid JSON"),
        ("[1, 2]", "application/json", "must be a JSON object"),
        ('"text"', "application/json", "must be a JSON object"),
        ("", "application/json", "needs a JSON object"),
        ("text=x", "application/x-www-form-urlencoded", "as JSON"),
        (b"\xff\xfe{}", "application/json", "not valid JSON"),
    ],
)
def test_malformed_bodies_are_400(call, data, content_type, needle):
    resp = call("POST", "/api/v1/claims", "fact_checker", data=data, content_type=content_type)
    assert resp.status_code == 400
    assert needle in resp.get_json()["error"]["message"]


def test_oversized_body_is_413(call):
    body = json.dumps({**NEW_CLAIM, "quote": "x" * (300 * 1024)})
    resp = call(
        "POST", "/api/v1/claims", "fact_checker", data=body, content_type="application/json"
    )
    assert resp.status_code == 413
    assert resp.get_json()["error"] == {
        "status": 413,
        "message": "The request is too large.",
        "fields": {},
    }


# --- PATCH /claims/<id> ------------------------------------------------------------


def test_patch_with_the_version_read_changes_only_the_fields_sent(call, make_claim):
    claim = make_claim("logged", tags=["Budget"], source="Daily Fictional")
    old = claim.version
    resp = call(
        "PATCH",
        f"/api/v1/claims/{claim.id}",
        "fact_checker",
        json={"context": "City council meeting", "version": old},
    )
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert body["context"] == "City council meeting"
    assert body["text"] == claim.text and body["tags"] == ["Budget"]
    assert body["source"]["slug"] == "daily-fictional"
    assert body["version"] > old
    assert resp.headers["ETag"] == f'W/"{body["version"]}"'


def test_patch_with_if_match_and_clearing_fields(call, make_claim):
    claim = make_claim("logged", source="Daily Fictional", tags=["Budget"])
    etag = call("GET", f"/api/v1/claims/{claim.id}", "editor").headers["ETag"]
    resp = call(
        "PATCH",
        f"/api/v1/claims/{claim.id}",
        "editor",
        json={"source": None, "tags": [], "speaker": "Mara Exampleton", "date": "2024-12-01"},
        headers={"If-Match": etag},
    )
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert body["source"] is None and body["tags"] == []
    assert body["speaker"]["name"] == "Mara Exampleton" and body["date"] == "2024-12-01"


def test_stale_patch_is_409_and_changes_nothing(call, make_claim):
    claim = make_claim("logged")
    old = claim.version
    first = call(
        "PATCH",
        f"/api/v1/claims/{claim.id}",
        "fact_checker",
        json={"context": "First", "version": old},
    )
    assert first.status_code == 200
    second = call(
        "PATCH", f"/api/v1/claims/{claim.id}", "editor", json={"context": "Second", "version": old}
    )
    current = first.get_json()["version"]
    assert second.status_code == 409
    error = second.get_json()["error"]
    assert "Nothing was saved" in error["message"]
    assert error["fields"]["version"] == f"The current version is {current}."
    assert second.headers["ETag"] == f'W/"{current}"'
    stale_header = call(
        "PATCH",
        f"/api/v1/claims/{claim.id}",
        "editor",
        json={"context": "Third"},
        headers={"If-Match": f'"{old}"'},
    )
    assert stale_header.status_code == 409
    db.session.expire_all()
    assert db.session.get(Claim, claim.id).context == "First"


def test_patch_needs_a_version_and_something_to_change(call, make_claim):
    claim = make_claim("logged")
    missing = call("PATCH", f"/api/v1/claims/{claim.id}", "fact_checker", json={"context": "x"})
    assert missing.status_code == 428
    assert "version" in missing.get_json()["error"]["fields"]
    empty = call(
        "PATCH", f"/api/v1/claims/{claim.id}", "fact_checker", json={"version": claim.version}
    )
    assert empty.status_code == 400
    bad_etag = call(
        "PATCH",
        f"/api/v1/claims/{claim.id}",
        "fact_checker",
        json={"context": "x"},
        headers={"If-Match": "*"},
    )
    assert bad_etag.status_code == 400 and "If-Match" in bad_etag.get_json()["error"]["fields"]
    assert (
        call(
            "PATCH", "/api/v1/claims/999", "fact_checker", json={"context": "x", "version": 1}
        ).status_code
        == 404
    )


# --- evidence and verdict -------------------------------------------------------------


def test_add_evidence(call, make_claim):
    claim = make_claim("researching")
    resp = call(
        "POST",
        f"/api/v1/claims/{claim.id}/evidence",
        "fact_checker",
        json={
            "url": "https://stats.example.org/teachers",
            "title": "Staff survey",
            "stance": "supports",
        },
    )
    assert resp.status_code == 201
    body = resp.get_json()
    assert body["stance"] == "supports" and body["url"] == "https://stats.example.org/teachers"
    detail = call("GET", f"/api/v1/claims/{claim.id}", "fact_checker").get_json()
    assert [e["id"] for e in detail["evidence"]] == [body["id"]]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"stance": "supports"}, "url"),
        ({"url": "https://x.example.org", "stance": "agrees"}, "stance"),
        ({"url": "ftp://x.example.org", "stance": "context"}, "url"),
        ({"citation": "Annual report, p. 4"}, "stance"),
    ],
)
def test_bad_evidence_is_400(call, make_claim, body, field):
    claim = make_claim("researching")
    resp = call("POST", f"/api/v1/claims/{claim.id}/evidence", "fact_checker", json=body)
    assert resp.status_code == 400
    assert field in resp.get_json()["error"]["fields"]


def test_plain_verdict_put_builds_on_the_latest_revision(call, make_claim, ratings):
    claim = make_claim("researching")
    first = call(
        "PUT",
        f"/api/v1/claims/{claim.id}/verdict",
        "fact_checker",
        json={
            "rating": "mostly-false",
            "summary": "Closer to 2,000.",
            "explanation": "See **data**.",
        },
    )
    assert first.status_code == 200, first.get_json()
    draft = first.get_json()
    assert draft["revision"] == 1 and draft["state"] == "draft"
    assert draft["rating"]["slug"] == "mostly-false"
    assert draft["explanation_html"] == "<p>See <strong>data</strong>.</p>"
    second = call(
        "PUT",
        f"/api/v1/claims/{claim.id}/verdict",
        "editor",
        json={"rating": "false", "summary": "x"},
    )
    assert second.get_json()["revision"] == 2
    stale = call(
        "PUT",
        f"/api/v1/claims/{claim.id}/verdict",
        "fact_checker",
        json={"summary": "y", "version": 1},
    )
    assert stale.status_code == 409
    assert stale.get_json()["error"]["fields"]["version"] == "The current version is 2."
    explicit = call(
        "PUT",
        f"/api/v1/claims/{claim.id}/verdict",
        "fact_checker",
        json={"summary": "z", "version": 2},
    )
    assert explicit.status_code == 200 and explicit.get_json()["revision"] == 3
    unknown = call(
        "PUT",
        f"/api/v1/claims/{claim.id}/verdict",
        "fact_checker",
        json={"rating": "pants-on-fire"},
    )
    assert unknown.status_code == 400 and "rating" in unknown.get_json()["error"]["fields"]


def test_verdict_cannot_be_drafted_before_research_starts(call, make_claim, ratings):
    claim = make_claim("logged")
    resp = call("PUT", f"/api/v1/claims/{claim.id}/verdict", "fact_checker", json={"summary": "x"})
    assert resp.status_code == 409
    assert "researched" in resp.get_json()["error"]["message"]


# --- transitions --------------------------------------------------------------------


def test_the_whole_workflow_through_the_api(client, call, users, ratings):
    created = call("POST", "/api/v1/claims", "fact_checker", json=NEW_CLAIM).get_json()
    path = f"/api/v1/claims/{created['id']}"
    started = call("POST", f"{path}/transitions", "fact_checker", json={"action": "start"})
    assert started.status_code == 200 and started.get_json()["status"] == "researching"
    assert started.get_json()["assignee"]["id"] == users["fact_checker"].id
    early = call("POST", f"{path}/transitions", "fact_checker", json={"action": "submit"})
    assert early.status_code == 409
    assert "at least one piece of evidence" in early.get_json()["error"]["message"]
    evidence = {"citation": "Ministry staff register 2024", "stance": "refutes"}
    assert call("POST", f"{path}/evidence", "fact_checker", json=evidence).status_code == 201
    verdict = {"rating": "false", "summary": "About 1,200 were hired.", "explanation": ""}
    assert call("PUT", f"{path}/verdict", "fact_checker", json=verdict).status_code == 200
    bare = call("POST", f"{path}/transitions", "fact_checker", json={"action": "submit"})
    assert bare.status_code == 409
    assert "an explanation" in bare.get_json()["error"]["message"]
    verdict["explanation"] = "The staff register lists **1,204** new hires."
    assert call("PUT", f"{path}/verdict", "fact_checker", json=verdict).status_code == 200
    submitted = call("POST", f"{path}/transitions", "fact_checker", json={"action": "submit"})
    assert submitted.status_code == 200, submitted.get_json()
    assert submitted.get_json()["status"] == "in_review"
    assert client.get(path).status_code == 404  # still not public
    denied = call("POST", f"{path}/transitions", "fact_checker", json={"action": "approve"})
    assert denied.status_code == 403
    assert "fact checker" in denied.get_json()["error"]["message"]
    approved = call("POST", f"{path}/transitions", "editor", json={"action": "approve"})
    assert approved.status_code == 200 and approved.get_json()["status"] == "published"
    public = client.get(path).get_json()
    assert public["verdict"]["summary"] == "About 1,200 were hired."
    assert public["rating"]["slug"] == "false"


def test_four_eyes_an_editor_cannot_approve_their_own_draft(call, make_claim, ratings):
    claim = make_claim("researching")
    path = f"/api/v1/claims/{claim.id}"
    call(
        "POST",
        f"{path}/evidence",
        "editor",
        json={"url": "https://x.example.org/a", "stance": "refutes"},
    )
    call(
        "PUT",
        f"{path}/verdict",
        "editor",
        json={"rating": "false", "summary": "No.", "explanation": "The register."},
    )
    call("POST", f"{path}/transitions", "editor", json={"action": "submit"})
    own = call("POST", f"{path}/transitions", "editor", json={"action": "approve"})
    assert own.status_code == 409 and "Four eyes" in own.get_json()["error"]["message"]
    other = call("POST", f"{path}/transitions", "admin", json={"action": "approve"})
    assert other.status_code == 200 and other.get_json()["status"] == "published"


@pytest.mark.parametrize(
    "status, role, body, expected",
    [
        ("logged", "fact_checker", {"action": "dismiss", "reason": "opinion"}, 403),
        ("logged", "editor", {"action": "dismiss"}, 409),
        ("logged", "editor", {"action": "dismiss", "reason": "opinion"}, 200),
        ("logged", "editor", {"action": "dismiss", "reason": "duplicate"}, 409),
        ("in_review", "editor", {"action": "send_back"}, 409),
        ("in_review", "editor", {"action": "send_back", "comment": "Add a source."}, 200),
        ("published", "editor", {"action": "correct"}, 409),
        ("published", "editor", {"action": "correct", "comment": "New figures."}, 200),
        ("published", "fact_checker", {"action": "correct", "comment": "x"}, 403),
        ("logged", "fact_checker", {"action": "submit"}, 409),
        ("logged", "fact_checker", {"action": "fly"}, 400),
        ("logged", "fact_checker", {"action": "start", "version": 999}, 409),
        ("logged", "editor", {"action": "assign", "assignee": "nobody@example.org"}, 400),
    ],
)
def test_transition_rules(call, make_claim, status, role, body, expected):
    claim = make_claim(status)
    before = claim.status
    resp = call("POST", f"/api/v1/claims/{claim.id}/transitions", role, json=body)
    assert resp.status_code == expected, resp.get_json()
    if expected != 200:
        assert resp.get_json()["error"]["status"] == expected
        db.session.expire_all()
        assert db.session.get(Claim, claim.id).status == before


def test_assign_by_email_and_dismiss_as_duplicate(call, make_claim, users):
    claim = make_claim("logged")
    other = make_claim("published", text="The city spent 41 million on roads in 2024.")
    assigned = call(
        "POST",
        f"/api/v1/claims/{claim.id}/transitions",
        "editor",
        json={"action": "assign", "assignee": users["fact_checker"].email.upper()},
    )
    assert assigned.status_code == 200, assigned.get_json()
    assert assigned.get_json()["assignee"]["id"] == users["fact_checker"].id
    dismissed = call(
        "POST",
        f"/api/v1/claims/{claim.id}/transitions",
        "editor",
        json={
            "action": "dismiss",
            "reason": "duplicate",
            "duplicate_of": other.id,
            "version": assigned.get_json()["version"],
        },
    )
    assert dismissed.status_code == 200
    body = dismissed.get_json()
    assert body["status"] == "dismissed" and body["duplicate_of"] == other.id


# --- CSV export -----------------------------------------------------------------------


def test_csv_export_for_staff_with_filters(call, make_claim):
    make_claim("published")
    make_claim("logged", text='=HYPERLINK("http://evil.example") is a claim text here.')
    resp = call("GET", "/api/v1/claims.csv?status=logged", "fact_checker")
    assert resp.status_code == 200
    assert resp.mimetype == "text/csv"
    assert resp.headers["Content-Disposition"].startswith('attachment; filename="claims-')
    lines = resp.get_data(as_text=True).splitlines()
    assert lines[0].startswith("id,status,text,")
    assert len(lines) == 2
    assert ",logged,\"'=HYPERLINK(" in lines[1]
    bad = call("GET", "/api/v1/claims.csv?status=nope", "fact_checker")
    assert bad.status_code == 400


# --- rate limits --------------------------------------------------------------------------


def test_rate_limit_is_per_person_and_answers_json_429(another_app, users, api_token):
    c = another_app(API_RATE_LIMIT="3 per minute").test_client()
    first, second = bearer(api_token("fact_checker")), bearer(api_token("editor"))
    checker = users["fact_checker"]
    # A second token of the same person draws on the same bucket: more tokens, no more calls.
    spare = bearer(accounts.create_api_token(checker, checker, "spare", password=PASSWORD).secret)
    statuses = [
        c.get("/api/v1/ratings", headers=token).status_code
        for token in (first, spare, first, spare)
    ]
    assert statuses == [200, 200, 200, 429]
    resp = c.get("/api/v1/claims", headers=first)
    assert resp.status_code == 429
    assert resp.get_json()["error"]["status"] == 429
    assert resp.headers["Retry-After"]
    assert c.get("/api/v1/ratings", headers=second).status_code == 200  # its own bucket
    assert c.get("/api/v1/ratings").status_code == 200  # anonymous: the address's bucket


@requires_redis()
def test_rate_limit_is_shared_by_app_servers_through_redis(another_app, users, api_token):
    """Two app instances (two servers behind a balancer) count one token's calls together."""
    prefix = f"fc-test-{secrets.token_hex(4)}"
    servers = [
        another_app(
            API_RATE_LIMIT="4 per minute",
            RATELIMIT_STORAGE_URI=TEST_REDIS_URL,
            RATELIMIT_KEY_PREFIX=prefix,
        )
        for _ in range(2)
    ]
    headers = bearer(api_token("editor"))
    try:
        statuses = [
            servers[n % 2].test_client().get("/api/v1/ratings", headers=headers).status_code
            for n in range(5)
        ]
    finally:
        redis = Redis.from_url(TEST_REDIS_URL)
        counters = list(redis.scan_iter(f"*{prefix}*"))
        for key in counters:
            redis.delete(key)
        redis.close()
    assert statuses == [200, 200, 200, 200, 429]
    assert counters, "the counts were kept in Redis"


def test_an_address_no_parser_can_read_is_a_400_not_a_crash(client, api_token):
    body = {"text": "The port earned 20 million.", "speaker": "Bo Port", "date": "2025-01-02"}
    resp = client.post(
        "/api/v1/claims",
        json={**body, "article_url": "http://["},
        headers={"Authorization": f"Bearer {api_token('editor')}"},
    )
    assert resp.status_code == 400
    assert "article_url" in resp.get_json()["error"]["fields"]
