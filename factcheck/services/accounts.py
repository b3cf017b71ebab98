"""Accounts: creating users, signing in, roles, deactivation, password links, API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from ..errors import Conflict, NotFound, ValidationFailed
from ..extensions import db
from ..models import ApiToken, PasswordLink, Role, User
from ..models.base import utcnow
from ..policy import Perm, require
from . import audit
from .passwords import hash_password, needs_rehash, password_problem, verify_password

LINK_LIFETIME = timedelta(hours=48)
LINK_PURPOSES = ("invite", "reset")
TOKEN_PREFIX = "fc_"  # noqa: S105  (a visible prefix, not a secret)
NAME_MAX = 120


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalize_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValidationFailed(
            f"Invalid email address: {exc}", fields={"email": str(exc)}
        ) from None


def parse_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise ValidationFailed(
            f"Unknown role '{role}'. Roles: {known}.", fields={"role": f"Choose one of {known}."}
        ) from None


def find_user_by_email(email: str) -> User | None:
    return db.session.execute(
        select(User).where(func.lower(User.email) == email.strip().lower())
    ).scalar_one_or_none()


def create_user(
    actor: User | None, *, email: str, name: str, role: str, password: str | None = None
) -> User:
    """Create an account. ``actor`` None means the command line (an operator)."""
    user = _new_user(actor, email=email, name=name, role=role, password=password)
    db.session.commit()
    return user


def invite_user(actor: User, *, email: str, name: str, role: str) -> tuple[User, IssuedSecret]:
    """Create an account without a password and the one-time link that lets its owner set one."""
    user = _new_user(actor, email=email, name=name, role=role)
    issued = _new_link(actor, user, "invite")
    db.session.commit()
    return user, issued


def _new_user(
    actor: User | None, *, email: str, name: str, role: str, password: str | None = None
) -> User:
    if actor is not None:
        require(actor, Perm.MANAGE_USERS)
    email = normalize_email(email)
    role_value = parse_role(role)
    name = " ".join(name.split())
    if not name:
        raise ValidationFailed("A name is required.", fields={"name": "Give the person's name."})
    if len(name) > NAME_MAX:
        raise ValidationFailed(
            f"Keep the name under {NAME_MAX} characters.",
            fields={"name": f"At most {NAME_MAX} characters."},
        )
    if find_user_by_email(email) is not None:
        raise Conflict(
            f"An account with the email {email} already exists.",
            fields={"email": "This email already has an account."},
        )
    user = User(email=email, name=name, role=role_value.value, session_token=secrets.token_hex(32))
    if password is not None:
        problem = password_problem(password, email=email, name=name)
        if problem:
            raise ValidationFailed(problem, fields={"password": problem})
        user.password_hash = hash_password(password)
        user.password_changed_at = utcnow()
    db.session.add(user)
    db.session.flush()
    audit.record(
        actor,
        "user.create",
        "user",
        user.id,
        after={"email": email, "name": name, "role": role_value},
    )
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None; failures are audited."""
    user = find_user_by_email(email) if email else None
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        audit.record(
            None,
            "auth.login_failed",
            "user",
            user.id if user else None,
            note=f"email={email[:254]}",
        )
        db.session.commit()
        return None
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    audit.record(user, "auth.login", "user", user.id)
    db.session.commit()
    return user


def request_password_reset(email: str) -> None:
    """Ask the admins for a reset link on someone's behalf; silent for unknown emails."""
    from ..models import Notification
    from .notifications import notify

    user = find_user_by_email(email) if email.strip() else None
    if user is None or not user.active:
        return
    message = f"{user.name} ({user.email}) asked for a password reset link."
    admin_ids = list(
        db.session.scalars(select(User.id).where(User.role == Role.ADMIN, User.active.is_(True)))
    )
    # Repeated requests must not flood the admins: one unread notice per account is enough.
    already = set(
        db.session.scalars(
            select(Notification.user_id).where(
                Notification.user_id.in_(admin_ids),
                Notification.message == message,
                Notification.read_at.is_(None),
            )
        )
    )
    for admin_id in admin_ids:
        if admin_id not in already:
            notify(admin_id, message)
    audit.record(None, "user.reset_requested", "user", user.id)
    db.session.commit()


def end_all_sessions(user: User) -> None:
    """Rotate the session token: every cookie carrying the old one stops working."""
    user.session_token = secrets.token_hex(32)


def sign_out(user: User) -> None:
    end_all_sessions(user)
    audit.record(user, "auth.logout", "user", user.id)
    db.session.commit()


def change_role(actor: User, user: User, role: str, version: int | None) -> User:
    from .locking import check_version

    require(actor, Perm.MANAGE_USERS)
    check_version(user, version, {"role": role}, what="This account")
    new_role = parse_role(role)
    if user.id == actor.id and new_role != Role.ADMIN:
        raise Conflict("You cannot take away your own admin role; ask another admin.")
    before = user.role
    if before == new_role.value:
        return user
    user.role = new_role.value
    audit.record(
        actor,
        "user.role_change",
        "user",
        user.id,
        before={"role": before},
        after={"role": user.role},
    )
    db.session.commit()
    return user


