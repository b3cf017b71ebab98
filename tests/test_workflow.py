"""The verdict workflow: every state x action x role, through the service layer."""

from __future__ import annotations

from dataclasses import replace

import pytest
import sqlalchemy as sa

from factcheck.errors import DomainError, PermissionDenied, TransitionNotAllowed
from factcheck.extensions import db
from factcheck.models import AuditEvent, Claim, ClaimStatus
from factcheck.services import reviews, verdicts
from factcheck.workflow import Action, Situation, decide

STATES = ["logged", "researching", "in_review", "published", "dismissed"]
ROLES = ["fact_checker", "editor", "admin"]
EDITORS = {"editor", "admin"}

# The contract (PRODUCT.md), written out by hand: state -> action -> roles allowed.
ALLOWED: dict[str, dict[str, set[str]]] = {
    "logged": {"start": set(ROLES), "assign": EDITORS, "dismiss": EDITORS},
    "researching": {"assign": EDITORS, "submit": set(ROLES), "dismiss": EDITORS},
    "in_review": {"approve": EDITORS, "send_back": EDITORS, "dismiss": EDITORS},
    "published": {"correct": EDITORS},
    "dismissed": {},
}
NEXT_STATE = {
    "start": "researching", "assign": "researching", "submit": "in_review", "approve": "published",
    "send_back": "researching", "dismiss": "dismissed", "correct": "in_review",
}  # fmt: skip


def _arguments(action: str, users) -> dict:
    return {
        "comment": "Please recheck the figures." if action in ("send_back", "correct") else "",
        "reason": "opinion" if action == "dismiss" else "",
        "assignee_id": users["fact_checker"].id if action == "assign" else None,
    }


def _ready_to_submit(claim, users, ratings):
    """A researching claim with evidence and a complete draft, so only role and state decide."""
    from factcheck.services import claims as claim_service

    if claim.status == "researching":
        claim_service.add_evidence(
            users["fact_checker"],
            claim,
            claim_service.EvidenceInput(stance="refutes", citation="Annual report, p. 4"),
        )
        verdicts.save_draft(
            users["fact_checker"],
            claim,
            0,
            verdicts.DraftInput(rating="false", summary="Not so.", explanation="x"),
        )


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", [a.value for a in Action])
@pytest.mark.parametrize("role", ROLES)
def test_every_state_action_role(state, action, role, make_claim, users, ratings):
    claim = make_claim(state)
    _ready_to_submit(claim, users, ratings)
    actor = users[role]
    before = (
        claim.status,
        claim.version,
        db.session.scalar(sa.select(sa.func.count(AuditEvent.id))),
    )
    allowed = role in ALLOWED[state].get(action, set())
    if allowed:
        reviews.transition(actor, claim, Action(action), **_arguments(action, users))
        db.session.refresh(claim)
        assert claim.status == NEXT_STATE[action]
        assert claim.version > before[1]
        last = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert last.action == f"claim.{action}" and last.actor_id == actor.id
        assert last.before["status"] == state and last.after["status"] == NEXT_STATE[action]
    else:
        with pytest.raises(DomainError) as info:
            reviews.transition(actor, claim, Action(action), **_arguments(action, users))
        db.session.rollback()
        assert info.value.message  # a clear message, never empty
        role_may = action in {"start", "submit"} or role in EDITORS
        if not role_may:
            assert isinstance(info.value, PermissionDenied)
        else:
            assert isinstance(info.value, TransitionNotAllowed)
        claim = db.session.get(Claim, claim.id)
        after = (
            claim.status,
            claim.version,
            db.session.scalar(sa.select(sa.func.count(AuditEvent.id))),
        )
        assert after == before, "a refused transition changed something"


def test_editor_cannot_approve_own_verdict(make_claim, users, ratings):
    from factcheck.services import claims as claim_service

    editor = users["editor"]
    claim = claim_service.log_claim(
        editor,
        claim_service.ClaimInput(text="Bridges cost 3 billion last year.", speaker="Ola Fictive"),
    )
    reviews.transition(editor, claim, Action.START)
    claim_service.add_evidence(
        editor, claim, claim_service.EvidenceInput(stance="refutes", url="https://example.org/r")
    )
    verdicts.save_draft(
        editor, claim, 0, verdicts.DraftInput(rating="false", summary="No.", explanation="Data.")
    )
    reviews.transition(editor, claim, Action.SUBMIT)
    with pytest.raises(TransitionNotAllowed, match="Four eyes"):
        reviews.transition(editor, claim, Action.APPROVE)
    db.session.rollback()
    reviews.transition(users["admin"], claim, Action.APPROVE)
    assert db.session.get(Claim, claim.id).status == "published"


