"""Verdict drafts and workflow transitions: the editorial rules applied to rows.

The rules themselves live in ``factcheck.workflow``; this module gathers the
facts, asks it, applies the answer, writes the audit event and commits once.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..errors import Conflict, StaleEdit, ValidationFailed, num, tr
from ..extensions import db
from ..limits import VERDICT_EXPLANATION_MAX, VERDICT_SUMMARY_MAX
from ..locales import N_
from ..models import (
    Claim,
    ClaimStatus,
    DismissReason,
    Evidence,
    Rating,
    User,
    Verdict,
    VerdictApproval,
    VerdictState,
)
from ..models.base import utcnow
from ..policy import Perm, can, require
from ..workflow import Action, Situation, decide
from . import audit
from .locking import check_version, guarded
from .notifications import notify
from .settings import get_settings

SUMMARY_MAX = VERDICT_SUMMARY_MAX
ACTION_PERMS = {
    Action.START: Perm.START,
    Action.ASSIGN: Perm.ASSIGN,
    Action.SUBMIT: Perm.SUBMIT,
    Action.APPROVE: Perm.APPROVE,
    Action.SEND_BACK: Perm.SEND_BACK,
    Action.DISMISS: Perm.DISMISS,
    Action.CORRECT: Perm.CORRECT,
}


def revisions(claim_id: int) -> list[Verdict]:
    return list(
        db.session.scalars(
            select(Verdict)
            .where(Verdict.claim_id == claim_id)
            .order_by(Verdict.revision)
            .options(
                selectinload(Verdict.rating),
                selectinload(Verdict.author),
                selectinload(Verdict.approvals),
            )
        )
    )


def latest_revision(claim_id: int) -> Verdict | None:
    return db.session.scalars(
        select(Verdict)
        .where(Verdict.claim_id == claim_id)
        .order_by(Verdict.revision.desc())
        .limit(1)
    ).first()


def pending_revisions(claim: Claim) -> list[Verdict]:
    """Revisions written since the last publication: the work under way."""
    published_rev = claim.published_verdict.revision if claim.published_verdict else 0
    return [v for v in revisions(claim.id) if v.revision > published_rev]


def can_draft(user: User, claim: Claim) -> bool:
    if claim.status == ClaimStatus.RESEARCHING:
        return can(user, Perm.DRAFT_VERDICT)
    # During a correction an editor may revise the new version while it is in review.
    return claim.status == ClaimStatus.IN_REVIEW and claim.is_public and can(user, Perm.CORRECT)


@dataclass
class DraftInput:
    rating: str | int | None  # a rating's slug or id
    summary: str
    explanation: str
    correction_note: str | None = None


def _rating(value: str | int | None) -> Rating | None:
    if value in (None, "", 0):
        return None
    query = select(Rating)
    if isinstance(value, int) or str(value).isdigit():
        query = query.where(Rating.id == int(value))
    else:
        query = query.where(Rating.slug == str(value))
    rating = db.session.scalars(query).first()
    if rating is None:
        raise ValidationFailed(
            tr("Unknown rating “%(value)s”.", value=value),
            fields={"rating": tr("Choose a rating from the scale.")},
        )
    return rating


def save_draft(actor: User, claim: Claim, base_revision: int | None, data: DraftInput) -> Verdict:
    """Save a new revision; every saved draft is kept."""
    require(actor, Perm.DRAFT_VERDICT)
    if not can_draft(actor, claim):
        raise Conflict(
            tr(
                "The verdict can be edited while the claim is being researched (this claim is %(claim_status_replace)s).",
                claim_status_replace=claim.status.replace("_", " "),
            )
        )
    latest = latest_revision(claim.id)
    latest_number = latest.revision if latest else 0
    if base_revision is None or int(base_revision) != latest_number:
        raise StaleEdit(
            tr(
                "Someone saved the verdict since you opened it (you started from version %(base_revision)s, it is now at version %(latest_number)s). Nothing was saved.",
                base_revision=base_revision,
                latest_number=latest_number,
            ),
            current=latest,
            submitted=data.__dict__,
        )
    summary = " ".join((data.summary or "").split())
    errors = {}
    if len(summary) > SUMMARY_MAX:
        errors["summary"] = tr(
            "Keep the summary to %(summary_max)s characters (it has %(len_summary)s).",
            summary_max=SUMMARY_MAX,
            len_summary=len(summary),
        )
    if len(data.explanation or "") > VERDICT_EXPLANATION_MAX:
        errors["explanation"] = tr(
            "Keep the explanation under %(verdict_explanation_max)s characters.",
            verdict_explanation_max=num(VERDICT_EXPLANATION_MAX),
        )
    if errors:
        raise ValidationFailed(next(iter(errors.values())), fields=errors)
    rating = _rating(data.rating)
    in_review = claim.status == ClaimStatus.IN_REVIEW
    note = (
        data.correction_note
        if data.correction_note is not None
        else (latest.correction_note if latest and latest.state != VerdictState.PUBLISHED else None)
    )
    verdict = Verdict(
        claim_id=claim.id,
        revision=latest_number + 1,
        rating=rating,
        summary=summary,
        explanation=data.explanation or "",
        author_id=actor.id,
        state=VerdictState.SUBMITTED if in_review else VerdictState.DRAFT,
        submitted_at=utcnow() if in_review else None,
        correction_note=(note or "").strip() or None,
    )
    db.session.add(verdict)
    db.session.flush()
    before = _verdict_values(latest) if latest else None
    audit.record(
        actor,
        "verdict.save",
        "verdict",
        verdict.id,
        claim_id=claim.id,
        before=before,
        after=_verdict_values(verdict),
        note=f"version {verdict.revision}",
    )
    db.session.commit()
    return verdict


def _verdict_values(v: Verdict) -> dict[str, object]:
    return {
        "revision": v.revision,
        "rating": v.rating.name if v.rating else None,
        "summary": v.summary,
        "explanation": v.explanation,
        "correction_note": v.correction_note,
    }


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
    return Situation(
        status=ClaimStatus(claim.status),
        actor_id=actor.id,
        has_rating=bool(latest and latest.rating_id),
        has_summary=bool(latest and latest.summary.strip()),
        evidence_count=evidence_count,
        draft_authors=frozenset(v.author_id for v in pending),
        approvals=frozenset(a.editor_id for a in latest.approvals) if latest else frozenset(),
        approvals_required=get_settings().approvals_required,
        is_public=claim.is_public,
        comment=comment,
        reason=reason,
        duplicate_of=duplicate_of,
        assignee_id=assignee_id,
    )


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
        target = db.session.get(Claim, duplicate_of)
        if target is None or target.id == claim.id:
            raise ValidationFailed(
                tr("A duplicate must name another existing claim."),
                fields={"duplicate_of": tr("Give another claim's number.")},
            )
    if action is Action.ASSIGN and assignee_id is not None:
        assignee = db.session.get(User, assignee_id)
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
    latest = pending[-1] if pending else None
    now = utcnow()

    if action is Action.START:
        if claim.assignee_id is None:
            claim.assignee_id = actor.id
    elif action is Action.ASSIGN:
        claim.assignee_id = assignee_id
        notify(
            assignee_id,  # type: ignore[arg-type]
            N_("You were assigned claim #%(id)s."),
            claim.id,
            params={"id": claim.id},
        )
    elif action is Action.SUBMIT:
        assert latest is not None  # the workflow checked there is a complete draft
        latest.state = VerdictState.SUBMITTED
        latest.submitted_at = now
    elif action is Action.SEND_BACK:
        if latest is not None:
            latest.state = VerdictState.SENT_BACK
            for author_id in {v.author_id for v in pending}:
                notify(
                    author_id,
                    N_("Your verdict on claim #%(id)s was sent back: %(comment)s"),
                    claim.id,
                    params={"id": claim.id, "comment": comment[:200]},
                )
    elif action is Action.DISMISS:
        claim.dismiss_reason = reason
        claim.dismiss_note = comment or None
        claim.duplicate_of_id = duplicate_of if reason == DismissReason.DUPLICATE else None
    elif action is Action.CORRECT:
        published = claim.published_verdict
        assert published is not None
        copy = Verdict(
            claim_id=claim.id,
            revision=(latest_revision(claim.id).revision + 1),  # type: ignore[union-attr]
            rating_id=published.rating_id,
            summary=published.summary,
            explanation=published.explanation,
            # The words are still the published author's; the correction note is the editor's.
            author_id=published.author_id,
            state=VerdictState.SUBMITTED,
            submitted_at=now,
            correction_note=comment,
        )
        db.session.add(copy)
    elif action is Action.APPROVE:
        assert latest is not None
        db.session.add(VerdictApproval(verdict_id=latest.id, editor_id=actor.id, approved_at=now))
        if decision.publishes:
            _publish(claim, latest, now)

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
    return claim


def _publish(claim: Claim, verdict: Verdict, now: object) -> None:
    previous = claim.published_verdict
    if previous is not None:
        previous.state = VerdictState.SUPERSEDED
    verdict.state = VerdictState.PUBLISHED
    verdict.published_at = now  # type: ignore[assignment]
    if claim.published_at is None:
        claim.published_at = now  # type: ignore[assignment]
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


def diff_against_previous(
    claim: Claim, verdict: Verdict
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Word diff of each field against the version last reviewed or published."""
    older = [
        v
        for v in revisions(claim.id)
        if v.revision < verdict.revision
        and v.state
        in (
            VerdictState.SUBMITTED,
            VerdictState.SENT_BACK,
            VerdictState.PUBLISHED,
            VerdictState.SUPERSEDED,
        )
    ]
    previous = older[-1] if older else None
    fields = []
    for label, new, old in (
        (
            N_("Rating"),
            verdict.rating.name if verdict.rating else "",
            previous.rating.name if previous and previous.rating else "",
        ),
        (N_("Summary"), verdict.summary, previous.summary if previous else ""),
        (N_("Explanation"), verdict.explanation, previous.explanation if previous else ""),
    ):
        fields.append((label, word_diff(old, new)))
    return fields


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """[(op, text)] with op in 'equal', 'delete', 'insert'."""
    a, b = old.split(" ") if old else [], new.split(" ") if new else []
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(("equal", " ".join(a[i1:i2])))
        if tag in ("delete", "replace"):
            out.append(("delete", " ".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            out.append(("insert", " ".join(b[j1:j2])))
    return out
