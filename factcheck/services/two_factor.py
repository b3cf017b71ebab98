"""The second factor: TOTP enrolment and checks, recovery codes, which roles must use it.

The TOTP secret is stored encrypted (Fernet, key derived from SECRET_KEY), and recovery
codes as an HMAC keyed the same way: a database dump alone yields neither.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from markupsafe import Markup
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from ..errors import Conflict, ValidationFailed, tr
from ..extensions import db
from ..models import RecoveryCode, Role, TotpCredential, User
from ..models.base import utcnow
from . import audit
from .passwords import verify_password

ISSUER = "Factcheck"
RECOVERY_CODE_COUNT = 10
# 10 characters of base32 without look-alikes: ~50 bits each, shown as two groups of five.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 10
# One step either side of now: a phone clock 30 seconds off still works.
VALID_WINDOW = 1
STEP_SECONDS = 30
HTTPS_DEFAULT_ROLES = (Role.EDITOR.value, Role.ADMIN.value)


# --- keys ----------------------------------------------------------------------------


def _key(purpose: str) -> bytes:
    secret_key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret_key, f"factcheck {purpose} v1".encode(), hashlib.sha256).digest()


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_key("totp-secret")))


def _code_digest(code: str) -> str:
    return hmac.new(_key("recovery-code"), code.encode(), hashlib.sha256).hexdigest()


def encrypt_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt_secret(token: str) -> str | None:
    """The base32 secret, or None when it was encrypted under another SECRET_KEY."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None


# --- who must use it -----------------------------------------------------------------


def default_roles() -> tuple[str, ...]:
    return HTTPS_DEFAULT_ROLES if current_app.config.get("HTTPS") else ()


def parse_roles(stored: str | None) -> tuple[str, ...]:
    if stored is None:
        return default_roles()
    known = {r.value for r in Role}
    return tuple(r for r in stored.split(",") if r in known)


def required_roles() -> tuple[str, ...]:
    from .settings import get_settings

    return parse_roles(get_settings().two_factor_roles)


def clean_roles(values: object) -> str:
    """The settings form's list of roles as stored (sorted, comma-separated)."""
    if values is None:
        return ""
    if isinstance(values, str):
        values = [v for v in values.split(",") if v]
    known = {r.value for r in Role}
    chosen = [str(v) for v in values]  # type: ignore[attr-defined]
    unknown = [v for v in chosen if v not in known]
    if unknown:
        raise ValidationFailed(
            tr("Unknown role '%(unknown_0)s'.", unknown_0=unknown[0]),
            fields={"two_factor_roles": tr("Choose known roles.")},
        )
    return ",".join(r.value for r in Role if r.value in chosen)


def role_must_use(user: User) -> bool:
    return user.role in required_roles()


# --- enrolment -----------------------------------------------------------------------


def credential_of(user: User) -> TotpCredential | None:
    return db.session.get(TotpCredential, user.id)


def is_enrolled(user: User) -> bool:
    return credential_of(user) is not None


def new_secret() -> str:
    return pyotp.random_base32()


@dataclass
class Enrolment:
    """What the enrolment page shows: the secret for typing in, and the QR code."""

    secret: str
    uri: str
    qr_svg: Markup


def enrolment_for(user: User, secret: str) -> Enrolment:
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=_issuer())
    svg = segno.make(uri, error="m").svg_inline(
        scale=4,
        border=4,
        omitsize=True,
        dark="#000",
        light="#fff",
        title="QR code for your authenticator app",
    )
    return Enrolment(secret=secret, uri=uri, qr_svg=Markup(svg))  # noqa: S704 (segno's own SVG)


def _issuer() -> str:
    from .settings import get_settings

    return get_settings().site_name or ISSUER


def confirm_enrolment(user: User, secret: str, code: str) -> list[str]:
    """Check the first code from the app; the second factor is then on. Returns recovery codes.

    Until then the secret lives only in the enrolling session (encrypted), not in a row.
    """
    if is_enrolled(user):
        raise Conflict(tr("You already use a second factor. Turn it off first to enrol anew."))
    step = _matching_step(secret, code)
    if step is None:
        message = tr(
            "That code is not right: check the time on your phone and type the current code."
        )
        raise ValidationFailed(message, fields={"code": message})
    db.session.add(
        TotpCredential(user_id=user.id, secret_encrypted=encrypt_secret(secret), last_step=step)
    )
    try:
        db.session.flush()  # two tabs confirming at once: one wins
    except IntegrityError:
        db.session.rollback()
        raise Conflict(tr("Your second factor was just turned on in another window.")) from None
    codes = _new_recovery_codes(user)
    audit.record(user, "user.two_factor_enable", "user", user.id)
    db.session.commit()
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_code_digest(c)) for c in codes)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def regenerate_recovery_codes(user: User) -> list[str]:
    """Ten new codes; every earlier one stops working."""
    if not is_enrolled(user):
        raise Conflict(tr("You do not use a second factor, so there are no recovery codes."))
    codes = _new_recovery_codes(user)
    audit.record(user, "user.recovery_codes", "user", user.id)
    db.session.commit()
    return codes


