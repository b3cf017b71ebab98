"""Create forms sent twice (a double click, a resent page) create one row.

Each create form carries a hidden one-time ``submission_key`` issued with it
(``SubmissionKeyField``); ``form_once`` consumes it in the transaction of the insert,
and ``sent_before`` answers a repeat with where the first submission went.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import flash, redirect
from flask_login import current_user
from werkzeug.wrappers import Response

from ..errors import ValidationFailed
from ..models import SubmissionKey
from ..services import submissions
from ..services.submissions import AlreadySubmitted
from .errors import error_response

__all__ = ["AlreadySubmitted", "form_once", "record", "sent_before"]


@contextmanager
def form_once(form: Any, purpose: str) -> Iterator[SubmissionKey | None]:
    """Run the block once for the form's key (a form without one just runs it)."""
    key = (form.submission_key.data or "").strip() if hasattr(form, "submission_key") else ""
    if key:
        try:
            submissions.check_key(key, field="submission_key")
        except ValidationFailed:
            raise ValidationFailed(
                "This form's one-time key is damaged; reload the page and send the form again."
            ) from None
    user = current_user if current_user.is_authenticated else None
    with submissions.once(submissions.scope_for(user), key, purpose) as row:
        yield row


def record(row: SubmissionKey | None, url: str) -> None:
    submissions.record(row, url=url)


def sent_before(exc: AlreadySubmitted) -> Response:
    """A repeat: back to what the first submission made, or a conflict page while it is
    still being saved."""
    earlier = exc.earlier
    if earlier is not None and earlier.result_url:
        flash(f"{exc.message} Here it is; nothing was added twice.", "info")
        return redirect(earlier.result_url, 303)
    return error_response(
        409,
        f"{exc.message} The first submission is still being saved; "
        "reload the list in a moment to see it. Nothing was added twice.",
    )
