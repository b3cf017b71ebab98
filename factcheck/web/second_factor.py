"""Second factor and re-authentication in the session; the __Host- cookie names.

The session records when the person last proved who they are (password or code) and
whether this session passed a second factor. Sensitive actions ask for a proof within
the last ``REAUTH_WINDOW``; a role that must use a second factor can do nothing but
enrol until this session has passed one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from .security import safe_next

F = TypeVar("F", bound=Callable[..., Any])

REAUTH_WINDOW = timedelta(minutes=10)
PENDING_WINDOW = timedelta(minutes=5)  # between the password and the code at sign-in
SAVED_FORM_MAX = 2000  # characters of a form kept across the re-authentication page

PASSED_SECOND_FACTOR = "_mfa"
PROVED_AT = "_proved_at"
PENDING = "_pending_2fa"
SAVED_FORM = "_reauth_form"

# What a person who must enrol may still reach.
ENROLMENT_ENDPOINTS = {"auth.enrol_two_factor", "auth.logout", "static"}


def _now() -> float:
    return datetime.now(UTC).timestamp()


def mark_proved(*, second_factor: bool | None = None) -> None:
    """The person just gave their password or a code (sign-in or re-authentication)."""
    session[PROVED_AT] = _now()
    if second_factor is not None:
        session[PASSED_SECOND_FACTOR] = second_factor


def proved_recently() -> bool:
    proved = session.get(PROVED_AT)
    if not isinstance(proved, int | float):
        return False
    return _now() - proved <= REAUTH_WINDOW.total_seconds()


def passed_second_factor() -> bool:
    return bool(session.get(PASSED_SECOND_FACTOR))


# --- sign-in between the password and the code -----------------------------------------


def start_pending(session_token: str, next_url: str | None) -> None:
    session[PENDING] = {"token": session_token, "at": _now(), "next": next_url or ""}


def pending_token() -> str | None:
    """The session token of the person half-way through signing in, while still in time."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    at = pending.get("at")
    if not isinstance(at, int | float) or _now() - at > PENDING_WINDOW.total_seconds():
        return None
    token = pending.get("token")
    return token if isinstance(token, str) else None


def pending_next() -> str:
    pending = session.get(PENDING)
    return str(pending.get("next") or "") if isinstance(pending, dict) else ""


# --- re-authentication ------------------------------------------------------------------


def _back_url(back_endpoint: str | None) -> str:
    if back_endpoint:
        return url_for(back_endpoint, **(request.view_args or {}))
    rule = request.url_rule
    if rule is not None and "GET" in (rule.methods or set()):
        return request.full_path.rstrip("?")
    return url_for("desk.dashboard")


def _keep_form(back: str) -> bool:
    """Keep what was submitted (never a password) so it can be sent again after the proof."""
    fields = [
        (name, value)
        for name, value in request.form.items(multi=True)
        if name != "csrf_token" and "password" not in name
    ]
    kept = {"action": request.full_path.rstrip("?"), "fields": fields, "back": back}
    if len(json.dumps(kept)) > SAVED_FORM_MAX:
        session.pop(SAVED_FORM, None)
        return False
    session[SAVED_FORM] = kept
    return True


def saved_form(next_url: str) -> dict[str, Any] | None:
    """The form kept for the page the person returns to, if any (taken out of the session)."""
    kept = session.pop(SAVED_FORM, None)
    if not isinstance(kept, dict) or kept.get("back") != next_url:
        return None
    action = safe_next(str(kept.get("action") or ""), "")
    if not action:
        return None
    return {"action": action, "fields": [tuple(f) for f in kept.get("fields") or []]}


def recent_proof_required(back_endpoint: str | None = None) -> Callable[[F], F]:
    """A POST here needs the password or a code within REAUTH_WINDOW; else the proof page.

    ``back_endpoint`` names the page to return to (built with this request's URL values);
    by default the request's own URL when it answers GET, else the dashboard.
    """

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if request.method == "POST" and current_user.is_authenticated and not proved_recently():
                back = _back_url(back_endpoint)
                if _keep_form(back):
                    flash(
                        _(
                            "Please confirm it is you before this change. What you submitted is "
                            "kept: you can send it after confirming."
                        ),
                        "info",
                    )
                else:
                    flash(
                        _("Please confirm it is you, then submit the form again."),
                        "info",
                    )
                return redirect(url_for("auth.reauthenticate", next=back))
            return view(*args, **kwargs)

        return cast(F, wrapped)

    return decorate


# --- the app ----------------------------------------------------------------------------


def _use_host_prefixed_cookies(app: Flask) -> None:
    """Over HTTPS, ``__Host-`` cookies: Secure, Path=/, no Domain, so no sibling host
    (or a plain-http page) can set or shadow them."""
    if not app.config.get("HTTPS"):
        return
    for kind, name in (("SESSION", "session"), ("REMEMBER", "remember_token")):
        app.config[f"{kind}_COOKIE_NAME"] = f"__Host-{name}"
        app.config[f"{kind}_COOKIE_SECURE"] = True
        app.config[f"{kind}_COOKIE_PATH"] = "/"
        app.config[f"{kind}_COOKIE_DOMAIN"] = None


def init_app(app: Flask) -> None:
    _use_host_prefixed_cookies(app)

    @app.before_request
    def hold_until_enrolled() -> Response | None:
        """A role that must use a second factor: enrol (or sign in with a code) first."""
        if request.endpoint in (None, "static") or request.path.startswith("/api/"):
            return None
        if not current_user.is_authenticated or passed_second_factor():
            return None
        from ..services import two_factor

        if not two_factor.role_must_use(current_user):
            return None
        if two_factor.is_enrolled(current_user):
            # Enrolled in another session: this one never passed the code.
            logout_user()
            session.clear()
            flash(_("Please sign in again with your authenticator code."), "info")
            return redirect(url_for("auth.login"))
        if request.endpoint in ENROLMENT_ENDPOINTS:
            return None
        flash(_("Your role must use a second factor: set it up to continue."), "info")
        return redirect(url_for("auth.enrol_two_factor"))
