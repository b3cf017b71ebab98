"""Site settings: a single row an admin edits."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, CheckConstraint, Integer, String, true
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import TimestampMixin, VersionedMixin


class SiteSettings(TimestampMixin, VersionedMixin, db.Model):  # type: ignore[name-defined]
    __tablename__ = "site_settings"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("approvals_required BETWEEN 1 AND 3", name="approvals_range"),
        CheckConstraint("session_idle_minutes > 0", name="idle_positive"),
        CheckConstraint("session_max_hours > 0", name="max_positive"),
        CheckConstraint("tip_email_days BETWEEN 1 AND 3650", name="tip_email_days_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    site_name: Mapped[str] = mapped_column(String(120), nullable=False, default="Factcheck")
    organization_name: Mapped[str] = mapped_column(
        String(200), nullable=False, default="Factcheck Desk"
    )
    organization_url: Mapped[str] = mapped_column(
        String(500), nullable=False, default="http://127.0.0.1:5000/"
    )
    approvals_required: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    session_idle_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=60)
    session_max_hours: Mapped[int] = mapped_column(Integer, nullable=False, default=12)
    # Roles that must use a second factor, comma-separated; None: the default, which
    # depends on FACTCHECK_HTTPS (services/two_factor.py).
    two_factor_roles: Mapped[str | None] = mapped_column(String(100))
    # Monitoring alerts are also POSTed here as signed JSON (a newsroom chat), when set.
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    # Readers' emails on tips are erased this many days after the tip arrived.
    tip_email_days: Mapped[int] = mapped_column(
        Integer, nullable=False, default=90, server_default="90"
    )
    # Public fact-checks name their writer and approving editor unless this is off.
    show_bylines: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=True, server_default=true()
    )
    # The text settings in other languages: {"uk": {"site_name": ..., "privacy_note": ...}}.
    translations: Mapped[dict[str, dict[str, str]] | None] = mapped_column(JSON)
