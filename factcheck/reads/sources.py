"""Reading sources (outlets): finding one by name and the public list's menu."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..extraction.normalize import normalize_name
from ..models import Source
from .profiles import filter_choices


def find_source(name: str) -> Source | None:
    """The outlet with this name, regardless of case and diacritics."""
    key = normalize_name(name)
    if not key:
        return None
    return db.session.scalars(select(Source).where(Source.normalized_name == key).limit(1)).first()


def menu() -> list[tuple[str, str]]:
    """(slug, name) of the outlets with public claims: the /claims source menu."""
    return filter_choices(Source)
