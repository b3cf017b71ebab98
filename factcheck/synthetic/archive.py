"""A synthetic fact-check archive for benchmarks: `factcheck demo generate`.

Everything is invented: the people, outlets, towns and figures come from word
lists and syllables, never from the news. The shape follows a real archive:
most claims published, a few in every other workflow state, a few thousand
speakers of whom some speak very often, English with some Ukrainian and
Russian, verdict revisions with corrections, evidence and audit events.

Rows are written with SQLAlchemy Core in batches (COPY on PostgreSQL), which
bypasses the ORM's search-index hook, so the index is rebuilt once at the end,
and ANALYZE refreshes the planner's statistics.
"""

from __future__ import annotations

import bisect
import itertools
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.engine import Connection

from ..errors import Conflict, ValidationFailed, tr
from ..extensions import db
from ..models import (
    Article,
    AuditEvent,
    Claim,
    Evidence,
    Rating,
    Verdict,
    VerdictApproval,
    claim_tags,
)
from ..services.defaults import ensure_defaults
from .reference import (
    STAFF_DOMAIN,  # noqa: F401  (re-exported)
    _sources,
    _speakers,
    _staff,
    _tags,
    _zipf_picker,
)
from .words import CONTEXTS, EXTRA_TAGS, PUBLISHERS, RUBRICS, SOURCE_STEMS, _Words
from .writer import Counts, _ids, _Writer

MAX_CLAIMS = 5_000_000
ARCHIVE_START = datetime(2017, 1, 1, tzinfo=UTC)
ARCHIVE_END = datetime(2026, 1, 1, tzinfo=UTC)
PUBLISHED_VERDICT_FK = "fk_claims_published_verdict_id_verdicts"

# (status, share): an archive is mostly published work.
STATUS_SHARES = [
    ("published", 0.80),
    ("dismissed", 0.06),
    ("researching", 0.05),
    ("logged", 0.05),
    ("in_review", 0.04),
]
RATING_SHARES = {
    "false": 0.24,
    "mostly-false": 0.19,
    "misleading": 0.15,
    "half-true": 0.15,
    "mostly-true": 0.11,
    "true": 0.10,
    "unproven": 0.06,
}
LANGUAGE_SHARES = [("en", 0.84), ("uk", 0.11), ("ru", 0.05)]
DISMISS_REASONS = ["opinion", "prediction", "not_check_worthy", "duplicate"]


class _Dice(random.Random):
    """random.Random with cheaper randint and choice (uniform enough for invented data)."""

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq: Any) -> Any:
        return seq[int(self.random() * len(seq))]


def _pick_weighted(rng: random.Random, shares: list[tuple[str, float]]) -> Callable[[], str]:
    names = [n for n, _ in shares]
    cum = list(itertools.accumulate(s for _, s in shares))
    total = cum[-1]

    def pick() -> str:
        return names[bisect.bisect_left(cum, rng.random() * total)]

    return pick


def claims_exist(conn: Connection) -> bool:
    return conn.execute(select(Claim.id).limit(1)).first() is not None


