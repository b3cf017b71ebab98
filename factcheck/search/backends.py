"""The two index backends: what the index holds and how it is queried."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

# Two tables of the same shape: the public claims (what the public site, the API
# without a token and the desk all search) and the unpublished ones (searched only for
# staff, beside the public table). A claim sits in exactly one of them, and what it
# contributes is the same in both: its words, its speaker (and aliases) and its
# *published* verdict, never a draft. So a word finds the same published claims in
# every list, and staff find their unpublished work by the claim's and speaker's words.
PUBLIC_TABLE = "claims_fts"
UNPUBLISHED_TABLE = "claims_fts_unpublished"
TABLES = (PUBLIC_TABLE, UNPUBLISHED_TABLE)
_SCOPE = {
    PUBLIC_TABLE: "c.published_verdict_id IS NOT NULL",
    UNPUBLISHED_TABLE: "c.published_verdict_id IS NULL",
}
_DOCUMENT_SOURCE = """
    FROM claims c
    JOIN speakers s ON s.id = c.speaker_id
    LEFT JOIN verdicts v ON v.id = c.published_verdict_id
    WHERE {scope} {where}
"""


def _source(table: str, where: str) -> str:
    return _DOCUMENT_SOURCE.format(scope=_SCOPE[table], where=where)


class SearchBackend:
    """Queries one table (``table``); ``reindex`` and ``clear`` keep both in step."""

    name = "base"

    def __init__(self, table: str = PUBLIC_TABLE) -> None:
        self.table = table

    def reindex(
        self,
        conn: Connection,
        claim_ids: Iterable[int] | None = None,
        tables: Sequence[str] = TABLES,
    ) -> None:
        """Rewrite the index rows of these claims (all claims when None) in every table."""
        ids = None if claim_ids is None else sorted(set(claim_ids))
        for table in tables:
            self.reindex_table(conn, table, ids)

    def reindex_table(self, conn: Connection, table: str, claim_ids: list[int] | None) -> None:
        raise NotImplementedError

    def clear(self, conn: Connection) -> None:
        for table in TABLES:
            conn.execute(text(f"DELETE FROM {table}"))  # noqa: S608  (a constant)

    def matching_ids(
        self, conn: Connection, terms: Sequence[str], limit: int, newest: bool
    ) -> list[int]:
        """Ids of matching claims: unordered (cheapest) or newest first."""
        raise NotImplementedError

    def rank(
        self, conn: Connection, terms: Sequence[str], ids: Sequence[int]
    ) -> list[tuple[int, float]]:
        """Relevance of the given matches, best first."""
        raise NotImplementedError

    def rank_window(
        self, conn: Connection, terms: Sequence[str], ids: Sequence[int]
    ) -> list[tuple[int, float]]:
        """Relevance of the newest matches of a broad query (some of its matches), best first."""
        return self.rank(conn, terms, ids)

    def surely_more_than(self, conn: Connection, terms: Sequence[str], limit: int) -> bool:
        """True when the index's statistics leave no doubt that more than ``limit`` match."""
        return False


def _id_filter(claim_ids: Iterable[int] | None, column: str) -> tuple[str, dict[str, object]]:
    if claim_ids is None:
        return "", {}
    ids = sorted(set(claim_ids))
    if not ids:
        return " AND 1 = 0", {}
    params: dict[str, object] = {f"id{i}": v for i, v in enumerate(ids)}
    return f" AND {column} IN ({', '.join(':' + k for k in params)})", params


