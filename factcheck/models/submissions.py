"""One-time keys of submitted forms and API writes: a form sent twice creates one row."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..limits import SUBMISSION_KEY_MAX, URL_MAX
from .base import UTCDateTime, utcnow


class SubmissionKey(db.Model):  # type: ignore[name-defined]
    """A key consumed in the transaction of the insert it guards.

    ``scope`` says whose key it is (``user:<id>``, or ``form`` for a signed-out reader's
    form, whose keys are random and issued with it); the unique (scope, key) lets the
    database refuse a second use even when two requests race. What the first request
    answered is kept so that a repeat gets the same answer.
    """

    __tablename__ = "submission_keys"
    __table_args__ = (
        UniqueConstraint("scope", "key", name="scope_key"),
        Index("ix_submission_keys_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(40), nullable=False)
    key: Mapped[str] = mapped_column(String(SUBMISSION_KEY_MAX), nullable=False)
    purpose: Mapped[str] = mapped_column(String(100), nullable=False)
    # A hash of the API request (method, path, body): the same key with another body is refused.
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    # Where the first submission of a desk form led.
    result_url: Mapped[str | None] = mapped_column(String(URL_MAX))
    # What the API answered the first time.
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)
    response_headers: Mapped[str | None] = mapped_column(Text)
