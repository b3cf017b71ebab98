"""Error pages: HTML for people, JSON under /api/; the database being down is a 503."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, g, jsonify, render_template, request
from sqlalchemy.exc import DataError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from ..errors import DomainError, tr
from ..extensions import db, login_manager
from ..locales import N_

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


# Werkzeug's own descriptions of an abort(), marked so the catalogue translates them.
WERKZEUG_DESCRIPTIONS = (
    N_("The browser (or proxy) sent a request that this server could not understand."),
    N_(
        "You don't have the permission to access the requested resource. It is either "
        "read-protected or not readable by the server."
    ),
    N_(
        "The requested URL was not found on the server. If you entered the URL manually "
        "please check your spelling and try again."
    ),
    N_("The method is not allowed for the requested URL."),
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
        resp = Response(
            render_template(
                "errors/error.html",
                status=status,
                title=tr(TITLES.get(status, N_("Error"))),
                message=message,
            ),
            mimetype="text/html",
        )
    resp.status_code = status
    if headers:
        for key, value in headers:
            if key.lower() not in {"content-type", "content-length"}:
                resp.headers[key] = value
    return resp


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        message = tr(exc.description or TITLES.get(status, N_("Error")))
        if status == 429:
            message = tr("Too many attempts. Please wait a few minutes and try again.")
        if status == 413:
            message = tr("The request is too large.")
        headers = exc.get_headers() if status in (405, 429) else None
        return error_response(status, message, headers=headers)

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError) -> Response:
        db.session.rollback()
        return error_response(exc.status, exc.message, exc.fields)

    @app.errorhandler(DataError)
    def unstorable_value(exc: DataError) -> Response:
        # A value the database refuses (out of range, malformed): the input's fault, not ours.
        db.session.rollback()
        app.logger.warning("value refused by the database: %s", exc.orig)
        return error_response(
            400, tr("A value in the request cannot be stored (too large or malformed).")
        )

    @app.errorhandler(StaleDataError)
    def stale_write(exc: StaleDataError) -> Response:
        # Two saves raced past the version check; the second one lost and changed nothing.
        db.session.rollback()
        return error_response(
            409,
            tr(
                "Someone saved this record at the same moment; nothing of yours was saved. "
                "Reload it and apply your change again."
            ),
        )

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_down(exc: Exception) -> Response:
        app.logger.error("database unavailable: %s", exc)
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001, S110  (the connection itself may be gone)
            pass
        # The error page must render without the database: default settings, and
        # an anonymous visitor unless the user was loaded before the outage.
        g.database_down = True
        if "_login_user" not in g:
            g._login_user = login_manager.anonymous_user()
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
        return error_response(500, tr("Something went wrong on our side. It has been logged."))
