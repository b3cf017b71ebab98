"""Racing writes against a real server: losers get 409 (or the conflict page), never a 500,
and no write leaves a duplicate row.

Each test starts the app in a threaded werkzeug server on 127.0.0.1 and fires the same
write from several threads released together by a barrier. On SQLite and PostgreSQL
alike (TEST_DATABASE_URL).
"""

from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Appearance, Claim, Evidence, Speaker, Tag, Verdict

from .conftest import LiveServer
from .test_reliability import Browser


@pytest.fixture
def server(app):
    app.config["WTF_CSRF_ENABLED"] = True  # real forms, real tokens
    live = LiveServer(app)
    yield live
    live.stop()


def fire(count: int, call: Callable[[int], tuple[int, Any]]) -> list[tuple[int, Any]]:
    """Run ``call(i)`` in ``count`` threads released at the same instant."""
    barrier = threading.Barrier(count)
    results: list[tuple[int, Any]] = [(0, None)] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = call(i)
        except Exception as exc:  # noqa: BLE001  (reported in the assertion)
            results[i] = (-1, repr(exc))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def api(
    base: str, method: str, path: str, token: str, body: Any, headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    request = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode(),
        method=method,
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as resp:  # noqa: S310 (127.0.0.1)
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        try:
            return exc.code, json.loads(raw or b"null")
        except ValueError:
            return exc.code, raw.decode(errors="replace")[:2000]


def count(model: Any, *where: Any) -> int:
    db.session.expire_all()
    return int(db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_racing_verdict_saves_give_one_revision_and_409s(server, make_claim, api_token):
    claim = make_claim("researching")
    claim_id = claim.id
    token = api_token("fact_checker")
    results = fire(
        3,
        lambda i: api(
            server.url,
            "PUT",
            f"/api/v1/claims/{claim_id}/verdict",
            token,
            {"version": 0, "rating": "false", "summary": f"Draft {i}.", "explanation": "Text."},
        ),
    )
    statuses = sorted(status for status, _ in results)
    assert statuses == [200, 409, 409], results
    for status, body in results:
        if status == 409:
            assert "Nothing" in body["error"]["message"], body
    assert count(Verdict, Verdict.claim_id == claim_id) == 1


def test_racing_desk_verdict_saves_give_the_conflict_page(server, users, make_claim):
    claim = make_claim("researching")
    claim_id = claim.id
    people = {"checker": Browser(server.url), "editor": Browser(server.url)}
    people["checker"].login(users["fact_checker"].email)
    people["editor"].login(users["editor"].email)
    forms = {}
    for name, who in people.items():
        token, html = who.csrf(f"/desk/claims/{claim_id}/verdict")
        base = re.search(r'name="base_revision" type="hidden" value="(\d+)"', html)
        assert base is not None
        forms[name] = {"csrf_token": token, "base_revision": base.group(1), "rating": "false"}
    names = list(people)
    results = fire(
        2,
        lambda i: people[names[i]].request(
            f"/desk/claims/{claim_id}/verdict",
            {
                **forms[names[i]],
                "summary": f"{names[i]} wrote this summary.",
                "explanation": "Because.",
            },
        ),
    )
    statuses = sorted(status for status, _ in results)
    assert statuses == [302, 409], [s for s, _ in results]
    conflict = next(html for status, html in results if status == 409)
    assert "wrote this summary" in conflict and "<form" in conflict  # the conflict page
    assert count(Verdict, Verdict.claim_id == claim_id) == 1


def test_racing_claims_naming_one_new_speaker_and_tag_make_one_of_each(server, api_token):
    token = api_token("fact_checker")
    results = fire(
        3,
        lambda i: api(
            server.url,
            "POST",
            "/api/v1/claims",
            token,
            {
                "text": f"The ferry carried {i + 2} million people in 2024.",
                "speaker": "Orla Racingname",
                "tags": ["harbour racing"],
                "date": "2025-01-15",
            },
        ),
    )
    statuses = [status for status, _ in results]
    # PostgreSQL: all three are saved. SQLite has one writer at a time, and a transaction
    # overtaken by another's commit cannot write: it is a 409 that saved nothing.
    assert set(statuses) <= {201, 409} and 201 in statuses, results
    assert count(Speaker, Speaker.name == "Orla Racingname") == 1
    assert count(Tag, Tag.slug == "harbour-racing") == 1
    assert count(Claim) == statuses.count(201)


def test_racing_appearances_of_one_address_give_one_row_and_409s(server, make_claim, api_token):
    claim = make_claim("researching")
    claim_id = claim.id
    token = api_token("fact_checker")
    body = {
        "url": "https://radio.example.org/racing",
        "title": "Said on the radio",
        "speaker": "Alma Testperson",
        "date": date(2025, 2, 1).isoformat(),
    }
    results = fire(
        3, lambda i: api(server.url, "POST", f"/api/v1/claims/{claim_id}/appearances", token, body)
    )
    assert sorted(status for status, _ in results) == [201, 409, 409], results
    assert count(Appearance, Appearance.claim_id == claim_id) == 1


def test_racing_writes_with_one_idempotency_key_make_one_row(server, make_claim, api_token):
    claim = make_claim("researching")
    claim_id = claim.id
    before = count(Evidence, Evidence.claim_id == claim_id)
    token = api_token("fact_checker")
    body = {"stance": "refutes", "url": "https://stats.example.org/ferries", "title": "Ferries"}
    results = fire(
        3,
        lambda i: api(
            server.url,
            "POST",
            f"/api/v1/claims/{claim_id}/evidence",
            token,
            body,
            {"Idempotency-Key": "5f0c8a1e-race-key"},
        ),
    )
    statuses = [status for status, _ in results]
    assert set(statuses) <= {201, 409} and 201 in statuses, results
    assert len({body["id"] for status, body in results if status == 201}) == 1
    assert count(Evidence, Evidence.claim_id == claim_id) == before + 1


def test_racing_approvals_by_one_editor_give_one_approval(server, make_claim, api_token):
    claim = make_claim("in_review")
    claim_id = claim.id
    token = api_token("editor")
    results = fire(
        2,
        lambda i: api(
            server.url,
            "POST",
            f"/api/v1/claims/{claim_id}/transitions",
            token,
            {"action": "approve"},
        ),
    )
    assert sorted(status for status, _ in results) == [200, 409], results
    db.session.expire_all()
    assert db.session.get(Claim, claim_id).status == "published"


@pytest.mark.parametrize(
    "form_path, fields, model",
    [
        (
            "/desk/claims/new",
            {
                "text": "The harbour dredging cost 9 million in 2024.",
                "speaker": "Alma Testperson",
                "language": "en",
            },
            Claim,
        ),
        (
            "/desk/claims/{claim_id}/evidence/new",
            {"stance": "refutes", "url": "https://budget.example.org/dredging", "title": "Budget"},
            Evidence,
        ),
        (
            "/desk/claims/{claim_id}/appearances/new",
            {
                "title": "Said at the council",
                "url": "https://council.example.org/minutes",
                "speaker": "Alma Testperson",
                "said_on": "2025-02-01",
            },
            Appearance,
        ),
    ],
    ids=["log a claim", "add evidence", "record an appearance"],
)
def test_a_desk_form_sent_twice_at_once_creates_one_row(
    server, users, make_claim, form_path, fields, model
):
    claim = make_claim("researching")
    claim_id = claim.id
    path = form_path.format(claim_id=claim_id)
    person = Browser(server.url)
    person.login(users["editor"].email)
    token, html = person.csrf(path)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', html)
    assert key is not None, "the form carries a one-time key"
    data = {**fields, "csrf_token": token, "submission_key": key.group(1)}
    before = count(model)
    results = fire(2, lambda i: person.request(path, data))
    statuses = [status for status, _ in results]
    assert set(statuses) <= {302, 303, 409} and (302 in statuses or 303 in statuses), statuses
    assert count(model) == before + 1


def test_racing_claim_patches_of_one_version_give_one_change_and_409s(
    server, make_claim, api_token
):
    claim = make_claim("logged")
    claim_id, version = claim.id, claim.version
    token = api_token("fact_checker")
    results = fire(
        3,
        lambda i: api(
            server.url,
            "PATCH",
            f"/api/v1/claims/{claim_id}",
            token,
            {"version": version, "text": f"Patch {i} says the city spent 40 million on roads."},
        ),
    )
    assert sorted(status for status, _ in results) == [200, 409, 409], results
    winner = next(body for status, body in results if status == 200)
    db.session.expire_all()
    saved = db.session.get(Claim, claim_id)
    assert saved.text == winner["text"] and saved.version == version + 1


def test_racing_tips_of_the_same_words_make_one_tip(server):
    from factcheck.models import Tip

    def send(i: int) -> tuple[int, Any]:
        request = urllib.request.Request(
            server.url + "/api/v1/tips",
            data=json.dumps(
                {"claim": "The mayor said the new bridge cost 90 million.", "seen_at": None}
            ).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as resp:  # noqa: S310 (127.0.0.1)
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")[:500]

    results = fire(3, send)
    assert sorted(status for status, _ in results) == [201, 201, 201], results
    assert count(Tip) == 1
