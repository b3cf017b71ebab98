"""API tokens: created with the password, expiring, ended by a password change or reset."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from ...errors import ValidationFailed, tr
from ...extensions import db
from ...models import ApiToken, User
from ...models.base import utcnow
from ...policy import Perm, require
from .. import audit
from ..passwords import verify_password
from .issued import IssuedSecret, digest

TOKEN_PREFIX = "fc_"  # noqa: S105  (a visible prefix, not a secret)
DEFAULT_LIFETIME_DAYS = 90
# The choices the desk offers; 0 means "never expires".
LIFETIME_CHOICES_DAYS = (30, 90, 180, 365, 0)
TOKEN_STATES = ("active", "expired", "revoked", "all")


def create_api_token(
    actor: User,
    owner: User,
    name: str,
    *,
    days: int = DEFAULT_LIFETIME_DAYS,
    password: str | None = None,
    operator: bool = False,
) -> IssuedSecret:
    """A new token for ``owner``, valid for ``days`` (0: no expiry).

    A person proves it is them with their current ``password``; only the operator at
    the command line (``operator=True``) creates tokens without one.
    """
    if owner.id != actor.id:
        require(actor, Perm.MANAGE_ALL_TOKENS)
    else:
        require(actor, Perm.MANAGE_OWN_TOKENS)
    name = name.strip()
    if not name:
        raise ValidationFailed(tr("Give the token a name."), fields={"name": tr("Required.")})
    if days not in LIFETIME_CHOICES_DAYS and not (operator and 0 <= days <= 3650):
        raise ValidationFailed(
            tr("Choose how long the token lasts."),
            fields={"days": tr("Choose one of the lifetimes.")},
        )
    if not operator and not verify_password(actor.password_hash, password or ""):
        raise ValidationFailed(
            tr("Your current password is not right; no token was created."),
            fields={"password": tr("Not right: no token was created.")},
        )
    now = utcnow()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=owner.id,
        name=name[:100],
        token_hash=digest(secret),
        prefix=secret[:10],
        created_at=now,
        expires_at=now + timedelta(days=days) if days else None,
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        actor,
        "token.create",
        "api_token",
        token.id,
        after={"name": token.name, "user": owner.email, "expires_at": token.expires_at},
    )
    db.session.commit()
    return IssuedSecret(secret, token)


def revoke_api_token(actor: User, token: ApiToken) -> None:
    if token.user_id != actor.id:
        require(actor, Perm.MANAGE_ALL_TOKENS)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(actor, "token.revoke", "api_token", token.id, before={"name": token.name})
    db.session.commit()


def revoke_all_tokens(user: User, now: datetime) -> int:
    """End every token of ``user`` still in force (the caller audits and commits)."""
    tokens = list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        )
    )
    for token in tokens:
        token.revoked_at = now
    return len(tokens)


def user_for_token(secret: str) -> tuple[User, ApiToken] | None:
    token = db.session.execute(
        select(ApiToken).where(ApiToken.token_hash == digest(secret))
    ).scalar_one_or_none()
    if token is None or not token.is_active or not token.user.active:
        return None
    now = utcnow()
    # Written at most once a minute so reads stay cheap.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
        db.session.commit()
    return token.user, token


def _in_force() -> Any:
    return ApiToken.revoked_at.is_(None) & or_(
        ApiToken.expires_at.is_(None), ApiToken.expires_at > utcnow()
    )


def active_token_counts(user_ids: list[int]) -> dict[int, int]:
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(ApiToken.user_id, func.count(ApiToken.id))
        .where(ApiToken.user_id.in_(user_ids), _in_force())
        .group_by(ApiToken.user_id)
    )
    return {user_id: count for user_id, count in rows}


def list_tokens(
    actor: User,
    *,
    state: str = "active",
    user_id: int | None = None,
    page: int = 1,
    per_page: int = 50,
) -> Any:
    """A page of API tokens of every account, newest first, with their owners loaded."""
    require(actor, Perm.MANAGE_ALL_TOKENS)
    query = select(ApiToken).options(joinedload(ApiToken.user)).order_by(ApiToken.id.desc())
    if state == "active":
        query = query.where(_in_force())
    elif state == "expired":
        query = query.where(ApiToken.revoked_at.is_(None), ApiToken.expires_at <= utcnow())
    elif state == "revoked":
        query = query.where(ApiToken.revoked_at.is_not(None))
    if user_id is not None:
        query = query.where(ApiToken.user_id == user_id)
    return db.paginate(query, page=max(1, page), per_page=per_page, error_out=False, count=True)


def tokens_of(owner: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == owner.id).order_by(ApiToken.id.desc())
        )
    )