def set_active(actor: User, user: User, active: bool, version: int | None) -> User:
    """Deactivate (sessions end, tokens and open links die) or reactivate an account."""
    from .locking import check_version

    require(actor, Perm.MANAGE_USERS)
    check_version(user, version, {"active": active}, what="This account")
    if user.id == actor.id and not active:
        raise Conflict("You cannot deactivate your own account.")
    if user.active == active:
        return user
    user.active = active
    after: dict[str, object] = {"active": active}
    if not active:
        now = utcnow()
        end_all_sessions(user)
        tokens = list(
            db.session.scalars(
                select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            )
        )
        for token in tokens:
            token.revoked_at = now
        after["tokens_revoked"] = len(tokens)
        # A link issued before deactivation must not come back to life on reactivation.
        _expire_open_links(user.id, now)
    audit.record(
        actor,
        "user.activate" if active else "user.deactivate",
        "user",
        user.id,
        before={"active": not active},
        after=after,
    )
    db.session.commit()
    return user


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise ValidationFailed(
            "Your current password is not right.", fields={"current_password": "Not right."}
        )
    _set_password(user, new)
    audit.record(user, "user.password_change", "user", user.id)
    db.session.commit()


def _set_password(user: User, new: str) -> None:
    problem = password_problem(new, email=user.email, name=user.name)
    if problem:
        raise ValidationFailed(problem, fields={"password": problem})
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    end_all_sessions(user)


@dataclass
class IssuedSecret:
    """A secret shown once (link token or API token) with the row that stores its hash."""

    secret: str
    row: PasswordLink | ApiToken


def issue_password_link(actor: User | None, user: User, purpose: str) -> IssuedSecret:
    """A new one-time link for ``user``; it replaces any link still open."""
    if actor is not None:
        require(actor, Perm.MANAGE_USERS)
    issued = _new_link(actor, user, purpose)
    db.session.commit()
    return issued


def _new_link(actor: User | None, user: User, purpose: str) -> IssuedSecret:
    if purpose not in LINK_PURPOSES:
        raise ValidationFailed(f"Unknown link purpose '{purpose}'.")
    if not user.active:
        raise Conflict(f"{user.name}'s account is deactivated: reactivate it first.")
    now = utcnow()
    _expire_open_links(user.id, now)
    secret = secrets.token_urlsafe(32)
    link = PasswordLink(
        user_id=user.id,
        token_hash=_digest(secret),
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


def _expire_open_links(user_id: int, now: object) -> None:
    db.session.execute(
        update(PasswordLink)
        .where(PasswordLink.user_id == user_id, PasswordLink.used_at.is_(None))
        .values(used_at=now)
    )


def find_password_link(secret: str) -> PasswordLink:
    link = db.session.execute(
        select(PasswordLink).where(PasswordLink.token_hash == _digest(secret))
    ).scalar_one_or_none()
    if (
        link is None
        or link.used_at is not None
        or link.expires_at < utcnow()
        or not link.user.active
    ):
        raise NotFound("This link is not valid: it may have expired or been used already.")
    return link


def use_password_link(secret: str, new_password: str) -> User:
    link = find_password_link(secret)
    user = link.user
    _set_password(user, new_password)
    now = utcnow()
    # Claim the link with a conditional UPDATE: of two simultaneous uses, one wins.
    claimed = db.session.execute(
        update(PasswordLink)
        .where(PasswordLink.id == link.id, PasswordLink.used_at.is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise NotFound("This link is not valid: it may have expired or been used already.")
    _expire_open_links(user.id, now)  # older links of the same account die with this one
    audit.record(user, "user.password_set", "user", user.id, note=link.purpose)
    db.session.commit()
    return user


def create_api_token(actor: User, owner: User, name: str) -> IssuedSecret:
    if owner.id != actor.id:
        require(actor, Perm.MANAGE_ALL_TOKENS)
    else:
        require(actor, Perm.MANAGE_OWN_TOKENS)
    name = name.strip()
    if not name:
        raise ValidationFailed("Give the token a name.", fields={"name": "Required."})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=owner.id, name=name[:100], token_hash=_digest(secret), prefix=secret[:10]
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        actor,
        "token.create",
        "api_token",
        token.id,
        after={"name": token.name, "user": owner.email},
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


def user_for_token(secret: str) -> tuple[User, ApiToken] | None:
    token = db.session.execute(
        select(ApiToken).where(ApiToken.token_hash == _digest(secret))
    ).scalar_one_or_none()
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    now = utcnow()
    # Written at most once a minute so reads stay cheap.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
        db.session.commit()
    return token.user, token


# --- listings for the admin pages ---------------------------------------------

USER_STATES = ("active", "inactive")
TOKEN_STATES = ("active", "revoked", "all")


def list_users(
    actor: User,
    *,
    text: str = "",
    role: str = "",
    state: str = "",
    page: int = 1,
    per_page: int = 50,
) -> Any:
    """A page of accounts (Flask-SQLAlchemy Pagination), optionally filtered."""
    require(actor, Perm.MANAGE_USERS)
    query = select(User).order_by(func.lower(User.name), User.id)
    if text := text.strip()[:100]:
        query = query.where(
            User.name.icontains(text, autoescape=True) | User.email.icontains(text, autoescape=True)
        )
    if role in {r.value for r in Role}:
        query = query.where(User.role == role)
    if state in USER_STATES:
        query = query.where(User.active.is_(state == "active"))
    return db.paginate(query, page=max(1, page), per_page=per_page, error_out=False, count=True)


def active_token_counts(user_ids: list[int]) -> dict[int, int]:
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(ApiToken.user_id, func.count(ApiToken.id))
        .where(ApiToken.user_id.in_(user_ids), ApiToken.revoked_at.is_(None))
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
        query = query.where(ApiToken.revoked_at.is_(None))
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
