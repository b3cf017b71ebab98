"""The desk's side of readers' tips: the groups by demand, and deciding each one (log
a claim for it, answer it with a published fact-check, or dismiss it with a reason)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ...errors import Conflict, ValidationFailed, tr
from ...extensions import db
from ...models import Claim, Tip, TipGroup, User
from ...models.base import utcnow
from ...models.tips import TIP_DISMISS_REASONS
from ...policy import Perm, require
from ...reads.common import find, get_or_404
from .. import audit, claims
from ..locking import check_version, guarded
from . import grouping
from .intake import GROUP_STATES, erase_expired_emails, plain_text


@dataclass
class GroupRow:
    group: TipGroup
    newest: list[Tip]
    suggestion: grouping.Match | None


SORTS: dict[str, tuple[Any, ...]] = {
    "demand": (TipGroup.tip_count.desc(), TipGroup.id.desc()),
    "newest": (TipGroup.last_tip_at.desc(), TipGroup.id.desc()),
}
NEWEST_TIPS_SHOWN = 3


def groups_page(
    actor: User, *, state: str = "open", sort: str = "demand", page: int = 1, per_page: int = 20
) -> tuple[list[GroupRow], bool]:
    """A page of tip groups with their newest tips; (rows, has_next)."""
    require(actor, Perm.READ_TIPS)
    erase_expired_emails()
    query = select(TipGroup).options(selectinload(TipGroup.claim))
    if state in GROUP_STATES:
        query = query.where(TipGroup.state == state)
    query = query.order_by(*SORTS.get(sort, SORTS["demand"]))
    groups = list(db.session.scalars(query.offset((page - 1) * per_page).limit(per_page + 1)))
    has_next = len(groups) > per_page
    groups = groups[:per_page]
    newest: dict[int, list[Tip]] = {g.id: [] for g in groups}
    if groups:
        # Only the newest few of each group are read, however many readers asked.
        place = func.row_number().over(partition_by=Tip.group_id, order_by=Tip.id.desc()).label("n")
        ranked = select(Tip.id, place).where(Tip.group_id.in_(newest)).subquery()
        shown = select(ranked.c.id).where(ranked.c.n <= NEWEST_TIPS_SHOWN)
        for tip in db.session.scalars(select(Tip).where(Tip.id.in_(shown)).order_by(Tip.id.desc())):
            newest[tip.group_id].append(tip)
    rows = []
    for group in groups:
        suggestion = None
        if group.state == "open":
            best = grouping.published_matches(group.text, limit=1)
            suggestion = best[0] if best else None
        rows.append(GroupRow(group=group, newest=newest[group.id], suggestion=suggestion))
    return rows, has_next


def demand_for(claim_ids: list[int]) -> dict[int, int]:
    """How many readers asked about each claim (tips in groups linked to it)."""
    if not claim_ids:
        return {}
    rows = db.session.execute(
        select(TipGroup.claim_id, func.sum(TipGroup.tip_count))
        .where(TipGroup.claim_id.in_(claim_ids))
        .group_by(TipGroup.claim_id)
    ).all()
    return {int(claim_id or 0): int(total or 0) for claim_id, total in rows}


def get_group(group_id: int) -> TipGroup:
    return get_or_404(
        TipGroup, group_id, tr("There is no tip group #%(group_id)s.", group_id=group_id)
    )


def _decided(actor: User, group: TipGroup, version: int | None, what: dict[str, Any]) -> None:
    check_version(group, version, what, what=f"Tip group #{group.id}")
    if group.state != "open":
        raise Conflict(
            tr(
                "Tip group #%(group_id)s was already handled (%(group_states_group_state)s).",
                group_id=group.id,
                group_states_group_state=GROUP_STATES[group.state].lower(),
            )
        )
    group.decided_by_id = actor.id
    group.decided_at = utcnow()


@guarded("The tip group")
def log_claim_for(
    actor: User, group: TipGroup, data: claims.ClaimInput, version: int | None
) -> Claim:
    """Log a claim for this group of tips: readers' links then follow its fact-check."""
    require(actor, Perm.LOG_CLAIM)
    try:
        _decided(actor, group, version, {"text": data.text})
        claim = claims.log_claim(actor, data, commit=False)
        group.state = "logged"
        group.claim_id = claim.id
        audit.record(actor, "tips.log", "tip_group", group.id, claim_id=claim.id,
                     after={"state": "logged", "claim_id": claim.id})  # fmt: skip
        db.session.commit()
    except Exception:
        db.session.rollback()  # nothing half-made: neither the claim nor the link
        raise
    return claim


@guarded("The tip group")
def answer_with(actor: User, group: TipGroup, claim_id: int, version: int | None) -> TipGroup:
    """An existing published fact-check answers this group."""
    require(actor, Perm.ANSWER_TIPS)
    claim = find(Claim, claim_id)
    if claim is None or not claim.is_public:
        raise ValidationFailed(
            tr("Claim #%(claim_id)s is not a published fact-check.", claim_id=claim_id),
            fields={"claim_id": tr("Give the number of a published fact-check.")},
        )
    _decided(actor, group, version, {"claim_id": claim_id})
    group.state = "answered"
    group.claim_id = claim.id
    audit.record(actor, "tips.answer", "tip_group", group.id, claim_id=claim.id,
                 after={"state": "answered", "claim_id": claim.id})  # fmt: skip
    db.session.commit()
    return group


@guarded("The tip group")
def dismiss(
    actor: User, group: TipGroup, reason: str, note: str | None, version: int | None
) -> TipGroup:
    """Not taken up, with a reason the readers' status pages show."""
    require(actor, Perm.ANSWER_TIPS)
    if reason not in TIP_DISMISS_REASONS:
        raise ValidationFailed(tr("Choose a reason."), fields={"reason": tr("Choose a reason.")})
    _decided(actor, group, version, {"reason": reason})
    group.state = "dismissed"
    group.dismiss_reason = reason
    group.dismiss_note = plain_text(note, 500)[:500] or None
    audit.record(actor, "tips.dismiss", "tip_group", group.id,
                 after={"state": "dismissed", "reason": reason})  # fmt: skip
    db.session.commit()
    return group


def newest_link(group_id: int) -> str | None:
    """The newest web address a reader of this group gave, to prefill the claim form."""
    for seen_at in db.session.scalars(
        select(Tip.seen_at)
        .where(Tip.group_id == group_id, Tip.seen_at.is_not(None))
        .order_by(Tip.id.desc())
        .limit(20)
    ):
        if seen_at and re.match(r"^https?://\S+$", seen_at):
            return seen_at
    return None
