"""The claim list's filters as one query, shared by the JSON list and the CSV export."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, exists, false, func, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Claim, ClaimStatus, Rating, Source, Speaker, Tag, Verdict, claim_tags
from ..search import parse_query


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def filtered_claims(filters: dict[str, Any], *, staff: bool) -> Select[Any]:
    """Claims matching the list's filters; without ``staff`` only published ones."""
    query = select(Claim)
    if not staff:
        query = query.where(Claim.published_verdict_id.is_not(None))
    status = filters.get("status")
    if status:
        if staff:
            query = query.where(Claim.status == status)
        elif status != ClaimStatus.PUBLISHED:
            # Anonymous callers see every public claim as published, nothing else.
            query = query.where(false())
    if rating := filters.get("rating"):
        query = query.where(
            Claim.published_verdict_id.in_(
                select(Verdict.id)
                .join(Rating, Rating.id == Verdict.rating_id)
                .where(Rating.slug == rating)
            )
        )
    if speaker := filters.get("speaker"):
        query = query.where(Claim.speaker_id.in_(select(Speaker.id).where(Speaker.slug == speaker)))
    if source := filters.get("source"):
        query = query.where(Claim.source_id.in_(select(Source.id).where(Source.slug == source)))
    if tag := filters.get("tag"):
        query = query.where(
            exists()
            .where(claim_tags.c.claim_id == Claim.id)
            .where(claim_tags.c.tag_id == Tag.id)
            .where(Tag.slug == tag)
        )
    if start := filters.get("date_from"):
        query = query.where(Claim.stated_on >= start)
    if end := filters.get("date_to"):
        query = query.where(Claim.stated_on <= end)
    for term in parse_query(filters.get("q")):
        pattern = _like(term)
        query = query.where(
            or_(
                Claim.text.ilike(pattern, escape="\\"),
                Claim.quote.ilike(pattern, escape="\\"),
                Claim.speaker_id.in_(
                    select(Speaker.id).where(Speaker.name.ilike(pattern, escape="\\"))
                ),
            )
        )
    return query


def ordered(query: Select[Any], *, staff: bool) -> Select[Any]:
    """Public lists newest fact-check first; the desk's newest claim first."""
    if staff:
        return query.order_by(Claim.id.desc())
    return query.order_by(Claim.published_at.desc(), Claim.id.desc())


def with_relations(query: Select[Any], *, staff: bool) -> Select[Any]:
    options = [
        selectinload(Claim.speaker),
        selectinload(Claim.source),
        selectinload(Claim.article),
        selectinload(Claim.tags),
        selectinload(Claim.published_verdict).selectinload(Verdict.rating),
    ]
    if staff:
        options.append(selectinload(Claim.assignee))
    return query.options(*options)


def count(query: Select[Any]) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def page_of_claims(
    filters: dict[str, Any], *, staff: bool, page: int, per_page: int
) -> tuple[list[Claim], int, bool]:
    """A page of claims, the total and whether the total is a lower bound.

    The count stops ``COUNT_AHEAD`` claims past this page (see ``docs/api.md``).
    """
    from ..public.queries import COUNT_AHEAD, capped_count

    query = filtered_claims(filters, staff=staff)
    total, estimate = capped_count(
        query.with_only_columns(Claim.id), (page - 1) * per_page + COUNT_AHEAD
    )
    rows = db.session.scalars(
        with_relations(ordered(query, staff=staff), staff=staff)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return list(rows), total, estimate


def claims_by_ids(ids: list[int], *, staff: bool) -> list[Claim]:
    """The claims with these ids, in the order given (those the caller may read)."""
    if not ids:
        return []
    query = select(Claim).where(Claim.id.in_(ids))
    if not staff:
        query = query.where(Claim.published_verdict_id.is_not(None))
    found = {c.id: c for c in db.session.scalars(with_relations(query, staff=staff))}
    return [found[i] for i in ids if i in found]
