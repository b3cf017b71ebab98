"""The published rating kept on the claim: set by publication, read by breakdowns and filters."""

from __future__ import annotations

from factcheck.extensions import db
from factcheck.models import Claim
from factcheck.services import reviews
from factcheck.workflow import Action


def test_publication_keeps_the_rating_on_the_claim_and_unpublished_claims_have_none(
    make_claim, ratings
):
    published = make_claim("published", rating="false")
    in_review = make_claim("in_review", text="The bridge opened in 1901 and cost 2 million.")
    assert published.published_rating_id == ratings["false"].id
    assert in_review.published_rating_id is None


def test_a_correction_keeps_the_published_rating_until_it_is_approved(make_claim, users, ratings):
    claim = make_claim("published", rating="false")
    reviews.transition(users["editor"], claim, Action.CORRECT, comment="Figures revised.")
    claim = db.session.get(Claim, claim.id)
    assert claim.status == "in_review" and claim.published_rating_id == ratings["false"].id


def test_breakdowns_and_the_rating_filter_count_from_the_claims(client, make_claim, ratings):
    make_claim("published", rating="false", speaker="Ada Breakdown")
    make_claim("published", rating="false", speaker="Ada Breakdown",
               text="The port handled 9 million containers in 2023.")  # fmt: skip
    make_claim("published", rating="true", speaker="Ada Breakdown",
               text="The ferry carried 40,000 cars in 2024.")  # fmt: skip
    make_claim("in_review", speaker="Ada Breakdown", text="The tram cost 90 million euros.")
    speaker = client.get("/api/v1/speakers/ada-breakdown").get_json()
    counts = {item["slug"]: item["count"] for item in speaker["ratings"]}
    assert counts == {"false": 2, "true": 1}
    listed = client.get("/api/v1/claims?rating=true").get_json()
    assert [c["text"] for c in listed["items"]] == ["The ferry carried 40,000 cars in 2024."]
    page = client.get("/claims?rating=false").get_data(as_text=True)
    assert "9 million containers" in page and "40,000 cars" not in page
