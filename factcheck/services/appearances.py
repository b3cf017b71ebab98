"""Appearances: every place a claim was made, recorded by hand, from the API or from an import.

The public reads an appearance only once it is confirmed by an editor other
than the person who added it: a "said again" record does not change the
verdict, but it does put a name and a date beside the fact-check, so it passes
the same four-eyes rule as everything else the public reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ..errors import Conflict, PermissionDenied, ValidationFailed, tr
from ..extensions import db
from ..models import Appearance, Claim, User
from ..models.base import utcnow as now
from ..policy import Perm, can, require
from . import audit, catalog
from .claims import _clean
from .locking import guarded

TITLE_MAX = 500
SPEAKER_MAX = 200
TEXT_MAX = 5000


@dataclass
class AppearanceInput:
    title: str
    speaker: str
    said_on: date | None
    url: str | None = None
    text: str | None = None


def _validated(data: AppearanceInput) -> dict[str, object]:
    errors: dict[str, str] = {}
    title = _clean(data.title)
    speaker = _clean(data.speaker)
    text = _clean(data.text)
    if not title:
        errors["title"] = tr("Give the title of the article or page (or name the occasion).")
    elif len(title) > TITLE_MAX:
        errors["title"] = tr("At most %(title_max)s characters.", title_max=TITLE_MAX)
    if not speaker:
        errors["speaker"] = tr("Say who made the statement there.")
    elif len(speaker) > SPEAKER_MAX:
        errors["speaker"] = tr("At most %(speaker_max)s characters.", speaker_max=SPEAKER_MAX)
    if data.said_on is None:
        errors["date"] = tr("Give the date it was said (YYYY-MM-DD).")
    elif data.said_on > now().date():
        errors["date"] = tr("The date is in the future.")
    if text is not None and len(text) > TEXT_MAX:
        errors["text"] = tr("At most %(text_max)s characters.", text_max=TEXT_MAX)
    try:
        url = catalog.check_url(data.url, "url")
    except ValidationFailed as exc:
        errors.update(exc.fields)
        url = None
    if errors:
        raise ValidationFailed(
            "The appearance was not saved: " + " ".join(errors.values()), fields=errors
        )
    return {
        "title": title,
        "speaker_name": speaker,
        "said_on": data.said_on,
        "url": url,
        "text": text,
    }


@guarded("This appearance")
def add_appearance(
    actor: User,
    claim: Claim,
    data: AppearanceInput,
    *,
    article_id: int | None = None,
    commit: bool = True,
) -> Appearance:
    """Record one more place the claim was made (pending until an editor confirms it)."""
    require(actor, Perm.ADD_APPEARANCE)
    values = _validated(data)
    if values["url"] is not None:
        taken = db.session.scalar(
            select(Appearance.id).where(
                Appearance.claim_id == claim.id, Appearance.url == values["url"]
            )
        )
        if taken is not None:
            raise Conflict(
                tr(
                    "This address is already recorded as an appearance of claim #%(claim_id)s.",
                    claim_id=claim.id,
                ),
                fields={"url": tr("Already recorded.")},
            )
    speaker = catalog.find_speaker(str(values["speaker_name"]))
    appearance = Appearance(
        claim_id=claim.id,
        speaker_id=speaker.id if speaker is not None else None,
        article_id=article_id,
        status="pending",
        added_by_id=actor.id,
        added_at=now(),
        **values,
    )
    db.session.add(appearance)
    db.session.flush()
    audit.record(
        actor,
        "appearance.add",
        "appearance",
        appearance.id,
        claim_id=claim.id,
        after={k: v for k, v in values.items()},
        note=f"Said again: “{values['title']}”",
    )
    if commit:
        db.session.commit()
    return appearance


@guarded("This appearance")
def confirm_appearance(actor: User, appearance: Appearance) -> Appearance:
    """An editor other than the person who added it makes the appearance public."""
    require(actor, Perm.CONFIRM_APPEARANCE)
    if appearance.is_confirmed:
        raise Conflict(tr("This appearance is already confirmed."))
    if appearance.added_by_id == actor.id:
        raise PermissionDenied(
            tr("You added this appearance; another editor has to confirm it (four eyes).")
        )
    appearance.status = "confirmed"
    appearance.confirmed_by_id = actor.id
    appearance.confirmed_at = now()
    audit.record(
        actor,
        "appearance.confirm",
        "appearance",
        appearance.id,
        claim_id=appearance.claim_id,
        after={"status": "confirmed"},
    )
    db.session.commit()
    return appearance


def remove_appearance(actor: User, appearance: Appearance) -> None:
    """Delete a wrong record: its author while pending, an editor at any time."""
    if appearance.is_confirmed or appearance.added_by_id != actor.id:
        require(actor, Perm.CONFIRM_APPEARANCE)
    else:
        require(actor, Perm.ADD_APPEARANCE)
    audit.record(
        actor,
        "appearance.remove",
        "appearance",
        appearance.id,
        claim_id=appearance.claim_id,
        before={"title": appearance.title, "url": appearance.url, "status": appearance.status},
    )
    db.session.delete(appearance)
    db.session.commit()


def appearances_of(claim_id: int, *, public: bool) -> list[Appearance]:
    """A claim's appearances, earliest first; the public sees confirmed ones only."""
    query = select(Appearance).where(Appearance.claim_id == claim_id)
    if public:
        query = query.where(Appearance.status == "confirmed")
    return list(db.session.scalars(query.order_by(Appearance.said_on, Appearance.id)))


def repeats_by_claim(claim_ids: Sequence[int]) -> dict[int, int]:
    """How many confirmed appearances each claim has."""
    if not claim_ids:
        return {}
    rows = db.session.execute(
        select(Appearance.claim_id, func.count())
        .where(Appearance.claim_id.in_(list(claim_ids)), Appearance.status == "confirmed")
        .group_by(Appearance.claim_id)
    )
    return {claim_id: count for claim_id, count in rows}


def repeats_of_speaker(speaker_id: int) -> int:
    """How often the speaker said a published fact-check's claim again (confirmed appearances)."""
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(Appearance)
            .join(Claim, Claim.id == Appearance.claim_id)
            .where(
                Appearance.speaker_id == speaker_id,
                Claim.published_verdict_id.is_not(None),
                Appearance.status == "confirmed",
            )
        )
        or 0
    )


def appearance_context(user: User, claim: Claim) -> dict[str, object]:
    """What the desk claim page shows of the claim's appearances, and what the person may do."""
    return {
        "appearances": appearances_of(claim.id, public=False),
        "can_add_appearance": can(user, Perm.ADD_APPEARANCE),
        "can_confirm_appearance": can(user, Perm.CONFIRM_APPEARANCE),
    }