def generate_archive(
    claims: int,
    *,
    seed: int = 1,
    batch: int = 5000,
    append: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Counts:
    """Write ``claims`` synthetic claims with everything around them; one transaction."""
    if not 1 <= claims <= MAX_CLAIMS:
        raise ValidationFailed(
            f"--claims must be between 1 and {MAX_CLAIMS:,}.",
            fields={"claims": tr("Out of range.")},
        )
    if not 1 <= batch <= 100_000:
        raise ValidationFailed(
            tr("--batch must be between 1 and 100,000."), fields={"batch": tr("Out of range.")}
        )
    ensure_defaults()
    counts = Counts()
    started = time.perf_counter()
    with db.engine.begin() as conn:
        if not append and claims_exist(conn):
            raise Conflict(
                tr(
                    "The database already has claims. Generate into an empty database, "
                    "or pass --append to add synthetic claims to what is there."
                )
            )
        pg = conn.dialect.name == "postgresql"
        # claims.published_verdict_id and verdicts.claim_id point at each other: the
        # constraint is dropped while rows go in and put back (checked) before commit.
        cyclic_fk = pg and conn.scalar(
            text(
                "SELECT count(*) FROM pg_constraint WHERE conname = :name AND conrelid = 'claims'::regclass"
            ),
            {"name": PUBLISHED_VERDICT_FK},
        )
        if cyclic_fk:
            conn.execute(text(f"ALTER TABLE claims DROP CONSTRAINT {PUBLISHED_VERDICT_FK}"))
        if not pg:
            conn.exec_driver_sql("PRAGMA cache_size = -262144")  # 256 MiB while building
        _Generator(conn, seed, batch, counts, progress).run(claims)
        counts.seconds["rows"] = time.perf_counter() - started
        if cyclic_fk:
            conn.execute(
                text(
                    f"ALTER TABLE claims ADD CONSTRAINT {PUBLISHED_VERDICT_FK} "
                    "FOREIGN KEY (published_verdict_id) REFERENCES verdicts (id)"
                )
            )
        if pg:
            # Ids were given explicitly: move each sequence past them.
            for table in counts.rows:
                if table != "claim_tags":
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                            f"(SELECT max(id) FROM {table}))"
                        )
                    )
        mark = time.perf_counter()
        from ..search import backend_for

        backend_for(conn).reindex(conn)
        counts.seconds["search_index"] = time.perf_counter() - mark
    mark = time.perf_counter()
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            # VACUUM too: it sets the visibility map, without which PostgreSQL cannot
            # answer counts from an index alone (autovacuum would, some time later).
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
        else:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    counts.seconds["analyze"] = time.perf_counter() - mark
    counts.seconds["total"] = time.perf_counter() - started
    return counts


@dataclass
class _Story:
    """One claim on its way through the workflow: its row and who works on it."""

    claim: dict[str, Any]
    created: datetime
    checker: int
    editor: int
    place: str
    language: str
    rows: dict[str, list[dict[str, Any]]]

    def verdict(self, gen: _Generator, rev: int, state: str, at: datetime) -> dict[str, Any]:
        return gen._verdict(
            self.claim["id"], rev, state, self.checker, at, self.place, self.created.year,
            self.language,
        )  # fmt: skip

    def event(
        self, gen: _Generator, at: datetime, actor: int, action: str, before: Any, after: Any
    ) -> None:
        self.rows["audit_events"].append(
            gen._event(at, actor, action, self.claim["id"], before, after)
        )


