"""schema.org ClaimReview for published fact-checks: one builder for pages, feeds and exports.

Only a claim's *published* verdict is ever described; a draft or a correction in
progress never reaches these documents. A rating without an ordinal (such as
"Unproven") carries no numbers, as schema.org asks.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from markupsafe import Markup
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Appearance, Article, Claim, Rating, SourceKind, SpeakerKind, Verdict
from .settings import DEFAULTS, get_settings

SCHEMA = "https://schema.org"
# Outlets whose articles are news articles; anything else is a plain CreativeWork.
NEWS_KINDS = {
    SourceKind.NEWS_AGENCY,
    SourceKind.NEWSPAPER,
    SourceKind.BROADCASTER,
    SourceKind.ONLINE,
}


@dataclass(frozen=True)
class RatingScale:
    """The ends of the ordinal scale: ClaimReview's bestRating and worstRating."""

    best: int | None
    worst: int | None


def rating_scale() -> RatingScale:
    best, worst = db.session.execute(
        select(func.max(Rating.ordinal), func.min(Rating.ordinal))
    ).one()
    return RatingScale(best=best, worst=worst)


def published_claims_query() -> Select[Claim]:
    """Public claims, newest first, with everything a ClaimReview reads loaded."""
    return (
        select(Claim)
        .where(Claim.published_verdict_id.is_not(None))
        .options(
            joinedload(Claim.speaker),
            joinedload(Claim.source),
            joinedload(Claim.article).joinedload(Article.source),
            joinedload(Claim.published_verdict).joinedload(Verdict.rating),
        )
        .order_by(Claim.published_at.desc(), Claim.id.desc())
    )


def claim_path(claim: Claim) -> str:
    """The canonical path of a claim page, relative to the site root."""
    return f"claims/{claim.id}-{claim.slug}"


def claim_url(claim: Claim, base_url: str) -> str:
    return _root(base_url) + claim_path(claim)


def iso_datetime(value: datetime) -> str:
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def last_modified(claim: Claim) -> datetime | None:
    """When the published verdict was replaced by a correction, else None."""
    verdict = claim.published_verdict
    if verdict is None or verdict.published_at is None or claim.published_at is None:
        return None
    return verdict.published_at if verdict.published_at > claim.published_at else None


def claimreview_for(
    claim: Claim,
    *,
    base_url: str,
    scale: RatingScale | None = None,
    repeats: list[Appearance] | None = None,
) -> dict[str, Any]:
    """The ClaimReview of one public claim (``scale`` and ``repeats`` save queries for many)."""
    verdict = claim.published_verdict
    if verdict is None or verdict.rating is None or claim.published_at is None:
        raise ValueError(f"claim {claim.id} has no published verdict")
    settings = get_settings()
    review: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "ClaimReview",
        "url": claim_url(claim, base_url),
        "claimReviewed": claim.text,
        "datePublished": iso_datetime(claim.published_at),
        "author": {
            "@type": "Organization",
            "name": settings.organization_name,
            "url": organization_url(settings.organization_url, base_url),
        },
        "reviewRating": _rating(verdict, scale or rating_scale()),
        "itemReviewed": _item_reviewed(
            claim, repeats if repeats is not None else confirmed_appearances([claim.id])[claim.id]
        ),
    }
    modified = last_modified(claim)
    if modified is not None:
        review["dateModified"] = iso_datetime(modified)
    return review


def claimreview_feed(claims: Iterable[Claim], base_url: str) -> dict[str, Any]:
    """A schema.org DataFeed of ClaimReviews, in the shape fact-check aggregators read."""
    scale = rating_scale()
    settings = get_settings()
    elements = []
    claims = list(claims)
    repeats = confirmed_appearances([c.id for c in claims])
    for claim in claims:
        review = claimreview_for(claim, base_url=base_url, scale=scale, repeats=repeats[claim.id])
        element = {
            "@type": "DataFeedItem",
            "dateCreated": review["datePublished"],
            "item": [review],
        }
        if "dateModified" in review:
            element["dateModified"] = review["dateModified"]
        elements.append(element)
    return {
        "@context": SCHEMA,
        "@type": "DataFeed",
        "name": f"{settings.site_name}: ClaimReview feed",
        "url": _root(base_url) + "claimreview.json",
        "dataFeedElement": elements,
    }


