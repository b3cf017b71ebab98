"""`factcheck backup` and `factcheck restore`: complete, portable, and refused when unsafe.

The round trip that matters: back up (from whichever engine the suite runs on),
restore into an empty database of the other engine (and of the same one), back
up again, and get the very same bytes.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from factcheck.extensions import db
from factcheck.models import (
    ApiToken,
    Article,
    AuditEvent,
    Claim,
    ImportCandidate,
    Notification,
    SlugRedirect,
    Speaker,
    User,
    Verdict,
)
from factcheck.services import accounts, catalog, reviews, verdicts
from factcheck.services import claims as claim_service
from factcheck.workflow import Action

from .conftest import (
    PASSWORD,
    TEST_POSTGRES_URL,
    drop_everything,
    make_app,
    migrate_to_head,
    sqlalchemy_url,
)


def restore_postgres_url() -> str:
    """The suite's PostgreSQL database name + "_restore" (created when missing)."""
    url = sa.engine.make_url(sqlalchemy_url(TEST_POSTGRES_URL))
    target = url.set(database=f"{url.database}_restore")
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        ).first()
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    return target.render_as_string(hide_password=False)


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[Callable[[str], Flask]]:
    """empty_database("sqlite" | "postgresql") -> an app on a new database migrated to head."""
    made: list[Flask] = []

    def build(engine: str, *, migrate: bool = True) -> Flask:
        if engine == "postgresql":
            if not TEST_POSTGRES_URL:
                pytest.skip("no PostgreSQL: set TEST_POSTGRES_URL or TEST_DATABASE_URL")
            url = restore_postgres_url()
        else:
            url = f"sqlite:///{tmp_path / f'restore-{len(made)}.db'}"
        drop_everything(url)
        if migrate:
            migrate_to_head(make_app(url))
        target = make_app(url)
        made.append(target)
        return target

    yield build
    for target in made:
        with target.app_context():
            db.engine.dispose()


def run(app: Flask, *args: str) -> Any:
    """Invoke a command against ``app``'s own database (its app context, not the test's)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def row_counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        counts = {
            t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t)) or 0
            for t in db.metadata.sorted_tables
        }
        db.session.remove()
        return counts


def restored_counts(app: Flask) -> dict[str, int]:
    """What a restore of ``app``'s dump holds: no API tokens, one audit event more."""
    counts = row_counts(app) | {"api_tokens": 0}
    counts["audit_events"] += 1
    return counts