class _Generator:
    def __init__(
        self,
        conn: Connection,
        seed: int,
        batch: int,
        counts: Counts,
        progress: Callable[[int], None] | None,
    ) -> None:
        self.conn = conn
        self.rng = _Dice(seed)
        self.batch = batch
        self.counts = counts
        self.progress = progress or (lambda n: None)
        self.writer = _Writer(conn)

    def run(self, n: int) -> None:
        conn, rng, writer, counts = self.conn, self.rng, self.writer, self.counts
        self.checkers, self.editors = _staff(conn, writer, counts)
        ratings = dict(conn.execute(select(Rating.slug, Rating.id)).all())
        self.rating_ids = {slug: ratings[slug] for slug in RATING_SHARES if slug in ratings}
        if not self.rating_ids:
            raise Conflict(tr("The rating scale has none of the default ratings."))
        self.pick_rating = _pick_weighted(
            rng, [(slug, RATING_SHARES[slug]) for slug in self.rating_ids]
        )
        speakers = _speakers(conn, writer, rng, max(20, n // 300), counts)
        self.pick_speaker = _zipf_picker(rng, speakers, 0.9)
        self.sources = _sources(conn, writer, rng, counts)
        self.tag_ids = _tags(conn, writer, counts)
        self.extra_tags = [self.tag_ids[t] for t in EXTRA_TAGS]
        self.words = _Words(rng, max(20, int(n * 0.84 * 0.4 / 5)))  # ~5 claims per village
        self.pick_status = _pick_weighted(rng, STATUS_SHARES)
        self.branches: dict[str, Callable[[_Story], None]] = {
            "logged": self._logged,
            "dismissed": self._dismissed,
            "researching": self._researching,
            "in_review": self._in_review,
            "published": self._published,
        }
        self.pick_language = _pick_weighted(rng, LANGUAGE_SHARES)
        self.claim_id = _ids(conn, Claim)
        self.first_claim_id = next(self.claim_id)
        self.claim_id = itertools.count(self.first_claim_id)
        self.article_id = _ids(conn, Article)
        self.verdict_id = _ids(conn, Verdict)
        self.evidence_id = _ids(conn, Evidence)
        self.approval_id = _ids(conn, VerdictApproval)
        self.event_id = _ids(conn, AuditEvent)
        self.span = (ARCHIVE_END - ARCHIVE_START).total_seconds()
        self.n = n
        self.article: dict[str, Any] | None = None
        done = 0
        while done < n:
            size = min(self.batch, n - done)
            self._batch(done, size)
            done += size
            self.progress(size)

    def _batch(self, offset: int, size: int) -> None:
        rows: dict[str, list[dict[str, Any]]] = {
            name: []
            for name in ("articles", "claims", "claim_tags", "evidence", "verdicts", "approvals")
        }
        rows["audit_events"] = []
        for i in range(offset, offset + size):
            self._claim(i, rows)
        w = self.writer
        w.write(Article.__table__, rows["articles"])
        w.write(Claim.__table__, rows["claims"])
        w.write(claim_tags, rows["claim_tags"])
        w.write(Verdict.__table__, rows["verdicts"])
        w.write(VerdictApproval.__table__, rows["approvals"])
        w.write(Evidence.__table__, rows["evidence"])
        w.write(AuditEvent.__table__, rows["audit_events"])
        for name, table in (
            ("articles", "articles"),
            ("claims", "claims"),
            ("claim_tags", "claim_tags"),
            ("verdicts", "verdicts"),
            ("approvals", "verdict_approvals"),
            ("evidence", "evidence"),
            ("audit_events", "audit_events"),
        ):
            self.counts.add(table, len(rows[name]))

    def _claim(self, i: int, rows: dict[str, list[dict[str, Any]]]) -> None:
        rng, words = self.rng, self.words
        claim_id = next(self.claim_id)
        # Ids grow with time, as in a real archive: newest claims have the highest ids.
        created = ARCHIVE_START + timedelta(seconds=self.span * (i + rng.random()) / self.n)
        status = self.pick_status()
        language = self.pick_language()
        claim_text, place, topic_tag = words.claim(language)
        speaker_id = self.pick_speaker()
        checker = rng.choice(self.checkers)
        editor = rng.choice(self.editors)
        stated_on = (created - timedelta(days=rng.randint(0, 6))).date()

        article_id, source_id = self._article(created, claim_text, language, rows)
        tags = {self.tag_ids[topic_tag]}
        for _ in range(rng.choice((0, 1, 1, 2))):
            tags.add(rng.choice(self.extra_tags))
        rows["claim_tags"].extend({"claim_id": claim_id, "tag_id": t} for t in tags)

        claim: dict[str, Any] = {
            "id": claim_id,
            "text": claim_text,
            "slug": words.slug(claim_text),
            "quote": None,
            "context": (
                rng.choice(CONTEXTS).format(city=place, source=rng.choice(SOURCE_STEMS))
                if rng.random() < 0.6
                else None
            ),
            "stated_on": stated_on,
            "language": language,
            "status": status,
            "checkworthiness": round(rng.uniform(0.35, 0.98), 2),
            "internal_notes": None,
            "speaker_id": speaker_id,
            "article_id": article_id,
            "source_id": source_id,
            "assignee_id": None if status == "logged" else checker,
            "created_by_id": checker,
            "duplicate_of_id": None,
            "dismiss_reason": None,
            "dismiss_note": None,
            "published_at": None,
            "published_verdict_id": None,
            "published_rating_id": None,
            "created_at": created,
            "updated_at": created,
            "version": 1,
        }
        rows["audit_events"].append(
            self._event(created, checker, "claim.create", claim_id, None, {"status": "logged"})
        )
        story = _Story(claim, created, checker, editor, place, language, rows)
        self.branches[status](story)
        rows["claims"].append(claim)

    # One function per status a claim ends in; each draws from the dice in the same
    # order as the workflow's steps, so a seed always makes the same archive.

    def _logged(self, story: _Story) -> None:
        """Logged: only the creation event."""

    def _researched(self, story: _Story) -> datetime:
        return story.created + timedelta(hours=self.rng.randint(1, 72))

    def _dismissed(self, story: _Story) -> None:
        rng, claim = self.rng, story.claim
        researched = self._researched(story)
        claim_id = claim["id"]
        reason = rng.choice(DISMISS_REASONS)
        if reason == "duplicate" and claim_id == self.first_claim_id:
            reason = "opinion"
        claim["dismiss_reason"] = reason
        claim["dismiss_note"] = "Dismissed at the morning meeting."
        if reason == "duplicate":
            claim["duplicate_of_id"] = rng.randint(self.first_claim_id, claim_id - 1)
        claim["updated_at"] = researched
        story.event(
            self,
            researched,
            story.editor,
            "claim.dismiss",
            {"status": "researching"},
            {"status": "dismissed", "dismiss_reason": reason},
        )

    def _with_evidence(self, story: _Story) -> datetime:
        researched = self._researched(story)
        for _ in range(self.rng.choice((1, 1, 2, 3))):
            self._evidence(story.claim["id"], story.checker, researched, story.place, story.rows)
        return researched

    def _researching(self, story: _Story) -> None:
        researched = self._with_evidence(story)
        roll = self.rng.random()
        if roll < 0.6:
            revision_states = ["draft"] if roll < 0.4 else ["sent_back", "draft"]
            for rev, state in enumerate(revision_states, start=1):
                story.rows["verdicts"].append(story.verdict(self, rev, state, researched))
        story.claim["updated_at"] = researched
        story.event(
            self, researched, story.checker, "claim.start", {"status": "logged"},
            {"status": "researching"},
        )  # fmt: skip

    def _submitted(self, story: _Story) -> datetime:
        researched = self._with_evidence(story)
        return researched + timedelta(days=self.rng.randint(1, 10))

    def _in_review(self, story: _Story) -> None:
        """A first verdict in review (three in four), else a published one's correction."""
        submitted = self._submitted(story)
        if self.rng.random() >= 0.75:
            self._publish(story, submitted, correction_in_review=True)
            return
        story.rows["verdicts"].append(story.verdict(self, 1, "submitted", submitted))
        story.claim["updated_at"] = submitted
        story.event(
            self, submitted, story.checker, "claim.submit", {"status": "researching"},
            {"status": "in_review"},
        )  # fmt: skip

    def _published(self, story: _Story) -> None:
        self._publish(story, self._submitted(story), correction_in_review=False)

    def _publish(self, story: _Story, submitted: datetime, *, correction_in_review: bool) -> None:
        """Published; then, for some, a correction published or still in review."""
        rng, claim, rows = self.rng, story.claim, story.rows
        published = submitted + timedelta(hours=rng.randint(2, 96))
        corrected = not correction_in_review and rng.random() < 0.03
        first = story.verdict(self, 1, "superseded" if corrected else "published", submitted)
        first["published_at"] = published
        rows["verdicts"].append(first)
        self._approve(first, story.editor, published, rows)
        claim["published_at"] = published
        claim["published_verdict_id"] = first["id"]
        claim["published_rating_id"] = first["rating_id"]
        claim["updated_at"] = published
        claim["version"] = 2
        story.event(
            self, published, story.editor, "claim.approve", {"status": "in_review"},
            {"status": "published"},
        )  # fmt: skip
        if not (corrected or correction_in_review):
            return
        later = published + timedelta(days=rng.randint(3, 200))
        second = story.verdict(self, 2, "published" if corrected else "submitted", later)
        year = story.created.year
        second["correction_note"] = (
            f"Updated on {later:%d %B %Y}: the audit chamber revised the {year} figures."
        )
        rows["verdicts"].append(second)
        if corrected:
            second["published_at"] = later
            self._approve(second, story.editor, later, rows)
            claim["published_verdict_id"] = second["id"]
            claim["published_rating_id"] = second["rating_id"]
        claim["updated_at"] = later
        story.event(
            self, later, story.editor, "claim.correct", {"status": "published"},
            {"status": "in_review"},
        )  # fmt: skip

    def _article(
        self,
        created: datetime,
        claim_text: str,
        language: str,
        rows: dict[str, list[dict[str, Any]]],
    ) -> tuple[int | None, int | None]:
        """Several consecutive claims come from one article; some claims have none."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.12:
            return None, (rng.choice(self.sources) if roll < 0.06 else None)
        if self.article is None or roll > 0.4:
            source_id = rng.choice(self.sources)
            article_id = next(self.article_id)
            title = claim_text.split(",")[0][:200]
            self.article = {
                "id": article_id,
                "source_id": source_id,
                "title": title,
                "url": f"https://news-{source_id}.example.net/{created:%Y/%m}/{article_id}",
                "published_at": created.replace(tzinfo=None, microsecond=0),
                "rubric": rng.choice(RUBRICS),
                "language": language,
                "body": claim_text,
                "format": "manual",
                "imported_by_id": None,
                "created_at": created,
                "updated_at": created,
                "version": 1,
                "text_version": 1,
            }
            rows["articles"].append(self.article)
        return self.article["id"], self.article["source_id"]

    def _verdict(
        self,
        claim_id: int,
        revision: int,
        state: str,
        author: int,
        at: datetime,
        place: str,
        year: int,
        language: str,
    ) -> dict[str, Any]:
        rating = self.pick_rating()
        draft = state in ("draft", "sent_back")
        explanation, html = self.words.explanation(place, year)
        # A draft may still lack a rating; a submitted verdict never does.
        rating_id = None if draft and self.rng.random() < 0.3 else self.rating_ids[rating]
        return {
            "id": next(self.verdict_id),
            "claim_id": claim_id,
            "revision": revision,
            "state": state,
            "rating_id": rating_id,
            "summary": self.words.summary(rating, language),
            "explanation": explanation,
            # What publication stores; revisions never published have none.
            "explanation_html": html if state in ("published", "superseded") else None,
            "correction_note": None,
            "author_id": author,
            "created_at": at,
            "submitted_at": None if state == "draft" else at,
            "published_at": None,
        }

    def _approve(
        self,
        verdict: dict[str, Any],
        editor: int,
        at: datetime,
        rows: dict[str, list[dict[str, Any]]],
    ) -> None:
        rows["approvals"].append(
            {
                "id": next(self.approval_id),
                "verdict_id": verdict["id"],
                "editor_id": editor,
                "approved_at": at,
            }
        )

    def _evidence(
        self,
        claim_id: int,
        checker: int,
        at: datetime,
        place: str,
        rows: dict[str, list[dict[str, Any]]],
    ) -> None:
        rng = self.rng
        evidence_id = next(self.evidence_id)
        publisher = rng.choice(PUBLISHERS)
        has_url = rng.random() < 0.85
        rows["evidence"].append(
            {
                "id": evidence_id,
                "claim_id": claim_id,
                "url": f"https://records.example.org/{evidence_id}" if has_url else None,
                "citation": None
                if has_url
                else f"{publisher}, printed edition, p. {rng.randint(2, 300)}",
                "title": f"{publisher}: {place}",
                "publisher": publisher,
                "excerpt": f"Table {rng.randint(1, 40)} lists the spending of {place} by year.",
                "stance": rng.choice(("refutes", "refutes", "supports", "context")),
                "archived_url": None,
                "added_by_id": checker,
                "removed_at": None,
                "removed_by_id": None,
                "created_at": at,
                "updated_at": at,
                "version": 1,
            }
        )

    def _event(
        self,
        at: datetime,
        actor: int,
        action: str,
        claim_id: int,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> dict[str, Any]:
        return {
            "id": next(self.event_id),
            "at": at,
            "actor_id": actor,
            "action": action,
            "entity_type": "claim",
            "entity_id": claim_id,
            "claim_id": claim_id,
            "before": before,
            "after": after,
            "note": None,
            "ip": None,
        }
