"""Background work and watching: jobs, watched feeds and their items, speaker watch lists."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TimestampMixin, UTCDateTime, check_in, utcnow

if TYPE_CHECKING:
    from .people import Speaker
    from .sources import Article, Source

JOB_KINDS = (
    "import_url",
    "poll_feed",
    "reindex",
    "webhook",
    "claimreview_ingest",
    "embed_claims",
)
JOB_STATES = ("queued", "running", "done", "failed")
FEED_STATUSES = ("ok", "not_modified", "error")
ITEM_STATES = ("queued", "imported", "failed")
MATCH_KINDS = ("same", "related")


class Job(db.Model):  # type: ignore[name-defined]
    """One piece of background work and what became of it, for the desk to show."""

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint(check_in("kind", JOB_KINDS), name="kind"),
        CheckConstraint(check_in("state", JOB_STATES), name="state"),
        CheckConstraint("attempts >= 0 AND attempts <= max_attempts", name="attempts_range"),
        CheckConstraint("state != 'failed' OR error IS NOT NULL", name="failed_has_reason"),
        CheckConstraint("state != 'done' OR finished_at IS NOT NULL", name="done_has_time"),
        Index("ix_jobs_kind_key", "kind", "key"),
        Index("ix_jobs_state_id", "state", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    # What makes two jobs the same work (an article's URL, a feed's id): a second request
    # for work already queued or running joins the first instead of doing it twice.
    key: Mapped[str | None] = mapped_column(String(1000))
    label: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    state: Mapped[str] = mapped_column(String(10), nullable=False, default="queued")
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=3)
    progress: Mapped[str | None] = mapped_column(String(300))
    error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    worker: Mapped[str | None] = mapped_column(String(100))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_finished(self) -> bool:
        return self.state in ("done", "failed")


class Feed(TimestampMixin, db.Model):  # type: ignore[name-defined]
    """An outlet's RSS or Atom feed, polled politely for new articles."""

    __tablename__ = "feeds"
    __table_args__ = (
        CheckConstraint("interval_minutes BETWEEN 1 AND 1440", name="interval_range"),
        CheckConstraint("error_count >= 0", name="error_count_positive"),
        CheckConstraint(
            "last_status IS NULL OR " + check_in("last_status", FEED_STATUSES), name="last_status"
        ),
        Index("ix_feeds_due", "active", "next_poll_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(1000), nullable=False, unique=True)
    title: Mapped[str | None] = mapped_column(String(300))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), nullable=False, index=True)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    interval_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=30)
    # Conditional GET: what the server sent last time, echoed back so it can answer 304.
    etag: Mapped[str | None] = mapped_column(String(300))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    next_poll_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status: Mapped[str | None] = mapped_column(String(20))
    last_result: Mapped[str | None] = mapped_column(String(300))
    last_error: Mapped[str | None] = mapped_column(Text)
    error_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    items_seen: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    source: Mapped[Source] = relationship()


class FeedItem(db.Model):  # type: ignore[name-defined]
    """An entry seen in a feed: recognised by its id (or link) when it shows up again."""

    __tablename__ = "feed_items"
    __table_args__ = (
        UniqueConstraint("feed_id", "guid_hash", name="feed_guid"),
        CheckConstraint(check_in("state", ITEM_STATES), name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(
        ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False, index=True
    )
    # SHA-256 of the entry's id (or its link): ids can be long, the index stays small.
    guid_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    url: Mapped[str] = mapped_column(String(1000), nullable=False)
    title: Mapped[str | None] = mapped_column(String(500))
    state: Mapped[str] = mapped_column(String(10), nullable=False, default="queued")
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    article: Mapped[Article | None] = relationship()


class SpeakerWatch(db.Model):  # type: ignore[name-defined]
    """A person's watch list: new check-worthy statements by these speakers notify them."""

    __tablename__ = "speaker_watches"
    __table_args__ = (UniqueConstraint("user_id", "speaker_id", name="user_speaker"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    speaker_id: Mapped[int] = mapped_column(
        ForeignKey("speakers.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    speaker: Mapped[Speaker] = relationship()


class CandidateMatch(db.Model):  # type: ignore[name-defined]
    """An imported candidate that repeats or resembles an existing claim, found at import."""

    __tablename__ = "candidate_matches"
    __table_args__ = (
        UniqueConstraint("candidate_id", "claim_id", name="candidate_claim"),
        CheckConstraint(check_in("match", MATCH_KINDS), name="match"),
        CheckConstraint("score >= 0 AND score <= 1", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("import_candidates.id", ondelete="CASCADE"), nullable=False, index=True
    )
    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), nullable=False, index=True
    )
    score: Mapped[float] = mapped_column(Float, nullable=False)
    match: Mapped[str] = mapped_column(String(10), nullable=False)
    # Whether the claim had a published verdict when matched: a repeat of a fact-check.
    published: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class JobPayload(db.Model):  # type: ignore[name-defined]
    """The bytes a job works on that are too large for its params (an uploaded file).

    Kept in the database, so a worker on another machine reads them; removed when
    the job is done.
    """

    __tablename__ = "job_payloads"

    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    content_type: Mapped[str | None] = mapped_column(String(100))
