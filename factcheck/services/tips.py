"""Readers' tips: take a request, answer it at once when a fact-check exists, group the rest.

A tip is grouped with earlier tips (and claims) that ask about the same claim,
so the desk sees demand ("asked 14 times") instead of a queue of duplicates.
Nothing a reader sends is ever shown on the public site; the status page shows
only our own published fact-check. An email given is kept for the days the
site settings say, then erased.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import nh3
from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..errors import Conflict, NotFound, ValidationFailed, num, tr
from ..extensions import db
from ..extraction import matching as text_matching
from ..limits import TIP_TEXT_MAX, TIP_TEXT_MIN
from ..locales import N_
from ..models import Claim, ClaimStatus, Tip, TipGroup, User
from ..models.base import utcnow
from ..models.tips import TIP_DISMISS_REASONS
from ..policy import Perm, require
from . import audit, claims, matching
from .locking import check_version, guarded
from .settings import get_settings

TEXT_MIN, TEXT_MAX = TIP_TEXT_MIN, TIP_TEXT_MAX
SEEN_AT_MAX = 500
EMAIL_MAX = 254
# Tips compared with a new one: the newest of the groups still in play. Bounded,
# so a busy tipline costs the same per tip at any size.
GROUP_POOL = 2000
GROUP_WINDOW = timedelta(days=60)
TOKEN_BYTES = 24
_EMAIL = re.compile(r"^[^@\s<>]{1,64}@[^@\s<>]+\.[^@\s<>]{2,}$")
DISMISS_LABELS = {
    "opinion": N_("It is an opinion, not a checkable claim"),
    "prediction": N_("It is a prediction"),
    "not_check_worthy": N_("Not worth a fact-check"),
    "out_of_scope": N_("Outside what we cover"),
    "spam": N_("Spam or abuse"),
}
GROUP_STATES = {
    "open": N_("Waiting"),
    "logged": N_("Being checked"),
    "answered": N_("Answered"),
    "dismissed": N_("Not taken up"),
}


@dataclass
class TipInput:
    claim: str
    seen_at: str | None = None
    email: str | None = None


@dataclass
class Submitted:
    tip: Tip
    token: str  # the status link's secret, shown to the reader once
    answer: Claim | None
    folded: bool  # the same reader sent the same words before: no new tip


@dataclass
class Match:
    claim: Claim
    score: float
    match: str


def plain_text(value: str | None, limit: int) -> str:
    """What a reader typed, as plain text: no markup, no control characters, one line."""
    text = nh3.clean(value or "", tags=set())
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\n\t")
    return " ".join(text.split())[: limit + 1]


def validate_tip(data: TipInput) -> TipInput:
    errors: dict[str, str] = {}
    claim = plain_text(data.claim, TEXT_MAX)
    if len(claim) < TEXT_MIN:
        errors["claim"] = tr(
            "Tell us what was said, in at least %(text_min)s characters.", text_min=TEXT_MIN
        )
    elif len(claim) > TEXT_MAX:
        errors["claim"] = tr(
            "Keep it under %(text_max)s characters: the claim itself is enough.",
            text_max=num(TEXT_MAX),
        )
    seen_at = plain_text(data.seen_at, SEEN_AT_MAX) or None
    if seen_at and len(seen_at) > SEEN_AT_MAX:
        errors["seen_at"] = tr(
            "Keep this under %(seen_at_max)s characters (a link or a place).",
            seen_at_max=SEEN_AT_MAX,
        )
    email = (data.email or "").strip() or None
    if email and (len(email) > EMAIL_MAX or not _EMAIL.match(email)):
        errors["email"] = tr("That does not look like an email address (or leave it empty).")
    if errors:
        first = next(iter(errors.values()))
        raise ValidationFailed(
            tr("Please correct the request: %(first)s", first=first), fields=errors
        )
    return TipInput(claim=claim, seen_at=seen_at, email=email.lower() if email else None)


# --- matching -----------------------------------------------------------------


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


def _group_for(text: str) -> TipGroup | None:
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


def _claim_in_progress(text: str) -> Claim | None:
    """A claim the desk already works on (not yet published) that this tip asks about."""
    working = (ClaimStatus.LOGGED, ClaimStatus.RESEARCHING, ClaimStatus.IN_REVIEW)
    for found in matching.similar(claim_core(text), external=False):
        claim = found.claim
        if claim is not None and found.match == "same" and not claim.is_public:
            if claim.status in working:
                return claim
    return None


# --- the public side ---------------------------------------------------------------


def text_key(text: str) -> str:
    """A hash of the text's words in order, lower-cased: equal for a reader's repeated sends."""
    words = " ".join(re.findall(r"\w+", text.casefold()))
    return hashlib.sha256(words.encode()).hexdigest()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sender_key(address: str | None) -> str:
    """A keyed hash of the sender's address and today's date: folds repeats, keeps no address."""
    day = datetime.now(UTC).date().isoformat()
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"{address or '-'}|{day}".encode(), hashlib.sha256).hexdigest()


def submit_tip(data: TipInput, *, address: str | None, channel: str = "web") -> Submitted:
    """Take a reader's request: answer it, fold it into its group, or open a new group."""
    clean = validate_tip(data)
    # Every read comes before the first write: on SQLite the write lock is then held
    # only for the few statements that insert, not while the tip is being matched.
    answer = answer_for(clean.claim)
    sender = sender_key(address)
    key = text_key(clean.claim)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    folded = _fold_into_earlier(sender, key, token, clean.email)
    if folded is not None:
        return Submitted(tip=folded, token=token, answer=answer, folded=True)
    try:
        tip = _new_tip(clean, answer, sender=sender, key=key, token=token, channel=channel)
    except IntegrityError:
        # The same reader's same words arrived twice at once: the other request won.
        db.session.rollback()
        folded = _fold_into_earlier(sender, key, token, clean.email)
        if folded is None:
            raise
        return Submitted(tip=folded, token=token, answer=answer, folded=True)
    erase_expired_emails()
    return Submitted(tip=tip, token=token, answer=answer, folded=False)


