"""Workflow transitions: the editorial rules applied to rows.

The rules themselves live in ``factcheck.workflow``; this module gathers the
facts, asks it (``available_actions`` as a dry run, ``transition`` for real),
applies the answer through the table of effects, writes the audit event and
commits once. Writing the verdict itself (drafts, revisions, corrections'
proposed changes) is ``services/verdicts.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from ..errors import ValidationFailed, tr
from ..extensions import db
from ..locales import N_
from ..models import (
    AuditEvent,
    Claim,
    ClaimStatus,
    DismissReason,
    Evidence,
    User,
    Verdict,
    VerdictApproval,
    VerdictState,
)
from ..models.base import utcnow
from ..policy import Perm, can, require
from ..reads.common import find
from ..rendering import render_markdown
from ..workflow import (
    ACTION_LABELS,
    Action,
    Decision,
    Situation,
    available_from,
    decide,
    refusal,
)
from . import audit, embeddings
from .locking import check_version, guarded
from .notifications import notify
from .settings import get_settings
from .verdicts import evidence_snapshot, latest_revision, pending_revisions

ACTION_PERMS = {
    Action.START: Perm.START,
    Action.ASSIGN: Perm.ASSIGN,
    Action.SUBMIT: Perm.SUBMIT,
    Action.APPROVE: Perm.APPROVE,
    Action.SEND_BACK: Perm.SEND_BACK,
    Action.DISMISS: Perm.DISMISS,
    Action.CORRECT: Perm.CORRECT,
}


# Audit events that make their actor a contributor to what the next publication shows.
CONTRIBUTING_EVENTS = {
    "claim.correct": "correction_openers",
    "evidence.add": "evidence_editors",
    "evidence.update": "evidence_editors",
    "evidence.remove": "evidence_editors",
}


def contributors(claim: Claim) -> dict[str, frozenset[int]]:
    """Who opened the correction and who touched the evidence since the last publication.

    Read from the audit trail (written in the same transaction as each change); the
    authors of the verdict revisions, claim field changes included, are the revisions'.
    """
    query = select(AuditEvent.action, AuditEvent.actor_id).where(
        AuditEvent.claim_id == claim.id,
        AuditEvent.action.in_(list(CONTRIBUTING_EVENTS)),
        AuditEvent.actor_id.is_not(None),
    )
    published = claim.published_verdict
    if published is not None and published.published_at is not None:
        query = query.where(AuditEvent.at > published.published_at)
    found: dict[str, set[int]] = {"correction_openers": set(), "evidence_editors": set()}
    for action, actor_id in db.session.execute(query):
        if actor_id is not None:
            found[CONTRIBUTING_EVENTS[action]].add(actor_id)
    return {key: frozenset(ids) for key, ids in found.items()}


def situation(
    actor: User,
    claim: Claim,
    *,
    comment: str = "",
    reason: str = "",
    duplicate_of: int | None = None,
    assignee_id: int | None = None,
) -> Situation:
    pending = pending_revisions(claim)
    latest = pending[-1] if pending else None
    evidence_count = (
        db.session.scalar(
            select(func.count(Evidence.id)).where(
                Evidence.claim_id == claim.id, Evidence.removed_at.is_(None)
            )
        )
        or 0
    )
    others = contributors(claim)
    return Situation(
        status=ClaimStatus(claim.status),
        actor_id=actor.id,
        has_rating=bool(latest and latest.rating_id),
        has_summary=bool(latest and latest.summary.strip()),
        has_explanation=bool(latest and latest.explanation.strip()),
        evidence_count=evidence_count,
        draft_authors=frozenset(v.author_id for v in pending),
        correction_openers=others["correction_openers"],
        evidence_editors=others["evidence_editors"],
        approvals=frozenset(a.editor_id for a in latest.approvals) if latest else frozenset(),
        approvals_required=get_settings().approvals_required,
        is_public=claim.is_public,
        comment=comment,
        reason=reason,
        duplicate_of=duplicate_of,
        assignee_id=assignee_id,
    )


@dataclass(frozen=True)
class ActionChoice:
    """One workflow action as a person sees it on a claim: open, or closed with the reason."""

    action: Action
    label: str
    reason: str | None = None

    @property
    def allowed(self) -> bool:
        return self.reason is None


def available_actions(user: User | Any, claim: Claim) -> list[ActionChoice]:
    """The actions this person may see on this claim now, each open or closed with why.

    The one source for the desk's buttons, the review page, and the API's ``actions``:
    a dry run of the workflow's standing rules (``workflow.refusal``). Actions of
    other states and actions the person's role never allows are left out.
    """
    if not can(user, Perm.USE_DESK):
        return []
    perms = [a for a in available_from(ClaimStatus(claim.status)) if can(user, ACTION_PERMS[a])]
    if not perms:
        return []
    facts = situation(user, claim)
    return [ActionChoice(a, _label(a, facts), refusal(a, facts)) for a in perms]


def _label(action: Action, facts: Situation) -> str:
    """The button's words: an approval says whether it publishes."""
    if action is Action.APPROVE:
        if len(facts.approvals | {facts.actor_id}) >= facts.approvals_required:
            return N_("Approve and publish")
        return N_("Approve (more approvals needed to publish)")
    return ACTION_LABELS[action]


