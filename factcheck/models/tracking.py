"""Claim tracking: where a claim was made again, and other organisations' fact-checks."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TimestampMixin, UTCDateTime, check_in

if TYPE_CHECKING:
    from .accounts import User
    from .claims import Claim

APPEARANCE_STATES = ("pending", "confirmed")


class Appearance(db.Model):  # type: ignore[name-defined]
    """One place a claim was made: the article or page, who said it, when, in which words.

    It reaches the public only once an editor other than the person who added it
    has confirmed it (the four-eyes rule for everything the public reads).
    """

    __tablename__ = "claim_appearances"
    __table_args__ = (
        CheckConstraint(check_in("status", APPEARANCE_STATES), name="status"),
        CheckConstraint(
            "status <> 'confirmed' OR (confirmed_by_id IS NOT NULL AND confirmed_at IS NOT NULL)",
            name="confirmed_has_editor",
        ),
        CheckConstraint(
            "confirmed_by_id IS NULL OR added_by_id IS NULL OR confirmed_by_id <> added_by_id",
            name="four_eyes",
        ),
        Index("ix_claim_appearances_claim_url", "claim_id", "url", unique=True),
        Index("ix_claim_appearances_claim_said_on", "claim_id", "said_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), nullable=False
    )
    url: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(String(500), nullable=False)
    speaker_name: Mapped[str] = mapped_column(String(200), nullable=False)
    speaker_id: Mapped[int | None] = mapped_column(
        ForeignKey("speakers.id", ondelete="SET NULL"), index=True
    )
    said_on: Mapped[date] = mapped_column(Date, nullable=False)
    text: Mapped[str | None] = mapped_column(Text)
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="pending")
    added_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    confirmed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    claim: Mapped[Claim] = relationship()
    added_by: Mapped[User | None] = relationship(foreign_keys=[added_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])

    @property
    def is_confirmed(self) -> bool:
        return self.status == "confirmed"


class ExternalFactCheck(TimestampMixin, db.Model):  # type: ignore[name-defined]
    """Another organisation's ClaimReview, as ingested; one row per review URL."""

    __tablename__ = "external_factchecks"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), nullable=False, unique=True)
    publisher: Mapped[str] = mapped_column(String(300), nullable=False)
    claim_text: Mapped[str] = mapped_column(Text, nullable=False)
    claimant: Mapped[str | None] = mapped_column(String(300))
    rating_text: Mapped[str | None] = mapped_column(String(200))
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    language: Mapped[str | None] = mapped_column(String(10))


class ExternalFactCheckWord(db.Model):  # type: ignore[name-defined]
    """The word stems of an external fact-check's claim: the index matching retrieves through."""

    __tablename__ = "external_factcheck_words"
    __table_args__ = (Index("ix_external_factcheck_words_stem", "stem", "factcheck_id"),)

    factcheck_id: Mapped[int] = mapped_column(
        ForeignKey("external_factchecks.id", ondelete="CASCADE"), primary_key=True
    )
    stem: Mapped[str] = mapped_column(String(20), primary_key=True)


class ClaimEmbedding(db.Model):  # type: ignore[name-defined]
    """A claim's sentence embedding for the optional semantic matching backend.

    float32, L2-normalised, little-endian bytes; ``model`` names the model that made
    it (a vector of another model is stale), ``text_hash`` the text it was made from.
    """

    __tablename__ = "claim_embeddings"
    __table_args__ = (Index("ix_claim_embeddings_model_claim", "model", "claim_id"),)

    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True
    )
    model: Mapped[str] = mapped_column(String(200), nullable=False)
    dimensions: Mapped[int] = mapped_column(Integer, nullable=False)
    text_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    vector: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