def _fold_into_earlier(sender: str, key: str, token: str, email: str | None) -> Tip | None:
    """The same reader sent the same words today (a double click, a retry): one tip,
    with a fresh link to it, and the demand counted once."""
    earlier: Tip | None = db.session.scalar(
        select(Tip).where(Tip.sender_key == sender, Tip.text_key == key)
    )
    if earlier is None:
        return None
    earlier.token_hash = _token_hash(token)
    if email and not earlier.email:
        earlier.email = email
    db.session.commit()
    return earlier


def _new_tip(
    clean: TipInput, answer: Claim | None, *, sender: str, key: str, token: str, channel: str
) -> Tip:
    now = utcnow()
    group = None if answer is not None else _group_for(clean.claim)
    if group is None:
        claim = answer or _claim_in_progress(clean.claim)
        group = TipGroup(
            text=clean.claim,
            tip_count=1,
            first_tip_at=now,
            last_tip_at=now,
            state="answered" if answer is not None else ("logged" if claim else "open"),
            claim_id=claim.id if claim is not None else None,
        )
        db.session.add(group)
        db.session.flush()
    else:
        # One UPDATE, so two tips arriving together both count.
        db.session.execute(
            update(TipGroup)
            .where(TipGroup.id == group.id)
            .values(
                tip_count=TipGroup.tip_count + 1,
                last_tip_at=now,
                text=clean.claim,
                version=TipGroup.version + 1,
            )  # fmt: skip
            .execution_options(synchronize_session=False)
        )
    tip = Tip(
        group_id=group.id,
        token_hash=_token_hash(token),
        text=clean.claim,
        text_key=key,
        seen_at=clean.seen_at,
        email=clean.email,
        sender_key=sender,
        answer_claim_id=answer.id if answer is not None else None,
        channel=channel,
        created_at=now,
    )
    db.session.add(tip)
    db.session.commit()
    return tip


