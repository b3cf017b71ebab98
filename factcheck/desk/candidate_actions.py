"""Accepting and discarding an import candidate: what the triage screen and the
monitor share (the service call, the lost race, the message shown)."""

from __future__ import annotations

from flask import flash

from ..errors import DomainError, StaleEdit
from ..extensions import db
from ..models import ImportCandidate
from ..services import importing
from .routes import actor

HANDLED_ELSEWHERE = "Someone handled this candidate while you were looking at it; check its state."


def accept(
    candidate: ImportCandidate,
    version: int | None,
    *,
    text: str,
    speaker: str,
    speaker_title: str | None,
    same_as: int | None,
) -> None:
    """Log the candidate as a claim (or as an appearance of claim ``same_as``); flash how."""
    try:
        claim = importing.accept_candidate(
            actor(),
            candidate,
            version,
            text=text,
            speaker=speaker,
            speaker_title=speaker_title,
            same_as=same_as,
        )
    except StaleEdit:
        db.session.rollback()
        flash(HANDLED_ELSEWHERE, "error")
    except DomainError as exc:
        if exc.status == 403:
            raise
        db.session.rollback()
        flash(exc.message, "error")
    else:
        if same_as:
            flash(
                f"Recorded as said again on claim #{claim.id} (an appearance, public once "
                "an editor confirms it) instead of logging a duplicate.",
                "success",
            )
        else:
            flash(f"Claim #{claim.id} logged.", "success")


def discard(candidate: ImportCandidate, version: int | None) -> None:
    try:
        importing.discard_candidate(actor(), candidate, version)
    except StaleEdit:
        db.session.rollback()
        flash(HANDLED_ELSEWHERE, "error")
    else:
        flash("Candidate discarded.", "info")
