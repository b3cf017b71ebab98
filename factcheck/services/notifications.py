"""In-app notifications and the desk's badges."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ..errors import tr
from ..extensions import db
from ..locales import DEFAULT_LOCALE
from ..models import Claim, ClaimStatus, Notification, User
from ..models.base import utcnow
from ..policy import Perm, can
from ..reads.common import capped_count


def notify(
    user_id: int,
    message: str,
    claim_id: int | None = None,
    *,
    link: str | None = None,
    params: dict[str, Any] | None = None,
) -> None:
    """Leave a note for a person; with ``params``, ``message`` is a catalogue message
    (``%(name)s`` placeholders) written in the recipient's own language."""
    if params is not None:
        message = in_language_of(user_id, message, params)
    db.session.add(
        Notification(user_id=user_id, claim_id=claim_id, message=message[:300], link=link)
    )


def in_language_of(user_id: int, message: str, params: dict[str, Any]) -> str:
    """``message`` translated for the person's language setting (the default without one)."""
    from flask import current_app, has_request_context
    from flask_babel import force_locale

    locale = db.session.scalar(select(User.locale).where(User.id == user_id)) or DEFAULT_LOCALE
    if has_request_context():
        with force_locale(locale):
            return tr(message, **params)
    with current_app.test_request_context(), force_locale(locale):
        return tr(message, **params)


# The review badge counts up to this many (then shows "999+"): it is on every desk page.
REVIEW_BADGE_CAP = 999


def desk_badges(user: Any) -> dict[str, int | str]:
    unread = db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    )
    review: int | str = 0
    if can(user, Perm.APPROVE):
        waiting, more = capped_count(
            select(Claim.id).where(Claim.status == ClaimStatus.IN_REVIEW), REVIEW_BADGE_CAP
        )
        review = f"{waiting}+" if more else waiting
    return {"unread": unread or 0, "review": review}


def unread_for(user: User, limit: int = 50) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id.desc())
            .limit(limit)
        )
    )


def mark_all_read(user: User) -> None:
    for note in db.session.scalars(
        select(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ):
        note.read_at = utcnow()
    db.session.commit()