@pytest.fixture
def newsroom(app, make_claim, users, api_token) -> dict[str, Any]:
    """Data in every table and workflow state, with the awkward cases a dump must keep."""
    checker, editor, admin = users["fact_checker"], users["editor"], users["admin"]
    published = make_claim(
        "published",
        tags=["Budget", "Дороги"],
        source="Daily Fictional",
        article_url="https://daily.example.org/roads",
        quote="Він сказав: «40 мільйонів» 🚧\nсекунда рядок",
        checkworthiness=0.1 + 0.2,
    )
    # A correction: the first verdict superseded, the second published with a note.
    corrected = make_claim("published", text="The region opened 200 new schools in 2024.")
    reviews.transition(editor, corrected, Action.CORRECT, comment="The ministry revised its count.")
    latest = verdicts.latest_revision(corrected.id)
    verdicts.save_draft(
        editor,
        corrected,
        latest.revision,
        verdicts.DraftInput(rating="mostly-false", summary="It was 120.", explanation="*Revised*."),
    )
    reviews.transition(admin, corrected, Action.APPROVE)
    # A duplicate pointing at a claim with a HIGHER id: restore must defer that reference.
    duplicate = make_claim("logged", text="Exports grew by half over the last year.")
    original = make_claim("in_review", text="Exports grew by 50 percent over the last year.")
    reviews.transition(
        editor, duplicate, Action.DISMISS, reason="duplicate", duplicate_of=original.id
    )
    make_claim("researching", text="The new bridge cost twice the original estimate.")
    make_claim("dismissed", text="This will be the best year ever for the city.")

    api_token("editor")
    revoked = accounts.create_api_token(checker, checker, "old laptop", password=PASSWORD)
    accounts.revoke_api_token(checker, revoked.row)
    accounts.issue_password_link(admin, checker, "reset")
    spare = accounts.create_user(
        admin, email="spare@example.org", name="Spare Person", role="fact_checker"
    )
    accounts.set_active(admin, spare, False, spare.version)

    speaker = db.session.scalars(sa.select(Speaker).where(Speaker.slug == "alma-testperson")).one()
    catalog.update_speaker(
        editor,
        speaker,
        speaker.version,
        {"name": "Alma Testperson", "title": "Mayor of Fictionville", "aliases": ["The Mayor"]},
    )
    twin = catalog.create_speaker(editor, "A. Testperson")
    db.session.commit()
    catalog.merge_speakers(editor, speaker, twin)

    article = Article(
        title="Roads and schools",
        body="Full text…",
        published_at=datetime(2025, 1, 14, 9, 30),  # the outlet's local time, no zone
        format="text",
        imported_by_id=checker.id,
    )
    db.session.add(article)
    db.session.flush()
    db.session.add(
        ImportCandidate(
            article_id=article.id,
            position=1,
            text="Roads cost 40 million.",
            sentence="She said roads cost 40 million.",
            score=0.875,
            reasons=["number", {"nested": ["json", 1.5, True, None]}],
        )
    )
    db.session.commit()
    return {"published": published, "duplicate": duplicate, "original": original}


def test_backup_restore_backup_gives_the_same_bytes_on_the_same_engine(
    app, runner, newsroom, tmp_path, empty_database
):
    engine = db.engine.dialect.name
    _round_trip(app, runner, tmp_path, empty_database(engine))


def test_backup_restore_backup_gives_the_same_bytes_across_engines(
    app, runner, newsroom, tmp_path, empty_database
):
    other = "sqlite" if db.engine.dialect.name == "postgresql" else "postgresql"
    _round_trip(app, runner, tmp_path, empty_database(other))


def _round_trip(app: Flask, runner: Any, tmp_path: Path, target: Flask) -> None:
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    made = runner.invoke(args=["backup", str(first)])
    assert made.exit_code == 0, made.output
    assert "Backed up" in made.output
    restored = run(target, "restore", "--yes", str(first))
    assert restored.exit_code == 0, restored.output
    assert "the search index was rebuilt" in restored.output
    again = run(target, "backup", str(second))
    assert again.exit_code == 0, again.output
    # The same bytes, but for the restore's own audit event (and the end counts and
    # signature that follow from it).
    before = first.read_text(encoding="utf-8").splitlines()
    after = second.read_text(encoding="utf-8").splitlines()
    added = [line for line in after if '"backup.restore"' in line]
    assert len(added) == 1
    assert [line for line in after if line not in added][:-2] == before[:-2]
    assert row_counts(target) == restored_counts(app)

    lines = first.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    assert header == {
        "format": "factcheck-backup",
        "version": 1,
        "schema_revision": header["schema_revision"],
    }
    tables = [json.loads(line)["table"] for line in lines if line.startswith('{"columns"')]
    assert "audit_events" in tables and "claims_fts" not in tables
    assert tables.index("claims") < tables.index("verdicts") < tables.index("verdict_approvals")

    _the_restored_database_works(target)


