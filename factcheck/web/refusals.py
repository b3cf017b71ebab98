"""A refused action shown where the person is: the one mapping of domain errors the
HTML views share, and the one place a view's transaction is rolled back.

A permission refusal (403) goes on to the styled error page (``web/errors.py``);
anything else is rolled back and shown on the form's fields, or as a message above the
page the person is sent back to. The API's views let every domain error propagate to
the handlers registered in ``web/errors.py`` and ``api/errors.py``.
"""

from __future__ import annotations

from flask import flash
from flask_wtf import FlaskForm

from ..errors import DomainError
from ..extensions import db
from ..forms import apply_errors


def discard_refused(exc: DomainError) -> None:
    """Forget what the refused action left in the session (a failed flush, half-made
    rows), so that the page shown next reads what is saved. A 403 is not shown here:
    it goes on to the error page."""
    if exc.status == 403:
        raise exc
    db.session.rollback()


def show_refusal(exc: DomainError, form: FlaskForm | None = None, *, message: str = "") -> int:
    """Roll back, then show the refusal on ``form`` (its fields, else above it) or, without
    a form, as a flashed ``message`` (the error's own by default). Answers the status
    to re-render the form with."""
    discard_refused(exc)
    if form is not None:
        apply_errors(form, exc)
    else:
        flash(message or exc.message, "error")
    return exc.status
