"""Error pages: HTML for people, JSON under /api/; the database being down is a 503."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, g, jsonify, render_template, request
from sqlalchemy.exc import DataError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from ..errors import DomainError
from ..extensions import db, login_manager

TITLES = {
    400: "Bad request",
    401: "Sign-in needed",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Too large",
    429: "Too many attempts",
    500: "Something went wrong",
    503: "Temporarily unavailable",
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.endswith(".json")


def error_response(
    status: int, message: str, fields: dict[str, str] | None = None, headers: Any = None
) -> Response:
    if wants_json():
        resp = jsonify({"error": {"status": status, "message": message, "fields": fields or {}}})
    else:
        resp = Response(
            render_template(
                "errors/error.html",
                status=status,
                title=TITLES.get(status, "Error"),
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


def _wait(exc: HTTPException) -> str:
    """How long the limit that was hit lasts, in words ("15 minutes"), from its window."""
    limit = getattr(getattr(exc, "limit", None), "limit", None)
    try:
        seconds = int(limit.get_expiry()) if limit is not None else 0
    except (AttributeError, TypeError, ValueError):
        seconds = 0
    if seconds <= 0:
        return "a few minutes"
    if seconds < 120:
        return f"{seconds} seconds"
    if seconds < 2 * 3600:
        return f"{round(seconds / 60)} minutes"
    return f"{round(seconds / 3600)} hours"


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        message = exc.description or TITLES.get(status, "Error")
        if status == 429:
            message = f"Too many attempts. Please wait {_wait(exc)} and try again."
        if status == 413:
            message = "The request is too large."
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
            400, "A value in the request cannot be stored (too large or malformed)."
        )

    @app.errorhandler(StaleDataError)
    def stale_write(exc: StaleDataError) -> Response:
        # Two saves raced past the version check; the second one lost and changed nothing.
        db.session.rollback()
        return error_response(
            409,
            "Someone saved this record at the same moment; nothing of yours was saved. "
            "Reload it and apply your change again.",
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
            503, "The database is unavailable right now. Please try again in a minute."
        )
        resp.headers["Retry-After"] = "30"
        return resp

    @app.errorhandler(InternalServerError)
    def server_error(exc: InternalServerError) -> Response:
        original = getattr(exc, "original_exception", None)
        if isinstance(original, OperationalError | InterfaceError):
            return database_down(original)
        return error_response(500, "Something went wrong on our side. It has been logged.")
