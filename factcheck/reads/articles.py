"""Reading articles: the same article met again (by address, or by outlet, title and date)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from ..extensions import db
from ..models import Article


def existing_article(
    source_id: int | None, url: str | None, title: str, published_at: datetime | None
) -> Article | None:
    """The same article imported before: by URL, or by source, title and date."""
    if url:
        found = db.session.execute(select(Article).where(Article.url == url)).scalar_one_or_none()
        if found is not None:
            return found
    if source_id is not None:
        query = select(Article).where(
            Article.source_id == source_id, func.lower(Article.title) == title.strip().lower()
        )
        if published_at is not None:
            query = query.where(Article.published_at == published_at)
        return db.session.scalars(query.limit(1)).first()
    return None
