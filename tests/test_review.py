"""The verdict editor, the review page and the whole journey with two accounts."""

from __future__ import annotations

import re

import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.models import AuditEvent, Claim, Notification, Verdict


def _post_transition(client, claim_id: int, **data):
    version = db.session.scalar(sa.select(Claim.version).where(Claim.id == claim_id))
    return client.post(f"/desk/claims/{claim_id}/transition", data={"version": version, **data})


def _save_verdict(client, claim_id: int, **data):
    page = client.get(f"/desk/claims/{claim_id}/verdict").get_data(as_text=True)
    base = re.search(r'name="base_revision" type="hidden" value="(\d+)"', page).group(1)
    return client.post(f"/desk/claims/{claim_id}/verdict", data={"base_revision": base, **data})


def test_sample_claim_journey_with_two_accounts(login_as, users, ratings):
    checker, editor = login_as("fact_checker"), login_as("editor")
    resp = checker.post(
        "/desk/claims/new",
        data={
            "text": "European allies must spend 5% of GDP on defence.",
            "speaker": "Pete Hegseth",
            "speaker_title": "Pentagon Chief",
            "context": "Brussels, before a NATO defence ministers' meeting",
            "stated_on": "2025-02-13",
            "source": "Interfax-Ukraine",
            "language": "en",
        },
    )
    claim_id = int(resp.headers["Location"].rsplit("/", 1)[1])
    assert _post_transition(checker, claim_id, action="start").status_code == 302
    checker.post(
        f"/desk/claims/{claim_id}/evidence/new",
        data={
            "stance": "context",
            "url": "https://www.nato.int/defence-expenditures",
            "title": "Defence expenditure of NATO countries",
        },
    )
    assert (
        _save_verdict(
            checker,
            claim_id,
            rating="half-true",
            summary="5% was demanded, but no ally spends that much yet.",
            explanation="First draft.",
        ).status_code
        == 302
    )
    assert _post_transition(checker, claim_id, action="submit").status_code == 302
    review = editor.get(f"/desk/claims/{claim_id}/review").get_data(as_text=True)
    assert "First draft." in review and "Defence expenditure of NATO countries" in review
    assert (
        _post_transition(
            editor, claim_id, action="send_back", comment="Add the current spending figures."
        ).status_code
        == 302
    )
    assert db.session.scalar(sa.select(Claim.status).where(Claim.id == claim_id)) == "researching"
    notes = db.session.scalars(
        sa.select(Notification.message).where(Notification.user_id == users["fact_checker"].id)
    ).all()
    assert any("sent back" in n for n in notes)
    assert (
        _save_verdict(
            checker,
            claim_id,
            rating="misleading",
            summary="The demand exists; the implied norm does not.",
            explanation="Second draft with figures.",
        ).status_code
        == 302
    )
    assert _post_transition(checker, claim_id, action="submit").status_code == 302
    review = editor.get(f"/desk/claims/{claim_id}/review").get_data(as_text=True)
    assert "<ins>" in review and "<del>" in review  # the diff against the version sent back
    assert _post_transition(editor, claim_id, action="approve").status_code == 302
    claim = db.session.get(Claim, claim_id)
    assert claim.status == "published" and claim.is_public
    first_published = claim.published_verdict_id
    assert (
        _post_transition(
            editor, claim_id, action="correct", comment="Spending figures updated for 2025."
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(Claim, claim_id).published_verdict_id == first_published  # still public
    # The editor opened the correction; the fact-checker revises it after a send-back.
    assert (
        _post_transition(
            editor, claim_id, action="send_back", comment="Please update the figures."
        ).status_code
        == 302
    )
    assert (
        _save_verdict(
            checker,
            claim_id,
            rating="misleading",
            summary="The demand exists; the implied norm does not.",
            explanation="Updated with 2025 figures.",
        ).status_code
        == 302
    )
    assert _post_transition(checker, claim_id, action="submit").status_code == 302
    # The editor opened the correction, so another editor approves it (four eyes).
    assert _post_transition(editor, claim_id, action="approve").status_code == 302
    db.session.expire_all()
    assert db.session.get(Claim, claim_id).status == "in_review"
    assert _post_transition(login_as("admin"), claim_id, action="approve").status_code == 302
    db.session.expire_all()
    claim = db.session.get(Claim, claim_id)
    assert claim.status == "published" and claim.published_verdict_id != first_published
    assert claim.published_verdict.correction_note == "Spending figures updated for 2025."
    steps = [
        e.action
        for e in db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.claim_id == claim_id, AuditEvent.action.like("claim.%"))
            .order_by(AuditEvent.id)
        )
    ]
    assert steps == [
        "claim.create",
        "claim.start",
        "claim.submit",
        "claim.send_back",
        "claim.submit",
        "claim.approve",
        "claim.correct",
        "claim.send_back",
        "claim.submit",
        "claim.approve",
    ]
    timeline = checker.get(f"/desk/claims/{claim_id}").get_data(as_text=True)
    for step in steps:
        assert step in timeline
    assert "Researching → In review" in timeline and "In review → Published" in timeline
    assert "Published → In review" in timeline  # the correction


