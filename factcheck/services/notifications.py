"""In-app notifications and the desk's badges."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ..extensions import db
from ..models import Claim, ClaimStatus, Notification, User
from ..models.base import utcnow
from ..policy import Perm, can


def notify(
    user_id: int, message: str, claim_id: int | None = None, *, link: str | None = None
) -> None:
    db.session.add(
        Notification(user_id=user_id, claim_id=claim_id, message=message[:300], link=link)
    )


def desk_badges(user: Any) -> dict[str, int]:
    unread = db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    )
    review = 0
    if can(user, Perm.APPROVE):
        review = (
            db.session.scalar(
                select(func.count(Claim.id)).where(Claim.status == ClaimStatus.IN_REVIEW)
            )
            or 0
        )
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
