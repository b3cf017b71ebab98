"""Turning what a reader typed into a ranked, highlighted page of results.

Broad queries never rank every match: when a query matches more than
``RARE_LIMIT`` claims, only the newest ``RANK_WINDOW`` matches are ranked and
the total is reported as "more than". Rare queries are ranked in full.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy.engine import Connection

from ..errors import ValidationFailed, tr
from ..limits import MAX_QUERY_CHARS, MAX_QUERY_TERMS

RARE_LIMIT = 2000
RANK_WINDOW = 1000
MAX_TERMS = MAX_QUERY_TERMS
_WORD = re.compile(r"[\w%]+(?:['’][\w]+)*", re.UNICODE)


@dataclass
class SearchPage:
    query: str
    terms: list[str]
    ids: list[int]  # this page's claim ids, best first
    total: int
    total_is_estimate: bool
    page: int
    per_page: int

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def parse_query(raw: str | None) -> list[str]:
    """Words to look for; punctuation, quotes and operators are dropped, never interpreted."""
    raw = (raw or "")[:MAX_QUERY_CHARS]
    terms = []
    for word in _WORD.findall(raw):
        word = word.lower().replace("’", "'").strip("_")
        if word and word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


def search_claims(
    conn: Connection, raw_query: str | None, *, page: int = 1, per_page: int = 20
) -> SearchPage:
    from . import backend_for

    terms = parse_query(raw_query)
    if not terms:
        raise ValidationFailed(
            tr("Type one or more words to search for."), fields={"q": tr("Empty query.")}
        )
    page = max(1, page)
    backend = backend_for(conn)
    window: list[int] = []
    if backend.surely_more_than(conn, terms, RARE_LIMIT):
        window = backend.matching_ids(conn, terms, RANK_WINDOW, newest=True)
    if len(window) == RANK_WINDOW:
        # The index's statistics vouch for a broad query and the window is full:
        # counting up to RARE_LIMIT first would only confirm it.
        ranked = backend.rank_window(conn, terms, window)
        estimate = True
    else:
        matches = backend.matching_ids(conn, terms, RARE_LIMIT + 1, newest=False)
        estimate = len(matches) > RARE_LIMIT
        if estimate:
            window = backend.matching_ids(conn, terms, RANK_WINDOW, newest=True)
            ranked = backend.rank_window(conn, terms, window)
        else:
            ranked = backend.rank(conn, terms, matches)
    start = (page - 1) * per_page
    ids = [claim_id for claim_id, _ in ranked[start : start + per_page]]
    return SearchPage(
        query=raw_query or "",
        terms=terms,
        ids=ids,
        # Above RARE_LIMIT matches, only the newest RANK_WINDOW are ranked and paged.
        total=len(ranked),
        total_is_estimate=estimate,
        page=page,
        per_page=per_page,
    )


def highlight(value: str | None, terms: list[str]) -> Markup:
    """Escape the text and wrap the matched words (prefixes) in <mark>."""
    if not value:
        return Markup("")
    escaped = str(escape(value))
    if not terms:
        return Markup(escaped)  # noqa: S704  (escaped above)
    pattern = re.compile(
        r"(?<![\w])("
        + "|".join(re.escape(str(escape(t))) for t in sorted(terms, key=len, reverse=True))
        + r")",
        re.IGNORECASE | re.UNICODE,
    )
    return Markup(pattern.sub(r"<mark>\1</mark>", escaped))  # noqa: S704  (escaped above)
