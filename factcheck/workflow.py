"""The verdict workflow: states, actions, the transition table and its rules.

Pure Python: no Flask and no database. Services gather the facts about a claim
into a ``Situation`` and ask ``decide``; the answer is the next state or a
``TransitionNotAllowed`` with a message a person can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .enums import ClaimStatus, DismissReason
from .errors import TransitionNotAllowed, ValidationFailed, tr
from .locales import N_


class Action(StrEnum):
    START = "start"
    ASSIGN = "assign"
    SUBMIT = "submit"
    APPROVE = "approve"
    SEND_BACK = "send_back"
    DISMISS = "dismiss"
    CORRECT = "correct"


S = ClaimStatus

# action -> {from state: to state}
TRANSITIONS: dict[Action, dict[ClaimStatus, ClaimStatus]] = {
    Action.START: {S.LOGGED: S.RESEARCHING},
    Action.ASSIGN: {S.LOGGED: S.RESEARCHING, S.RESEARCHING: S.RESEARCHING},
    Action.SUBMIT: {S.RESEARCHING: S.IN_REVIEW},
    Action.APPROVE: {S.IN_REVIEW: S.PUBLISHED},
    Action.SEND_BACK: {S.IN_REVIEW: S.RESEARCHING},
    Action.DISMISS: {S.LOGGED: S.DISMISSED, S.RESEARCHING: S.DISMISSED, S.IN_REVIEW: S.DISMISSED},
    Action.CORRECT: {S.PUBLISHED: S.IN_REVIEW},
}

ACTION_LABELS = {
    Action.START: N_("Start research"),
    Action.ASSIGN: N_("Assign"),
    Action.SUBMIT: N_("Submit for review"),
    Action.APPROVE: N_("Approve"),
    Action.SEND_BACK: N_("Send back"),
    Action.DISMISS: N_("Dismiss"),
    Action.CORRECT: N_("Open a correction"),
}
# The words a refusal uses ("Cannot approve a claim that is logged").
ACTION_VERBS = {
    Action.START: N_("start"),
    Action.ASSIGN: N_("assign"),
    Action.SUBMIT: N_("submit"),
    Action.APPROVE: N_("approve"),
    Action.SEND_BACK: N_("send back"),
    Action.DISMISS: N_("dismiss"),
    Action.CORRECT: N_("correct"),
}
STATE_WORDS = {
    ClaimStatus.LOGGED: N_("logged"),
    ClaimStatus.RESEARCHING: N_("researching"),
    ClaimStatus.IN_REVIEW: N_("in review"),
    ClaimStatus.PUBLISHED: N_("published"),
    ClaimStatus.DISMISSED: N_("dismissed"),
}


@dataclass(frozen=True)
class Situation:
    """What the rules need to know about a claim and the person acting."""

    status: ClaimStatus
    actor_id: int
    has_rating: bool = False
    has_summary: bool = False
    evidence_count: int = 0
    # authors of the verdict revisions under review (since the last publication)
    draft_authors: frozenset[int] = frozenset()
    approvals: frozenset[int] = frozenset()
    approvals_required: int = 1
    is_public: bool = False
    comment: str = ""
    reason: str = ""
    duplicate_of: int | None = None
    assignee_id: int | None = None


@dataclass(frozen=True)
class Decision:
    to_state: ClaimStatus
    # An approval that still waits for more editors leaves the claim in review.
    publishes: bool = False


def parse_action(value: str) -> Action:
    try:
        return Action(value)
    except ValueError:
        known = ", ".join(a.value for a in Action)
        raise ValidationFailed(
            tr("Unknown action '%(action)s'. Known actions: %(known)s.", action=value, known=known),
            fields={"action": tr("unknown action")},
        ) from None


def available_from(status: ClaimStatus) -> list[Action]:
    return [action for action, moves in TRANSITIONS.items() if status in moves]


def decide(action: Action, situation: Situation) -> Decision:
    moves = TRANSITIONS[action]
    status = situation.status
    if status not in moves:
        allowed = tr(" or ").join(tr(STATE_WORDS[s]) for s in moves)
        raise TransitionNotAllowed(
            tr(
                "Cannot %(action)s a claim that is %(status)s; "
                "this action applies to claims that are %(allowed)s.",
                action=tr(ACTION_VERBS[action]),
                status=tr(STATE_WORDS[status]),
                allowed=allowed,
            )
        )
    to_state = moves[status]
    rule = _RULES.get(action)
    if rule is not None:
        rule(situation)
    if action is Action.APPROVE:
        approvals = len(situation.approvals | {situation.actor_id})
        if approvals < situation.approvals_required:
            return Decision(to_state=S.IN_REVIEW)
        return Decision(to_state=to_state, publishes=True)
    return Decision(to_state=to_state)


def _submit_rule(s: Situation) -> None:
    missing = []
    if not s.has_rating:
        missing.append(tr("a rating"))
    if not s.has_summary:
        missing.append(tr("a summary"))
    if s.evidence_count < 1:
        missing.append(tr("at least one piece of evidence"))
    if missing:
        raise TransitionNotAllowed(
            tr("A verdict needs %(missing)s before it is submitted.", missing=_join(missing))
        )


def _approve_rule(s: Situation) -> None:
    if s.actor_id in s.draft_authors:
        raise TransitionNotAllowed(
            tr("Four eyes: you wrote this verdict, so another editor must approve it.")
        )
    if s.actor_id in s.approvals:
        raise TransitionNotAllowed(tr("You have already approved this version."))
    if not s.has_rating or not s.has_summary:
        raise TransitionNotAllowed(tr("The verdict under review has no rating or summary."))


def _send_back_rule(s: Situation) -> None:
    if not s.comment.strip():
        raise TransitionNotAllowed(tr("Sending back needs a comment saying what to change."))


def _dismiss_rule(s: Situation) -> None:
    if s.is_public:
        raise TransitionNotAllowed(
            tr("A published fact-check cannot be dismissed; open a correction instead.")
        )
    reasons = {r.value for r in DismissReason}
    if s.reason not in reasons:
        raise TransitionNotAllowed(
            tr("Dismissing needs a reason: %(reasons)s.", reasons=", ".join(sorted(reasons)))
        )
    if s.reason == DismissReason.DUPLICATE and s.duplicate_of is None:
        raise TransitionNotAllowed(tr("A duplicate must name the claim it duplicates."))


def _correct_rule(s: Situation) -> None:
    if not s.comment.strip():
        raise TransitionNotAllowed(tr("A correction needs a note saying what changes and why."))


def _assign_rule(s: Situation) -> None:
    if s.assignee_id is None:
        raise TransitionNotAllowed(tr("Choose the fact-checker to assign."))


_RULES = {
    Action.SUBMIT: _submit_rule,
    Action.APPROVE: _approve_rule,
    Action.SEND_BACK: _send_back_rule,
    Action.DISMISS: _dismiss_rule,
    Action.CORRECT: _correct_rule,
    Action.ASSIGN: _assign_rule,
}


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return tr("%(items)s and %(last)s", items=", ".join(items[:-1]), last=items[-1])