@guarded("This claim")
def transition(
    actor: User,
    claim: Claim,
    action: Action,
    *,
    version: int | None = None,
    comment: str = "",
    reason: str = "",
    duplicate_of: int | None = None,
    assignee_id: int | None = None,
) -> Claim:
    """Apply a workflow action: role, state and rules checked; one audit event; one commit."""
    require(actor, ACTION_PERMS[action])
    if version is not None:
        check_version(
            claim, version, {"action": action.value, "comment": comment}, what="This claim"
        )
    comment = (comment or "").strip()
    if action is Action.DISMISS and reason == DismissReason.DUPLICATE and duplicate_of is not None:
        target = find(Claim, duplicate_of)
        if target is None or target.id == claim.id:
            raise ValidationFailed(
                tr("A duplicate must name another existing claim."),
                fields={"duplicate_of": tr("Give another claim's number.")},
            )
    if action is Action.ASSIGN and assignee_id is not None:
        assignee = find(User, assignee_id)
        if assignee is None or not assignee.active:
            raise ValidationFailed(
                tr("Choose an active account to assign."),
                fields={"assignee": tr("Unknown account.")},
            )
    facts = situation(
        actor,
        claim,
        comment=comment,
        reason=reason,
        duplicate_of=duplicate_of,
        assignee_id=assignee_id,
    )
    decision = decide(action, facts)
    before = {"status": claim.status, "assignee_id": claim.assignee_id}
    pending = pending_revisions(claim)
    now = utcnow()
    EFFECTS[action](
        Move(
            actor=actor,
            claim=claim,
            decision=decision,
            pending=pending,
            latest=pending[-1] if pending else None,
            now=now,
            comment=comment,
            reason=reason,
            duplicate_of=duplicate_of,
            assignee_id=assignee_id,
        )
    )
    claim.status = decision.to_state.value
    claim.updated_at = now
    db.session.flush()
    after = {"status": claim.status, "assignee_id": claim.assignee_id}
    if action is Action.DISMISS:
        after.update(dismiss_reason=reason, duplicate_of=claim.duplicate_of_id)
    if action is Action.APPROVE and not decision.publishes:
        after["approvals"] = len(facts.approvals) + 1
    audit.record(
        actor,
        f"claim.{action.value}",
        "claim",
        claim.id,
        claim_id=claim.id,
        before=before,
        after=after,
        note=comment or reason or None,
    )
    db.session.commit()
    if decision.publishes:
        embeddings.after_claim_change()
    return claim