def _the_restored_database_works(target: Flask) -> None:
    with target.app_context():
        # Ids, references and typed values survived.
        duplicate = db.session.scalars(
            sa.select(Claim).where(Claim.dismiss_reason == "duplicate")
        ).one()
        assert duplicate.duplicate_of_id > duplicate.id
        published = db.session.scalars(
            sa.select(Claim).where(Claim.checkworthiness.is_not(None))
        ).one()
        assert published.checkworthiness == 0.1 + 0.2
        assert published.quote == "Він сказав: «40 мільйонів» 🚧\nсекунда рядок"
        assert published.published_verdict.state == "published"
        assert published.created_at.tzinfo is not None
        assert db.session.scalars(sa.select(Verdict.state)).all().count("superseded") == 1
        article = db.session.scalars(
            sa.select(Article).where(Article.title == "Roads and schools")
        ).one()
        assert article.published_at == datetime(2025, 1, 14, 9, 30)
        candidate = db.session.scalars(sa.select(ImportCandidate)).one()
        assert candidate.reasons == ["number", {"nested": ["json", 1.5, True, None]}]
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) > 20
        assert db.session.scalar(sa.select(sa.func.count(Notification.id))) > 0
        assert db.session.scalar(sa.select(sa.func.count(SlugRedirect.id))) == 1
        assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0
        assert db.session.scalars(sa.select(User.active)).all().count(False) == 1
        most = db.session.scalar(sa.select(sa.func.max(Claim.id)))
        # New rows get fresh ids (PostgreSQL's sequences were moved past the restored ids).
        checker = db.session.scalars(sa.select(User).where(User.role == "fact_checker")).first()
        fresh = claim_service.log_claim(
            checker, claim_service.ClaimInput(text="A new claim after the restore.", speaker="Nova")
        )
        assert fresh.id == most + 1
        db.session.remove()

    # The search index was rebuilt: the public can find the restored fact-checks.
    client = target.test_client()
    found = client.get("/api/v1/search?q=roads").get_json()
    assert found["total"] == 1
    assert client.get("/api/v1/claims").get_json()["total"] == 2


def test_compressed_backup_restores(app, runner, newsroom, tmp_path, empty_database):
    plain, packed = tmp_path / "b.jsonl", tmp_path / "b.jsonl.gz"
    assert runner.invoke(args=["backup", str(plain)]).exit_code == 0
    assert runner.invoke(args=["backup", str(packed)]).exit_code == 0
    assert gzip.decompress(packed.read_bytes()) == plain.read_bytes()
    packed_again = tmp_path / "again.jsonl.gz"
    assert runner.invoke(args=["backup", str(packed_again)]).exit_code == 0
    assert packed_again.read_bytes() == packed.read_bytes()  # no timestamp in the gzip header
    target = empty_database("sqlite")
    result = run(target, "restore", "--yes", str(packed))
    assert result.exit_code == 0, result.output
    assert row_counts(target) == restored_counts(app)


def test_restore_refuses_a_database_that_is_not_empty(app, runner, newsroom, tmp_path):
    path = tmp_path / "b.jsonl"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    before = row_counts(app)
    result = runner.invoke(args=["restore", "--yes", str(path)])
    assert result.exit_code == 1
    assert "The database is not empty" in result.output
    assert row_counts(app) == before


def _backup_lines(runner: Any, tmp_path: Path) -> list[str]:
    path = tmp_path / "source.jsonl"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


@pytest.mark.parametrize(
    "mangle, message",
    [
        (
            lambda lines: ['{"format": "something-else", "version": 1}\n'] + lines[1:],
            "not a factcheck backup",
        ),
        (
            lambda lines: [lines[0].replace('"version":1', '"version":2')] + lines[1:],
            "format version 2",
        ),
        (
            lambda lines: (
                [lines[0].replace('"schema_revision":"', '"schema_revision":"9999-')] + lines[1:]
            ),
            "schema revision 9999-",
        ),
        (lambda lines: lines[:-2], "incomplete"),  # no end marker, no signature
        (lambda lines: lines[:-4] + lines[-3:], "row counts do not match"),
        (lambda lines: lines + lines[-1:], "data after the end"),
        (lambda lines: lines[:5] + ["{broken\n"] + lines[5:], "not valid JSON"),
        (
            lambda lines: lines[:1] + ['{"table": "secrets", "columns": []}\n'] + lines[1:],
            "unknown table 'secrets'",
        ),
        (lambda lines: [], "empty"),
    ],
)
def test_restore_refuses_unknown_or_broken_dumps_and_changes_nothing(
    app, runner, newsroom, tmp_path, empty_database, mangle, message
):
    path = tmp_path / "mangled.jsonl"
    path.write_text("".join(mangle(_backup_lines(runner, tmp_path))), encoding="utf-8")
    target = empty_database("sqlite")
    # Trusted on purpose: these checks stand behind the signature as well.
    result = run(target, "restore", "--yes", "--trust-unsigned", str(path))
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert set(row_counts(target).values()) == {0}


