"""Sources (outlets) and the articles they published."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import SourceKind, values
from ..extensions import db
from ..limits import ARTICLE_TITLE_MAX, SLUG_MAX, SOURCE_NAME_MAX, URL_MAX
from .base import PendingChangeMixin, TimestampMixin, UTCDateTime, VersionedMixin, check_in, utcnow


class Source(TimestampMixin, VersionedMixin, PendingChangeMixin, db.Model):  # type: ignore[name-defined]
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


class Article(TimestampMixin, VersionedMixin, db.Model):  # type: ignore[name-defined]
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
    # 1 for the text first imported; each re-import with a changed body adds one,
    # and the text it replaced is kept in article_texts.
    text_version: Mapped[int] = mapped_column(
        Integer, nullable=False, default=1, server_default="1"
    )

    source: Mapped[Source | None] = relationship(back_populates="articles")

    def __repr__(self) -> str:
        return f"<Article {self.id} {self.title[:30]!r}>"


class ArticleText(db.Model):  # type: ignore[name-defined]
    """An earlier text of an article, kept when a re-import brought a changed body."""

    __tablename__ = "article_texts"
    __table_args__ = (
        UniqueConstraint("article_id", "number", name="uq_article_texts_article_number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True
    )
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(String(ARTICLE_TITLE_MAX), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