def test_verdict_editor_keeps_every_version_and_refuses_stale_saves(login_as, make_claim, ratings):
    claim = make_claim("researching")
    a, b = login_as("fact_checker"), login_as("editor")
    page = a.get(f"/desk/claims/{claim.id}/verdict").get_data(as_text=True)
    assert 'name="base_revision" type="hidden" value="0"' in page
    assert (
        a.post(
            f"/desk/claims/{claim.id}/verdict",
            data={
                "base_revision": 0,
                "rating": "false",
                "summary": "A's summary",
                "explanation": "A",
            },
        ).status_code
        == 302
    )
    stale = b.post(
        f"/desk/claims/{claim.id}/verdict",
        data={"base_revision": 0, "rating": "true", "summary": "B's summary", "explanation": "B"},
    )
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "A&#39;s summary" in html and "B&#39;s summary" in html
    assert (
        a.post(
            f"/desk/claims/{claim.id}/verdict",
            data={"base_revision": 1, "rating": "false", "summary": "A again", "explanation": "A2"},
        ).status_code
        == 302
    )
    versions = db.session.scalars(
        sa.select(Verdict).where(Verdict.claim_id == claim.id).order_by(Verdict.revision)
    ).all()
    assert [v.summary for v in versions] == ["A's summary", "A again"]


def test_summary_longer_than_280_is_refused_on_the_field(login_as, make_claim, ratings):
    claim = make_claim("researching")
    resp = login_as("fact_checker").post(
        f"/desk/claims/{claim.id}/verdict",
        data={"base_revision": 0, "rating": "false", "summary": "x" * 281, "explanation": ""},
    )
    assert resp.status_code == 200 and b"280 characters" in resp.data
    assert db.session.scalar(sa.select(sa.func.count(Verdict.id))) == 0


def test_markdown_preview_is_rendered_and_sanitized(login_as, make_claim, ratings):
    claim = make_claim("researching")
    resp = login_as("fact_checker").post(
        f"/desk/claims/{claim.id}/verdict",
        data={
            "base_revision": 0,
            "summary": "s",
            "explanation": "**Bold** <script>alert(1)</script> [x](javascript:alert(1))",
            "preview": "1",
        },
    )
    html = resp.get_data(as_text=True)
    preview = html[html.index('id="preview-h"') :]
    assert "<strong>Bold</strong>" in preview
    assert "<script>alert(1)</script>" not in html  # not live anywhere (the textarea escapes it)
    assert "javascript:alert" not in preview
    assert db.session.scalar(sa.select(sa.func.count(Verdict.id))) == 0  # a preview saves nothing


def test_submit_without_evidence_shows_why(login_as, make_claim, ratings):
    claim = make_claim("researching")
    client = login_as("fact_checker")
    client.post(
        f"/desk/claims/{claim.id}/verdict",
        data={"base_revision": 0, "rating": "false", "summary": "No.", "explanation": ""},
    )
    resp = _post_transition(client, claim.id, action="submit")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "at least one piece of evidence" in page
    assert db.session.scalar(sa.select(Claim.status).where(Claim.id == claim.id)) == "researching"


def test_fact_checker_cannot_approve_over_http(login_as, make_claim):
    claim = make_claim("in_review")
    resp = _post_transition(login_as("fact_checker"), claim.id, action="approve")
    assert resp.status_code == 403
    assert db.session.scalar(sa.select(Claim.status).where(Claim.id == claim.id)) == "in_review"


def test_editors_see_the_review_count_and_authors_a_publication_notice(login_as, make_claim, users):
    claim = make_claim("in_review")
    editor = login_as("editor")
    assert 'title="Claims waiting for review">1<' in editor.get("/desk/").get_data(as_text=True)
    _post_transition(editor, claim.id, action="approve")
    notes = db.session.scalars(
        sa.select(Notification.message).where(Notification.user_id == users["fact_checker"].id)
    ).all()
    assert any("is published" in n for n in notes)
