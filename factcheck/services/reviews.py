"""Verdict drafts and workflow transitions: the editorial rules applied to rows.

The rules themselves live in ``factcheck.workflow``; this module gathers the
facts, asks it, applies the answer, writes the audit event and commits once.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..errors import Conflict, StaleEdit, ValidationFailed, num, tr
from ..extensions import db
from ..limits import MAX_ID, VERDICT_EXPLANATION_MAX, VERDICT_SUMMARY_MAX
from ..locales import N_
from ..models import (
    AuditEvent,
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
    if isinstance(value, int) or (str(value).isascii() and str(value).isdigit()):
        if not 0 < int(value) <= MAX_ID:
            raise ValidationFailed(
                tr("Unknown rating “%(str_value_40)s”.", str_value_40=str(value)[:40]),
                fields={"rating": tr("Choose a rating from the scale.")},
            )
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


@guarded("The verdict")
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
    if in_review and (rating is None or not summary):
        # A revision saved during a correction is the one in review: it must be complete.
        missing = {}
        if rating is None:
            missing["rating"] = "Choose a rating from the scale."
        if not summary:
            missing["summary"] = "Write the summary readers see beside the rating."
        raise ValidationFailed(
            tr("The version in review needs a rating and a summary; nothing was saved."),
            fields=missing,
        )
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
        claim_changes=pending_claim_changes(claim),
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


EVIDENCE_SNAPSHOT_FIELDS = (
    "id", "url", "citation", "title", "publisher", "excerpt", "stance", "archived_url",
    "version",
)  # fmt: skip


def evidence_snapshot(claim_id: int) -> list[dict[str, Any]]:
    """The claim's evidence as the public will read it, in plain JSON."""
    rows = db.session.scalars(
        select(Evidence)
        .where(Evidence.claim_id == claim_id, Evidence.removed_at.is_(None))
        .order_by(Evidence.id)
    )
    return [
        {
            **{name: getattr(row, name) for name in EVIDENCE_SNAPSHOT_FIELDS},
            "created_at": row.created_at.isoformat(),
        }
        for row in rows
    ]


# --- changes to a published claim's public fields ---------------------------------


def pending_claim_changes(claim: Claim) -> dict[str, Any] | None:
    """The public fields the correction under way would change, or None."""
    if not claim.is_public:
        return None
    pending = pending_revisions(claim)
    return pending[-1].claim_changes if pending else None


def propose_claim_changes(actor: User, claim: Claim, changes: dict[str, Any] | None) -> Verdict:
    """Record changes to a published claim's public fields on a new revision under review.

    The claim row (what the public reads) keeps its approved values; ``_publish``
    applies the changes when another editor approves the revision. The caller commits.
    """
    if claim.status == ClaimStatus.PUBLISHED:
        raise Conflict(
            tr(
                "Claim #%(claim_id)s is published: a change to what the public reads (text, quote, speaker, source, date, tags) goes through a correction, which an editor opens ('Open a correction', or the action 'correct'); it becomes public when another editor approves it. Nothing was saved.",
                claim_id=claim.id,
            )
        )
    if not can_draft(actor, claim):
        raise Conflict(
            tr(
                "Claim #%(claim_id)s is published and a correction is under way: only editors revise it during the correction. Nothing was saved.",
                claim_id=claim.id,
            )
        )
    latest = latest_revision(claim.id)
    assert latest is not None  # a correction copied the published revision
    # In review (the usual case) the revision is submitted; after a send-back it is a draft.
    in_review = claim.status == ClaimStatus.IN_REVIEW
    verdict = Verdict(
        claim_id=claim.id,
        revision=latest.revision + 1,
        rating_id=latest.rating_id,
        summary=latest.summary,
        explanation=latest.explanation,
        author_id=actor.id,
        state=VerdictState.SUBMITTED if in_review else VerdictState.DRAFT,
        submitted_at=utcnow() if in_review else None,
        correction_note=latest.correction_note,
        claim_changes=changes or None,
    )
    db.session.add(verdict)
    db.session.flush()
    audit.record(
        actor,
        "claim.propose",
        "claim",
        claim.id,
        claim_id=claim.id,
        before=latest.claim_changes or None,
        after=changes or None,
        note=f"version {verdict.revision}, waiting for approval",
    )
    return verdict


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
