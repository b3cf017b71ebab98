"""Full-text search over published claims: one interface, two backends.

SQLite uses an FTS5 table, PostgreSQL a tsvector table with a GIN index. Both
index only public claims (those with a published verdict), and only the
published verdict's words, so drafts never leak into search. The index is kept
in step by a session hook (``tracking``) and rebuilt by ``factcheck search reindex``.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from .backends import PostgresBackend, SearchBackend, SQLiteBackend
from .query import SearchPage, highlight, parse_query, search_claims

__all__ = [
    "PostgresBackend",
    "SQLiteBackend",
    "SearchBackend",
    "SearchPage",
    "backend_for",
    "highlight",
    "parse_query",
    "search_claims",
]


def backend_for(conn: Connection) -> SearchBackend:
    if conn.dialect.name == "postgresql":
        return PostgresBackend()
    return SQLiteBackend()
