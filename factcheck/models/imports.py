"""Candidate claims found in an imported article, waiting for a fact-checker."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, VersionedMixin, check_in, utcnow

if TYPE_CHECKING:
    from .claims import Claim
    from .sources import Article


class ImportCandidate(VersionedMixin, db.Model):  # type: ignore[name-defined]
    __tablename__ = "import_candidates"
    __table_args__ = (
        CheckConstraint(check_in("state", ["pending", "accepted", "discarded"]), name="state"),
        CheckConstraint("score >= 0 AND score <= 1", name="score_range"),
        CheckConstraint(
            "speaker_kind IS NULL OR "
            + check_in("speaker_kind", ["person", "organisation", "document"]),
            name="speaker_kind",
        ),
        CheckConstraint("repeats >= 1", name="repeats_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    sentence: Mapped[str] = mapped_column(Text, nullable=False)
    quote: Mapped[str | None] = mapped_column(Text)
    speaker_name: Mapped[str | None] = mapped_column(String(200))
    speaker_title: Mapped[str | None] = mapped_column(String(200))
    score: Mapped[float] = mapped_column(Float, nullable=False)
    reasons: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    # Which frame found it ("quote-first", "according"…) and who speaks.
    frame: Mapped[str | None] = mapped_column(String(40))
    speaker_kind: Mapped[str | None] = mapped_column(String(20))
    # How many times the article printed this statement (near-duplicates merged).
    repeats: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    # The article text version it was found in: a re-import offers only new ones.
    text_version: Mapped[int] = mapped_column(
        Integer, nullable=False, default=1, server_default="1"
    )
    state: Mapped[str] = mapped_column(String(10), nullable=False, default="pending")
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    article: Mapped[Article] = relationship()
    claim: Mapped[Claim | None] = relationship()
