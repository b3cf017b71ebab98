"""A refused action shown where the person is: the one mapping of domain errors the
views share.

A permission refusal (403) goes on to the styled error page (``web/errors.py``);
anything else is rolled back and shown on the form's fields, or as a message above the
page the person is sent back to."""

from __future__ import annotations

from flask import flash
from flask_wtf import FlaskForm

from ..errors import DomainError
from ..extensions import db
from ..forms import apply_errors


def show_refusal(exc: DomainError, form: FlaskForm | None = None) -> None:
    if exc.status == 403:
        raise exc
    db.session.rollback()
    if form is not None:
        apply_errors(form, exc)
    else:
        flash(exc.message, "error")
