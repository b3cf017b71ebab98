"""Accepting and discarding an import candidate: what the triage screen and the
monitor share (the service call, the lost race, the message shown)."""

from __future__ import annotations

from flask import flash
from flask_babel import gettext as _

from ..errors import DomainError, StaleEdit
from ..locales import N_
from ..models import ImportCandidate
from ..services import importing
from ..web.refusals import show_refusal
from .routes import actor

HANDLED_ELSEWHERE = N_(
    "Someone handled this candidate while you were looking at it; check its state."
)


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
    except StaleEdit as exc:
        show_refusal(exc, message=_(HANDLED_ELSEWHERE))
    except DomainError as exc:
        show_refusal(exc)
    else:
        if same_as:
            flash(
                _(
                    "Recorded as said again on claim #%(id)s (an appearance, public once "
                    "an editor confirms it) instead of logging a duplicate.",
                    id=claim.id,
                ),
                "success",
            )
        else:
            flash(_("Claim #%(id)s logged.", id=claim.id), "success")


def discard(candidate: ImportCandidate, version: int | None) -> None:
    try:
        importing.discard_candidate(actor(), candidate, version)
    except StaleEdit as exc:
        show_refusal(exc, message=_(HANDLED_ELSEWHERE))
    else:
        flash(_("Candidate discarded."), "info")