class SQLiteBackend(SearchBackend):
    name = "sqlite-fts5"

    @staticmethod
    def match_expression(terms: Sequence[str]) -> str:
        # Each term quoted (no FTS syntax from users) and prefix-matched; all must match.
        return " AND ".join('"' + t.replace('"', '""') + '"*' for t in terms)

    def reindex_table(self, conn: Connection, table: str, claim_ids: list[int] | None) -> None:
        where, params = _id_filter(claim_ids, "c.id")
        if claim_ids is None:
            conn.execute(text(f"DELETE FROM {table}"))  # noqa: S608  (a constant)
        else:
            w2, p2 = _id_filter(claim_ids, "rowid")
            conn.execute(text(f"DELETE FROM {table} WHERE 1 = 1" + w2), p2)  # noqa: S608  (bound ids)
        conn.execute(
            text(
                f"INSERT INTO {table} (rowid, body, speaker, verdict) "  # noqa: S608  (a constant)
                "SELECT c.id, c.text || ' ' || coalesce(c.quote, '') || ' ' || coalesce(c.context, ''), "
                "s.name || ' ' || coalesce(s.title, '') || ' ' || coalesce((SELECT group_concat(a.name, ' ') "
                "FROM speaker_aliases a WHERE a.speaker_id = s.id), ''), "
                "coalesce(v.summary || ' ' || v.explanation, '') " + _source(table, where)
            ),
            params,
        )

    @staticmethod
    def exact_expression(terms: Sequence[str]) -> str:
        return " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)

    def _ids(self, conn: Connection, expression: str, limit: int, newest: bool) -> list[int]:
        order = " ORDER BY rowid DESC" if newest else ""
        rows = conn.execute(
            text(
                f"SELECT rowid FROM {self.table} WHERE {self.table} MATCH :q{order} LIMIT :limit"  # noqa: S608
            ),
            {"q": expression, "limit": limit},
        )
        return [r[0] for r in rows]

    def matching_ids(
        self, conn: Connection, terms: Sequence[str], limit: int, newest: bool
    ) -> list[int]:
        # FTS5 reads one word's doclist lazily, so LIMIT stops it early; a prefix query
        # first merges the doclists of every word with that prefix (the whole match set:
        # ~45 ms for a word in half of a million claims). Whole words first, then: when
        # they alone fill the limit, the prefix query would too.
        exact = self._ids(conn, self.exact_expression(terms), limit, newest)
        if len(exact) >= limit:
            return exact
        return self._ids(conn, self.match_expression(terms), limit, newest)

    def rank(
        self, conn: Connection, terms: Sequence[str], ids: Sequence[int]
    ) -> list[tuple[int, float]]:
        if not ids:
            return []
        low, high = min(ids), max(ids)
        # bm25 is lower-is-better; the body weighs most, then the verdict, then the speaker.
        rows = conn.execute(
            text(
                f"SELECT rowid, bm25({self.table}, 3.0, 1.0, 2.0) AS score FROM {self.table} "  # noqa: S608
                f"WHERE {self.table} MATCH :q AND rowid BETWEEN :low AND :high"
            ),
            {"q": self.match_expression(terms), "low": low, "high": high},
        )
        wanted = set(ids)
        scored = [(r[0], -float(r[1])) for r in rows if r[0] in wanted]
        scored.sort(key=lambda pair: (-pair[1], -pair[0]))
        return scored

    def rank_window(
        self, conn: Connection, terms: Sequence[str], ids: Sequence[int]
    ) -> list[tuple[int, float]]:
        # bm25() first counts every row matching each term (its IDF): 16-130 ms for a
        # common word at a million claims, whatever the window. Inside the window every
        # row holds every term, so the IDF adds nothing: score term frequency and length
        # (BM25 without IDF) here instead, on the window's own text.
        if not ids:
            return []
        wanted = set(ids)
        low, high = min(wanted), max(wanted)
        columns = f"SELECT rowid, body, verdict, speaker FROM {self.table}"  # noqa: S608
        if high - low < 4 * len(wanted):
            # The window is dense (a very common word): one range read beats many lookups.
            result = conn.execute(
                text(f"{columns} WHERE rowid BETWEEN :low AND :high"), {"low": low, "high": high}
            )
        else:
            result = conn.execute(
                text(f"{columns} WHERE rowid IN :ids").bindparams(bindparam("ids", expanding=True)),
                {"ids": sorted(wanted)},
            )
        rows = [row for row in result if row[0] in wanted]
        return _bm25_without_idf(rows, terms, (3.0, 1.0, 2.0))


def _bm25_without_idf(
    rows: Sequence[Any],
    terms: Sequence[str],
    weights: Sequence[float],
    k1: float = 1.2,
    b: float = 0.75,
) -> list[tuple[int, float]]:
    """BM25 over columns, term frequency counted at word starts (prefix matching)."""
    needles = [" " + t.lower() for t in terms]
    docs = [(r[0], [" " + (value or "").lower() for value in r[1:]]) for r in rows]
    average = [
        max(1.0, sum(len(cols[c]) for _, cols in docs) / max(1, len(docs)))
        for c in range(len(weights))
    ]
    scored = []
    for rowid, cols in docs:
        score = 0.0
        for c, value in enumerate(cols):
            norm = k1 * (1 - b + b * len(value) / average[c])
            for needle in needles:
                tf = value.count(needle)
                if tf:
                    score += weights[c] * tf * (k1 + 1) / (tf + norm)
        scored.append((rowid, score))
    scored.sort(key=lambda pair: (-pair[1], -pair[0]))
    return scored


