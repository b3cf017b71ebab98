"""One-time password links: invitations and resets, expiring, one open link per account."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from ...errors import Conflict, NotFound, ValidationFailed, tr
from ...extensions import db
from ...models import PasswordLink, User
from ...models.base import utcnow
from ...policy import Perm, require
from .. import audit
from .issued import IssuedSecret, digest

LINK_LIFETIME = timedelta(hours=48)
LINK_PURPOSES = ("invite", "reset")
NOT_VALID = "This link is not valid: it may have expired or been used already."


def issue_password_link(actor: User | None, user: User, purpose: str) -> IssuedSecret:
    """A new one-time link for ``user``; it replaces any link still open."""
    if actor is not None:
        require(actor, Perm.MANAGE_USERS)
    issued = new_link(actor, user, purpose)
    db.session.commit()
    return issued


def new_link(actor: User | None, user: User, purpose: str) -> IssuedSecret:
    if purpose not in LINK_PURPOSES:
        raise ValidationFailed(tr("Unknown link purpose '%(purpose)s'.", purpose=purpose))
    if not user.active:
        raise Conflict(
            tr("%(user_name)s's account is deactivated: reactivate it first.", user_name=user.name)
        )
    now = utcnow()
    expire_open_links(user.id, now)
    secret = secrets.token_urlsafe(32)
    link = PasswordLink(
        user_id=user.id,
        token_hash=digest(secret),
        purpose=purpose,
        created_by_id=actor.id if actor else None,
        created_at=now,
        expires_at=now + LINK_LIFETIME,
    )
    db.session.add(link)
    db.session.flush()
    audit.record(
        actor,
        f"user.{purpose}_link",
        "user",
        user.id,
        after={"expires_at": link.expires_at},
    )
    return IssuedSecret(secret, link)


def expire_open_links(user_id: int, now: datetime) -> None:
    db.session.execute(
        update(PasswordLink)
        .where(PasswordLink.user_id == user_id, PasswordLink.used_at.is_(None))
        .values(used_at=now)
    )


def find_password_link(secret: str) -> PasswordLink:
    link = db.session.execute(
        select(PasswordLink).where(PasswordLink.token_hash == digest(secret))
    ).scalar_one_or_none()
    if (
        link is None
        or link.used_at is not None
        or link.expires_at < utcnow()
        or not link.user.active
    ):
        raise NotFound(NOT_VALID)
    return link


def claim_link(link: PasswordLink, now: datetime) -> None:
    """Mark the link used with a conditional UPDATE: of two simultaneous uses, one wins."""
    claimed = db.session.execute(
        update(PasswordLink)
        .where(PasswordLink.id == link.id, PasswordLink.used_at.is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise NotFound(NOT_VALID)
    expire_open_links(link.user_id, now)  # older links of the same account die with this one
