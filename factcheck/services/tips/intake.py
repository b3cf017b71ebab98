"""A reader's tip taken in (checked, answered at once, folded into its group or opening
a new one) and the status link that follows it; readers' emails kept only as long as
the site settings say."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import nh3
from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ...errors import NotFound, ValidationFailed, num, tr
from ...extensions import db
from ...limits import TIP_TEXT_MAX, TIP_TEXT_MIN
from ...locales import N_
from ...models import Claim, ClaimStatus, Tip, TipGroup
from ...models.base import utcnow
from ...reads.common import find
from ..settings import get_settings
from . import grouping

TEXT_MIN, TEXT_MAX = TIP_TEXT_MIN, TIP_TEXT_MAX
SEEN_AT_MAX = 500
EMAIL_MAX = 254
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
    answer = grouping.answer_for(clean.claim)
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
    group = None if answer is not None else grouping.group_for(clean.claim)
    if group is None:
        claim = answer or grouping.claim_in_progress(clean.claim)
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
    answer = find(Claim, tip.answer_claim_id)
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
