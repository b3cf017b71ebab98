"""The edit-conflict page every desk form shares: nothing anyone typed is lost."""

from __future__ import annotations

from typing import Any

from flask import render_template

from ..errors import StaleEdit
from ..forms import rebase


def typed_values(
    form: Any, skip: tuple[str, ...] = ("csrf_token", "version", "base_revision")
) -> dict[str, Any]:
    """What the person typed, by field label."""
    return {
        f.label.text: f.data for f in form if f.name not in skip and f.type not in ("HiddenField",)
    }


def saved_values(form: Any, row: Any, **overrides: Any) -> dict[str, Any]:
    """What is saved now, by the same labels as the form (a field the row holds
    differently, such as a list of aliases, is given in ``overrides``)."""
    skip = ("csrf_token", "version", "base_revision")
    return {
        f.label.text: overrides[f.name] if f.name in overrides else getattr(row, f.name, None)
        for f in form
        if f.name not in skip and f.type not in ("HiddenField",)
    }


def conflict_page(
    error: StaleEdit,
    form: Any,
    *,
    what: str,
    current: dict[str, Any],
    back: str,
    mine: dict[str, Any] | None = None,
) -> tuple[str, int]:
    """What the other person saved beside what you typed, with your form rebased on the
    version saved now so that saving again is a deliberate choice."""
    saved = error.current
    if hasattr(form, "version") and saved is not None and hasattr(saved, "version"):
        rebase(form.version, saved.version)
    if hasattr(form, "base_revision") and saved is not None:
        rebase(form.base_revision, getattr(saved, "revision", 0))
    page = render_template(
        "desk/conflict.html",
        error=error,
        form=form,
        what=what,
        current=current,
        mine=mine if mine is not None else typed_values(form),
        back=back,
    )
    return page, 409
