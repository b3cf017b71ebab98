"""Audit events in plain words, for the desk's activity feed and claim timelines.

"Olena submitted the verdict for review", not ``claim.submit``. An action this table
does not know still reads as words ("speaker merge"), never as a code.
"""

from __future__ import annotations

from typing import Any

from ..enums import DISMISS_REASON_LABELS
from ..extensions import db
from ..models import AuditEvent, User

SYSTEM = "The system"

PHRASES = {
    "claim.create": "logged the claim",
    "claim.update": "edited the claim",
    "claim.start": "started research",
    "claim.submit": "submitted the verdict for review",
    "claim.send_back": "sent the verdict back for more research",
    "claim.correct": "opened a correction of the published verdict",
    "evidence.add": "added a source to the evidence",
    "evidence.update": "edited a source in the evidence",
    "evidence.remove": "removed a source from the evidence",
    "appearance.add": "recorded the claim being made again",
    "appearance.confirm": "confirmed that the claim was made again",
    "appearance.remove": "removed a repeat of the claim",
    "article.import": "imported an article",
    "article.create": "added an article",
    "article.new_text": "imported a newer text of the article",
    "candidate.discard": "discarded a candidate claim",
    "candidate.discard_below": "discarded the low-scoring candidate claims",
}


def actor_name(event: AuditEvent) -> str:
    return event.actor.name if event.actor else SYSTEM


def _user_name(user_id: Any) -> str:
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    return user.name if user else "nobody"


def phrase(event: AuditEvent) -> str:
    """What the person did, as the end of a sentence that starts with their name."""
    after = event.after or {}
    action = event.action
    if action == "claim.assign":
        return f"assigned the claim to {_user_name(after.get('assignee_id'))}"
    if action == "claim.approve":
        if after.get("status") == "published":
            return "approved the verdict and published it"
        return "approved the verdict; it waits for another editor's approval"
    if action == "claim.dismiss":
        labels: dict[str, str] = {str(k): v for k, v in DISMISS_REASON_LABELS.items()}
        reason = labels.get(str(after.get("dismiss_reason") or ""), "")
        return f"dismissed the claim ({reason.lower()})" if reason else "dismissed the claim"
    if action == "verdict.save":
        revision = after.get("revision")
        return f"saved revision {revision} of the verdict" if revision else "saved the verdict"
    if action in PHRASES:
        return PHRASES[action]
    return action.replace(".", " ").replace("_", " ")


def sentence(event: AuditEvent) -> str:
    return f"{actor_name(event)} {phrase(event)}"
