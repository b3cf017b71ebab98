"""Form pieces shared by the blueprints."""

from __future__ import annotations

import secrets
from typing import Any

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField
from wtforms.validators import InputRequired
from wtforms.widgets import HiddenInput, TextInput

from .errors import DomainError, tr
from .limits import MAX_ID
from .locales import N_


class BoundedIntegerField(IntegerField):
    """An IntegerField that refuses numbers no column can hold (ids, versions, counts)."""

    data: Any  # as IntegerField's (an int once validated)

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if isinstance(self.data, int) and not -MAX_ID <= self.data <= MAX_ID:
            self.data = None
            raise ValueError(f"Enter a number no larger than {MAX_ID:,}.")


class SubmissionKeyField(HiddenField):
    """A form's one-time key: issued with the form, consumed with the row it creates."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(default=new_submission_key, **kwargs)


def new_submission_key() -> str:
    return secrets.token_urlsafe(24)


class ActionForm(FlaskForm):
    """A POST-only button (publish, remove, revoke): just the CSRF token."""


class VersionedForm(FlaskForm):
    """An edit form that carries the version of the row it was loaded from."""

    version = BoundedIntegerField(widget=HiddenInput(), validators=[InputRequired()])


DATE_HINT = N_("YYYY-MM-DD, for example 2025-01-31")  # translated where shown


class IsoDateField(DateField):
    """A date typed as YYYY-MM-DD, the format every hint and every list shows.

    A browser's date picker shows its own locale's order (mm/dd/yyyy in the United
    States) while our hints say YYYY-MM-DD; a text box keeps the two the same.
    """

    widget = TextInput()

    def __init__(self, label: str | None = None, validators: Any = None, **kwargs: Any) -> None:
        render_kw = {
            "placeholder": "YYYY-MM-DD",
            "pattern": r"\d{4}-\d{2}-\d{2}",
            "autocomplete": "off",
        }
        render_kw.update(kwargs.pop("render_kw", None) or {})
        kwargs.setdefault("description", lazy_gettext(DATE_HINT))
        super().__init__(label, validators, format="%Y-%m-%d", render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and str(valuelist[0]).strip():
            valuelist = [str(valuelist[0]).strip()]
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(tr("Write the date as %(hint)s.", hint=tr(DATE_HINT))) from None


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
