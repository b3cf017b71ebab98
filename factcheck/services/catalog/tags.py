"""Tags: found by slug or created from the names typed."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import select

from ...extensions import db
from ...limits import TAG_NAME_MAX
from ...models import Tag
from ..slugs import make_slug
from .merging import find_or_create


def _finder(slug: str) -> Callable[[], Tag | None]:
    return lambda: db.session.scalars(select(Tag).where(Tag.slug == slug)).first()


def _maker(name: str, slug: str) -> Callable[[], Tag]:
    def make() -> Tag:
        tag = Tag(name=name, slug=slug)
        db.session.add(tag)
        db.session.flush()
        return tag

    return make


def tags_from_names(names: Iterable[str]) -> list[Tag]:
    wanted: dict[str, str] = {}
    for raw in names:
        name = " ".join(raw.split())[:TAG_NAME_MAX]
        if name:
            wanted.setdefault(make_slug(name), name)
    if not wanted:
        return []
    existing = {t.slug: t for t in db.session.scalars(select(Tag).where(Tag.slug.in_(wanted)))}
    if len(existing) < len(wanted):
        # What is pending goes in first, outside the savepoints below: a savepoint that
        # is rolled back takes the rows flushed inside it with it.
        db.session.flush()
    tags = []
    for slug, name in wanted.items():
        tag = existing.get(slug)
        if tag is None:
            # Two claims naming the same new tag at once: the second finds the first's row.
            tag = find_or_create(slug, _finder(slug), _maker(name, slug), table="tags")
        tags.append(tag)
    return tags
