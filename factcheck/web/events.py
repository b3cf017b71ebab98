"""Audit events in plain words, for the desk's activity feed and claim timelines.

"Olena submitted the verdict for review", not ``claim.submit``. An action this table
does not know still reads as words ("speaker merge"), never as a code.
"""

from __future__ import annotations

from typing import Any

from ..enums import DISMISS_REASON_LABELS
from ..errors import tr
from ..locales import N_
from ..models import AuditEvent, User
from ..reads.common import find

SYSTEM = N_("The system")

PHRASES = {
    "claim.create": N_("logged the claim"),
    "claim.update": N_("edited the claim"),
    "claim.start": N_("started research"),
    "claim.submit": N_("submitted the verdict for review"),
    "claim.send_back": N_("sent the verdict back for more research"),
    "claim.correct": N_("opened a correction of the published verdict"),
    "evidence.add": N_("added a source to the evidence"),
    "evidence.update": N_("edited a source in the evidence"),
    "evidence.remove": N_("removed a source from the evidence"),
    "appearance.add": N_("recorded the claim being made again"),
    "appearance.confirm": N_("confirmed that the claim was made again"),
    "appearance.remove": N_("removed a repeat of the claim"),
    "article.import": N_("imported an article"),
    "article.create": N_("added an article"),
    "article.new_text": N_("imported a newer text of the article"),
    "candidate.discard": N_("discarded a candidate claim"),
    "candidate.discard_below": N_("discarded the low-scoring candidate claims"),
}


def actor_name(event: AuditEvent) -> str:
    return event.actor.name if event.actor else tr(SYSTEM)


def _user_name(user_id: Any) -> str:
    user = find(User, user_id)
    return user.name if user else tr("nobody")


def phrase(event: AuditEvent) -> str:
    """What the person did, as the end of a sentence that starts with their name."""
    after = event.after or {}
    action = event.action
    if action == "claim.assign":
        return tr("assigned the claim to %(name)s", name=_user_name(after.get("assignee_id")))
    if action == "claim.approve":
        if after.get("status") == "published":
            return tr("approved the verdict and published it")
        return tr("approved the verdict; it waits for another editor's approval")
    if action == "claim.dismiss":
        labels: dict[str, str] = {str(k): v for k, v in DISMISS_REASON_LABELS.items()}
        reason = labels.get(str(after.get("dismiss_reason") or ""), "")
        if reason:
            return tr("dismissed the claim (%(reason)s)", reason=tr(reason).lower())
        return tr("dismissed the claim")
    if action == "verdict.save":
        revision = after.get("revision")
        if revision:
            return tr("saved revision %(number)s of the verdict", number=revision)
        return tr("saved the verdict")
    if action in PHRASES:
        return tr(PHRASES[action])
    return action.replace(".", " ").replace("_", " ")


def sentence(event: AuditEvent) -> str:
    return f"{actor_name(event)} {phrase(event)}"