def test_restore_refuses_a_row_the_database_rejects_and_rolls_back(
    app, runner, newsroom, tmp_path, empty_database
):
    lines = _backup_lines(runner, tmp_path)
    claims_at = next(
        i
        for i, line in enumerate(lines)
        if line.startswith('{"columns"') and '"table":"claims"' in line
    )
    columns = json.loads(lines[claims_at])["columns"]
    row = json.loads(lines[claims_at + 1])
    row[columns.index("status")] = "pondering"  # refused by a CHECK constraint
    lines[claims_at + 1] = json.dumps(row) + "\n"
    path = tmp_path / "bad-row.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    target = empty_database("sqlite")
    result = run(target, "restore", "--yes", "--trust-unsigned", str(path))
    assert result.exit_code == 1
    assert "refused the backup's data" in result.output
    assert set(row_counts(target).values()) == {0}


def test_restore_into_an_unmigrated_database_says_what_to_do(
    runner, newsroom, tmp_path, empty_database
):
    lines = _backup_lines(runner, tmp_path)
    path = tmp_path / "b.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    target = empty_database("sqlite", migrate=False)
    result = run(target, "restore", "--yes", str(path))
    assert result.exit_code == 1
    assert "run `factcheck db upgrade` first" in result.output


def test_backup_and_restore_report_bad_paths(app, runner, tmp_path):
    missing_dir = runner.invoke(args=["backup", str(tmp_path / "nope" / "b.jsonl")])
    assert missing_dir.exit_code == 1 and "does not exist" in missing_dir.output
    missing_file = runner.invoke(args=["restore", "--yes", str(tmp_path / "none.jsonl")])
    assert missing_file.exit_code == 1 and "There is no file" in missing_file.output
    assert not list(tmp_path.glob(".factcheck-backup-*"))


def test_demo_data_round_trips(app, runner, tmp_path, empty_database):
    demo = pytest.importorskip("factcheck.services.demo")
    demo.load_demo()
    other = "sqlite" if db.engine.dialect.name == "postgresql" else "postgresql"
    if other == "postgresql" and not TEST_POSTGRES_URL:
        other = "sqlite"
    first, second = tmp_path / "demo1.jsonl", tmp_path / "demo2.jsonl"
    assert runner.invoke(args=["backup", str(first)]).exit_code == 0
    target = empty_database(other)
    assert run(target, "restore", "--yes", str(first)).exit_code == 0
    assert run(target, "backup", str(second)).exit_code == 0
    before = first.read_text(encoding="utf-8").splitlines()
    after = second.read_text(encoding="utf-8").splitlines()
    assert [line for line in after if '"backup.restore"' not in line][:-2] == before[:-2]


# --- a dump is not trusted blindly ------------------------------------------------------


def _table_rows(lines: list[str], table: str) -> tuple[int, list[str]]:
    at = next(
        i
        for i, line in enumerate(lines)
        if line.startswith('{"columns"') and f'"table":"{table}"' in line
    )
    return at, json.loads(lines[at])["columns"]


def _make_a_new_admin(lines: list[str]) -> list[str]:
    """What an attacker with write access to the backups does: promote a known account."""
    at, columns = _table_rows(lines, "users")
    row = json.loads(lines[at + 1])
    row[columns.index("email")] = "mallory@example.org"
    row[columns.index("role")] = "admin"
    lines = list(lines)
    lines[at + 1] = json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"
    return lines


