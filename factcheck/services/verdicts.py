"""Verdicts as the desk writes them: revisions and drafts, the changes a correction
proposes to a published claim's public fields, the evidence a publication freezes,
and the word diff a reviewer reads.

Moving a claim through the workflow (who may do what now, and what each action does
to these rows) is ``services/reviews.py``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..errors import Conflict, StaleEdit, ValidationFailed, num, tr
from ..extensions import db
from ..limits import VERDICT_EXPLANATION_MAX, VERDICT_SUMMARY_MAX, is_id
from ..locales import N_
from ..models import Claim, ClaimStatus, Evidence, Rating, User, Verdict, VerdictState
from ..models.base import utcnow
from ..policy import Perm, can, require
from . import audit
from .locking import guarded

SUMMARY_MAX = VERDICT_SUMMARY_MAX


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
        if not is_id(int(value)):
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
