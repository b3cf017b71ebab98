"""The hot public queries reach claims through an index, never a full scan.

A small generated archive is enough to read the plans: on SQLite the planner
reads ``sqlite_stat1`` (the generator runs ANALYZE) and its plans for these
shapes are the ones it picks at a million claims; on PostgreSQL sequential
scans and sorts are switched off for the EXPLAIN (a planner rightly scans and
sorts a tiny table whole), so the question asked is "is there an index that
serves this, in this order?": a Sort or Seq Scan left in the plan means no.
The statements are captured as the application runs them, then explained.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from factcheck.extensions import db
from factcheck.models import Claim, Rating, Verdict
from factcheck.search import backend_for, search_claims

PUBLIC = Claim.published_verdict_id.is_not(None)
NEWEST_FIRST = (Claim.published_at.desc(), Claim.id.desc())


@pytest.fixture
def archive(app: Flask, runner: Any) -> dict[str, Any]:
    result = runner.invoke(args=["demo", "generate", "--claims", "400", "--quiet"])
    assert result.exit_code == 0, result.output

    def least_quoted(column: Any) -> int:
        # A typical speaker or outlet: a small share of the archive, as most are at scale.
        return db.session.scalar(
            sa.select(column)
            .where(PUBLIC, column.is_not(None))
            .group_by(column)
            .order_by(sa.func.count(), column)
            .limit(1)
        )

    return {
        "claim": db.session.scalar(sa.select(Claim.id).where(PUBLIC).limit(1)),
        "speaker": least_quoted(Claim.speaker_id),
        "source": least_quoted(Claim.source_id),
        "rating": db.session.scalar(sa.select(Rating.id).where(Rating.slug == "false")),
    }


@contextmanager
def captured() -> Iterator[list[tuple[str, Any]]]:
    """Every statement the engine runs inside the block, with its parameters."""
    statements: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        if not statement.lstrip().upper().startswith(("EXPLAIN", "SET")):
            statements.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


def _pg_nodes(node: dict[str, Any]) -> Iterator[str]:
    relation = node.get("Relation Name", "")
    index = node.get("Index Name", "")
    yield f"{node['Node Type']} {relation} {index}".strip()
    for child in node.get("Plans", []):
        yield from _pg_nodes(child)


def plan(statement: str, parameters: Any) -> list[str]:
    """The plan's steps, one line each: SQLite's EXPLAIN QUERY PLAN, PostgreSQL's nodes."""
    conn = db.session.connection()
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
        return [row[-1] for row in rows]
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    conn.exec_driver_sql("SET LOCAL enable_sort = off")
    try:
        raw = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters).scalar()
    finally:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = on")
        conn.exec_driver_sql("SET LOCAL enable_sort = on")
    document = raw if isinstance(raw, list) else json.loads(raw)
    return list(_pg_nodes(document[0]["Plan"]))


def plans_of(run: Callable[[], Any]) -> list[list[str]]:
    with captured() as statements:
        run()
    assert statements
    return [plan(statement, parameters) for statement, parameters in statements]


def full_scans(steps: list[str], table: str) -> list[str]:
    """Steps that read a whole table (an index scan or search is fine)."""
    return [
        s
        for s in steps
        if s == f"SCAN {table}"  # SQLite: the table itself, no index
        or s.startswith(f"Seq Scan {table}")  # PostgreSQL
    ]


def sorts(steps: list[str]) -> list[str]:
    return [s for s in steps if "TEMP B-TREE FOR ORDER BY" in s or s.startswith("Sort")]


def test_claim_page_reads_one_claim_by_key(archive: dict[str, Any]) -> None:
    [steps] = plans_of(
        lambda: db.session.scalars(
            sa.select(Claim).where(PUBLIC, Claim.id == archive["claim"])
        ).first()
    )
    assert not full_scans(steps, "claims"), steps
    assert any("PRIMARY KEY" in s or "pk_claims" in s for s in steps), steps


def test_list_filtered_by_rating_walks_the_newest_first_index(archive: dict[str, Any]) -> None:
    rating = Claim.published_verdict.has(Verdict.rating_id == archive["rating"])
    page, count = plans_of(
        lambda: (
            db.session.scalars(
                sa.select(Claim).where(PUBLIC, rating).order_by(*NEWEST_FIRST).limit(20).offset(20)
            ).all(),
            db.session.scalar(sa.select(sa.func.count(Claim.id)).where(PUBLIC, rating)),
        )
    )
    for steps in (page, count):
        assert not full_scans(steps, "claims"), steps
        assert not full_scans(steps, "verdicts"), steps
    assert any("ix_claims_public_newest" in s for s in page), page
    assert not sorts(page), page


@pytest.mark.parametrize(
    ("column", "index"),
    [("speaker", "ix_claims_speaker_public"), ("source", "ix_claims_source_public")],
)
def test_speaker_and_source_pages_need_no_sort(
    archive: dict[str, Any], column: str, index: str
) -> None:
    condition = getattr(Claim, f"{column}_id") == archive[column]
    page, count = plans_of(
        lambda: (
            db.session.scalars(
                sa.select(Claim).where(PUBLIC, condition).order_by(*NEWEST_FIRST).limit(20)
            ).all(),
            db.session.scalar(sa.select(sa.func.count(Claim.id)).where(PUBLIC, condition)),
        )
    )
    assert any(index in s for s in page), page
    assert not sorts(page), page
    assert not full_scans(count, "claims"), count
    if db.session.connection().dialect.name == "sqlite":
        # Either partial index of the speaker's (or source's) public claims will do.
        narrow = f"ix_claims_{column}_rating_public"
        assert any(f"INDEX {index}" in s or f"INDEX {narrow}" in s for s in count), count


@pytest.mark.parametrize("column", ["speaker", "source"])
def test_a_ratings_breakdown_reads_the_rating_kept_on_the_claims(
    archive: dict[str, Any], column: str
) -> None:
    from factcheck.reads.ratings import rating_counts

    condition = getattr(Claim, f"{column}_id") == archive[column]
    (steps,) = plans_of(lambda: (rating_counts(condition),))
    assert not full_scans(steps, "claims"), steps
    assert not any("verdicts" in s for s in steps), steps  # no verdict joined
    if db.session.connection().dialect.name == "sqlite":
        assert any(f"ix_claims_{column}_rating_public" in s for s in steps), steps


@pytest.mark.parametrize("word", ["percent", "rare"])
def test_search_asks_the_full_text_index(archive: dict[str, Any], word: str) -> None:
    conn = db.session.connection()
    if word == "rare":
        # A place mentioned once: invented village names are the archive's rare words.
        text = db.session.scalar(
            sa.select(Claim.text).where(PUBLIC, Claim.language == "en").order_by(Claim.id.desc())
        )
        word = max(text.replace(",", " ").split(), key=len).lower()  # type: ignore[union-attr]
    backend = backend_for(conn)
    for steps in plans_of(lambda: search_claims(conn, word)) + plans_of(
        lambda: backend.matching_ids(conn, [word], 50, newest=True)
    ):
        if conn.dialect.name == "sqlite":
            fts = [s for s in steps if s.startswith("SCAN claims_fts VIRTUAL TABLE")]
            # The MATCH is handed to FTS5 (an "M" in its index string), not filtered after.
            assert fts and all(":M" in s or "M" in s.split(":")[-1] for s in fts), steps
        else:
            assert not full_scans(steps, "claims_fts"), steps
        assert not full_scans(steps, "claims"), steps
