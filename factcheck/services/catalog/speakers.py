"""Speakers: creating, editing (aliases included) and merging; reads are in ``reads.speakers``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import CursorResult, update

from ...errors import Conflict, ValidationFailed, tr
from ...extensions import db
from ...extraction.normalize import normalize_name
from ...limits import SPEAKER_NAME_MAX
from ...models import Claim, Speaker, SpeakerAlias, SpeakerKind, User
from ...policy import Perm, require
from ...reads.speakers import find_speaker
from .. import audit
from ..locking import check_version, guarded
from ..slugs import unique_slug
from . import pending
from .merging import find_or_create, retire

SPEAKER_FIELDS = ("name", "kind", "title", "affiliation", "country", "wikidata_id", "description")


def create_speaker(
    actor: User,
    name: str,
    *,
    title: str | None = None,
    affiliation: str | None = None,
    kind: str = SpeakerKind.PERSON,
    country: str | None = None,
    aliases: Iterable[str] = (),
) -> Speaker:
    require(actor, Perm.LOG_CLAIM)
    name = " ".join(name.split())
    if not name:
        raise ValidationFailed(
            tr("A speaker needs a name."), fields={"speaker": tr("Give a name.")}
        )
    if kind not in {k.value for k in SpeakerKind}:
        raise ValidationFailed(
            tr("Unknown speaker kind."), fields={"kind": tr("Person or organization.")}
        )
    speaker = Speaker(
        name=name[:SPEAKER_NAME_MAX],
        normalized_name=normalize_name(name)[:SPEAKER_NAME_MAX],
        slug=unique_slug(Speaker, name),
        title=(title or "").strip() or None,
        affiliation=(affiliation or "").strip() or None,
        kind=kind,
        country=(country or "").strip() or None,
    )
    db.session.add(speaker)
    _set_aliases(speaker, aliases)
    db.session.flush()
    audit.record(
        actor,
        "speaker.create",
        "speaker",
        speaker.id,
        after=audit.snapshot(speaker, SPEAKER_FIELDS),
    )
    return speaker


def find_or_create_speaker(actor: User, name: str, title: str | None = None) -> Speaker:
    return find_or_create(
        normalize_name(name),
        lambda: find_speaker(name),
        lambda: create_speaker(actor, name, title=title),
        table="speakers",
    )


def _set_aliases(speaker: Speaker, names: Iterable[str]) -> None:
    wanted: dict[str, str] = {}
    for raw in names:
        alias = " ".join(raw.split())
        key = normalize_name(alias)
        if key and key != speaker.normalized_name:
            wanted.setdefault(key, alias[:SPEAKER_NAME_MAX])
    speaker.aliases = [a for a in speaker.aliases if a.normalized_name in wanted]
    have = {a.normalized_name for a in speaker.aliases}
    for key, alias in wanted.items():
        if key not in have:
            speaker.aliases.append(SpeakerAlias(name=alias, normalized_name=key))


@guarded("This speaker")
def update_speaker(
    actor: User, speaker: Speaker, version: int, values: dict[str, object]
) -> Speaker:
    """Edit a speaker; once it has published fact-checks the edit waits for approval."""
    require(actor, Perm.EDIT_SPEAKER)
    check_version(speaker, version, values, what=f"The speaker “{speaker.name}”")
    if not " ".join(str(values.get("name") or "").split()):
        raise ValidationFailed(tr("A speaker needs a name."), fields={"name": tr("Give a name.")})
    if pending.has_public_claims(speaker):
        pending.propose(actor, speaker, "speaker", _plain(values))
    else:
        _apply(actor, speaker, values)
    db.session.commit()
    return speaker


@guarded("This speaker")
def approve_speaker_change(actor: User, speaker: Speaker, version: int | None) -> Speaker:
    """Apply the edit waiting on a speaker: an editor who did not propose it (four eyes)."""
    require(actor, Perm.APPROVE)
    check_version(speaker, version, {}, what=f"The speaker “{speaker.name}”")
    pending.approve(actor, speaker, "speaker", lambda values: _apply(actor, speaker, values))
    return speaker


def _plain(values: dict[str, object]) -> dict[str, Any]:
    out: dict[str, Any] = {k: values.get(k) for k in SPEAKER_FIELDS}
    out["aliases"] = [str(a) for a in cast("list[object]", values.get("aliases") or [])]
    return out


def _apply(actor: User, speaker: Speaker, values: dict[str, object]) -> None:
    before = audit.snapshot(speaker, SPEAKER_FIELDS)
    before["aliases"] = [a.name for a in speaker.aliases]
    name = " ".join(str(values.get("name") or "").split())
    if not name:
        raise ValidationFailed(tr("A speaker needs a name."), fields={"name": tr("Give a name.")})
    speaker.name = name
    speaker.normalized_name = normalize_name(name)
    for key in ("kind", "title", "affiliation", "country", "wikidata_id", "description"):
        value = values.get(key)
        setattr(speaker, key, (str(value).strip() or None) if value is not None else None)
    if not speaker.kind:
        speaker.kind = SpeakerKind.PERSON
    _set_aliases(speaker, values.get("aliases") or [])  # type: ignore[arg-type]
    after = audit.snapshot(speaker, SPEAKER_FIELDS)
    after["aliases"] = [a.name for a in speaker.aliases]
    b, a = audit.changed(before, after)
    audit.record(actor, "speaker.update", "speaker", speaker.id, before=b, after=a)


def merge_speakers(actor: User, survivor: Speaker, duplicate: Speaker) -> Speaker:
    """Move the duplicate's claims and aliases to the survivor; its slug redirects."""
    require(actor, Perm.MERGE)
    if survivor.id == duplicate.id:
        raise Conflict(tr("Choose two different speakers to merge."))
    result = db.session.execute(
        update(Claim)
        .where(Claim.speaker_id == duplicate.id)
        .values(speaker_id=survivor.id, version=Claim.version + 1)
    )
    moved = cast("CursorResult[Any]", result).rowcount
    names = (
        [a.name for a in survivor.aliases] + [duplicate.name] + [a.name for a in duplicate.aliases]
    )
    _set_aliases(survivor, names)
    retire("speaker", actor, survivor, duplicate, moved)
    db.session.delete(duplicate)
    db.session.commit()
    return survivor
