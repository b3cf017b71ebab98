"""Reading speakers: finding one by name, type-ahead, the public menu and search."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select

from ..extensions import db
from ..extraction.normalize import normalize_name
from ..models import Claim, Speaker, SpeakerAlias
from .common import NEWEST_FIRST, PUBLIC, contains

# The /claims speaker menu lists the speakers with most of the newest public
# claims, not all of them (3,333 options made a 262 KB page at a million claims).
MENU_SPEAKERS = 100
MENU_WINDOW = 5000


def find_speaker(name: str) -> Speaker | None:
    """The speaker whose name or alias matches, regardless of case and diacritics."""
    key = normalize_name(name)
    if not key:
        return None
    speaker = db.session.scalars(
        select(Speaker).where(Speaker.normalized_name == key).order_by(Speaker.id).limit(1)
    ).first()
    if speaker is None:
        speaker = db.session.scalars(
            select(Speaker)
            .join(SpeakerAlias)
            .where(SpeakerAlias.normalized_name == key)
            .order_by(Speaker.id)
            .limit(1)
        ).first()
    return speaker


def suggest_speakers(prefix: str, limit: int = 10) -> list[Speaker]:
    """Type-ahead over speakers' names and aliases."""
    key = normalize_name(prefix)
    if not key:
        return []
    alias_match = select(SpeakerAlias.speaker_id).where(contains(SpeakerAlias.normalized_name, key))
    return list(
        db.session.scalars(
            select(Speaker)
            .where(or_(contains(Speaker.normalized_name, key), Speaker.id.in_(alias_match)))
            .order_by(Speaker.name)
            .limit(limit)
        )
    )


def busy_speakers(limit: int | None = None, window: int | None = None) -> list[tuple[str, str]]:
    """(slug, name) of the ``limit`` speakers with most of the newest ``window`` fact-checks.

    Read along the newest-first index, so it costs the same at any archive size
    (counting every speaker's claims took 0.1 s at a million).
    """
    limit = MENU_SPEAKERS if limit is None else limit
    window = MENU_WINDOW if window is None else window
    recent = select(Claim.speaker_id).where(PUBLIC).order_by(*NEWEST_FIRST).limit(window).subquery()
    busiest = (
        select(recent.c.speaker_id)
        .group_by(recent.c.speaker_id)
        .order_by(func.count().desc(), recent.c.speaker_id)
        .limit(limit)
        .subquery()
    )
    return [
        (slug, name)
        for slug, name in db.session.execute(
            select(Speaker.slug, Speaker.name)
            .join(busiest, busiest.c.speaker_id == Speaker.id)
            .order_by(Speaker.name, Speaker.id)
        )
    ]


def search_speakers(terms: Sequence[str], limit: int = 8) -> list[tuple[Speaker, int]]:
    """Speakers with public claims whose name or an alias contains every term, with counts."""
    keys = [key for key in (normalize_name(term) for term in terms) if key]
    if not keys:
        return []
    conditions = [
        or_(
            contains(Speaker.normalized_name, key),
            Speaker.aliases.any(contains(SpeakerAlias.normalized_name, key)),
        )
        for key in keys
    ]
    rows = db.session.execute(
        select(Speaker, func.count(Claim.id))
        .join(Claim, Claim.speaker_id == Speaker.id)
        .where(PUBLIC, *conditions)
        .group_by(Speaker.id)
        .order_by(func.count(Claim.id).desc(), Speaker.name)
        .limit(limit)
    )
    return list(rows)
