"""`factcheck demo generate`: a synthetic archive that obeys every rule of the schema."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from factcheck.extensions import db
from factcheck.models import (
    Claim,
    ClaimStatus,
    Evidence,
    Speaker,
    Verdict,
    VerdictApproval,
    VerdictState,
    claim_tags,
)
from factcheck.rendering import render_markdown
from factcheck.search import backend_for, search_claims

N = 300


@pytest.fixture
def generated(app: Flask, runner: Any) -> Any:
    result = runner.invoke(args=["demo", "generate", "--claims", str(N), "--quiet"])
    assert result.exit_code == 0, result.output
    return result


def count(model: Any, *where: Any) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0


def words(text: str) -> str:
    """The claim's plain words (numbers tokenize differently on each engine)."""
    return " ".join(w for w in text.replace(",", " ").split() if w.isalpha())


def test_generate_writes_claims_in_every_state(generated: Any) -> None:
    assert f"{N:,} claims" in generated.output
    statuses = Counter(db.session.scalars(sa.select(Claim.status)))
    assert sum(statuses.values()) == N
    assert set(statuses) == {s.value for s in ClaimStatus}
    # An archive: most of it is published.
    assert statuses["published"] > 0.7 * N
    assert count(Speaker) >= 20
    languages = set(db.session.scalars(sa.select(Claim.language).distinct()))
    assert languages == {"en", "uk", "ru"}
    states = set(db.session.scalars(sa.select(Verdict.state).distinct()))
    assert states == {s.value for s in VerdictState}
    # Every claim has a topic tag; claims past "logged" have evidence, unless dismissed early.
    assert count(Claim, ~Claim.id.in_(sa.select(claim_tags.c.claim_id))) == 0
    worked = Claim.status.in_(["researching", "in_review", "published"])
    assert count(Claim, worked, ~Claim.id.in_(sa.select(Evidence.claim_id))) == 0
    lengths = [len(t.split()) for t in db.session.scalars(sa.select(Claim.text))]
    assert 12 <= min(lengths) and max(lengths) <= 40


def test_generated_rows_keep_the_workflow_invariants(generated: Any) -> None:
    published = list(
        db.session.execute(
            sa.select(Claim, Verdict)
            .join(Verdict, Verdict.id == Claim.published_verdict_id)
            .where(Claim.status == "published")
        ).all()
    )
    assert published and len(published) == count(Claim, Claim.status == "published")
    for claim, verdict in published:
        assert verdict.claim_id == claim.id
        assert verdict.state == "published" and verdict.rating_id is not None
        assert claim.published_at is not None and verdict.published_at is not None
        assert claim.published_rating_id == verdict.rating_id  # kept on the claim
        # The generator writes the HTML publication would store, built without Markdown.
        assert verdict.explanation_html == str(render_markdown(verdict.explanation))
    never_published = Verdict.state.in_(["draft", "sent_back", "submitted"])
    assert count(Verdict, never_published, Verdict.explanation_html.is_not(None)) == 0
    assert count(Verdict, Verdict.state == "superseded", Verdict.explanation_html.is_(None)) == 0
    assert (
        count(Claim, Claim.published_verdict_id.is_(None), Claim.published_rating_id.is_not(None))
        == 0
    )
    # A public claim in review is a correction: the published version stays up.
    assert count(Claim, Claim.status == "in_review", Claim.published_verdict_id.is_not(None)) > 0
    assert count(Claim, Claim.status.in_(["logged", "researching", "dismissed"]),
                 Claim.published_verdict_id.is_not(None)) == 0  # fmt: skip
    assert count(Claim, Claim.status == "dismissed", Claim.dismiss_reason.is_(None)) == 0
    # Four eyes: nobody approved their own verdict.
    assert (
        count(
            VerdictApproval,
            VerdictApproval.verdict_id == Verdict.id,
            VerdictApproval.editor_id == Verdict.author_id,
        )
        == 0
    )
    conn = db.session.connection()
    if conn.dialect.name == "sqlite":  # PostgreSQL enforces foreign keys itself
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []


def test_search_finds_generated_published_claims_only(generated: Any) -> None:
    conn = db.session.connection()
    published = db.session.scalars(
        sa.select(Claim).where(Claim.status == "published").order_by(Claim.id).limit(5)
    ).all()
    for claim in published:
        page = search_claims(conn, words(claim.text), per_page=N)
        assert claim.id in page.ids, claim.text
    logged = db.session.scalars(sa.select(Claim).where(Claim.status == "logged").limit(3)).all()
    for claim in logged:
        assert claim.id not in search_claims(conn, words(claim.text), per_page=N).ids
    common = search_claims(conn, "percent", per_page=N)
    assert common.total > N // 5