@dataclass
class TipStatus:
    state: str  # received, checking, checked, not_taken_up
    claim: Claim | None
    reason: str | None
    received_at: datetime


def tip_status(token: str) -> TipStatus:
    """What the reader's status link shows: never the reader's words, only our own work."""
    if not token or len(token) > 100:
        raise NotFound(tr("There is no request at this address."))
    tip = db.session.scalar(
        select(Tip)
        .where(Tip.token_hash == _token_hash(token))
        .options(selectinload(Tip.group).selectinload(TipGroup.claim))
    )
    if tip is None:
        raise NotFound(tr("There is no request at this address."))
    group = tip.group
    answer = db.session.get(Claim, tip.answer_claim_id) if tip.answer_claim_id else None
    if answer is not None and answer.is_public:
        return TipStatus("checked", answer, None, tip.created_at)
    claim = group.claim
    if group.state in ("logged", "answered") and claim is not None:
        if claim.is_public:
            return TipStatus("checked", claim, None, tip.created_at)
        if claim.status == ClaimStatus.DISMISSED:
            return TipStatus("not_taken_up", None, None, tip.created_at)
        return TipStatus("checking", None, None, tip.created_at)
    if group.state == "dismissed":
        return TipStatus(
            "not_taken_up", None, DISMISS_LABELS.get(group.dismiss_reason or ""), tip.created_at
        )
    return TipStatus("received", None, None, tip.created_at)


def erase_expired_emails(*, commit: bool = True) -> int:
    """Erase readers' emails older than the site setting's number of days."""
    cutoff = utcnow() - timedelta(days=get_settings().tip_email_days or 90)
    result = db.session.execute(
        update(Tip)
        .where(Tip.email.is_not(None), Tip.created_at < cutoff)
        .values(email=None)
        .execution_options(synchronize_session=False)
    )
    if commit:
        db.session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


# --- the desk ---------------------------------------------------------------------


@dataclass
class GroupRow:
    group: TipGroup
    newest: list[Tip]
    suggestion: Match | None


SORTS: dict[str, tuple[Any, ...]] = {
    "demand": (TipGroup.tip_count.desc(), TipGroup.id.desc()),
    "newest": (TipGroup.last_tip_at.desc(), TipGroup.id.desc()),
}
NEWEST_TIPS_SHOWN = 3


def groups_page(
    actor: User, *, state: str = "open", sort: str = "demand", page: int = 1, per_page: int = 20
) -> tuple[list[GroupRow], bool]:
    """A page of tip groups with their newest tips; (rows, has_next)."""
    require(actor, Perm.READ_TIPS)
    erase_expired_emails()
    query = select(TipGroup).options(selectinload(TipGroup.claim))
    if state in GROUP_STATES:
        query = query.where(TipGroup.state == state)
    query = query.order_by(*SORTS.get(sort, SORTS["demand"]))
    groups = list(db.session.scalars(query.offset((page - 1) * per_page).limit(per_page + 1)))
    has_next = len(groups) > per_page
    groups = groups[:per_page]
    newest: dict[int, list[Tip]] = {g.id: [] for g in groups}
    if groups:
        # Only the newest few of each group are read, however many readers asked.
        place = func.row_number().over(partition_by=Tip.group_id, order_by=Tip.id.desc()).label("n")
        ranked = select(Tip.id, place).where(Tip.group_id.in_(newest)).subquery()
        shown = select(ranked.c.id).where(ranked.c.n <= NEWEST_TIPS_SHOWN)
        for tip in db.session.scalars(select(Tip).where(Tip.id.in_(shown)).order_by(Tip.id.desc())):
            newest[tip.group_id].append(tip)
    rows = []
    for group in groups:
        suggestion = None
        if group.state == "open":
            best = published_matches(group.text, limit=1)
            suggestion = best[0] if best else None
        rows.append(GroupRow(group=group, newest=newest[group.id], suggestion=suggestion))
    return rows, has_next


