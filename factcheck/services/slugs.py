"""Readable, unique slugs."""

from __future__ import annotations

from typing import Any

from slugify import slugify
from sqlalchemy import select

from ..extensions import db


def make_slug(text: str, max_length: int = 80) -> str:
    return slugify(text, max_length=max_length, word_boundary=True) or "item"


def unique_slug(model: Any, text: str, *, exclude_id: int | None = None) -> str:
    """A slug for ``text`` not yet used by another row of ``model``."""
    base = make_slug(text)
    taken = set(
        db.session.scalars(
            select(model.slug).where(model.slug.like(f"{base}%"), model.id != (exclude_id or 0))
        )
    )
    from ..models import SlugRedirect

    taken |= set(
        db.session.scalars(
            select(SlugRedirect.old_slug).where(SlugRedirect.old_slug.like(f"{base}%"))
        )
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
