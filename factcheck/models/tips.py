"""Readers' tips: claims the public asks us to check, grouped by what they ask about."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, VersionedMixin, check_in, utcnow

if TYPE_CHECKING:
    from .claims import Claim

# open: waiting for the desk; logged: a claim is being checked for it; answered: a
# published fact-check answers it; dismissed: not taken up (with a reason).
TIP_GROUP_STATES = ("open", "logged", "answered", "dismissed")
TIP_DISMISS_REASONS = ("opinion", "prediction", "not_check_worthy", "out_of_scope", "spam")


class TipGroup(VersionedMixin, db.Model):  # type: ignore[name-defined]
    """Every tip asking about the same claim; the desk works on groups, not single tips."""

    __tablename__ = "tip_groups"
    __table_args__ = (
        CheckConstraint(check_in("state", TIP_GROUP_STATES), name="state"),
        CheckConstraint(
            f"dismiss_reason IS NULL OR {check_in('dismiss_reason', TIP_DISMISS_REASONS)}",
            name="dismiss_reason",
        ),
        CheckConstraint("state != 'dismissed' OR dismiss_reason IS NOT NULL", name="dismissed_why"),
        CheckConstraint(
            "state NOT IN ('logged', 'answered') OR claim_id IS NOT NULL", name="claim"
        ),
        CheckConstraint("tip_count >= 1", name="count_positive"),
        Index("ix_tip_groups_state_demand", "state", "tip_count", "id"),
        Index("ix_tip_groups_state_newest", "state", "last_tip_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(10), nullable=False, default="open")
    # The newest wording a reader used: what the desk reads first.
    text: Mapped[str] = mapped_column(Text, nullable=False)
    tip_count: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    first_tip_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    last_tip_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    claim_id: Mapped[int | None] = mapped_column(
        ForeignKey("claims.id", ondelete="SET NULL"), index=True
    )
    dismiss_reason: Mapped[str | None] = mapped_column(String(20))
    dismiss_note: Mapped[str | None] = mapped_column(String(500))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    claim: Mapped[Claim | None] = relationship()


class Tip(db.Model):  # type: ignore[name-defined]
    """One reader's request. Never shown on the public site; the email only to editors."""

    __tablename__ = "tips"
    __table_args__ = (
        Index(
            "ix_tips_email_kept",
            "created_at",
            postgresql_where=text("email IS NOT NULL"),
            sqlite_where=text("email IS NOT NULL"),
        ),  # fmt: skip
        # One tip per reader (address and day) and wording: a double send folds into it.
        UniqueConstraint("sender_key", "text_key", name="uq_tips_sender_text"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("tip_groups.id", ondelete="CASCADE"), nullable=False, index=True
    )
    # sha256 of the status link's secret: the link itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    # The text's normalised form, for folding a reader's repeated sends together.
    text_key: Mapped[str] = mapped_column(String(64), nullable=False)
    seen_at: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(254))
    # A keyed hash of the sender's address and day: folds repeats, keeps no address.
    sender_key: Mapped[str] = mapped_column(String(64), nullable=False)
    # The published fact-check the reader was shown on the spot, if any.
    answer_claim_id: Mapped[int | None] = mapped_column(
        ForeignKey("claims.id", ondelete="SET NULL")
    )
    channel: Mapped[str] = mapped_column(String(10), nullable=False, default="web")
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, nullable=False, default=utcnow, index=True
    )

    group: Mapped[TipGroup] = relationship()
    answer_claim: Mapped[Claim | None] = relationship(foreign_keys=[answer_claim_id])
