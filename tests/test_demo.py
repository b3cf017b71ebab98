"""`factcheck demo load`: a fictional newsroom with every workflow stage, loaded once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from factcheck.extensions import db
from factcheck.models import (
    AuditEvent,
    Claim,
    ClaimStatus,
    DismissReason,
    Evidence,
    Rating,
    Role,
    Stance,
    User,
    Verdict,
    VerdictState,
)
from factcheck.search import search_claims
from factcheck.services.demo import DEMO_DIR, parse_sample, read_demo_article, read_scenario

from .conftest import PASSWORD, TEST_DATABASE_URL, fresh_database, make_app, migrate_to_head

LOGIN_LINE = re.compile(r"^\s+(admin|editor|fact_checker)\s+(\S+@\S+)\s+(\S+)$", re.MULTILINE)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """An app on a database of its own, filled once by `demo load --if-empty`."""
    engine = "postgresql" if TEST_DATABASE_URL.startswith("postgres") else "sqlite"
    with fresh_database(engine, tmp_path_factory.mktemp("demo")) as url:
        app = make_app(url)
        migrate_to_head(app)
        result = app.test_cli_runner().invoke(args=["demo", "load", "--if-empty"])
        assert result.exit_code == 0, result.output
        with app.app_context():
            yield app, result.output
            db.session.remove()
            db.engine.dispose()


def scalar_set(statement: Any) -> set[Any]:
    return set(db.session.scalars(statement))


def table_counts() -> dict[str, int]:
    count = sa.select(sa.func.count())
    return {t.name: db.session.scalar(count.select_from(t)) or 0 for t in db.metadata.sorted_tables}


def test_demo_load_prints_every_login_once(demo: tuple[Flask, str]) -> None:
    _, output = demo
    logins = LOGIN_LINE.findall(output)
    roles = [role for role, _, _ in logins]
    assert roles.count("admin") >= 1 and roles.count("editor") >= 2
    assert roles.count("fact_checker") >= 2
    passwords = [password for _, _, password in logins]
    assert len(set(passwords)) == len(passwords) and all(len(p) >= 12 for p in passwords)
    assert all(output.count(p) == 1 for p in passwords)
    assert "25 claims" in output


def test_demo_accounts_sign_in_with_the_printed_passwords(demo: tuple[Flask, str]) -> None:
    app, output = demo
    for role, email, password in LOGIN_LINE.findall(output):
        client = app.test_client()
        response = client.post("/login", data={"email": email, "password": password})
        assert response.status_code == 302, (role, response.get_data(as_text=True)[:300])
        assert db.session.scalar(sa.select(User.role).where(User.email == email)) == role
    assert scalar_set(sa.select(User.role)) == {r.value for r in Role}


def test_demo_claims_cover_every_workflow_status(demo: tuple[Flask, str]) -> None:
    counts = dict(
        db.session.execute(sa.select(Claim.status, sa.func.count()).group_by(Claim.status)).all()
    )
    assert set(counts) == {s.value for s in ClaimStatus}
    assert sum(counts.values()) >= 20
    assert min(counts.values()) >= 3


def test_demo_dismissals_give_every_reason_and_name_the_duplicate(
    demo: tuple[Flask, str],
) -> None:
    dismissed = db.session.scalars(sa.select(Claim).where(Claim.status == "dismissed")).all()
    assert {c.dismiss_reason for c in dismissed} == {r.value for r in DismissReason}
    duplicate = next(c for c in dismissed if c.dismiss_reason == "duplicate")
    assert duplicate.duplicate_of is not None and duplicate.duplicate_of.status == "published"


def test_demo_evidence_has_every_stance(demo: tuple[Flask, str]) -> None:
    assert scalar_set(sa.select(Evidence.stance)) == {s.value for s in Stance}
    # Every claim that went to research has evidence to show for it.
    researched = sa.select(Claim.id).where(Claim.status.in_(["in_review", "published"]))
    with_evidence = sa.select(Evidence.claim_id)
    assert scalar_set(researched) <= scalar_set(with_evidence)


def test_demo_published_verdicts_use_every_rating(demo: tuple[Flask, str]) -> None:
    used = scalar_set(
        sa.select(Rating.slug)
        .join(Verdict, Verdict.rating_id == Rating.id)
        .where(Verdict.state == VerdictState.PUBLISHED)
    )
    assert used == scalar_set(sa.select(Rating.slug))
    assert len(used) == 7


def test_demo_has_a_published_correction_and_one_in_progress(demo: tuple[Flask, str]) -> None:
    corrected = db.session.scalars(
        sa.select(Claim)
        .join(Verdict, Verdict.id == Claim.published_verdict_id)
        .where(Claim.status == "published", Verdict.correction_note.is_not(None))
    ).all()
    assert len(corrected) == 1
    states = scalar_set(sa.select(Verdict.state).where(Verdict.claim_id == corrected[0].id))
    assert VerdictState.SUPERSEDED in states
    # A correction under review keeps the published version public.
    in_progress = db.session.scalars(
        sa.select(Claim).where(Claim.status == "in_review", Claim.published_verdict_id.is_not(None))
    ).all()
    assert len(in_progress) == 1


def test_demo_went_through_the_services(demo: tuple[Flask, str]) -> None:
    """Every claim has its audit trail, and sends back and approvals happened for real."""
    claim_ids = scalar_set(sa.select(Claim.id))
    created = sa.select(AuditEvent.claim_id).where(AuditEvent.action == "claim.create")
    assert scalar_set(created) == claim_ids
    actions = scalar_set(sa.select(AuditEvent.action))
    assert {
        "claim.start",
        "claim.assign",
        "claim.submit",
        "claim.send_back",
        "claim.approve",
        "claim.dismiss",
        "claim.correct",
        "evidence.add",
        "verdict.save",
        "user.create",
    } <= actions
    # Four eyes held: nobody approved a revision they wrote.
    from factcheck.models import VerdictApproval

    pairs = db.session.execute(
        sa.select(Verdict.author_id, VerdictApproval.editor_id).join(VerdictApproval)
    ).all()
    assert pairs and all(author != editor for author, editor in pairs)


def test_demo_is_multilingual_and_searchable(demo: tuple[Flask, str]) -> None:
    assert {"en", "uk", "ru"} <= scalar_set(sa.select(Claim.language))
    conn = db.session.connection()
    found = {
        word: db.session.get(Claim, search_claims(conn, word).ids[0])
        for word in ("зерна", "больниц", "measles")
    }
    assert found["зерна"].language == "uk"
    assert found["больниц"].language == "ru"
    assert found["measles"].language == "en"
    assert all(claim.is_public for claim in found.values())


def test_demo_public_claims_are_exactly_those_with_a_published_verdict(
    demo: tuple[Flask, str],
) -> None:
    public = scalar_set(sa.select(Claim.id).where(Claim.published_verdict_id.is_not(None)))
    published_or_correcting = scalar_set(
        sa.select(Claim.id).where(
            (Claim.status == "published")
            | ((Claim.status == "in_review") & Claim.published_at.is_not(None))
        )
    )
    assert public == published_or_correcting and len(public) == 12


def test_demo_speakers_and_sources_are_described(demo: tuple[Flask, str]) -> None:
    from factcheck.models import Source, Speaker

    speakers = db.session.scalars(sa.select(Speaker)).all()
    assert len(speakers) >= 6
    for speaker in speakers:
        assert speaker.title and speaker.affiliation and speaker.aliases, speaker.name
    assert {s.kind for s in speakers} == {"person", "organization"}
    assert len(scalar_set(sa.select(Source.kind))) >= 3


def test_demo_articles_are_in_the_sample_format() -> None:
    scenario = read_scenario()
    outlets = {s["name"] for s in scenario["sources"]}
    files = sorted(Path(DEMO_DIR).glob("*.txt"))
    assert len(files) == len(scenario["articles"]) >= 5
    for path in files:
        article = read_demo_article(path)
        fallback = parse_sample(path.read_text(encoding="utf-8"))
        assert article.source in outlets
        # The importer's reader (when present) and the fallback read the same article.
        assert (article.title, article.source, article.rubric, article.published_at) == (
            fallback.title,
            fallback.source,
            fallback.rubric,
            fallback.published_at,
        )
        assert article.body == fallback.body and article.body.count("\n\n") >= 2
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        assert first_line == f"date {article.published_at:%Y-%m-%d} {article.source}"


def test_demo_load_refuses_a_database_with_an_account(app: Flask, runner: Any) -> None:
    from factcheck.services.accounts import create_user

    create_user(None, email="only@example.org", name="Only", role="admin", password=PASSWORD)
    before = table_counts()
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 1
    assert "not empty" in result.output and "only fills an empty database" in result.output
    db.session.expire_all()
    assert table_counts() == before


def test_demo_load_if_empty_is_a_one_line_note_on_a_database_with_claims(
    runner: Any, make_claim: Any
) -> None:
    make_claim("logged")
    claims_before = db.session.scalar(sa.select(sa.func.count(Claim.id)))
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0
    assert result.output.strip().count("\n") == 0 and "not loaded" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Claim.id))) == claims_before
