"""Pieces every read shares: the public condition, capped counts, pages, LIKE patterns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, func, select, true

from ..extensions import db
from ..models import Claim

T = TypeVar("T")
# A claim is public exactly when it has a published verdict.
PUBLIC = Claim.published_verdict_id.is_not(None)
NEWEST_FIRST = (Claim.published_at.desc(), Claim.id.desc())
# Lists count at most this many claims beyond the current page; past it the total
# is a lower bound ("more than"), as counting 200,000 matches costs 0.3-0.7 s.
COUNT_AHEAD = 1000
# A filter naming a row that does not exist (an unknown slug) matches nothing: no id is 0.
NOTHING = 0


def visible(staff: bool) -> ColumnElement[bool]:
    """The claims a reader may see: staff every claim, everyone else the public ones."""
    return true() if staff else PUBLIC


def like_pattern(term: str) -> str:
    """``%term%`` for LIKE, with the wildcards a reader typed taken literally (escape ``\\``)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def contains(column: Any, term: str) -> ColumnElement[bool]:
    """``column`` holds ``term`` (already normalised as the column is)."""
    return column.like(like_pattern(term), escape="\\")  # type: ignore[no-any-return]


@dataclass
class Page(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int
    # True when there are more than ``total`` (the count stopped early).
    total_is_estimate: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        # A lower-bound total always has more past this page (it counts beyond it).
        return self.page < self.pages or self.total_is_estimate


def capped_count(query: Select[Any], limit: int) -> tuple[int, bool]:
    """How many rows ``query`` (a select of ids) returns, counting at most ``limit``.

    Answers ``(limit, True)`` when there are more: the count stops early instead
    of visiting every match.
    """
    counted = db.session.scalar(select(func.count()).select_from(query.limit(limit + 1).subquery()))
    counted = counted or 0
    return (limit, True) if counted > limit else (counted, False)
