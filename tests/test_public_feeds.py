"""Structured data and feeds: ClaimReview JSON-LD, OpenGraph, Atom, sitemap, DataFeed."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import extruct
import pytest

from factcheck.extensions import db
from factcheck.models import Speaker, SpeakerKind
from factcheck.services.claimreview import claimreview_feed, published_claims_query
from factcheck.services.settings import ensure_settings

from .public_support import (
    approve,
    claim_in,
    claim_url,
    make_outlet,
    open_correction,
)

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def organization(app):
    settings = ensure_settings()
    settings.site_name = "Exampleton Checks"
    settings.organization_name = "Exampleton Fact Desk"
    settings.organization_url = "https://factdesk.example.org/"
    db.session.commit()
    return settings


def structured_data(html: str) -> dict:
    return extruct.extract(
        html, base_url="http://localhost/", syntaxes=["json-ld", "opengraph"], uniform=True
    )


def test_claim_page_embeds_a_complete_claimreview(client, make_claim, organization):
    courier, article = make_outlet("The Fictional Courier", kind="newspaper")
    claim = claim_in(
        make_claim,
        text="The city spent 40 million on roads in 2024.",
        speaker="Alma Testperson",
        speaker_title="Mayor of Exampleton",
        rating="mostly-false",
        summary="The city spent 12 million, not 40.",
        source_id=courier.id,
        article_id=article.id,
    )

    html = client.get(claim_url(claim)).get_data(as_text=True)
    [review] = structured_data(html)["json-ld"]

    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == f"http://localhost{claim_url(claim)}"
    assert review["claimReviewed"] == "The city spent 40 million on roads in 2024."
    assert review["datePublished"] == claim.published_at.replace(microsecond=0).isoformat()
    assert "dateModified" not in review
    assert review["author"] == {
        "@type": "Organization",
        "name": "Exampleton Fact Desk",
        "url": "https://factdesk.example.org/",
    }
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 2,
        "bestRating": 6,
        "worstRating": 1,
        "alternateName": "Mostly false",
        "ratingExplanation": "The city spent 12 million, not 40.",
    }
    original = {
        "@type": "NewsArticle",
        "url": "https://courier.example.org/roads",
        "headline": "Council debates the road budget",
        "publisher": {
            "@type": "Organization",
            "name": "The Fictional Courier",
            "url": "https://courier.example.org/",
        },
    }
    assert review["itemReviewed"] == {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "Alma Testperson", "jobTitle": "Mayor of Exampleton"},
        "inLanguage": "en",
        "datePublished": "2025-01-15",
        "appearance": original,
        "firstAppearance": original,
    }


def test_non_ordinal_rating_has_no_numbers(client, make_claim, organization):
    claim = make_claim("published", rating="unproven", summary="No record either way.")
    speaker = db.session.get(Speaker, claim.speaker_id)
    speaker.kind = SpeakerKind.ORGANIZATION
    speaker.title = "Not a person's job"
    db.session.commit()

    [review] = structured_data(client.get(claim_url(claim)).get_data(as_text=True))["json-ld"]

    assert review["@type"] == "ClaimReview"
    assert review["url"] == f"http://localhost{claim_url(claim)}"
    assert review["claimReviewed"] == claim.text
    assert review["datePublished"] == claim.published_at.replace(microsecond=0).isoformat()
    assert review["author"]["name"] == "Exampleton Fact Desk"
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Unproven",
        "ratingExplanation": "No record either way.",
    }
    # An organization has no job title; a claim with no article has no appearance.
    assert review["itemReviewed"] == {
        "@type": "Claim",
        "author": {"@type": "Organization", "name": "Alma Testperson"},
        "inLanguage": "en",
        "datePublished": "2025-01-15",
    }


def test_claimreview_reports_the_correction_date(client, make_claim, users, organization):
    claim = make_claim("published")
    open_correction(users, claim, "New figures.", summary="The city spent 13 million, not 40.")
    [before] = structured_data(client.get(claim_url(claim)).get_data(as_text=True))["json-ld"]
    assert "dateModified" not in before
    assert before["reviewRating"]["ratingExplanation"] == "The city spent 12 million, not 40."

    approve(users, claim)
    db.session.refresh(claim)
    [after] = structured_data(client.get(claim_url(claim)).get_data(as_text=True))["json-ld"]
    assert after["datePublished"] == before["datePublished"]
    assert (
        after["dateModified"]
        == claim.published_verdict.published_at.replace(microsecond=0).isoformat()
    )
    assert claim.published_verdict.published_at > claim.published_at
    assert after["reviewRating"]["ratingExplanation"] == "The city spent 13 million, not 40."


def test_user_text_cannot_break_out_of_the_json_ld_script(client, make_claim):
    hostile = 'Roads </script><script>alert("x")</script> & <!-- cost \u2028 40 million.'
    claim = make_claim("published", text=hostile, summary="It </SCRIPT> says <b>nothing</b>.")
    html = client.get(claim_url(claim)).get_data(as_text=True)

    assert html.count("</script>") == 1
    assert "<script>alert" not in html
    [review] = structured_data(html)["json-ld"]
    assert review["claimReviewed"] == " ".join(hostile.split())
    assert review["reviewRating"]["ratingExplanation"] == "It </SCRIPT> says <b>nothing</b>."


def test_claim_page_has_opengraph_and_twitter_tags(client, make_claim, organization):
    claim = make_claim("published", text="The city spent 40 million on roads in 2024.")
    html = client.get(claim_url(claim)).get_data(as_text=True)
    [og] = structured_data(html)["opengraph"]

    assert og["@type"] == "article"
    assert og["og:title"] == "Alma Testperson: “The city spent 40 million on roads in 2024.”"
    assert og["og:description"] == "False: The city spent 12 million, not 40."
    assert og["og:url"] == f"http://localhost{claim_url(claim)}"
    assert og["og:site_name"] == "Exampleton Checks"
    assert '<meta name="twitter:card" content="summary">' in html
    assert '<meta name="twitter:title" content="Alma Testperson: “The city spent 40 million' in html
    assert (
        '<meta name="twitter:description" content="False: The city spent 12 million, not 40.">'
        in html
    )
    assert f'<link rel="canonical" href="http://localhost{claim_url(claim)}">' in html


def test_atom_feed_is_valid_escaped_and_public_only(client, make_claim, users, organization):
    tricky = make_claim(
        "published",
        text='Spending rose by <50% & "a lot" in 2024.',
        summary="Spending rose by 5%\x01 & no more.",
    )
    plain = make_claim("published", text="The tram line opened in 2023.", rating="unproven")
    open_correction(users, plain, "Fixing a date.", summary="Unapproved correction wording.")
    make_claim("in_review", text="The library lends a million books weekly.")

    resp = client.get("/feed.atom")
    assert resp.mimetype == "application/atom+xml"
    body = resp.get_data(as_text=True)
    feed = ET.fromstring(resp.data)  # noqa: S314  (our own output)

    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "Exampleton Checks: latest fact-checks"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://localhost/feed.atom"
    assert feed.findtext(f"{ATOM}updated")
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        f"http://localhost/claims/{plain.id}",
        f"http://localhost/claims/{tricky.id}",
    ]
    first = entries[1]
    assert (
        first.findtext(f"{ATOM}title")
        == 'Alma Testperson: “Spending rose by <50% & "a lot" in 2024.” (False)'
    )
    assert first.find(f"{ATOM}link").get("href") == f"http://localhost{claim_url(tricky)}"
    assert first.findtext(f"{ATOM}summary") == "False. Spending rose by 5% & no more."
    assert "<strong>budget</strong>" in first.findtext(f"{ATOM}content")
    assert first.find(f"{ATOM}category").get("term") == "false"
    assert entries[0].findtext(f"{ATOM}summary") == "Unproven. The city spent 12 million, not 40."
    assert "library lends" not in body and "Unapproved correction" not in body


def test_atom_feed_holds_the_latest_fifty(client, make_claim, monkeypatch):
    from factcheck.public import routes

    monkeypatch.setattr(routes, "FEED_CLAIMS", 2)
    claims = [
        make_claim("published", text=f"The council met {n} times this year.") for n in range(3)
    ]
    feed = ET.fromstring(client.get("/feed.atom").data)  # noqa: S314
    ids = [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]
    assert ids == [f"http://localhost/claims/{c.id}" for c in reversed(claims[1:])]


def test_empty_feed_is_still_valid_atom(client):
    feed = ET.fromstring(client.get("/feed.atom").data)  # noqa: S314
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.findtext(f"{ATOM}updated") == "1970-01-01T00:00:00+00:00"


def test_sitemap_lists_public_pages_only(client, make_claim):
    courier, article = make_outlet("The Fictional Courier")
    hidden, hidden_article = make_outlet("The Unseen Gazette", url=None)
    claim = claim_in(make_claim, source_id=courier.id, article_id=article.id)
    claim_in(
        make_claim,
        "in_review",
        speaker="Dora Hiddenname",
        source_id=hidden.id,
        article_id=hidden_article.id,
    )

    resp = client.get("/sitemap.xml")
    assert resp.mimetype == "application/xml"
    urlset = ET.fromstring(resp.data)  # noqa: S314
    locs = [u.findtext(f"{SITEMAP}loc") for u in urlset.findall(f"{SITEMAP}url")]
    english = [
        "/",
        "/claims",
        claim_url(claim),
        "/speakers/alma-testperson",
        f"/sources/{courier.slug}",
    ]
    # Every page in English, then in Ukrainian under /uk/, each naming the other.
    assert locs == [f"http://localhost{prefix}{path}" for path in english for prefix in ("", "/uk")]
    for url in urlset.findall(f"{SITEMAP}url"):
        links = url.findall("{http://www.w3.org/1999/xhtml}link")
        assert {(link.get("hreflang"), link.get("rel")) for link in links} == {
            ("en", "alternate"),
            ("uk", "alternate"),
        }
    lastmod = urlset.findall(f"{SITEMAP}url")[4].findtext(f"{SITEMAP}lastmod")
    assert lastmod.startswith(claim.updated_at.date().isoformat())


def test_claimreview_datafeed_holds_every_published_review(client, make_claim, users, organization):
    first = make_claim("published", text="The harbour handled nine million tonnes.")
    second = make_claim(
        "published", text="The tram network grew by forty kilometres.", rating="unproven"
    )
    open_correction(users, second, "Newer numbers.", summary="Unapproved correction wording.")
    make_claim("in_review", text="The library lends a million books weekly.")

    resp = client.get("/claimreview.json")
    assert resp.mimetype == "application/json"
    feed = resp.get_json()
    assert feed["@context"] == "https://schema.org"
    assert feed["@type"] == "DataFeed"
    assert feed["url"] == "http://localhost/claimreview.json"
    elements = feed["dataFeedElement"]
    assert [e["@type"] for e in elements] == ["DataFeedItem", "DataFeedItem"]
    reviews = [e["item"][0] for e in elements]
    assert [r["url"] for r in reviews] == [
        f"http://localhost{claim_url(second)}",
        f"http://localhost{claim_url(first)}",
    ]
    assert all(r["@type"] == "ClaimReview" for r in reviews)
    assert elements[0]["dateCreated"] == reviews[0]["datePublished"]
    assert "ratingValue" not in reviews[0]["reviewRating"]
    assert reviews[1]["reviewRating"]["ratingValue"] == 1
    assert "library lends" not in resp.get_data(as_text=True)
    assert "Unapproved correction" not in resp.get_data(as_text=True)


def test_the_feed_builder_matches_the_page_builder(client, make_claim):
    """Export (CLI, API) and pages share one builder: same review for the same claim."""
    claim = make_claim("published")
    [on_page] = structured_data(client.get(claim_url(claim)).get_data(as_text=True))["json-ld"]
    claims = db.session.scalars(published_claims_query()).all()
    exported = claimreview_feed(claims, "http://localhost/")
    assert exported["dataFeedElement"][0]["item"][0] == json.loads(json.dumps(on_page))
