"""Which tips ask about the same claim: the claim inside a reader's question, and the
one matching service asked about published fact-checks, claims in progress and the
groups still in play (a bounded pool)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from ...extensions import db
from ...extraction import matching as text_matching
from ...models import Claim, ClaimStatus, Tip, TipGroup
from ...models.base import utcnow
from .. import matching

# Tips compared with a new one: the newest of the groups still in play. Bounded,
# so a busy tipline costs the same per tip at any size.
GROUP_POOL = 2000
GROUP_WINDOW = timedelta(days=60)


@dataclass
class Match:
    claim: Claim
    score: float
    match: str


# How readers frame a claim they doubt: words about the asking, not about the claim.
_FRAME_START = re.compile(
    r"^\s*(?:(?:is|was) it (?:true|correct|right)(?: that)?|did you know(?: that)?"
    r"|i (?:read|heard|saw)(?: somewhere| online| on [a-z]+)?(?: that)?"
    r"|heard(?: on (?:the )?[a-z]+)?(?: that)?|check(?: this)?|please check"
    r"|(?:someone|somebody|they|people) (?:said|says|say|told me|claim|claims)(?: that)?"
    r"|an? [a-z]+ (?:says|said|claims|claimed)(?: that)?|apparently|supposedly"
    r"|(?:did|does|do|was|were|is|are|has|have) (?=\S))\s*[,:;-]*\s*",
    re.IGNORECASE,
)
_FRAME_END = re.compile(
    r"[\s,;:-]*(?:(?:is|was) (?:that|this|it) (?:true|right|correct)|true|really|right)?"
    r"[\s?!.]*$",
    re.IGNORECASE,
)
_FILLER = re.compile(r"\b(?:really|actually|apparently|supposedly|allegedly)\s+", re.IGNORECASE)
# Differences that mean another claim, whatever the words: the judgement's reasons.
_ANOTHER_CLAIM = ("direction", "negation", "figure", "place, person or body")
GROUP_MIN_SCORE = 0.7


def claim_core(text: str) -> str:
    """The claim inside a reader's question: "Is it true the city spent €40m?" ->
    "the city spent €40m"."""
    core = _FILLER.sub("", _FRAME_END.sub("", _FRAME_START.sub("", text, count=1)))
    return core.strip() or text


def asks_the_same(new: text_matching.ClaimText, earlier: text_matching.ClaimText) -> float | None:
    """The score when two readers ask about the same claim, else None.

    The matching service's ``same``, or a close ``related`` whose only difference is
    wording (readers add and drop words): never another figure, time frame,
    direction, negation or named place, person or body.
    """
    verdict = text_matching.judge(new, earlier)
    if verdict.match == text_matching.Match.SAME:
        return verdict.score
    if (
        verdict.match == text_matching.Match.RELATED
        and verdict.score >= GROUP_MIN_SCORE
        and not any(word in verdict.reason for word in _ANOTHER_CLAIM)
    ):
        return verdict.score
    return None


def published_matches(text: str, limit: int = 3) -> list[Match]:
    """Published fact-checks that answer (same) or resemble (related) this text, best first.

    Asked of the one matching service, so a reader is answered exactly as the desk's
    claim form and the importer would be.
    """
    found = matching.similar(claim_core(text), public_only=True, external=False, limit=limit)
    return [
        Match(claim=s.claim, score=s.score, match=str(s.match))
        for s in found
        if s.claim is not None
    ]


def answer_for(text: str) -> Claim | None:
    """The published fact-check that already answers this text, if there is one."""
    best = published_matches(text, limit=1)
    return best[0].claim if best and best[0].match == "same" else None


def group_for(text: str) -> TipGroup | None:
    """The open or logged group whose tips ask about the same claim, newest first."""
    since = utcnow() - GROUP_WINDOW
    rows = db.session.execute(
        select(Tip.group_id, Tip.text)
        .join(TipGroup, TipGroup.id == Tip.group_id)
        .where(TipGroup.state.in_(("open", "logged")), TipGroup.last_tip_at >= since)
        .order_by(Tip.id.desc())
        .limit(GROUP_POOL)
    ).all()
    wanted = text_matching.read(claim_core(text))
    best: tuple[float, int] | None = None
    for group_id, tip_text in rows:
        score = asks_the_same(wanted, text_matching.read(claim_core(tip_text)))
        if score is not None and (best is None or score > best[0]):
            best = (score, group_id)
    return db.session.get(TipGroup, best[1]) if best else None


def claim_in_progress(text: str) -> Claim | None:
    """A claim the desk already works on (not yet published) that this tip asks about."""
    working = (ClaimStatus.LOGGED, ClaimStatus.RESEARCHING, ClaimStatus.IN_REVIEW)
    for found in matching.similar(claim_core(text), external=False):
        claim = found.claim
        if claim is not None and found.match == "same" and not claim.is_public:
            if claim.status in working:
                return claim
    return None