def test_generate_refuses_a_database_with_claims(generated: Any, runner: Any) -> None:
    again = runner.invoke(args=["demo", "generate", "--claims", "10", "--quiet"])
    assert again.exit_code == 1
    assert "already has claims" in again.output
    assert count(Claim) == N
    more = runner.invoke(args=["demo", "generate", "--claims", "20", "--append", "--quiet"])
    assert more.exit_code == 0, more.output
    assert count(Claim) == N + 20
    # Appending reuses the synthetic newsroom instead of adding a second one.
    assert " users" not in more.output


def test_app_keeps_working_after_generation(generated: Any, make_claim: Any) -> None:
    """Ids were written explicitly; new rows must still get fresh ones."""
    claim = make_claim("published", text="The synthetic harbour of Qwertavia cost 5 million.")
    assert claim.id > N
    assert claim.id in search_claims(db.session.connection(), "qwertavia").ids


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--claims", "0"], "between 1 and"),
        (["--claims", "10", "--batch", "0"], "--batch must be"),
    ],
)
def test_generate_rejects_bad_sizes(app: Flask, runner: Any, args: list[str], message: str) -> None:
    result = runner.invoke(args=["demo", "generate", *args, "--quiet"])
    assert result.exit_code == 1
    assert message in result.output
    assert count(Claim) == 0


def test_broad_search_ranks_only_the_newest_window(
    generated: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above RARE_LIMIT matches only the newest RANK_WINDOW are ranked: as at a million claims."""
    from factcheck.search import query

    monkeypatch.setattr(query, "RARE_LIMIT", 40)
    monkeypatch.setattr(query, "RANK_WINDOW", 25)
    conn = db.session.connection()
    page = search_claims(conn, "percent", per_page=100)
    assert page.total_is_estimate and page.total == 25
    published = set(
        db.session.scalars(sa.select(Claim.id).where(Claim.published_verdict_id.is_not(None)))
    )
    assert set(page.ids) <= published
    # The window is the newest matches.
    every_match = backend_for(conn).matching_ids(conn, ["percent"], N, newest=False)
    assert len(every_match) > 40
    assert set(page.ids) == set(sorted(every_match)[-25:])
    # A word's prefix still finds it, broad or not.
    assert search_claims(conn, "percen", per_page=100).total == 25
    claim = db.session.get(Claim, max(every_match))
    narrow = search_claims(conn, "percen " + words(claim.text), per_page=100)
    assert claim.id in narrow.ids and not narrow.total_is_estimate


@pytest.mark.parametrize("word", ["percent", "pensioners", "kindergartens", "hryvnias", "village"])
def test_newest_matches_are_exactly_the_newest(generated: Any, word: str) -> None:
    """Whichever way the backend reaches them (walk, bitmap range, collect all)."""
    conn = db.session.connection()
    backend = backend_for(conn)
    if word == "village":  # an invented place: a handful of matches
        word = max(words(db.session.get(Claim, N // 2).text).split(), key=len).lower()  # type: ignore[union-attr]
    every = sorted(backend.matching_ids(conn, [word], 10 * N, newest=False), reverse=True)
    assert every, word
    for limit in (1, 3, 20, 200):
        assert backend.matching_ids(conn, [word], limit, newest=True) == every[:limit]


@pytest.mark.parametrize("misjudged", [0.2, 1.0, 20.0])
def test_newest_matches_survive_wrong_statistics(
    generated: Any, monkeypatch: pytest.MonkeyPatch, misjudged: float
) -> None:
    """PostgreSQL guesses how far back the newest matches lie; a bad guess costs time only."""
    from factcheck.search.backends import PostgresBackend, forget_statistics

    conn = db.session.connection()
    if conn.dialect.name != "postgresql":
        pytest.skip("the estimate-guided range is PostgreSQL's")
    backend = backend_for(conn)
    every = sorted(backend.matching_ids(conn, ["pensioners"], N, newest=False), reverse=True)
    monkeypatch.setattr(PostgresBackend, "DENSE", 2.0)  # never the plain walk
    monkeypatch.setattr(
        PostgresBackend,
        "estimated_matches",
        staticmethod(lambda c, q, *table: len(every) * misjudged),
    )
    forget_statistics()
    try:
        for limit in (1, 5, len(every)):
            assert backend.matching_ids(conn, ["pensioners"], limit, newest=True) == every[:limit]
    finally:
        forget_statistics()


def test_every_generated_row_reads_back_through_the_models(generated: Any) -> None:
    """The bulk writer puts each value in its own column: every mapped row loads, and
    each date column holds a date (a value in the wrong column once made pages fail)."""
    from datetime import date, datetime

    for mapper in db.Model.registry.mappers:
        model = mapper.class_
        rows = list(db.session.scalars(sa.select(model).limit(200)))
        for column in mapper.columns:
            try:
                wanted = column.type.python_type
            except NotImplementedError:
                continue
            if wanted not in (datetime, date, int, str):
                continue
            for row in rows:
                value = getattr(row, mapper.get_property_by_column(column).key)
                assert value is None or isinstance(value, wanted), (
                    f"{model.__name__}.{column.key} = {value!r}"
                )
