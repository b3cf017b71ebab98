"""Form pieces shared by the blueprints."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired
from wtforms.widgets import HiddenInput

from .errors import DomainError


class ActionForm(FlaskForm):
    """A POST-only button (publish, remove, revoke): just the CSRF token."""


class VersionedForm(FlaskForm):
    """An edit form that carries the version of the row it was loaded from."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


def apply_errors(form: FlaskForm, error: DomainError) -> None:
    """Put a service's error on the form: on the fields it names, else on the form."""
    placed = False
    for name, message in error.fields.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*list(field.errors or []), message]
            placed = True
    if not placed:
        form.form_errors.append(error.message)


def rebase(field: Any, value: int) -> None:
    """Point a hidden version field at the version saved now (after a conflict)."""
    field.data = value
    field.raw_data = [str(value)]