def script_json(data: dict[str, Any]) -> Markup:
    """JSON safe inside a <script> element: no user text can close it or open a comment."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    for char, escaped in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return Markup(text)  # noqa: S704  (every character that matters in HTML is escaped above)


def organization_url(configured: str, base_url: str) -> str:
    """The organisation's address: the one the admins set, else the site's own (never a Host)."""
    if configured and configured != DEFAULTS["organization_url"]:
        return configured
    return _root(base_url)


def _root(base_url: str) -> str:
    return base_url if base_url.endswith("/") else base_url + "/"


def _rating(verdict: Verdict, scale: RatingScale) -> dict[str, Any]:
    rating = verdict.rating
    assert rating is not None
    value: dict[str, Any] = {"@type": "Rating"}
    if rating.ordinal is not None and scale.best is not None and scale.worst is not None:
        value.update(ratingValue=rating.ordinal, bestRating=scale.best, worstRating=scale.worst)
    value.update(alternateName=rating.name, ratingExplanation=verdict.summary)
    return value


def confirmed_appearances(claim_ids: list[int]) -> dict[int, list[Appearance]]:
    """The public (confirmed) appearances of each claim, earliest first."""
    found: dict[int, list[Appearance]] = {claim_id: [] for claim_id in claim_ids}
    for start in range(0, len(claim_ids), 500):
        rows = db.session.scalars(
            select(Appearance)
            .where(
                Appearance.claim_id.in_(claim_ids[start : start + 500]),
                Appearance.status == "confirmed",
            )
            .order_by(Appearance.said_on, Appearance.id)
        )
        for row in rows:
            found[row.claim_id].append(row)
    return found


def _item_reviewed(claim: Claim, repeats: list[Appearance]) -> dict[str, Any]:
    speaker = claim.speaker
    author: dict[str, Any]
    if speaker.kind == SpeakerKind.ORGANIZATION:
        author = {"@type": "Organization", "name": speaker.name}
    else:
        author = {"@type": "Person", "name": speaker.name}
        if speaker.title:
            author["jobTitle"] = speaker.title
    # The claim keeps its own language (the review around it is the site's).
    item: dict[str, Any] = {"@type": "Claim", "author": author, "inLanguage": claim.language}
    if claim.stated_on is not None:
        item["datePublished"] = claim.stated_on.isoformat()
    # Where the claim was made: the article it was checked from, then every confirmed
    # repeat; the earliest of them all is its first appearance.
    dated: list[tuple[str, dict[str, Any]]] = []
    original = _appearance(claim)
    if original is not None:
        when = claim.article.published_at if claim.article else None
        first_date = when.date() if when is not None else claim.stated_on
        dated.append((first_date.isoformat() if first_date else "9999", original))
    dated.extend((a.said_on.isoformat(), _repeat(a)) for a in repeats)
    if len(dated) == 1:
        item["appearance"] = dated[0][1]
    elif dated:
        item["appearance"] = [work for _when, work in dated]
    if dated:
        item["firstAppearance"] = min(dated, key=lambda pair: pair[0])[1]
    return item


def _repeat(appearance: Appearance) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if appearance.url:
        work["url"] = appearance.url
    work["headline"] = appearance.title
    work["datePublished"] = appearance.said_on.isoformat()
    work["author"] = {"@type": "Person", "name": appearance.speaker_name}
    if appearance.text:
        work["text"] = appearance.text
    return work


def _appearance(claim: Claim) -> dict[str, Any] | None:
    article = claim.article
    source = (article.source if article is not None else None) or claim.source
    if article is None and source is None:
        return None
    kind = "NewsArticle" if source is not None and source.kind in NEWS_KINDS else "CreativeWork"
    work: dict[str, Any] = {"@type": kind}
    if article is not None:
        if article.url:
            work["url"] = article.url
        work["headline"] = article.title
        if article.published_at is not None:
            work["datePublished"] = article.published_at.replace(microsecond=0).isoformat()
    if source is not None:
        work["publisher"] = {"@type": "Organization", "name": source.name}
        if source.homepage_url:
            work["publisher"]["url"] = source.homepage_url
    return work
