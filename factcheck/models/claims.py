"""Claims, their tags and their evidence."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import ClaimStatus, DismissReason, Stance, values
from ..extensions import db
from ..limits import (
    CLAIM_CONTEXT_MAX,
    EVIDENCE_PUBLISHER_MAX,
    EVIDENCE_TITLE_MAX,
    TAG_NAME_MAX,
    TAG_SLUG_MAX,
    URL_MAX,
)
from .base import TimestampMixin, UTCDateTime, VersionedMixin, check_in

if TYPE_CHECKING:
    from .accounts import User
    from .people import Speaker
    from .sources import Article, Source
    from .verdicts import Verdict

# The condition of the partial indexes over public claims, as the public queries write it.
PUBLIC_ONLY: dict[str, Any] = {
    "sqlite_where": sql_text("published_verdict_id IS NOT NULL"),
    "postgresql_where": sql_text("published_verdict_id IS NOT NULL"),
}

claim_tags = Table(
    "claim_tags",
    db.metadata,
    Column("claim_id", ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(db.Model):  # type: ignore[name-defined]
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(TAG_NAME_MAX), nullable=False)
    slug: Mapped[str] = mapped_column(String(TAG_SLUG_MAX), nullable=False, unique=True)


class Claim(TimestampMixin, VersionedMixin, db.Model):  # type: ignore[name-defined]
    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint(check_in("status", values(ClaimStatus)), name="status"),
        CheckConstraint(
            f"dismiss_reason IS NULL OR {check_in('dismiss_reason', values(DismissReason))}",
            name="dismiss_reason",
        ),
        # A dismissed claim says why; a duplicate says of what.
        CheckConstraint(
            "status <> 'dismissed' OR dismiss_reason IS NOT NULL", name="dismissed_has_reason"
        ),
        CheckConstraint(
            "dismiss_reason IS NULL OR dismiss_reason <> 'duplicate' "
            "OR duplicate_of_id IS NOT NULL",
            name="duplicate_has_target",
        ),
        # A claim is public exactly when it has a published verdict, which has a time.
        CheckConstraint(
            "published_verdict_id IS NULL OR published_at IS NOT NULL", name="published_time"
        ),
        CheckConstraint(
            "checkworthiness IS NULL OR (checkworthiness >= 0 AND checkworthiness <= 1)",
            name="checkworthiness_range",
        ),
        Index("ix_claims_public", "published_at", "id"),
        Index("ix_claims_status_updated", "status", "updated_at"),
        # Public claims newest first, for the lists, a speaker's and an outlet's page: only
        # public rows, so a walk from the newest never wades through unpublished ones
        # (PostgreSQL sorts their NULL published_at first in descending order).
        Index("ix_claims_public_newest", "published_at", "id", **PUBLIC_ONLY),
        Index("ix_claims_speaker_public", "speaker_id", "published_at", "id", **PUBLIC_ONLY),
        Index("ix_claims_source_public", "source_id", "published_at", "id", **PUBLIC_ONLY),
        # From a rating's verdicts to the claims that show them (the public list's rating filter).
        Index("ix_claims_published_verdict_id", "published_verdict_id"),
        Index(
            "ix_claims_speaker_rating_public", "speaker_id", "published_rating_id", **PUBLIC_ONLY
        ),
        Index("ix_claims_source_rating_public", "source_id", "published_rating_id", **PUBLIC_ONLY),
        Index(
            "ix_claims_rating_public", "published_rating_id", "published_at", "id", **PUBLIC_ONLY
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    slug: Mapped[str] = mapped_column(String(120), nullable=False)
    quote: Mapped[str | None] = mapped_column(Text)
    context: Mapped[str | None] = mapped_column(String(CLAIM_CONTEXT_MAX))
    stated_on: Mapped[date | None] = mapped_column(Date, index=True)
    language: Mapped[str] = mapped_column(String(10), nullable=False, default="en")
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=ClaimStatus.LOGGED)
    checkworthiness: Mapped[float | None] = mapped_column(Float)
    internal_notes: Mapped[str | None] = mapped_column(Text)

    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id"), nullable=False, index=True)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"), index=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"))

    dismiss_reason: Mapped[str | None] = mapped_column(String(30))
    dismiss_note: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_verdict_id: Mapped[int | None] = mapped_column(
        ForeignKey("verdicts.id", use_alter=True, name="fk_claims_published_verdict_id_verdicts")
    )
    # The published verdict's rating, kept on the claim so breakdowns and the rating filter
    # read an index instead of joining every verdict. Set in one place, where a verdict is
    # published (services/reviews.py); no CHECK ties it to published_verdict_id, because a
    # restore sets that reference after the row is in.
    published_rating_id: Mapped[int | None] = mapped_column(ForeignKey("ratings.id"))

    speaker: Mapped[Speaker] = relationship(back_populates="claims")
    article: Mapped[Article | None] = relationship()
    source: Mapped[Source | None] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    duplicate_of: Mapped[Claim | None] = relationship(remote_side=[id])
    tags: Mapped[list[Tag]] = relationship(secondary=claim_tags, order_by=Tag.name)
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="claim", order_by="Evidence.id", lazy="raise_on_sql"
    )
    published_verdict: Mapped[Verdict | None] = relationship(
        foreign_keys=[published_verdict_id], post_update=True
    )

    @property
    def is_public(self) -> bool:
        return self.published_verdict_id is not None

    def __repr__(self) -> str:
        return f"<Claim {self.id} {self.status}>"


class Evidence(TimestampMixin, VersionedMixin, db.Model):  # type: ignore[name-defined]
    __tablename__ = "evidence"
    __table_args__ = (
        CheckConstraint(check_in("stance", values(Stance)), name="stance"),
        CheckConstraint("url IS NOT NULL OR citation IS NOT NULL", name="url_or_citation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), nullable=False, index=True
    )
    url: Mapped[str | None] = mapped_column(String(URL_MAX))
    citation: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(String(EVIDENCE_TITLE_MAX))
    publisher: Mapped[str | None] = mapped_column(String(EVIDENCE_PUBLISHER_MAX))
    excerpt: Mapped[str | None] = mapped_column(Text)
    stance: Mapped[str] = mapped_column(String(10), nullable=False)
    archived_url: Mapped[str | None] = mapped_column(String(URL_MAX))
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    claim: Mapped[Claim] = relationship(back_populates="evidence")
    added_by: Mapped[User] = relationship(foreign_keys=[added_by_id])

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None
