"""The rating scale and the versioned verdicts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import VerdictState, values
from ..extensions import db
from ..limits import RATING_NAME_MAX, RATING_SLUG_MAX, VERDICT_SUMMARY_MAX
from .base import TimestampMixin, UTCDateTime, VersionedMixin, check_in, utcnow

if TYPE_CHECKING:
    from .accounts import User


class Rating(TimestampMixin, VersionedMixin, db.Model):  # type: ignore[name-defined]
    __tablename__ = "ratings"
    __table_args__ = (
        CheckConstraint("colour LIKE '#%' AND length(colour) = 7", name="colour_hex"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(RATING_NAME_MAX), nullable=False)
    slug: Mapped[str] = mapped_column(String(RATING_SLUG_MAX), nullable=False, unique=True)
    # None for a non-ordinal rating such as "Unproven": no numbers in ClaimReview.
    ordinal: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    colour: Mapped[str] = mapped_column(String(7), nullable=False, default="#6c757d")
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # The name and description in other languages: {"uk": {"name": ..., "description": ...}};
    # a language missing here shows the default (English) text.
    translations: Mapped[dict[str, dict[str, str]] | None] = mapped_column(JSON)


class Verdict(db.Model):  # type: ignore[name-defined]
    """One revision of a claim's verdict. Revisions are never edited once saved."""

    __tablename__ = "verdicts"
    __table_args__ = (
        CheckConstraint(check_in("state", values(VerdictState)), name="state"),
        CheckConstraint("length(summary) <= 280", name="summary_length"),
        CheckConstraint("state <> 'published' OR published_at IS NOT NULL", name="published_time"),
        CheckConstraint(
            "state NOT IN ('submitted', 'published') OR (rating_id IS NOT NULL AND summary <> '')",
            name="submitted_complete",
        ),
        UniqueConstraint("claim_id", "revision", name="claim_revision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), nullable=False, index=True
    )
    revision: Mapped[int] = mapped_column(Integer, nullable=False)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default=VerdictState.DRAFT)
    rating_id: Mapped[int | None] = mapped_column(ForeignKey("ratings.id"), index=True)
    summary: Mapped[str] = mapped_column(String(VERDICT_SUMMARY_MAX), nullable=False, default="")
    explanation: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # Public note shown under "Corrections and updates" for a revision that replaces one.
    correction_note: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # During a correction: the published claim's public fields as this revision proposes
    # them (field -> value, speaker/source/article by id); applied when it is published.
    claim_changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The evidence the public reads, as it was when this revision was published.
    public_evidence: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # The explanation rendered and sanitised at publication (the text is frozen then),
    # so readers do not run Markdown per view; NULL before publication.
    explanation_html: Mapped[str | None] = mapped_column(Text)

    rating: Mapped[Rating | None] = relationship()
    author: Mapped[User] = relationship()
    approvals: Mapped[list[VerdictApproval]] = relationship(
        back_populates="verdict", cascade="all, delete-orphan", order_by="VerdictApproval.id"
    )


class VerdictApproval(db.Model):  # type: ignore[name-defined]
    __tablename__ = "verdict_approvals"
    __table_args__ = (UniqueConstraint("verdict_id", "editor_id", name="verdict_editor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    verdict_id: Mapped[int] = mapped_column(
        ForeignKey("verdicts.id", ondelete="CASCADE"), nullable=False, index=True
    )
    editor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    verdict: Mapped[Verdict] = relationship(back_populates="approvals")
    editor: Mapped[User] = relationship()
