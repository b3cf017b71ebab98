"""Tags: found by slug or created from the names typed."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from ...extensions import db
from ...limits import TAG_NAME_MAX
from ...models import Tag
from ..slugs import make_slug


def tags_from_names(names: Iterable[str]) -> list[Tag]:
    wanted: dict[str, str] = {}
    for raw in names:
        name = " ".join(raw.split())[:TAG_NAME_MAX]
        if name:
            wanted.setdefault(make_slug(name), name)
    if not wanted:
        return []
    existing = {t.slug: t for t in db.session.scalars(select(Tag).where(Tag.slug.in_(wanted)))}
    tags = []
    for slug, name in wanted.items():
        tag = existing.get(slug)
        if tag is None:
            tag = Tag(name=name, slug=slug)
            db.session.add(tag)
        tags.append(tag)
    return tags
