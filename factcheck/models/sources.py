"""Sources (outlets) and the articles they published."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import SourceKind, values
from ..extensions import db
from ..limits import ARTICLE_TITLE_MAX, SLUG_MAX, SOURCE_NAME_MAX, URL_MAX
from .base import TimestampMixin, VersionedMixin, check_in


class Source(TimestampMixin, VersionedMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "sources"
    __table_args__ = (CheckConstraint(check_in("kind", values(SourceKind)), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(SOURCE_NAME_MAX), nullable=False)
    normalized_name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    slug: Mapped[str] = mapped_column(String(SLUG_MAX), nullable=False, unique=True)
    homepage_url: Mapped[str | None] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default=SourceKind.OTHER)

    articles: Mapped[list[Article]] = relationship(back_populates="source", lazy="raise_on_sql")

    def __repr__(self) -> str:
        return f"<Source {self.slug}>"


class Article(TimestampMixin, VersionedMixin, db.Model):  # type: ignore[name-defined,misc]
    """One appearance in a source, with the full text as imported."""

    __tablename__ = "articles"
    __table_args__ = (
        CheckConstraint(check_in("format", ["sample", "text", "html", "manual"]), name="format"),
        Index("ix_articles_source_title", "source_id", "title"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    title: Mapped[str] = mapped_column(String(ARTICLE_TITLE_MAX), nullable=False)
    url: Mapped[str | None] = mapped_column(String(URL_MAX), unique=True)
    # The outlet's local date and time as printed; outlets rarely give a zone.
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=False), index=True)
    rubric: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(10), nullable=False, default="en")
    body: Mapped[str] = mapped_column(Text, nullable=False, default="")
    format: Mapped[str] = mapped_column(String(10), nullable=False, default="manual")
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    source: Mapped[Source | None] = relationship(back_populates="articles")

    def __repr__(self) -> str:
        return f"<Article {self.id} {self.title[:30]!r}>"