def test_two_approvals_needed_when_the_setting_says_so(make_claim, users, make_user):
    from factcheck.services.settings import ensure_settings

    settings = ensure_settings()
    settings.approvals_required = 2
    db.session.commit()
    claim = make_claim("in_review")
    reviews.transition(users["editor"], claim, Action.APPROVE)
    assert claim.status == "in_review" and not claim.is_public
    with pytest.raises(TransitionNotAllowed, match="already approved"):
        reviews.transition(users["editor"], claim, Action.APPROVE)
    db.session.rollback()
    reviews.transition(users["admin"], claim, Action.APPROVE)
    claim = db.session.get(Claim, claim.id)
    assert claim.status == "published" and claim.is_public


def test_submit_needs_rating_summary_and_evidence(make_claim, users):
    claim = make_claim("researching")
    with pytest.raises(TransitionNotAllowed) as info:
        reviews.transition(users["fact_checker"], claim, Action.SUBMIT)
    assert "a rating, a summary, an explanation and at least one piece of evidence" in (
        info.value.message
    )


def test_send_back_needs_a_comment_and_dismiss_a_reason(make_claim, users):
    claim = make_claim("in_review")
    with pytest.raises(TransitionNotAllowed, match="comment"):
        reviews.transition(users["editor"], claim, Action.SEND_BACK, comment="  ")
    db.session.rollback()
    with pytest.raises(TransitionNotAllowed, match="reason"):
        reviews.transition(users["editor"], claim, Action.DISMISS, reason="")
    db.session.rollback()
    with pytest.raises(TransitionNotAllowed, match="must name the claim"):
        reviews.transition(users["editor"], claim, Action.DISMISS, reason="duplicate")


def test_correction_keeps_published_version_public_until_approved(make_claim, users):
    claim = make_claim("published")
    first = claim.published_verdict_id
    reviews.transition(
        users["editor"], claim, Action.CORRECT, comment="The 2024 figure was revised."
    )
    claim = db.session.get(Claim, claim.id)
    assert claim.status == "in_review" and claim.published_verdict_id == first
    reviews.transition(users["admin"], claim, Action.APPROVE)
    claim = db.session.get(Claim, claim.id)
    assert claim.status == "published" and claim.published_verdict_id != first
    assert claim.published_verdict.correction_note == "The 2024 figure was revised."
    assert db.session.get(type(claim.published_verdict), first).state == "superseded"


def test_published_claim_cannot_be_dismissed_during_correction(make_claim, users):
    claim = make_claim("published")
    reviews.transition(users["editor"], claim, Action.CORRECT, comment="Update.")
    with pytest.raises(TransitionNotAllowed, match="cannot be dismissed"):
        reviews.transition(users["admin"], claim, Action.DISMISS, reason="opinion")


# --- the pure state machine -------------------------------------------------


def test_decide_refuses_an_action_from_the_wrong_state():
    with pytest.raises(TransitionNotAllowed, match="Cannot approve a claim that is logged"):
        decide(Action.APPROVE, Situation(status="logged", actor_id=1))  # type: ignore[arg-type]


def test_decide_waits_for_enough_approvals():
    s = Situation(
        status="in_review",
        actor_id=2,
        has_rating=True,
        has_summary=True,
        approvals=frozenset(),
        approvals_required=2,
    )  # type: ignore[arg-type]
    assert decide(Action.APPROVE, s).publishes is False
    s2 = Situation(
        status="in_review",
        actor_id=3,
        has_rating=True,
        has_summary=True,
        approvals=frozenset({2}),
        approvals_required=2,
    )  # type: ignore[arg-type]
    assert decide(Action.APPROVE, s2).publishes is True


def test_a_verdict_without_an_explanation_cannot_be_submitted(users, ratings):
    from factcheck.services import claims as claim_service
    from factcheck.services import reviews, verdicts

    checker = users["fact_checker"]
    claim = claim_service.log_claim(
        checker,
        claim_service.ClaimInput(text="Ferries carry 9,000 people a day.", speaker="Ola Fictive"),
    )
    reviews.transition(checker, claim, Action.START)
    claim_service.add_evidence(
        checker, claim, claim_service.EvidenceInput(stance="refutes", url="https://example.org/f")
    )
    verdicts.save_draft(
        checker, claim, 0, verdicts.DraftInput(rating="false", summary="No.", explanation="  ")
    )
    with pytest.raises(TransitionNotAllowed, match="an explanation"):
        reviews.transition(checker, claim, Action.SUBMIT)
    db.session.rollback()
    assert db.session.get(Claim, claim.id).status == "researching"
    verdicts.save_draft(
        checker, claim, 1, verdicts.DraftInput(rating="false", summary="No.", explanation="Data.")
    )
    reviews.transition(checker, claim, Action.SUBMIT)
    assert db.session.get(Claim, claim.id).status == "in_review"


def test_the_submit_rule_names_a_missing_explanation():
    facts = Situation(
        status=ClaimStatus.RESEARCHING, actor_id=1, has_rating=True, has_summary=True,
        evidence_count=1,
    )  # fmt: skip
    with pytest.raises(TransitionNotAllowed, match="an explanation"):
        decide(Action.SUBMIT, facts)
    assert decide(Action.SUBMIT, replace(facts, has_explanation=True)).to_state == "in_review"
