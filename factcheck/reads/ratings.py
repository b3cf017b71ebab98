"""The rating scale, and how many claims got each rating (the breakdown charts)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select

from ..extensions import db
from ..models import Claim, Rating
from .common import PUBLIC


def rating_by_slug(slug: str) -> Rating | None:
    return db.session.scalars(select(Rating).where(Rating.slug == slug)).first()


def rating_scale() -> list[Rating]:
    return list(db.session.scalars(select(Rating).order_by(Rating.position, Rating.id)))


def rating_counts(condition: ColumnElement[bool]) -> dict[int | None, int]:
    """How many public claims (matching ``condition``) got each rating, by rating id.

    Read from the rating kept on the claim, through the (speaker or source, rating)
    partial indexes: an index-only count, no verdict joined.
    """
    return {
        rating_id: count
        for rating_id, count in db.session.execute(
            select(Claim.published_rating_id, func.count())
            .where(PUBLIC, condition)
            .group_by(Claim.published_rating_id)
        )
    }


def rating_breakdown(
    counts: dict[int | None, int], *, with_empty: bool = True
) -> list[tuple[Rating, int]]:
    """The scale in order with each rating's count (``rating_counts``); unused ones kept or not."""
    pairs = [(rating, counts.get(rating.id, 0)) for rating in rating_scale()]
    return pairs if with_empty else [(rating, n) for rating, n in pairs if n]
