"""Error pages: HTML for people, JSON under /api/; the database being down is a 503.

Every handler first rolls the request's transaction back: the error may have left the
session in a failed state (a refused flush), and the page itself reads the database
(the signed-in person, the site's settings). If even that fails, the page is rendered
as for an anonymous visitor with the default settings, and at worst as plain HTML.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from markupsafe import escape
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from ..errors import DomainError, ntr, tr
from ..extensions import db, login_manager
from ..locales import N_
from ..services.locking import is_unique_violation

TITLES = {
    400: N_("Bad request"),
    401: N_("Sign-in needed"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    405: N_("Method not allowed"),
    409: N_("Conflict"),
    413: N_("Too large"),
    429: N_("Too many attempts"),
    500: N_("Something went wrong"),
    503: N_("Temporarily unavailable"),
}


LOST_RACE = (
    "Someone saved this record at the same moment; nothing of yours was saved. "
    "Reload it and apply your change again."
)


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.endswith(".json")


def error_response(
    status: int, message: str, fields: dict[str, str] | None = None, headers: Any = None
) -> Response:
    # An error page names no other address of the page it refuses (no hreflang, and the
    # language switch leads home): the address may hold what must not be shown.
    g.error_page = True
    if wants_json():
        resp = jsonify({"error": {"status": status, "message": message, "fields": fields or {}}})
    else:
        resp = Response(_error_page(status, message), mimetype="text/html")
    resp.status_code = status
    if headers:
        for key, value in headers:
            if key.lower() not in {"content-type", "content-length"}:
                resp.headers[key] = value
    return resp


def _wait(exc: HTTPException) -> str:
    """How long the limit that was hit lasts, in words ("15 minutes"), from its window."""
    limit = getattr(getattr(exc, "limit", None), "limit", None)
    try:
        seconds = int(limit.get_expiry()) if limit is not None else 0
    except (AttributeError, TypeError, ValueError):
        seconds = 0
    if seconds <= 0:
        return tr("a few minutes")
    if seconds < 120:
        return ntr("%(num)s second", "%(num)s seconds", seconds)
    if seconds < 2 * 3600:
        return ntr("%(num)s minute", "%(num)s minutes", round(seconds / 60))
    return ntr("%(num)s hour", "%(num)s hours", round(seconds / 3600))


def _without_database() -> None:
    """Render from here on without the database: default settings, anonymous unless the
    person was already loaded."""
    g.database_down = True
    if "_login_user" not in g:
        g._login_user = login_manager.anonymous_user()


def discard_transaction() -> None:
    """Roll the request's transaction back, whatever state it is in."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001  (the connection itself may be gone)
        _without_database()
        try:
            db.session.remove()
        except Exception:  # noqa: BLE001, S110
            pass


def _error_page(status: int, message: str) -> str:
    title = tr(TITLES.get(status, N_("Error")))
    try:
        return render_template("errors/error.html", status=status, title=title, message=message)
    except Exception:  # noqa: BLE001
        # The page read something that failed (the database, most likely): once more
        # without it, then as bare HTML that needs nothing at all.
        current_app.logger.exception("the error page failed; rendering it without the database")
        discard_transaction()
        _without_database()
    try:
        return render_template("errors/error.html", status=status, title=title, message=message)
    except Exception:  # noqa: BLE001
        current_app.logger.exception("the error page failed again; plain HTML")
        return (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title>"
            '<link rel="stylesheet" href="/static/css/app.css"></head><body>'
            f'<main class="error-page"><h1>{escape(title)} <small>({status})</small></h1>'
            f'<p>{escape(message)}</p><p><a href="/">Back to the home page</a></p>'
            "</main></body></html>"
        )


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        discard_transaction()
        status = exc.code or 500
        message = tr(exc.description or TITLES.get(status, N_("Error")))
        if status == 429:
            message = tr("Too many attempts. Please wait %(wait)s and try again.", wait=_wait(exc))
        if status == 413:
            message = tr("The request is too large.")
        headers = exc.get_headers() if status in (405, 429) else None
        return error_response(status, message, headers=headers)

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError) -> Response:
        discard_transaction()
        return error_response(exc.status, exc.message, exc.fields)

    @app.errorhandler(DataError)
    def unstorable_value(exc: DataError) -> Response:
        # A value the database refuses (out of range, malformed): the input's fault, not ours.
        discard_transaction()
        app.logger.warning("value refused by the database: %s", exc.orig)
        return error_response(
            400, tr("A value in the request cannot be stored (too large or malformed).")
        )

    @app.errorhandler(OverflowError)
    def number_too_large(exc: OverflowError) -> Response:
        # A number past what a column holds that slipped past the bounds (SQLite's driver
        # raises this before the query runs): the input's fault.
        discard_transaction()
        app.logger.warning("number out of range reached the database: %s", exc)
        return error_response(400, "A number in the request is too large.")

    @app.errorhandler(StaleDataError)
    def stale_write(exc: StaleDataError) -> Response:
        # Two saves raced past the version check; the second one lost and changed nothing.
        discard_transaction()
        return error_response(409, LOST_RACE)

    @app.errorhandler(IntegrityError)
    def refused_row(exc: IntegrityError) -> Response:
        discard_transaction()
        if is_unique_violation(exc):
            # Two writes of the same thing at once (a service not guarded for it): the
            # loser changed nothing.
            app.logger.warning("unique constraint refused a write: %s", exc.orig)
            return error_response(409, LOST_RACE)
        app.logger.error("integrity error: %s", exc, exc_info=exc)
        return error_response(500, "Something went wrong on our side. It has been logged.")

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_down(exc: Exception) -> Response:
        if "database is locked" in str(getattr(exc, "orig", exc)):
            # SQLite lets one writer at a time: a transaction whose snapshot another
            # commit overtook cannot write (busy-snapshot), and nothing of it was saved.
            discard_transaction()
            app.logger.warning("write lost to a concurrent one on SQLite: %s", exc)
            resp = error_response(409, LOST_RACE)
            resp.headers["Retry-After"] = "1"
            return resp
        app.logger.error("database unavailable: %s", exc)
        discard_transaction()
        # The error page must render without the database: default settings, and
        # an anonymous visitor unless the user was loaded before the outage.
        _without_database()
        resp = error_response(
            503, tr("The database is unavailable right now. Please try again in a minute.")
        )
        resp.headers["Retry-After"] = "30"
        return resp

    @app.errorhandler(InternalServerError)
    def server_error(exc: InternalServerError) -> Response:
        original = getattr(exc, "original_exception", None)
        if isinstance(original, OperationalError | InterfaceError):
            return database_down(original)
        discard_transaction()
        return error_response(500, "Something went wrong on our side. It has been logged.")
