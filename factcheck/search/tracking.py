"""Keeps the search index in step with every change, inside the same transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..models import Claim, Speaker, SpeakerAlias, Verdict

_KEY = "search_dirty_claims"
_SPEAKERS = "search_dirty_speakers"


def _collect(session: Session, flush_context: Any, instances: Any) -> None:
    claims: set[int] = session.info.setdefault(_KEY, set())
    speakers: set[int] = session.info.setdefault(_SPEAKERS, set())
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, Claim):
            if obj.id is not None:
                claims.add(obj.id)
            else:
                session.info.setdefault("search_new_claims", []).append(obj)
        elif isinstance(obj, Verdict) and obj.claim_id is not None:
            claims.add(obj.claim_id)
        elif isinstance(obj, Speaker) and obj.id is not None:
            speakers.add(obj.id)
        elif isinstance(obj, SpeakerAlias) and obj.speaker_id is not None:
            speakers.add(obj.speaker_id)


def _apply(session: Session, flush_context: Any) -> None:
    from . import backend_for

    claims: set[int] = session.info.pop(_KEY, set())
    speakers: set[int] = session.info.pop(_SPEAKERS, set())
    for obj in session.info.pop("search_new_claims", []):
        if obj.id is not None:
            claims.add(obj.id)
    conn = session.connection()
    if speakers:
        claims |= set(
            conn.execute(select(Claim.id).where(Claim.speaker_id.in_(speakers))).scalars()
        )
    if claims:
        backend_for(conn).reindex(conn, claims)


def install() -> None:
    """Listen on Flask-SQLAlchemy's session class (once, however many apps are built)."""
    from flask_sqlalchemy.session import Session as FlaskSession

    if not event.contains(FlaskSession, "after_flush", _apply):
        event.listen(FlaskSession, "before_flush", _collect)
        event.listen(FlaskSession, "after_flush", _apply)
