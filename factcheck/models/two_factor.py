"""A person's second factor: the TOTP secret (encrypted) and one-time recovery codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class TotpCredential(db.Model):  # type: ignore[name-defined]
    """One per person, made when the first code from the app is confirmed."""

    __tablename__ = "totp_credentials"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # The base32 secret, encrypted with a key derived from SECRET_KEY (Fernet).
    secret_encrypted: Mapped[str] = mapped_column(String(255), nullable=False)
    enabled_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    # The 30-second step of the last accepted code: a code is accepted once (no replay).
    last_step: Mapped[int | None] = mapped_column(BigInteger)


class RecoveryCode(db.Model):  # type: ignore[name-defined]
    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    # HMAC-SHA256 of the code (keyed from SECRET_KEY); the code is shown once.
    code_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
