"""Sessions, sign-in state and security headers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import Flask, flash, g, redirect, request, session, url_for
from flask_login import current_user, logout_user
from flask_talisman import Talisman
from sqlalchemy import select
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map
from werkzeug.wrappers import Response

from ..errors import tr
from ..extensions import db, login_manager
from ..limits import MAX_ID
from ..locales import N_
from ..models import User
from ..policy import Perm, require
from . import hosts

F = TypeVar("F", bound=Callable[..., Any])
DB_INT_MAX = MAX_ID  # ids are 32-bit integers on PostgreSQL


class DatabaseIntConverter(IntegerConverter):
    """``<int:...>`` bounded to what an id column holds: a huge number is a 404, not a 500."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = DB_INT_MAX,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


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
        return tr("Your session has ended. Please sign in again.")
    settings_idle, settings_max = _session_limits()
    if now - datetime.fromtimestamp(seen, UTC) > settings_idle:
        return tr("You were signed out after a period of inactivity.")
    if now - datetime.fromtimestamp(started, UTC) > settings_max:
        return tr("Your session reached its maximum length. Please sign in again.")
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


def permission_required(perm: Perm) -> Callable[[F], F]:
    """Sign-in, then the permission: anonymous users go to /login, others get a 403."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            require(current_user, perm)
            return view(*args, **kwargs)

        return cast(F, wrapped)

    return decorate


def no_store() -> None:
    """Mark the response being built as holding a secret: no cache may keep it."""
    g.no_store = True


def safe_next(target: str | None, default: str) -> str:
    """A local path to go to after sign-in; anything else (an open redirect) becomes ``default``."""
    if not target or len(target) > 2000:
        return default
    # Browsers drop tabs and newlines and read "\\" as "/", so "/\t/evil.example" is external.
    if any(ch.isspace() or ord(ch) < 32 or ch == "\\" for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def init_app(app: Flask) -> None:
    # Behind a reverse proxy the client address (for the sign-in throttle) and the
    # scheme (for absolute links and HSTS) come from X-Forwarded-*; trust only as many
    # proxies as the deployment declares, or anyone could forge them.
    # Registered before the blueprints, so every <int:...> in a URL rule uses it.
    app.url_map.converters["int"] = DatabaseIntConverter

    # The host check sits inside ProxyFix: with proxies it checks the forwarded host.
    hosts.init_app(app)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )

    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("Please sign in to use the desk.")
    login_manager.localize_callback = tr
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    def start_with_an_empty_g() -> None:
        # A request normally gets a fresh app context, hence a fresh g. When one is already
        # open (a test holding the app context, a CLI command using the test client) the
        # request reuses it, and g would carry the previous request's signed-in user
        # (Flask-Login caches it in g), CSRF token and flags into this one.
        for key in list(g):
            g.pop(key)

    app.before_request_funcs.setdefault(None, []).insert(0, start_with_an_empty_g)

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

    @app.after_request
    def keep_private_pages_out_of_caches(response: Response) -> Response:
        # Signed-in pages carry a CSRF token and desk data; one-time secrets even more so.
        # Flask-Login keeps the user it loaded in g; a request that never asked has none.
        user = g.get("_login_user")
        if g.get("no_store") or (user is not None and user.is_authenticated):
            response.headers["Cache-Control"] = "no-store"
            response.vary.add("Cookie")
        return response
