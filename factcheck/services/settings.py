"""Site settings: the single row, read once per request."""

from __future__ import annotations

from flask import g, has_app_context

from ..errors import ValidationFailed
from ..extensions import db
from ..models import SiteSettings, User
from ..policy import Perm, require
from . import audit
from .locking import guarded

EDITABLE = (
    "site_name",
    "organization_name",
    "organization_url",
    "approvals_required",
    "session_idle_minutes",
    "session_max_hours",
)


def get_settings() -> SiteSettings:
    if has_app_context() and "site_settings" in g:
        return g.site_settings  # type: ignore[no-any-return]
    down = has_app_context() and g.get("database_down", False)
    settings = None if down else db.session.get(SiteSettings, 1)
    if settings is None:
        # Defaults until an admin saves the settings page (or demo/db init creates the row).
        settings = SiteSettings(
            id=1,
            site_name="Factcheck",
            organization_name="Factcheck Desk",
            organization_url="http://127.0.0.1:5000/",
            approvals_required=1,
            session_idle_minutes=60,
            session_max_hours=12,
        )
    if has_app_context():
        g.site_settings = settings
    return settings


def ensure_settings() -> SiteSettings:
    settings = db.session.get(SiteSettings, 1)
    if settings is None:
        settings = get_settings()
        db.session.add(settings)
        db.session.flush()
    return settings


@guarded("The site settings")
def update_settings(actor: User, version: int, values: dict[str, object]) -> SiteSettings:
    from .locking import check_version

    require(actor, Perm.MANAGE_SETTINGS)
    settings = ensure_settings()
    check_version(settings, version, values, what="The site settings")
    approvals = int(values["approvals_required"])  # type: ignore[call-overload]
    if not 1 <= approvals <= 3:
        raise ValidationFailed(
            "Approvals must be between 1 and 3.",
            fields={"approvals_required": "Choose 1, 2 or 3."},
        )
    before = audit.snapshot(settings, EDITABLE)
    for key in EDITABLE:
        setattr(settings, key, values[key])
    before, after = audit.changed(before, audit.snapshot(settings, EDITABLE))
    audit.record(actor, "settings.update", "site_settings", 1, before=before, after=after)
    db.session.commit()
    g.pop("site_settings", None)
    return settings