# Planner statistics change slowly; remembering them for a minute keeps a search at
# the statements it needs. A stale figure costs time, never a wrong result: every
# path below re-checks against the index itself.
_REMEMBER_SECONDS = 60.0
_remembered_values: dict[tuple[str, str], tuple[float, Any]] = {}


def _remembered(conn: Connection, key: str, compute: Any) -> Any:
    slot = (conn.engine.url.render_as_string(hide_password=True), key)
    now = time.monotonic()
    hit = _remembered_values.get(slot)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = compute(conn)
    if value is not None:
        if len(_remembered_values) > 4096:
            _remembered_values.clear()
        _remembered_values[slot] = (now + _REMEMBER_SECONDS, value)
    return value


def forget_statistics() -> None:
    """Drop the remembered planner statistics (tests that change them)."""
    _remembered_values.clear()


class PostgresBackend(SearchBackend):
    name = "postgresql-tsvector"
    DENSE = 0.05  # share of the claims above which a word is walked to newest-first

    # 'simple' keeps every language's words as written (lower-cased), so English,
    # Ukrainian and Russian are found alike; prefix queries stand in for stemming.
    DOCUMENT = (
        "setweight(to_tsvector('simple', c.text || ' ' || coalesce(c.quote, '') || ' ' || "
        "coalesce(c.context, '')), 'A') || "
        "setweight(to_tsvector('simple', coalesce(v.summary || ' ' || v.explanation, '')), 'B') || "
        "setweight(to_tsvector('simple', s.name || ' ' || coalesce(s.title, '') || ' ' || "
        "coalesce((SELECT string_agg(a.name, ' ') FROM speaker_aliases a WHERE a.speaker_id = s.id), '')), 'C')"
    )

    @staticmethod
    def tsquery(terms: Sequence[str]) -> str:
        # Lexemes quoted for to_tsquery; users' operators never reach it.
        return " & ".join("'" + t.replace("'", "''").replace("\\", "") + "':*" for t in terms)

    def reindex_table(self, conn: Connection, table: str, claim_ids: list[int] | None) -> None:
        where, params = _id_filter(claim_ids, "c.id")
        index = f"ix_search_{table}_document"
        if claim_ids is None:
            # A full rebuild fills the table first and builds the GIN index once, several
            # times faster than updating it row by row (a million claims: see
            # docs/performance.md).
            conn.execute(text(f"DROP INDEX IF EXISTS {index}"))
            conn.execute(text(f"TRUNCATE {table}"))
        else:
            w2, p2 = _id_filter(claim_ids, "claim_id")
            conn.execute(text(f"DELETE FROM {table} WHERE 1 = 1" + w2), p2)  # noqa: S608  (bound ids)
        conn.execute(
            text(
                f"INSERT INTO {table} (claim_id, document) SELECT c.id, {self.DOCUMENT} "  # noqa: S608
                + _source(table, where)
            ),
            params,
        )
        if claim_ids is None:
            conn.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
            conn.execute(text(f"CREATE INDEX {index} ON {table} USING gin (document)"))

    def matching_ids(
        self, conn: Connection, terms: Sequence[str], limit: int, newest: bool
    ) -> list[int]:
        tsquery = self.tsquery(terms)
        if newest:
            return self._newest(conn, tsquery, limit)
        # MATERIALIZED keeps the planner on the GIN index; no ORDER BY, so it stops early.
        rows = conn.execute(
            text(
                f"WITH m AS MATERIALIZED (SELECT claim_id FROM {self.table} "  # noqa: S608
                "WHERE document @@ to_tsquery('simple', :q) LIMIT :limit) SELECT claim_id FROM m"
            ),
            {"q": tsquery, "limit": limit},
        )
        return [r[0] for r in rows]

    def _newest(self, conn: Connection, tsquery: str, limit: int) -> list[int]:
        """The newest ``limit`` matches, reading about as many rows as it returns.

        Walking the primary key backwards, testing each row, suits a common word (its
        matches come every few rows) but reads the whole table for a rare one (~0.9 s at
        a million claims), and the planner picks that walk for both; collecting every
        match of a word in 2% of the claims costs ~100 ms. So the planner's estimate of
        the matches (from ANALYZE's word statistics) decides: a common word is walked; for
        others it says how far back the newest ``limit`` should lie, and the GIN index and
        the primary key, ANDed as bitmaps, read only that stretch (~15 ms), widened if the
        guess fell short; a rare word's few matches are all collected and sorted.
        """
        extent = _remembered(conn, f"extent:{self.table}", lambda c: self._extent(c, self.table))
        if extent is None:
            return []
        low_id, high_id = extent
        width = high_id - low_id + 1
        matches = max(1.0, self._estimate(conn, tsquery))
        if matches >= self.DENSE * width:
            # A common word: the newest `limit` matches lie within a few times `limit` rows,
            # and the planner walks the primary key backwards to them by itself.
            rows = conn.execute(
                text(
                    f"SELECT claim_id FROM {self.table} "  # noqa: S608  (a constant)
                    "WHERE document @@ to_tsquery('simple', :q) ORDER BY claim_id DESC LIMIT :limit"
                ),
                {"q": tsquery, "limit": limit},
            )
            return [r[0] for r in rows]
        span = int(2 * limit * width / matches) + 1
        while span < width:
            ids = [
                r[0]
                for r in conn.execute(
                    text(
                        f"SELECT claim_id FROM {self.table} "  # noqa: S608
                        "WHERE document @@ to_tsquery('simple', :q) AND claim_id > :low "
                        "ORDER BY claim_id DESC LIMIT :limit"
                    ),
                    {"q": tsquery, "low": high_id - span, "limit": limit},
                )
            ]
            if len(ids) >= limit:
                return ids
            span *= 4
        # A rare word: every match from the GIN index, then the newest of them.
        return [
            r[0]
            for r in conn.execute(
                text(
                    f"WITH m AS MATERIALIZED (SELECT claim_id FROM {self.table} "  # noqa: S608
                    "WHERE document @@ to_tsquery('simple', :q)) "
                    "SELECT claim_id FROM m ORDER BY claim_id DESC LIMIT :limit"
                ),
                {"q": tsquery, "limit": limit},
            )
        ]

    def surely_more_than(self, conn: Connection, terms: Sequence[str], limit: int) -> bool:
        # Only words in ANALYZE's most-common list get estimates this high, and those
        # estimates are close; a margin of four covers the rest. Saves collecting
        # `limit` matches from all over the table (~25 ms for a word in 5% of claims).
        tsquery = self.tsquery(terms)
        return bool(self._estimate(conn, tsquery) > 4 * limit)

    def _estimate(self, conn: Connection, tsquery: str) -> float:
        return float(
            _remembered(
                conn,
                f"{self.table}:{tsquery}",
                lambda c: self.estimated_matches(c, tsquery, self.table),
            )
        )

    @staticmethod
    def _extent(conn: Connection, table: str) -> tuple[int, int] | None:
        low, high = conn.execute(
            text(f"SELECT min(claim_id), max(claim_id) FROM {table}")  # noqa: S608
        ).one()
        return None if high is None else (low, high)

    @staticmethod
    def estimated_matches(conn: Connection, tsquery: str, table: str = PUBLIC_TABLE) -> float:
        """The planner's estimate of the rows matching: a plan, not a query."""
        plan = conn.execute(
            text(
                f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {table} "  # noqa: S608
                "WHERE document @@ to_tsquery('simple', :q)"
            ),
            {"q": tsquery},
        ).scalar()
        document = plan if isinstance(plan, list) else json.loads(str(plan))
        return float(document[0]["Plan"]["Plan Rows"])

    def rank(
        self, conn: Connection, terms: Sequence[str], ids: Sequence[int]
    ) -> list[tuple[int, float]]:
        if not ids:
            return []
        rows = conn.execute(
            text(
                "SELECT claim_id, ts_rank(document, to_tsquery('simple', :q)) AS score "  # noqa: S608
                f"FROM {self.table} WHERE claim_id = ANY(:ids)"
            ),
            {"q": self.tsquery(terms), "ids": list(ids)},
        )
        scored = [(r[0], float(r[1])) for r in rows]
        scored.sort(key=lambda pair: (-pair[1], -pair[0]))
        return scored
