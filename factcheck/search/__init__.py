"""Full-text search over published claims: one interface, two backends.

SQLite uses FTS5 tables, PostgreSQL tsvector tables with GIN indexes. Public
claims (those with a published verdict) are indexed in one table, unpublished
claims in another that only staff searches read; either holds only the
published verdict's words, so drafts never leak into search. The index is kept
in step by a session hook (``tracking``) and rebuilt by ``factcheck search reindex``.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from .backends import (
    PUBLIC_TABLE,
    UNPUBLISHED_TABLE,
    PostgresBackend,
    SearchBackend,
    SQLiteBackend,
)
from .query import SearchPage, highlight, parse_query, search_claims

__all__ = [
    "PUBLIC_TABLE",
    "UNPUBLISHED_TABLE",
    "PostgresBackend",
    "SQLiteBackend",
    "SearchBackend",
    "SearchPage",
    "backend_for",
    "matching_claim_ids",
    "highlight",
    "parse_query",
    "search_claims",
]


def backend_for(conn: Connection, table: str = PUBLIC_TABLE) -> SearchBackend:
    """The engine's backend, querying the public claims' table unless told otherwise."""
    if conn.dialect.name == "postgresql":
        return PostgresBackend(table)
    return SQLiteBackend(table)


def matching_claim_ids(
    conn: Connection, terms: list[str], limit: int, *, staff: bool = False
) -> list[int]:
    """The newest ``limit`` claims holding every term: public ones, and for staff all.

    A staff search reads both tables newest first and keeps the newest ``limit`` of
    the two, so its cost is bounded like the public one's.
    """
    ids = backend_for(conn).matching_ids(conn, terms, limit, newest=True)
    if staff:
        more = backend_for(conn, UNPUBLISHED_TABLE).matching_ids(conn, terms, limit, newest=True)
        ids = sorted([*ids, *more], reverse=True)[:limit]
    return ids


def rebuild_index() -> tuple[int, str]:
    """Rebuild the whole index from the claims and commit: (public claims indexed, backend)."""
    from sqlalchemy import func, select

    from ..extensions import db
    from ..models import Claim

    conn = db.session.connection()
    backend = backend_for(conn)
    backend.reindex(conn)
    count = db.session.scalar(
        select(func.count(Claim.id)).where(Claim.published_verdict_id.is_not(None))
    )
    db.session.commit()
    return int(count or 0), backend.name