def demand_for(claim_ids: list[int]) -> dict[int, int]:
    """How many readers asked about each claim (tips in groups linked to it)."""
    if not claim_ids:
        return {}
    rows = db.session.execute(
        select(TipGroup.claim_id, func.sum(TipGroup.tip_count))
        .where(TipGroup.claim_id.in_(claim_ids))
        .group_by(TipGroup.claim_id)
    ).all()
    return {int(claim_id or 0): int(total or 0) for claim_id, total in rows}


def get_group(group_id: int) -> TipGroup:
    group = db.session.get(TipGroup, group_id)
    if group is None:
        raise NotFound(tr("There is no tip group #%(group_id)s.", group_id=group_id))
    return group


def _decided(actor: User, group: TipGroup, version: int | None, what: dict[str, Any]) -> None:
    check_version(group, version, what, what=f"Tip group #{group.id}")
    if group.state != "open":
        raise Conflict(
            tr(
                "Tip group #%(group_id)s was already handled (%(group_states_group_state)s).",
                group_id=group.id,
                group_states_group_state=GROUP_STATES[group.state].lower(),
            )
        )
    group.decided_by_id = actor.id
    group.decided_at = utcnow()


@guarded("The tip group")
def log_claim_for(
    actor: User, group: TipGroup, data: claims.ClaimInput, version: int | None
) -> Claim:
    """Log a claim for this group of tips: readers' links then follow its fact-check."""
    require(actor, Perm.LOG_CLAIM)
    try:
        _decided(actor, group, version, {"text": data.text})
        claim = claims.log_claim(actor, data, commit=False)
        group.state = "logged"
        group.claim_id = claim.id
        audit.record(actor, "tips.log", "tip_group", group.id, claim_id=claim.id,
                     after={"state": "logged", "claim_id": claim.id})  # fmt: skip
        db.session.commit()
    except Exception:
        db.session.rollback()  # nothing half-made: neither the claim nor the link
        raise
    return claim


@guarded("The tip group")
def answer_with(actor: User, group: TipGroup, claim_id: int, version: int | None) -> TipGroup:
    """An existing published fact-check answers this group."""
    require(actor, Perm.ANSWER_TIPS)
    claim = db.session.get(Claim, claim_id)
    if claim is None or not claim.is_public:
        raise ValidationFailed(
            tr("Claim #%(claim_id)s is not a published fact-check.", claim_id=claim_id),
            fields={"claim_id": tr("Give the number of a published fact-check.")},
        )
    _decided(actor, group, version, {"claim_id": claim_id})
    group.state = "answered"
    group.claim_id = claim.id
    audit.record(actor, "tips.answer", "tip_group", group.id, claim_id=claim.id,
                 after={"state": "answered", "claim_id": claim.id})  # fmt: skip
    db.session.commit()
    return group


@guarded("The tip group")
def dismiss(
    actor: User, group: TipGroup, reason: str, note: str | None, version: int | None
) -> TipGroup:
    """Not taken up, with a reason the readers' status pages show."""
    require(actor, Perm.ANSWER_TIPS)
    if reason not in TIP_DISMISS_REASONS:
        raise ValidationFailed(tr("Choose a reason."), fields={"reason": tr("Choose a reason.")})
    _decided(actor, group, version, {"reason": reason})
    group.state = "dismissed"
    group.dismiss_reason = reason
    group.dismiss_note = plain_text(note, 500)[:500] or None
    audit.record(actor, "tips.dismiss", "tip_group", group.id,
                 after={"state": "dismissed", "reason": reason})  # fmt: skip
    db.session.commit()
    return group


def newest_link(group_id: int) -> str | None:
    """The newest web address a reader of this group gave, to prefill the claim form."""
    for seen_at in db.session.scalars(
        select(Tip.seen_at)
        .where(Tip.group_id == group_id, Tip.seen_at.is_not(None))
        .order_by(Tip.id.desc())
        .limit(20)
    ):
        if seen_at and re.match(r"^https?://\S+$", seen_at):
            return seen_at
    return None
