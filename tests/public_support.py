"""Builders shared by the public-site tests: outlets, claims in any state, corrections.

Everything goes through the real services. Every outlet, person and statement
here is fictional.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from factcheck.extensions import db
from factcheck.models import Article, Claim, Source, User
from factcheck.services import catalog, reviews, verdicts
from factcheck.services import claims as claim_service
from factcheck.workflow import Action


def claim_in(make_claim: Callable[..., Claim], status: str = "published", **fields: Any) -> Claim:
    """``make_claim`` with tags or an outlet.

    ``log_claim`` assigns the speaker before the claim is in the session, so a
    lookup that autoflushes (tags, sources) warns; holding the autoflush avoids it.
    """
    with db.session.no_autoflush:
        return make_claim(status, **fields)


def make_outlet(
    name: str = "The Fictional Courier",
    *,
    kind: str = "newspaper",
    title: str = "Council debates the road budget",
    url: str | None = "https://courier.example.org/roads",
    homepage_url: str | None = "https://courier.example.org/",
) -> tuple[Source, Article]:
    source = catalog.create_source(None, name, kind=kind, homepage_url=homepage_url)
    article = catalog.create_article(None, source, catalog.ArticleInput(title=title, url=url))
    db.session.commit()
    return source, article


def open_correction(
    users: dict[str, User],
    claim: Claim,
    note: str,
    *,
    summary: str | None = None,
    explanation: str | None = None,
    rating: str | None = None,
) -> None:
    """An editor opens a correction and (optionally) rewrites the verdict under review."""
    editor = users["editor"]
    reviews.transition(editor, claim, Action.CORRECT, comment=note)
    if summary is not None or explanation is not None or rating is not None:
        published = claim.published_verdict
        assert published is not None
        latest = verdicts.latest_revision(claim.id)
        assert latest is not None
        verdicts.save_draft(
            editor,
            claim,
            latest.revision,
            verdicts.DraftInput(
                rating=rating or (published.rating.slug if published.rating else None),
                summary=summary if summary is not None else published.summary,
                explanation=explanation if explanation is not None else published.explanation,
            ),
        )


def change_published(users: dict[str, User], claim: Claim, **fields: Any) -> Claim:
    """Change a published claim's public fields the only way there is: a correction.

    The editor opens it and proposes the fields (laid over the claim's current ones);
    the admin, who did neither, approves. Returns the claim as published.
    """
    editor = users["editor"]
    reviews.transition(editor, claim, Action.CORRECT, comment="The claim's wording is updated.")
    claim = claim_service.get_claim(claim.id)
    values: dict[str, Any] = {
        "text": claim.text,
        "speaker_id": claim.speaker_id,
        "quote": claim.quote,
        "context": claim.context,
        "stated_on": claim.stated_on,
        "source_id": claim.source_id,
        "article_id": claim.article_id,
        "tags": [t.name for t in claim.tags],
        "language": claim.language,
        "internal_notes": claim.internal_notes,
    }
    values.update(fields)
    claim_service.update_claim(editor, claim, claim.version, claim_service.ClaimInput(**values), {})
    approve(users, claim)
    db.session.expire_all()
    return claim_service.get_claim(claim.id)


def approve(users: dict[str, User], claim: Claim) -> None:
    """Approval by the admin: never an author of the correction, so four eyes hold."""
    reviews.transition(users["admin"], claim, Action.APPROVE)


def add_evidence(users: dict[str, User], claim: Claim, **fields: Any) -> None:
    fields.setdefault("stance", "context")
    claim_service.add_evidence(users["fact_checker"], claim, claim_service.EvidenceInput(**fields))


def claim_url(claim: Claim) -> str:
    return f"/claims/{claim.id}-{claim.slug}"


def internal_links(html: str) -> list[str]:
    """Site-relative links on a page (href="/..."), with HTML entities undone."""
    return [
        href.replace("&amp;", "&")
        for href in re.findall(r'href="(/[^"]*)"', html)
        if not href.startswith("//")
    ]
