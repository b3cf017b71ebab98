"""The rating scale, and how many claims got each rating (the breakdown charts)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select

from ..extensions import db
from ..models import Claim, Rating, Verdict
from .common import PUBLIC


def rating_by_slug(slug: str) -> Rating | None:
    return db.session.scalars(select(Rating).where(Rating.slug == slug)).first()


def rating_scale() -> list[Rating]:
    return list(db.session.scalars(select(Rating).order_by(Rating.position, Rating.id)))


def rating_counts(condition: ColumnElement[bool]) -> dict[int | None, int]:
    """How many public claims (matching ``condition``) got each rating, by rating id."""
    return {
        rating_id: count
        for rating_id, count in db.session.execute(
            select(Verdict.rating_id, func.count(Claim.id))
            .select_from(Claim)
            .join(Verdict, Verdict.id == Claim.published_verdict_id)
            .where(PUBLIC, condition)
            .group_by(Verdict.rating_id)
        )
    }


def rating_breakdown(
    counts: dict[int | None, int], *, with_empty: bool = True
) -> list[tuple[Rating, int]]:
    """The scale in order with each rating's count (``rating_counts``); unused ones kept or not."""
    pairs = [(rating, counts.get(rating.id, 0)) for rating in rating_scale()]
    return pairs if with_empty else [(rating, n) for rating, n in pairs if n]
