"""One-time submission keys: a form posted twice, or an API write sent twice, creates one row.

The key is added to the session before the operation runs, so the operation's own commit
consumes it in the same transaction as its insert. A second submission finds the key
used and is told where the first one went; two submissions racing both insert it, and the
database's unique (scope, key) lets exactly one commit.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select

from ..errors import Conflict, ValidationFailed
from ..extensions import db
from ..limits import SUBMISSION_KEY_MAX
from ..models import SubmissionKey, User
from ..models.base import utcnow

# How long a key is remembered: a double click or a client's retry comes within seconds.
KEPT_FOR = timedelta(days=1)


class AlreadySubmitted(Conflict):
    """The key was used before (or is being used right now by a racing request)."""

    def __init__(self, message: str, earlier: SubmissionKey | None) -> None:
        super().__init__(message)
        self.earlier = earlier


def scope_for(user: User | None) -> str:
    """Whose keys: a person's own, or the random keys issued with a signed-out form."""
    return f"user:{user.id}" if user is not None else "form"


def check_key(key: str, *, field: str) -> str:
    if not (0 < len(key) <= SUBMISSION_KEY_MAX) or not all(33 <= ord(c) <= 126 for c in key):
        raise ValidationFailed(
            f"The {field} must be 1 to {SUBMISSION_KEY_MAX} printable ASCII characters "
            "without spaces (a UUID, for instance).",
            fields={field: "Not a usable key."},
        )
    return key


def earlier_use(scope: str, key: str) -> SubmissionKey | None:
    return db.session.scalars(
        select(SubmissionKey).where(SubmissionKey.scope == scope, SubmissionKey.key == key)
    ).first()


@contextmanager
def once(
    scope: str, key: str | None, purpose: str, *, fingerprint: str | None = None
) -> Iterator[SubmissionKey | None]:
    """Run the block at most once for ``key``; without a key, just run it.

    Raises AlreadySubmitted when the key was used before, or when a racing request
    consumed it first (its commit won; ours was rolled back, so nothing was written).
    """
    if not key:
        yield None
        return
    used = earlier_use(scope, key)
    if used is not None:
        raise AlreadySubmitted("This was already sent; it was saved once.", used)
    row = SubmissionKey(
        scope=scope, key=key, purpose=purpose, fingerprint=fingerprint, created_at=utcnow()
    )
    db.session.add(row)
    try:
        yield row
    except BaseException:
        # Whatever failed, the key was not consumed, unless a racing twin consumed it.
        db.session.rollback()
        used = earlier_use(scope, key)
        if used is not None:
            raise AlreadySubmitted(
                "This was sent twice at the same moment; it was saved once.", used
            ) from None
        raise
    if row in db.session.new or db.session.is_modified(row):
        db.session.commit()  # an operation that flushed without committing


def record(
    row: SubmissionKey | None,
    *,
    url: str | None = None,
    status: int | None = None,
    body: str | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Keep what the first submission led to, for the repeats; forget old keys."""
    if row is None:
        return
    row.result_url = url
    row.response_status = status
    row.response_body = body
    row.response_headers = json.dumps(headers) if headers else None
    db.session.execute(delete(SubmissionKey).where(SubmissionKey.created_at < utcnow() - KEPT_FOR))
    db.session.commit()


def stored_headers(row: SubmissionKey) -> dict[str, Any]:
    return dict(json.loads(row.response_headers)) if row.response_headers else {}
