"""Pieces every read shares: the public condition, capped counts, pages, LIKE patterns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, func, select, true
from werkzeug.exceptions import NotFound as HTTPNotFound

from ..errors import NotFound, tr
from ..extensions import db
from ..limits import is_id
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


def find(model: type[T], ident: object) -> T | None:
    """The row of ``model`` with this id, or None; an id no column holds (not a whole
    number, below 1, beyond ``MAX_ID``) names nothing and reaches no query."""
    return db.session.get(model, ident) if is_id(ident) else None


def get_or_404(model: type[T], ident: object, message: str | None = None) -> T:
    """The row of ``model`` with this id, or a 404 (the one way every view loads the row a
    URL or a form names). ``message`` says what is missing; without it the page says
    what any unknown address says."""
    row = find(model, ident)
    if row is None:
        raise NotFound(message if message is not None else tr(HTTPNotFound.description or ""))
    return row


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
