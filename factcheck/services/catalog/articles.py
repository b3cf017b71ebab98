"""Articles: the same one found again, or created (with its audit event)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ...errors import ValidationFailed, tr
from ...extensions import db
from ...limits import ARTICLE_TITLE_MAX
from ...models import Article, Source, User
from ...reads.articles import existing_article
from .. import audit
from .urls import check_url


@dataclass
class ArticleInput:
    title: str
    url: str | None = None
    published_at: datetime | None = None
    rubric: str | None = None
    language: str = "en"
    body: str = ""
    format: str = "manual"


def find_existing_article(source: Source | None, data: ArticleInput) -> Article | None:
    """The same article imported before: by URL, or by source, title and date."""
    source_id = source.id if source is not None else None
    return existing_article(source_id, data.url, data.title, data.published_at)


def create_article(actor: User | None, source: Source | None, data: ArticleInput) -> Article:
    title = " ".join(data.title.split())
    if not title:
        raise ValidationFailed(
            tr("An article needs a title."), fields={"article_title": tr("Give a title.")}
        )
    article = Article(
        source=source,
        title=title[:ARTICLE_TITLE_MAX],
        url=check_url(data.url, "article_url"),
        published_at=data.published_at,
        rubric=(data.rubric or None),
        language=data.language or "en",
        body=data.body or "",
        format=data.format,
        imported_by_id=actor.id if actor else None,
    )
    db.session.add(article)
    db.session.flush()
    audit.record(
        actor,
        "article.create",
        "article",
        article.id,
        after={"title": article.title, "url": article.url},
    )
    return article