def recovery_codes_left(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count(RecoveryCode.id)).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        )
        or 0
    )


def disable(user: User, password: str, code: str) -> None:
    """Turn the second factor off: needs the password and a current code (or a recovery code)."""
    if role_must_use(user):
        raise Conflict(
            tr(
                "Your role must use a second factor, so it cannot be turned off. To move it to a "
                "new phone, use a recovery code to sign in, then ask an admin to reset it."
            )
        )
    if not verify_password(user.password_hash, password):
        raise ValidationFailed(
            tr("Your password is not right."), fields={"password": tr("Not right.")}
        )
    if not check_code(user, code):
        raise ValidationFailed(
            tr("That code is not right."), fields={"code": tr("That code is not right.")}
        )
    _remove(user)
    audit.record(user, "user.two_factor_disable", "user", user.id)
    db.session.commit()


def reset_by_admin(actor: User | None, user: User) -> None:
    """An admin (None: the command line) removes someone's second factor; they enrol again."""
    from ..policy import Perm, require

    if actor is not None:
        require(actor, Perm.MANAGE_USERS)
    if credential_of(user) is None:
        return
    _remove(user)
    from .accounts import end_all_sessions

    end_all_sessions(user)
    audit.record(actor, "user.two_factor_reset", "user", user.id)
    db.session.commit()


def _remove(user: User) -> None:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(TotpCredential).where(TotpCredential.user_id == user.id))


# --- checking a code -----------------------------------------------------------------


def normalize_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step whose code this is (within the window), or None."""
    code = normalize_code(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    current = int(now) // STEP_SECONDS
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def check_code(user: User, code: str) -> str | None:
    """Accept a TOTP code (each once) or an unused recovery code (then spent).

    Returns "totp" or "recovery", or None when the code is refused. The caller commits.
    """
    credential = credential_of(user)
    if credential is None:
        return None
    normalized = normalize_code(code)
    if len(normalized) == RECOVERY_LENGTH:
        # Spend it with a conditional UPDATE: of two simultaneous uses, one wins.
        spent = db.session.execute(
            update(RecoveryCode)
            .where(
                RecoveryCode.user_id == user.id,
                RecoveryCode.code_hash == _code_digest(normalized),
                RecoveryCode.used_at.is_(None),
            )
            .values(used_at=utcnow())
        )
        return "recovery" if spent.rowcount == 1 else None  # type: ignore[attr-defined]
    secret = decrypt_secret(credential.secret_encrypted)
    step = _matching_step(secret, normalized) if secret else None
    if step is None:
        return None
    # A code seen once (or an older one) is refused: someone who watched it typed, or
    # caught it on the way, cannot use it again within its 30 seconds.
    accepted = db.session.execute(
        update(TotpCredential)
        .where(
            TotpCredential.user_id == user.id,
            (TotpCredential.last_step.is_(None)) | (TotpCredential.last_step < step),
        )
        .values(last_step=step)
    )
    return "totp" if accepted.rowcount == 1 else None  # type: ignore[attr-defined]


def verify_second_factor(user: User, code: str) -> str | None:
    """check_code at sign-in, audited and committed."""
    kind = check_code(user, code)
    if kind is None:
        audit.record(None, "auth.second_factor_failed", "user", user.id)
    else:
        audit.record(user, "auth.second_factor", "user", user.id, note=kind)
    db.session.commit()
    return kind


def confirm_identity(user: User, *, password: str = "", code: str = "") -> bool:
    """Re-authentication before a sensitive action: the password, or a code. Audited."""
    ok = False
    if code.strip():
        ok = check_code(user, code) is not None
    elif password:
        ok = verify_password(user.password_hash, password)
    audit.record(user, "auth.reauth" if ok else "auth.reauth_failed", "user", user.id)
    db.session.commit()
    return ok
