"""Four eyes over everything the public reads, replayed through HTTP as an outsider would.

Each test is one attack from issue 14 (the API with tokens, the desk with its forms):
it must fail with a clear status and change nothing the public reads, and the change
must reach the public once someone other than its author approves it.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.models import AuditEvent, Claim, Evidence
from factcheck.services import reviews
from factcheck.workflow import Action

from .public_support import claim_url


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


def version_of(claim_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(Claim.version).where(Claim.id == claim_id))


def public_page(client, claim: Claim) -> str:
    db.session.expire_all()
    fresh = db.session.get(Claim, claim.id)
    resp = client.get(claim_url(fresh), follow_redirects=True)
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def public_json(client, claim_id: int):
    resp = client.get(f"/api/v1/claims/{claim_id}")
    assert resp.status_code == 200
    return resp


def desk_transition(client, claim_id: int, **data):
    return client.post(
        f"/desk/claims/{claim_id}/transition", data={"version": version_of(claim_id), **data}
    )


# --- 1. an editor opens a correction and approves it himself ---------------------


def test_api_editor_cannot_approve_the_correction_he_opened(call, make_claim, client):
    claim = make_claim("published")
    before = public_page(client, claim)
    path = f"/api/v1/claims/{claim.id}/transitions"
    opened = call("POST", path, "editor", json={"action": "correct", "comment": "New figures."})
    assert opened.status_code == 200, opened.get_json()
    refused = call("POST", path, "editor", json={"action": "approve"})
    assert refused.status_code == 409
    assert "opened this correction" in refused.get_json()["error"]["message"]
    assert public_page(client, claim) == before
    # Another editor may.
    assert call("POST", path, "admin", json={"action": "approve"}).status_code == 200


def test_api_editor_cannot_approve_a_correction_he_rewrote(call, make_claim, client):
    claim = make_claim("published")
    path = f"/api/v1/claims/{claim.id}/transitions"
    assert (
        call("POST", path, "admin", json={"action": "correct", "comment": "Fix."}).status_code
        == 200
    )
    saved = call(
        "PUT",
        f"/api/v1/claims/{claim.id}/verdict",
        "editor",
        json={"rating": "true", "summary": "Quietly reversed.", "explanation": "Reversed."},
    )
    assert saved.status_code == 200, saved.get_json()
    refused = call("POST", path, "editor", json={"action": "approve"})
    assert refused.status_code == 409
    assert "you wrote" in refused.get_json()["error"]["message"].lower()
    assert "Quietly reversed." not in public_page(client, claim)


def test_desk_editor_sees_approve_disabled_and_cannot_approve_his_correction(
    login_as, make_claim, client
):
    claim = make_claim("published")
    editor = login_as("editor")
    assert desk_transition(editor, claim.id, action="correct", comment="Typo.").status_code == 302
    page = editor.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    assert "you opened this correction; another editor must approve it." in page
    assert re.search(r'<button[^>]*value="approve"[^>]*disabled', page), "approve not disabled"
    resp = desk_transition(editor, claim.id, action="approve")
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Claim, claim.id).status == "in_review"
    follow = editor.get(resp.headers["Location"]).get_data(as_text=True)
    assert "you opened this correction" in follow
    # The admin sees an active button and publishes.
    admin_page = login_as("admin").get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    assert not re.search(r'<button[^>]*value="approve"[^>]*disabled', admin_page)


def test_an_incomplete_version_during_a_correction_is_a_clear_422(call, make_claim, client):
    """The revision saved during a correction is the one in review: without a rating or
    a summary it is refused with the fields named (it used to break a check: a 500)."""
    claim = make_claim("published")
    path = f"/api/v1/claims/{claim.id}/transitions"
    assert (
        call("POST", path, "admin", json={"action": "correct", "comment": "x"}).status_code == 200
    )
    before = public_page(client, claim)
    saved = call("PUT", f"/api/v1/claims/{claim.id}/verdict", "editor", json={})
    assert saved.status_code in (400, 422), saved.get_json()
    error = saved.get_json()["error"]
    assert "rating" in error["fields"] and "summary" in error["fields"]
    assert public_page(client, claim) == before


# --- 2. a published claim changed in place ---------------------------------------


def test_api_patch_of_a_published_claim_without_a_correction_is_refused(call, make_claim, client):
    claim = make_claim("published")
    before_page, before_api = public_page(client, claim), public_json(client, claim.id).get_json()
    for role in ("fact_checker", "editor", "admin"):
        resp = call(
            "PATCH",
            f"/api/v1/claims/{claim.id}",
            role,
            json={"version": version_of(claim.id), "text": "The city spent 90 million on roads."},
        )
        assert resp.status_code == 409, (role, resp.get_json())
        assert "correction" in resp.get_json()["error"]["message"]
    for field, value in (
        ("speaker", "Somebody Else"),
        ("quote", "Other words."),
        ("source", "Another Outlet"),
        ("date", "2024-01-01"),
    ):
        resp = call(
            "PATCH",
            f"/api/v1/claims/{claim.id}",
            "editor",
            json={"version": version_of(claim.id), field: value},
        )
        assert resp.status_code == 409, field
    assert public_page(client, claim) == before_page
    assert public_json(client, claim.id).get_json() == before_api


def test_api_patch_during_a_correction_waits_for_another_editor(
    call, make_claim, client, make_user
):
    claim = make_claim("published")
    path = f"/api/v1/claims/{claim.id}"
    etag = public_json(client, claim.id).headers["ETag"]
    assert (
        call(
            "POST", path + "/transitions", "admin", json={"action": "correct", "comment": "Fix."}
        ).status_code
        == 200
    )
    resp = call(
        "PATCH",
        path,
        "editor",
        json={
            "version": version_of(claim.id),
            "text": "The city spent 90 million on roads.",
            "speaker": "Somebody Else",
        },
    )
    assert resp.status_code == 202, resp.get_json()
    body = resp.get_json()
    assert body["text"] == "The city spent 40 million on roads in 2024."
    assert body["draft"]["claim_changes"]["text"] == "The city spent 90 million on roads."
    assert body["draft"]["claim_changes"]["speaker"] == "Somebody Else"
    # Nothing public moved: the page, the anonymous API and its ETag.
    page = public_page(client, claim)
    assert "90 million" not in page and "Somebody Else" not in page
    anonymous = public_json(client, claim.id)
    assert "90 million" not in anonymous.get_data(as_text=True)
    assert anonymous.headers["ETag"] == etag
    # The editor who proposed it may not approve it; the admin (who opened it) neither.
    refused = call("POST", path + "/transitions", "editor", json={"action": "approve"})
    assert refused.status_code == 409
    refused = call("POST", path + "/transitions", "admin", json={"action": "approve"})
    assert refused.status_code == 409
    # A third editor publishes it.
    third = make_user("editor")
    reviews.transition(third, db.session.get(Claim, claim.id), Action.APPROVE)
    page = public_page(client, claim)
    assert "90 million" in page and "Somebody Else" in page
    assert public_json(client, claim.id).headers["ETag"] != etag


def test_desk_edit_of_a_published_claim_is_refused_or_kept_for_review(login_as, make_claim, client):
    claim = make_claim("published")
    checker = login_as("fact_checker")
    form = checker.get(f"/desk/claims/{claim.id}/edit").get_data(as_text=True)
    assert "correction" in form
    data = {
        "version": version_of(claim.id),
        "text": "The city spent 90 million on roads.",
        "speaker": "Alma Testperson",
        "stated_on": "2025-01-15",
        "language": "en",
        "internal_notes": "Checked twice.",
    }
    resp = checker.post(f"/desk/claims/{claim.id}/edit", data=data)
    assert resp.status_code == 200
    assert "correction" in resp.get_data(as_text=True)
    assert "90 million" not in public_page(client, claim)
    # Internal notes alone are the desk's business: saved at once.
    data["text"] = claim.text
    resp = checker.post(f"/desk/claims/{claim.id}/edit", data=data)
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Claim, claim.id).internal_notes == "Checked twice."


# --- evidence on a published claim ------------------------------------------------


def test_evidence_added_or_edited_after_publication_waits_for_a_correction(
    call, make_claim, client, login_as
):
    claim = make_claim("published")
    etag = public_json(client, claim.id).headers["ETag"]
    added = call(
        "POST",
        f"/api/v1/claims/{claim.id}/evidence",
        "fact_checker",
        json={"stance": "supports", "url": "https://later.example.org/", "title": "Zqlater"},
    )
    assert added.status_code == 201
    evidence = db.session.scalars(
        sa.select(Evidence).where(Evidence.claim_id == claim.id).order_by(Evidence.id)
    ).first()
    checker = login_as("fact_checker")
    resp = checker.post(
        f"/desk/evidence/{evidence.id}/edit",
        data={
            "version": evidence.version,
            "stance": "supports",
            "url": evidence.url,
            "title": "Zqedited title",
        },
    )
    assert resp.status_code == 302
    for body in (public_page(client, claim), public_json(client, claim.id).get_data(as_text=True)):
        assert "Zqlater" not in body and "Zqedited" not in body
        assert "City budget 2024" in body
    assert public_json(client, claim.id).headers["ETag"] == etag
    # A correction publishes them; the fact-checker who made them is not the approver.
    reviews.transition(
        _user(claim, "editor"), db.session.get(Claim, claim.id), Action.CORRECT, comment="More."
    )
    reviews.transition(_user(claim, "admin"), db.session.get(Claim, claim.id), Action.APPROVE)
    for body in (public_page(client, claim), public_json(client, claim.id).get_data(as_text=True)):
        assert "Zqlater" in body and "Zqedited title" in body


def test_whoever_added_evidence_since_publication_cannot_approve(call, make_claim, client):
    claim = make_claim("published")
    path = f"/api/v1/claims/{claim.id}"
    assert (
        call(
            "POST", path + "/transitions", "admin", json={"action": "correct", "comment": "Add."}
        ).status_code
        == 200
    )
    added = call(
        "POST",
        path + "/evidence",
        "editor",
        json={"stance": "refutes", "citation": "Zqeditorcitation"},
    )
    assert added.status_code == 201
    refused = call("POST", path + "/transitions", "editor", json={"action": "approve"})
    assert refused.status_code == 409
    assert "evidence" in refused.get_json()["error"]["message"]
    assert "Zqeditorcitation" not in public_page(client, claim)


# --- 3. the anonymous API shows what the public page shows -------------------------


def test_anonymous_etag_ignores_internal_edits(call, make_claim, client, users):
    claim = make_claim("published")
    first = public_json(client, claim.id)
    from factcheck.services import claims as claim_service

    fresh = claim_service.get_claim(claim.id)
    claim_service.update_claim(
        users["editor"],
        fresh,
        fresh.version,
        claim_service.ClaimInput(
            text=fresh.text,
            speaker_id=fresh.speaker_id,
            stated_on=fresh.stated_on,
            internal_notes="Zqinternal note.",
        ),
        {},
    )
    reviews.transition(
        users["editor"], db.session.get(Claim, claim.id), Action.CORRECT, comment="x"
    )
    second = public_json(client, claim.id)
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.get_json() == first.get_json()
    listed = client.get("/api/v1/claims").get_json()["items"]
    assert [i["version"] for i in listed if i["id"] == claim.id] == [first.get_json()["version"]]


def _user(claim: Claim, role: str):
    from factcheck.models import User

    return db.session.scalars(sa.select(User).where(User.role == role).order_by(User.id)).first()


def test_refused_approval_writes_nothing(call, make_claim):
    claim = make_claim("published")
    path = f"/api/v1/claims/{claim.id}/transitions"
    call("POST", path, "editor", json={"action": "correct", "comment": "New figures."})
    events = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    version = version_of(claim.id)
    assert call("POST", path, "editor", json={"action": "approve"}).status_code == 409
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == events
    assert version_of(claim.id) == version


# --- speakers and sources named by published fact-checks ----------------------------


def test_renaming_a_published_speaker_waits_for_another_editor(login_as, make_claim, client):
    claim = make_claim("published")
    speaker = claim.speaker
    checker = login_as("fact_checker")
    form = {
        "version": speaker.version,
        "name": "Zqrenamed Person",
        "kind": "person",
        "title": "Minister of Zqtitles",
    }
    resp = checker.post(f"/desk/speakers/{speaker.id}/edit", data=form)
    assert resp.status_code == 302
    page = public_page(client, claim)
    assert "Zqrenamed" not in page and "Zqtitles" not in page and "Alma Testperson" in page
    api = client.get(f"/api/v1/speakers/{speaker.slug}").get_data(as_text=True)
    assert "Zqrenamed" not in api
    # The author cannot approve (nor could a fact-checker); an editor who did not write it can.
    version = db.session.get(type(speaker), speaker.id).version
    assert (
        checker.post(
            f"/desk/speakers/{speaker.id}/approve-change", data={"version": version}
        ).status_code
        == 403
    )
    editor = login_as("editor")
    editor.post(
        f"/desk/speakers/{speaker.id}/edit", data={**form, "version": version, "name": "Zqmine"}
    )
    db.session.expire_all()
    page = editor.get(f"/desk/speakers/{speaker.id}/edit").get_data(as_text=True)
    assert "you proposed this change; another editor must approve it." in page
    version = db.session.get(type(speaker), speaker.id).version
    editor.post(f"/desk/speakers/{speaker.id}/approve-change", data={"version": version})
    assert "Zqmine" not in public_page(client, claim)
    admin = login_as("admin")
    resp = admin.post(f"/desk/speakers/{speaker.id}/approve-change", data={"version": version})
    assert resp.status_code == 302
    page = public_page(client, claim)
    assert "Zqmine" in page and "Minister of Zqtitles" in page


def test_renaming_a_published_source_waits_for_another_editor(login_as, make_claim, client):
    from .public_support import claim_in, make_outlet

    source, article = make_outlet("The Fictional Courier")
    claim = claim_in(make_claim, source_id=source.id, article_id=article.id)
    editor = login_as("editor")
    resp = editor.post(
        f"/desk/sources/{source.id}/edit",
        data={"version": source.version, "name": "Zqcourier", "kind": "newspaper"},
    )
    assert resp.status_code == 302
    assert "Zqcourier" not in public_page(client, claim)
    db.session.expire_all()
    version = db.session.get(type(source), source.id).version
    editor.post(f"/desk/sources/{source.id}/approve-change", data={"version": version})
    assert "Zqcourier" not in public_page(client, claim)
    login_as("admin").post(f"/desk/sources/{source.id}/approve-change", data={"version": version})
    assert "Zqcourier" in public_page(client, claim)


def test_an_unpublished_speaker_is_edited_at_once(login_as, make_claim):
    claim = make_claim("researching")
    speaker = claim.speaker
    resp = login_as("fact_checker").post(
        f"/desk/speakers/{speaker.id}/edit",
        data={"version": speaker.version, "name": "Alma Renamed", "kind": "person"},
    )
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(speaker), speaker.id).name == "Alma Renamed"


# --- the permission table: each role, anonymous included ---------------------------

# role -> (PATCH of a published claim's text, approve of a correction the editor opened)
TABLE = {
    None: (401, 401),
    "fact_checker": (409, 403),
    "editor": (409, 409),  # he opened the correction: four eyes
    "admin": (409, 200),
}


@pytest.mark.parametrize("role", list(TABLE))
def test_published_claim_writes_answer_each_role_as_the_table_says(role, call, make_claim, client):
    claim = make_claim("published")
    path = f"/api/v1/claims/{claim.id}"
    before = public_json(client, claim.id)
    patch = call(
        "PATCH", path, role, json={"version": version_of(claim.id), "text": "Zqtable text here."}
    )
    assert patch.status_code == TABLE[role][0], patch.get_data(as_text=True)
    call("POST", path + "/transitions", "editor", json={"action": "correct", "comment": "Fix."})
    approve = call("POST", path + "/transitions", role, json={"action": "approve"})
    assert approve.status_code == TABLE[role][1], approve.get_data(as_text=True)
    after = public_json(client, claim.id)
    assert "Zqtable" not in after.get_data(as_text=True)
    if TABLE[role][1] != 200:
        assert after.headers["ETag"] == before.headers["ETag"]


@pytest.mark.parametrize(
    "role, expected",
    [
        (None, {}),
        ("fact_checker", {}),
        ("editor", {"approve": False, "send_back": True, "dismiss": False}),
        ("admin", {"approve": True, "send_back": True, "dismiss": False}),
    ],
)
def test_available_actions_during_a_correction_each_role(role, expected, make_claim, users):
    from flask_login import AnonymousUserMixin

    claim = make_claim("published")
    reviews.transition(users["editor"], claim, Action.CORRECT, comment="Fix.")
    user = users[role] if role else AnonymousUserMixin()
    found = {c.action.value: c for c in reviews.available_actions(user, claim)}
    assert {a: c.allowed for a, c in found.items()} == expected
    for choice in found.values():
        assert choice.allowed or choice.reason  # a closed action always says why


def test_staff_api_lists_actions_with_reasons(call, make_claim, users):
    claim = make_claim("published")
    reviews.transition(users["editor"], claim, Action.CORRECT, comment="Fix.")
    body = call("GET", f"/api/v1/claims/{claim.id}", "editor").get_json()
    approve = next(a for a in body["actions"] if a["action"] == "approve")
    assert approve["allowed"] is False and "opened this correction" in approve["reason"]
    assert "actions" not in call("GET", f"/api/v1/claims/{claim.id}").get_json()
