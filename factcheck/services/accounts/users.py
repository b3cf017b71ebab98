"""Accounts: creating users, signing in, roles, deactivation, setting passwords."""

from __future__ import annotations

import secrets
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import func, select

from ...errors import Conflict, ValidationFailed, tr
from ...extensions import db
from ...locales import LOCALES
from ...models import Role, User
from ...models.base import utcnow
from ...policy import Perm, require
from .. import audit
from ..passwords import hash_password, needs_rehash, password_problem, verify_password
from . import links, tokens
from .issued import IssuedSecret

NAME_MAX = 120
USER_STATES = ("active", "inactive")


def normalize_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValidationFailed(
            tr("Invalid email address: %(exc)s", exc=exc), fields={"email": str(exc)}
        ) from None


def parse_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise ValidationFailed(
            tr("Unknown role '%(role)s'. Roles: %(known)s.", role=role, known=known),
            fields={"role": tr("Choose one of %(known)s.", known=known)},
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
    issued = links.new_link(actor, user, "invite")
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
        raise ValidationFailed(
            tr("A name is required."), fields={"name": tr("Give the person's name.")}
        )
    if len(name) > NAME_MAX:
        raise ValidationFailed(
            tr("Keep the name under %(name_max)s characters.", name_max=NAME_MAX),
            fields={"name": tr("At most %(name_max)s characters.", name_max=NAME_MAX)},
        )
    if find_user_by_email(email) is not None:
        raise Conflict(
            tr("An account with the email %(email)s already exists.", email=email),
            fields={"email": tr("This email already has an account.")},
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
    from ...models import Notification
    from ..notifications import notify

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
    from ..locking import check_version

    require(actor, Perm.MANAGE_USERS)
    check_version(user, version, {"role": role}, what="This account")
    new_role = parse_role(role)
    if user.id == actor.id and new_role != Role.ADMIN:
        raise Conflict(tr("You cannot take away your own admin role; ask another admin."))
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
    from ..locking import check_version

    require(actor, Perm.MANAGE_USERS)
    check_version(user, version, {"active": active}, what="This account")
    if user.id == actor.id and not active:
        raise Conflict(tr("You cannot deactivate your own account."))
    if user.active == active:
        return user
    user.active = active
    after: dict[str, object] = {"active": active}
    if not active:
        now = utcnow()
        end_all_sessions(user)
        after["tokens_revoked"] = tokens.revoke_all_tokens(user, now)
        # A link issued before deactivation must not come back to life on reactivation.
        links.expire_open_links(user.id, now)
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


def set_locale(user: User, locale: str | None) -> None:
    """The person's interface language ("en", "uk"), or None for the browser's choice."""
    if locale is not None and locale not in LOCALES:
        raise ValidationFailed(
            _("Choose one of the offered languages."), fields={"locale": _("Not offered.")}
        )
    if user.locale != locale:
        audit.record(
            user,
            "user.locale",
            "user",
            user.id,
            before={"locale": user.locale},
            after={"locale": locale},
        )
        user.locale = locale
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise ValidationFailed(
            tr("Your current password is not right."), fields={"current_password": tr("Not right.")}
        )
    ended = _set_password(user, new)
    audit.record(user, "user.password_change", "user", user.id, after={"tokens_revoked": ended})
    db.session.commit()


def _set_password(user: User, new: str) -> int:
    """Set the password; every session and every API token of the account ends with the old one.

    Returns how many tokens were revoked.
    """
    problem = password_problem(new, email=user.email, name=user.name)
    if problem:
        raise ValidationFailed(problem, fields={"password": problem})
    now = utcnow()
    user.password_hash = hash_password(new)
    user.password_changed_at = now
    end_all_sessions(user)
    return tokens.revoke_all_tokens(user, now)


def set_password_from_command_line(email: str, new_password: str) -> tuple[User, int]:
    """A lost password replaced by someone at the server's command line (no current password).

    Like every password change, the account's sessions and API tokens end with the old
    password. Returns the user and how many tokens were revoked.
    """
    user = find_user_by_email(normalize_email(email))
    if user is None:
        raise ValidationFailed(
            f"There is no account with the email {email}.", fields={"email": "Unknown email."}
        )
    ended = _set_password(user, new_password)
    audit.record(
        None,
        "user.password_set",
        "user",
        user.id,
        note="command line",
        after={"tokens_revoked": ended} if ended else None,
    )
    db.session.commit()
    return user, ended


def use_password_link(secret: str, new_password: str) -> User:
    """Set the password through a one-time link (an invitation or a reset)."""
    link = links.find_password_link(secret)
    user = link.user
    ended = _set_password(user, new_password)
    links.claim_link(link, utcnow())
    audit.record(
        user,
        "user.password_set",
        "user",
        user.id,
        note=link.purpose,
        after={"tokens_revoked": ended} if ended else None,
    )
    db.session.commit()
    return user


# --- listings for the admin pages ---------------------------------------------


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
