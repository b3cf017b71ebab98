"""The verdict workflow: states, actions, the transition table and its rules.

Pure Python: no Flask and no database. Services gather the facts about a claim
into a ``Situation`` and ask ``decide``; the answer is the next state or a
``TransitionNotAllowed`` with a message a person can act on.
"""

from __future__ import annotations

from collections.abc import Callable
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
    has_explanation: bool = False
    evidence_count: int = 0
    # authors of the verdict revisions under review (since the last publication),
    # changes to the published claim's fields included
    draft_authors: frozenset[int] = frozenset()
    # who opened the correction under review (since the last publication)
    correction_openers: frozenset[int] = frozenset()
    # who added, changed or removed evidence since the last publication
    evidence_editors: frozenset[int] = frozenset()
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


def refusal(action: Action, situation: Situation) -> str | None:
    """Why this action is closed to this person on this claim now, or None when it is open.

    Only the standing rules (state, four eyes, a complete verdict): what a form still
    has to say (a comment, a reason) is checked by ``decide``. This is the dry run the
    desk and the API use to show which actions are open (``services.reviews.available_actions``).
    """
    moves = TRANSITIONS[action]
    if situation.status not in moves:
        allowed = tr(" or ").join(tr(STATE_WORDS[s]) for s in moves)
        return tr(
            "Cannot %(action)s a claim that is %(status)s; "
            "this action applies to claims that are %(allowed)s.",
            action=tr(ACTION_VERBS[action]),
            status=tr(STATE_WORDS[situation.status]),
            allowed=allowed,
        )
    for rule in RULES.get(action, ()):
        message = rule(situation)
        if message:
            return message
    return None


def decide(action: Action, situation: Situation) -> Decision:
    message = refusal(action, situation)
    for rule in INPUT_RULES.get(action, ()):
        message = message or rule(situation)
    if message:
        raise TransitionNotAllowed(message)
    to_state = TRANSITIONS[action][situation.status]
    if action is Action.APPROVE:
        approvals = len(situation.approvals | {situation.actor_id})
        if approvals < situation.approvals_required:
            return Decision(to_state=S.IN_REVIEW)
        return Decision(to_state=to_state, publishes=True)
    return Decision(to_state=to_state)


# --- the rules: each returns the refusal a person reads, or None -----------------

Rule = Callable[[Situation], str | None]


def _verdict_complete(s: Situation) -> str | None:
    missing = []
    if not s.has_rating:
        missing.append(tr("a rating"))
    if not s.has_summary:
        missing.append(tr("a summary"))
    if not s.has_explanation:
        missing.append(tr("an explanation"))
    if s.evidence_count < 1:
        missing.append(tr("at least one piece of evidence"))
    if missing:
        return tr("A verdict needs %(missing)s before it is submitted.", missing=_join(missing))
    return None


def _four_eyes(s: Situation) -> str | None:
    """Nobody approves what they opened or wrote: verdict, claim fields or evidence."""
    if s.actor_id in s.correction_openers:
        return tr("Four eyes: you opened this correction; another editor must approve it.")
    if s.actor_id in s.draft_authors:
        return tr("Four eyes: you wrote this version; another editor must approve it.")
    if s.actor_id in s.evidence_editors:
        return tr(
            "Four eyes: you added or changed evidence in this version; "
            "another editor must approve it."
        )
    return None


def _not_approved_twice(s: Situation) -> str | None:
    if s.actor_id in s.approvals:
        return tr("You have already approved this version.")
    return None


def _under_review_complete(s: Situation) -> str | None:
    if not s.has_rating or not s.has_summary:
        return tr("The verdict under review has no rating or summary.")
    return None


def _not_public(s: Situation) -> str | None:
    if s.is_public:
        return tr("A published fact-check cannot be dismissed; open a correction instead.")
    return None


def _comment_for_send_back(s: Situation) -> str | None:
    if not s.comment.strip():
        return tr("Sending back needs a comment saying what to change.")
    return None


def _dismiss_reason(s: Situation) -> str | None:
    reasons = {r.value for r in DismissReason}
    if s.reason not in reasons:
        return tr("Dismissing needs a reason: %(reasons)s.", reasons=", ".join(sorted(reasons)))
    if s.reason == DismissReason.DUPLICATE and s.duplicate_of is None:
        return tr("A duplicate must name the claim it duplicates.")
    return None


def _correction_note(s: Situation) -> str | None:
    if not s.comment.strip():
        return tr("A correction needs a note saying what changes and why.")
    return None


def _assignee(s: Situation) -> str | None:
    if s.assignee_id is None:
        return tr("Choose the fact-checker to assign.")
    return None


# Standing rules: about the claim and the person; a closed action is shown with its reason.
RULES: dict[Action, tuple[Rule, ...]] = {
    Action.SUBMIT: (_verdict_complete,),
    Action.APPROVE: (_four_eyes, _not_approved_twice, _under_review_complete),
    Action.DISMISS: (_not_public,),
}
# Input rules: about what the form or the body sends with the action.
INPUT_RULES: dict[Action, tuple[Rule, ...]] = {
    Action.SEND_BACK: (_comment_for_send_back,),
    Action.DISMISS: (_dismiss_reason,),
    Action.CORRECT: (_correction_note,),
    Action.ASSIGN: (_assignee,),
}


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return tr("%(items)s and %(last)s", items=", ".join(items[:-1]), last=items[-1])
