"""Speakers: the people and organisations that make statements."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import SpeakerKind, values
from ..extensions import db
from ..limits import SLUG_MAX, SPEAKER_NAME_MAX, SPEAKER_TITLE_MAX
from .base import PendingChangeMixin, TimestampMixin, VersionedMixin, check_in

if TYPE_CHECKING:
    from .claims import Claim


class Speaker(TimestampMixin, VersionedMixin, PendingChangeMixin, db.Model):  # type: ignore[name-defined]
    __tablename__ = "speakers"
    __table_args__ = (CheckConstraint(check_in("kind", values(SpeakerKind)), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(SPEAKER_NAME_MAX), nullable=False)
    # casefolded, diacritics stripped: how names and aliases are matched
    normalized_name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    slug: Mapped[str] = mapped_column(String(SLUG_MAX), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default=SpeakerKind.PERSON)
    title: Mapped[str | None] = mapped_column(String(SPEAKER_TITLE_MAX))
    affiliation: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(100))
    wikidata_id: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)

    aliases: Mapped[list[SpeakerAlias]] = relationship(
        back_populates="speaker", cascade="all, delete-orphan", order_by="SpeakerAlias.name"
    )
    claims: Mapped[list[Claim]] = relationship(back_populates="speaker", lazy="raise_on_sql")

    def __repr__(self) -> str:
        return f"<Speaker {self.slug}>"


class SpeakerAlias(db.Model):  # type: ignore[name-defined]
    __tablename__ = "speaker_aliases"
    __table_args__ = (UniqueConstraint("speaker_id", "normalized_name", name="speaker_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(
        ForeignKey("speakers.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(SPEAKER_NAME_MAX), nullable=False)
    normalized_name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)

    speaker: Mapped[Speaker] = relationship(back_populates="aliases")


class SlugRedirect(db.Model):  # type: ignore[name-defined]
    """An old slug of a merged speaker or source, pointing at the survivor."""

    __tablename__ = "slug_redirects"
    __table_args__ = (
        CheckConstraint(check_in("entity", ["speaker", "source"]), name="entity"),
        UniqueConstraint("entity", "old_slug", name="entity_slug"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(20), nullable=False)
    old_slug: Mapped[str] = mapped_column(String(220), nullable=False)
    target_id: Mapped[int] = mapped_column(nullable=False)


Index("ix_speakers_name", Speaker.name)