@dataclass
class Move:
    """What an effect needs: the claim, the workflow's decision and the work under review."""

    actor: User
    claim: Claim
    decision: Decision
    pending: list[Verdict]
    latest: Verdict | None
    now: datetime
    comment: str
    reason: str
    duplicate_of: int | None
    assignee_id: int | None


def _start(m: Move) -> None:
    if m.claim.assignee_id is None:
        m.claim.assignee_id = m.actor.id


def _assign(m: Move) -> None:
    m.claim.assignee_id = m.assignee_id
    notify(m.assignee_id, f"You were assigned claim #{m.claim.id}.", m.claim.id)  # type: ignore[arg-type]


def _submit(m: Move) -> None:
    assert m.latest is not None  # the workflow checked there is a complete draft
    m.latest.state = VerdictState.SUBMITTED
    m.latest.submitted_at = m.now


def _send_back(m: Move) -> None:
    if m.latest is None:
        return
    m.latest.state = VerdictState.SENT_BACK
    for author_id in {v.author_id for v in m.pending}:
        notify(
            author_id,
            f"Your verdict on claim #{m.claim.id} was sent back: {m.comment[:200]}",
            m.claim.id,
        )


def _dismiss(m: Move) -> None:
    m.claim.dismiss_reason = m.reason
    m.claim.dismiss_note = m.comment or None
    m.claim.duplicate_of_id = m.duplicate_of if m.reason == DismissReason.DUPLICATE else None


def _correct(m: Move) -> None:
    published = m.claim.published_verdict
    assert published is not None
    latest = latest_revision(m.claim.id)
    assert latest is not None
    # The words are still the published author's; the correction note is the editor's,
    # and the audit event ("claim.correct") keeps him from approving it (four eyes).
    db.session.add(
        Verdict(
            claim_id=m.claim.id,
            revision=latest.revision + 1,
            rating_id=published.rating_id,
            summary=published.summary,
            explanation=published.explanation,
            author_id=published.author_id,
            state=VerdictState.SUBMITTED,
            submitted_at=m.now,
            correction_note=m.comment,
        )
    )


def _approve(m: Move) -> None:
    assert m.latest is not None
    db.session.add(VerdictApproval(verdict_id=m.latest.id, editor_id=m.actor.id, approved_at=m.now))
    if m.decision.publishes:
        _publish(m.claim, m.latest, m.now)


# What each action does to the rows, beside the workflow's rule table (workflow.RULES).
EFFECTS: dict[Action, Callable[[Move], None]] = {
    Action.START: _start,
    Action.ASSIGN: _assign,
    Action.SUBMIT: _submit,
    Action.SEND_BACK: _send_back,
    Action.DISMISS: _dismiss,
    Action.CORRECT: _correct,
    Action.APPROVE: _approve,
}


def _publish(claim: Claim, verdict: Verdict, now: datetime) -> None:
    previous = claim.published_verdict
    if verdict.claim_changes:
        from .claims import apply_public_values

        apply_public_values(claim, verdict.claim_changes.get("fields", {}))
    if previous is not None:
        previous.state = VerdictState.SUPERSEDED
    verdict.state = VerdictState.PUBLISHED
    verdict.published_at = now
    # What the public reads of the evidence from now until the next publication.
    verdict.public_evidence = evidence_snapshot(claim.id)
    # The text is frozen from now on: render its Markdown once, not on every view.
    verdict.explanation_html = str(render_markdown(verdict.explanation))
    if claim.published_at is None:
        claim.published_at = now
    claim.published_verdict_id = verdict.id
    claim.published_verdict = verdict
    # The one place the published rating is set: publication and approved corrections.
    claim.published_rating_id = verdict.rating_id
    authors = {v.author_id for v in pending_revisions(claim)} | {verdict.author_id}
    message = (
        N_("Your correction of claim #%(id)s is published.")
        if previous is not None
        else N_("Your fact-check of claim #%(id)s is published.")
    )
    for author_id in authors:
        notify(author_id, message, claim.id, params={"id": claim.id})
