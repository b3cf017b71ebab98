"""The published explanation is rendered once, at publication, and read as stored."""

from __future__ import annotations

import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.models import Claim, Verdict
from factcheck.services import reviews, verdicts
from factcheck.workflow import Action


def _published_verdict(claim: Claim) -> Verdict:
    claim = db.session.get(Claim, claim.id)
    assert claim is not None and claim.published_verdict is not None
    return claim.published_verdict


def test_publication_stores_the_sanitised_html_and_drafts_have_none(make_claim):
    claim = make_claim("published")
    verdict = _published_verdict(claim)
    assert verdict.explanation_html == "<p>The <strong>budget</strong> shows 12 million.</p>"
    in_review = make_claim("in_review", text="The port handled 9 million containers in 2023.")
    pending = db.session.scalars(sa.select(Verdict).where(Verdict.claim_id == in_review.id)).one()
    assert pending.explanation_html is None


def test_the_page_the_api_and_the_feed_read_the_stored_html(client, make_claim):
    claim = make_claim("published")
    # Stand-in for what publication stored: readers must not render the Markdown again.
    db.session.execute(
        sa.update(Verdict)
        .where(Verdict.id == claim.published_verdict_id)
        .values(explanation_html="<p>Stored at <em>publication</em>.</p>")
    )
    db.session.commit()
    page = client.get(f"/claims/{claim.id}", follow_redirects=True).get_data(as_text=True)
    assert "Stored at <em>publication</em>." in page and "<strong>budget</strong>" not in page
    api = client.get(f"/api/v1/claims/{claim.id}").get_json()
    assert api["verdict"]["explanation_html"] == "<p>Stored at <em>publication</em>.</p>"
    feed = client.get("/feed.atom").get_data(as_text=True)
    assert "Stored at &lt;em&gt;publication&lt;/em&gt;." in feed


def test_a_revision_published_before_the_column_existed_is_rendered_on_the_fly(client, make_claim):
    claim = make_claim("published")
    db.session.execute(
        sa.update(Verdict)
        .where(Verdict.id == claim.published_verdict_id)
        .values(explanation_html=None)
    )
    db.session.commit()
    page = client.get(f"/claims/{claim.id}", follow_redirects=True).get_data(as_text=True)
    assert "The <strong>budget</strong> shows 12 million." in page


def test_raw_html_in_an_explanation_is_sanitised_before_it_is_stored(make_claim, users):
    claim = make_claim("in_review")
    checker, editor = users["fact_checker"], users["editor"]
    reviews.transition(editor, claim, Action.SEND_BACK, comment="Say where the figure is.")
    claim = db.session.get(Claim, claim.id)
    verdicts.save_draft(
        checker,
        claim,
        1,
        verdicts.DraftInput(
            rating="false",
            summary="The city spent 12 million, not 40.",
            explanation='Table 4 of the budget.<script>alert(1)</script> <a href="javascript:x()">x</a>',
        ),
    )
    reviews.transition(checker, claim, Action.SUBMIT)
    reviews.transition(editor, claim, Action.APPROVE)
    stored = _published_verdict(claim).explanation_html or ""
    assert "Table 4 of the budget." in stored
    assert "<script" not in stored and "javascript:" not in stored
