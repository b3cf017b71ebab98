"""Four eyes over public profiles: an edit of a speaker or source with published
fact-checks waits for an editor other than its author.

The public reads a speaker's or source's name, title, description and homepage on
every fact-check that names it; a change there changes published fact-checks. So,
once a speaker or source has a published fact-check, ``update_speaker`` and
``update_source`` do not write the row: they keep the edit in ``pending_changes``
(with its author) until another editor approves it here. Before any publication the
row is edited directly, as it reaches the public only through an approved fact-check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, select

from ...errors import TransitionNotAllowed
from ...extensions import db
from ...models import Claim, Source, Speaker, User
from ...models.base import utcnow
from ...policy import Perm, can
from .. import audit


def has_public_claims(row: Speaker | Source) -> bool:
    column: ColumnElement[Any] = (
        Claim.speaker_id == row.id if isinstance(row, Speaker) else Claim.source_id == row.id
    )
    found = db.session.scalar(
        select(Claim.id).where(column, Claim.published_verdict_id.is_not(None)).limit(1)
    )
    return found is not None


def propose(actor: User, row: Speaker | Source, kind: str, values: dict[str, Any]) -> None:
    """Keep the edit for approval; the row the public reads stays as it is. The caller commits."""
    row.pending_changes = values
    row.pending_by_id = actor.id
    # One versioned UPDATE, so a concurrent editor sees the version move.
    row.updated_at = utcnow()
    audit.record(
        actor,
        f"{kind}.propose",
        kind,
        row.id,
        after=values,
        note="waiting for another editor's approval",
    )


def approval_refusal(actor: User | Any, row: Speaker | Source) -> str | None:
    """Why this person may not approve the change waiting on this row, or None."""
    if not row.pending_changes:
        return "There is no change waiting for approval."
    if not can(actor, Perm.APPROVE):
        return "Only editors approve changes to a speaker or source with published fact-checks."
    if getattr(actor, "id", None) == row.pending_by_id:
        return "Four eyes: you proposed this change; another editor must approve it."
    return None


def approve(
    actor: User, row: Speaker | Source, kind: str, apply: Callable[[dict[str, Any]], None]
) -> None:
    """Apply the edit waiting on ``row`` (its author may not: four eyes), audited."""
    refusal = approval_refusal(actor, row)
    if refusal:
        raise TransitionNotAllowed(refusal)
    values = dict(row.pending_changes or {})
    proposer = row.pending_by_id
    row.pending_changes = None
    row.pending_by_id = None
    apply(values)
    audit.record(actor, f"{kind}.approve_change", kind, row.id, after={"proposed_by": proposer})
    db.session.commit()
