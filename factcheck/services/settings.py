"""Site settings: the single row, read once per request."""

from __future__ import annotations

from typing import Any

from flask import g, has_app_context

from ..errors import ValidationFailed, tr
from ..extensions import db
from ..locales import DEFAULT_LOCALE, LOCALES, N_
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
    "two_factor_roles",
    "webhook_url",
    "tip_email_days",
    "show_bylines",
    "translations",
)
# Text settings with a version per language in ``translations``: {"uk": {"site_name": ...}}.
# The privacy note of the tip form has no column: its standard wording is in the message
# catalogue, and a text saved here (in any language) replaces it for that language.
TRANSLATED_LIMITS = {"site_name": 120, "organization_name": 200, "privacy_note": 1000}
TEXT_LIMITS = {"site_name": 120, "organization_name": 200, "organization_url": 500}
APPROVALS_RANGE = (1, 3)
# The session cookie itself expires after PERMANENT_SESSION_LIFETIME without a request
# (12 hours by default), so a longer idle timeout would never be reached.
IDLE_MINUTES_RANGE = (5, 720)
MAX_HOURS_RANGE = (1, 168)
TIP_EMAIL_DAYS_RANGE = (1, 3650)
DEFAULTS: dict[str, Any] = {
    "site_name": "Factcheck",
    "organization_name": "Factcheck Desk",
    "organization_url": "http://127.0.0.1:5000/",
    "approvals_required": 1,
    "session_idle_minutes": 60,
    "session_max_hours": 12,
    "webhook_url": None,
    "tip_email_days": 90,
    "show_bylines": True,
}


def get_settings() -> SiteSettings:
    if has_app_context() and "site_settings" in g:
        return g.site_settings  # type: ignore[no-any-return]
    down = has_app_context() and g.get("database_down", False)
    settings = None if down else db.session.get(SiteSettings, 1)
    if settings is None:
        # Defaults until an admin saves the settings page (or demo/db init creates the row).
        settings = SiteSettings(id=1, **DEFAULTS)
    if has_app_context():
        g.site_settings = settings
    return settings


def settings_version(settings: SiteSettings) -> int:
    """The version an edit form carries; 0 while the defaults have never been saved."""
    return settings.version or 0


def ensure_settings() -> SiteSettings:
    settings = db.session.get(SiteSettings, 1)
    if settings is None:
        settings = SiteSettings(id=1, **DEFAULTS)
        db.session.add(settings)
        db.session.flush()
    return settings


def validate_settings(values: dict[str, Any]) -> dict[str, Any]:
    """Clean values, or ValidationFailed naming every field that is wrong."""
    from . import two_factor
    from .catalog import check_url

    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for key, limit in TEXT_LIMITS.items():
        value = " ".join(str(values.get(key) or "").split())
        if not value:
            errors[key] = tr("Required.")
        elif len(value) > limit:
            errors[key] = tr("At most %(max)s characters.", max=limit)
        clean[key] = value
    if "organization_url" not in errors:
        try:
            clean["organization_url"] = check_url(clean["organization_url"], "organization_url")
        except ValidationFailed as exc:
            errors.update(exc.fields)
    try:
        clean["webhook_url"] = check_url(values.get("webhook_url"), "webhook_url")
    except ValidationFailed as exc:
        errors.update(exc.fields)
    for key, (low, high), problem in (
        ("approvals_required", APPROVALS_RANGE, N_("Choose between %(low)s and %(high)s.")),
        (
            "session_idle_minutes",
            IDLE_MINUTES_RANGE,
            N_("Choose between %(low)s and %(high)s minutes."),
        ),
        ("session_max_hours", MAX_HOURS_RANGE, N_("Choose between %(low)s and %(high)s hours.")),
        ("tip_email_days", TIP_EMAIL_DAYS_RANGE, N_("Choose between %(low)s and %(high)s days.")),
    ):
        try:
            number = int(values.get(key))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            errors[key] = tr("Give a whole number.")
            continue
        if not low <= number <= high:
            errors[key] = tr(problem, low=low, high=high)
        clean[key] = number
    # Absent (a caller that does not know the setting) keeps what is saved.
    if "translations" in values:
        clean["translations"] = _clean_translations(values["translations"], errors)
    if "two_factor_roles" in values:
        try:
            clean["two_factor_roles"] = two_factor.clean_roles(values["two_factor_roles"])
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if not errors and clean["session_idle_minutes"] > clean["session_max_hours"] * 60:
        errors["session_idle_minutes"] = tr("Cannot exceed the maximum session length.")
    if "show_bylines" in values:
        clean["show_bylines"] = bool(values["show_bylines"])
    if errors:
        field, message = next(iter(errors.items()))
        raise ValidationFailed(
            tr(
                "Please correct the settings (%(field_replace)s: %(message)s)",
                field_replace=field.replace("_", " "),
                message=message,
            ),
            fields=errors,
        )
    return clean


def _clean_translations(value: Any, errors: dict[str, str]) -> dict[str, dict[str, str]] | None:
    out: dict[str, dict[str, str]] = {}
    for code, fields in (value or {}).items() if isinstance(value, dict) else ():
        if code not in LOCALES or not isinstance(fields, dict):
            continue
        kept = {}
        for key, limit in TRANSLATED_LIMITS.items():
            if key != "privacy_note" and code == DEFAULT_LOCALE:
                continue  # the default language's name is the setting itself
            text = str(fields.get(key) or "").strip()
            if key != "privacy_note":
                text = " ".join(text.split())
            if len(text) > limit:
                errors[f"{key}_{code}"] = tr("At most %(max)s characters.", max=limit)
            elif text:
                kept[key] = text
        if kept:
            out[code] = kept
    return out or None


@guarded("The site settings")
def update_settings(actor: User, version: int | None, values: dict[str, object]) -> SiteSettings:
    from .locking import check_version

    require(actor, Perm.MANAGE_SETTINGS)
    existing = db.session.get(SiteSettings, 1)
    if existing is None and version in (0, None):
        settings = ensure_settings()  # the first save of the defaults
    else:
        settings = existing or ensure_settings()
        check_version(settings, version, values, what="The site settings")
    clean = validate_settings(values)
    before = audit.snapshot(settings, EDITABLE)
    for key in EDITABLE:
        if key in clean:
            setattr(settings, key, clean[key])
    before, after = audit.changed(before, audit.snapshot(settings, EDITABLE))
    if after:
        audit.record(actor, "settings.update", "site_settings", 1, before=before, after=after)
    db.session.commit()
    g.pop("site_settings", None)
    return settings