def test_an_edited_dump_with_a_new_admin_is_refused(
    app, runner, newsroom, tmp_path, empty_database
):
    path = tmp_path / "edited.jsonl"
    path.write_text("".join(_make_a_new_admin(_backup_lines(runner, tmp_path))), encoding="utf-8")
    target = empty_database("sqlite")

    refused = run(target, "restore", "--yes", str(path))

    assert refused.exit_code == 1
    assert "signed with another key, or was changed after it was made" in refused.output
    assert set(row_counts(target).values()) == {0}


def test_a_trusted_unsigned_dump_lists_its_admins_and_is_audited(
    app, runner, newsroom, tmp_path, empty_database
):
    lines = _make_a_new_admin(_backup_lines(runner, tmp_path))[:-1]  # signature removed too
    path = tmp_path / "unsigned.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    target = empty_database("sqlite")

    assert "is not signed" in run(target, "restore", "--yes", str(path)).output
    restored = run(target, "restore", "--yes", "--trust-unsigned", str(path))

    assert restored.exit_code == 0, restored.output
    assert "NOT signed" in restored.output
    assert "2 account(s) with the admin role" in restored.output
    assert "mallory@example.org" in restored.output
    with target.app_context():
        event = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "backup.restore")
        ).one()
        assert event.after["signed"] is False
        assert "mallory@example.org" in event.after["admins"]
        db.session.remove()


def test_a_dump_signed_with_another_key_is_refused(
    runner, newsroom, tmp_path, empty_database, another_app
):
    path = tmp_path / "elsewhere.jsonl"
    elsewhere = another_app(BACKUP_SIGNING_KEY="another installation's key")
    with elsewhere.app_context():
        made = elsewhere.test_cli_runner().invoke(args=["backup", str(path)])
    assert made.exit_code == 0, made.output
    target = empty_database("sqlite")

    result = run(target, "restore", "--yes", str(path))

    assert result.exit_code == 1 and "signed with another key" in result.output
    assert set(row_counts(target).values()) == {0}


def test_restore_asks_and_refuses_without_a_terminal_or_yes(
    runner, newsroom, tmp_path, empty_database
):
    path = tmp_path / "b.jsonl"
    path.write_text("".join(_backup_lines(runner, tmp_path)), encoding="utf-8")
    target = empty_database("sqlite")

    result = run(target, "restore", str(path))

    assert result.exit_code == 1
    assert "no terminal to ask on; pass --yes" in result.output
    assert set(row_counts(target).values()) == {0}


def test_dumps_hold_no_session_or_api_tokens_and_restore_ends_old_sessions(
    app, runner, newsroom, users, auth, client, tmp_path, empty_database
):
    auth.login(users["editor"])
    assert client.get("/desk/").status_code == 200
    lines = _backup_lines(runner, tmp_path)
    users_at, columns = _table_rows(lines, "users")
    rows = []
    for line in lines[users_at + 1 :]:
        if not line.startswith("["):
            break
        rows.append(json.loads(line))
    assert len(rows) == 4
    assert [row[columns.index("session_token")] for row in rows] == [None] * 4
    token_at, _ = _table_rows(lines, "api_tokens")
    assert not lines[token_at + 1].startswith("[")  # the table, without its rows
    text = "".join(lines)
    old_session = users["editor"].session_token
    assert old_session not in text
    assert all(t.token_hash not in text for t in db.session.scalars(sa.select(ApiToken)))

    path = tmp_path / "b.jsonl"
    path.write_text(text, encoding="utf-8")
    target = empty_database("sqlite")
    assert run(target, "restore", "--yes", str(path)).exit_code == 0

    # The editor's cookie, signed with the same SECRET_KEY, no longer names a session.
    moved = target.test_client()
    moved.set_cookie("session", client.get_cookie("session").value)
    assert moved.get("/desk/").status_code == 302
    with target.app_context():
        restored = db.session.scalars(sa.select(User.session_token)).all()
        assert len(set(restored)) == len(restored) and old_session not in restored
        db.session.remove()
