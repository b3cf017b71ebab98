"""Sessions, sign-in state and security headers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user
from flask_talisman import Talisman
from sqlalchemy import select
from werkzeug.wrappers import Response

from ..extensions import db, login_manager
from ..models import User

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

talisman = Talisman()


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    return db.session.execute(
        select(User).where(User.session_token == session_token, User.active.is_(True))
    ).scalar_one_or_none()


def _session_expired() -> str | None:
    """Why the signed-in session has ended, or None while it is still good."""
    now = datetime.now(UTC)
    started = session.get("_started_at")
    seen = session.get("_seen_at")
    if started is None or seen is None:
        return "Your session has ended. Please sign in again."
    settings_idle, settings_max = _session_limits()
    if now - datetime.fromtimestamp(seen, UTC) > settings_idle:
        return "You were signed out after a period of inactivity."
    if now - datetime.fromtimestamp(started, UTC) > settings_max:
        return "Your session reached its maximum length. Please sign in again."
    return None


def _session_limits() -> tuple[timedelta, timedelta]:
    from ..services.settings import get_settings

    settings = get_settings()
    return (
        timedelta(minutes=settings.session_idle_minutes),
        timedelta(hours=settings.session_max_hours),
    )


def start_session() -> None:
    """A fresh session at sign-in: nothing from before survives (no fixation)."""
    session.clear()
    now = datetime.now(UTC).timestamp()
    session["_started_at"] = now
    session["_seen_at"] = now
    session.permanent = True


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to use the desk."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    talisman.init_app(
        app,
        force_https=app.config.get("HTTPS", False),
        strict_transport_security=app.config.get("HTTPS", False),
        strict_transport_security_max_age=31536000,
        session_cookie_secure=app.config.get("HTTPS", False),
        session_cookie_http_only=True,
        content_security_policy=CSP,
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        x_content_type_options=True,
    )

    @app.before_request
    def enforce_session_limits() -> Response | None:
        if request.endpoint in (None, "static") or request.path.startswith("/api/"):
            return None
        if not current_user.is_authenticated:
            return None
        reason = _session_expired()
        if reason:
            logout_user()
            session.clear()
            flash(reason, "info")
            return redirect(url_for("auth.login", next=request.path))
        session["_seen_at"] = datetime.now(UTC).timestamp()
        return None
