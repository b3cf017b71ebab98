"""Sources (outlets): creating, editing and merging; reads are in ``reads.sources``."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, update

from ...errors import Conflict, ValidationFailed, tr
from ...extensions import db
from ...extraction.normalize import normalize_name
from ...limits import SOURCE_NAME_MAX
from ...models import Article, Claim, Source, SourceKind, User
from ...policy import Perm, require
from ...reads.sources import find_source
from .. import audit
from ..locking import check_version, guarded
from ..slugs import unique_slug
from . import pending
from .merging import find_or_create, retire
from .urls import check_url

SOURCE_FIELDS = ("name", "homepage_url", "kind")


def create_source(
    actor: User | None, name: str, *, homepage_url: str | None = None, kind: str = SourceKind.OTHER
) -> Source:
    if actor is not None:
        require(actor, Perm.LOG_CLAIM)
    name = " ".join(name.split())
    if not name:
        raise ValidationFailed(tr("A source needs a name."), fields={"source": tr("Give a name.")})
    if kind not in {k.value for k in SourceKind}:
        raise ValidationFailed(tr("Unknown source kind."), fields={"kind": tr("Choose a kind.")})
    source = Source(
        name=name[:SOURCE_NAME_MAX],
        normalized_name=normalize_name(name)[:SOURCE_NAME_MAX],
        slug=unique_slug(Source, name),
        homepage_url=check_url(homepage_url, "homepage_url"),
        kind=kind,
    )
    db.session.add(source)
    db.session.flush()
    audit.record(
        actor, "source.create", "source", source.id, after=audit.snapshot(source, SOURCE_FIELDS)
    )
    return source


def find_or_create_source(actor: User | None, name: str) -> Source:
    return find_or_create(
        normalize_name(name),
        lambda: find_source(name),
        lambda: create_source(actor, name),
        table="sources",
    )


@guarded("This source")
def update_source(actor: User, source: Source, version: int, values: dict[str, object]) -> Source:
    """Edit a source; once it has published fact-checks the edit waits for approval."""
    require(actor, Perm.EDIT_SPEAKER)
    check_version(source, version, values, what=f"The source “{source.name}”")
    if not " ".join(str(values.get("name") or "").split()):
        raise ValidationFailed(tr("A source needs a name."), fields={"name": tr("Give a name.")})
    if pending.has_public_claims(source):
        check_url(values.get("homepage_url"), "homepage_url")  # type: ignore[arg-type]
        plain = {k: (str(v) if v is not None else None) for k, v in values.items()}
        pending.propose(actor, source, "source", {k: plain.get(k) for k in SOURCE_FIELDS})
    else:
        _apply(actor, source, values)
    db.session.commit()
    return source


@guarded("This source")
def approve_source_change(actor: User, source: Source, version: int | None) -> Source:
    """Apply the edit waiting on a source: an editor who did not propose it (four eyes)."""
    require(actor, Perm.APPROVE)
    check_version(source, version, {}, what=f"The source “{source.name}”")
    pending.approve(actor, source, "source", lambda values: _apply(actor, source, values))
    return source


def _apply(actor: User, source: Source, values: dict[str, object]) -> None:
    before = audit.snapshot(source, SOURCE_FIELDS)
    name = " ".join(str(values.get("name") or "").split())
    if not name:
        raise ValidationFailed(tr("A source needs a name."), fields={"name": tr("Give a name.")})
    source.name = name
    source.normalized_name = normalize_name(name)
    source.homepage_url = check_url(values.get("homepage_url"), "homepage_url")  # type: ignore[arg-type]
    kind = str(values.get("kind") or SourceKind.OTHER)
    if kind not in {k.value for k in SourceKind}:
        raise ValidationFailed(tr("Unknown source kind."), fields={"kind": tr("Choose a kind.")})
    source.kind = kind
    b, a = audit.changed(before, audit.snapshot(source, SOURCE_FIELDS))
    audit.record(actor, "source.update", "source", source.id, before=b, after=a)


def merge_sources(actor: User, survivor: Source, duplicate: Source) -> Source:
    require(actor, Perm.MERGE)
    if survivor.id == duplicate.id:
        raise Conflict(tr("Choose two different sources to merge."))
    result = db.session.execute(
        update(Claim)
        .where(Claim.source_id == duplicate.id)
        .values(source_id=survivor.id, version=Claim.version + 1)
    )
    moved = cast("CursorResult[Any]", result).rowcount
    db.session.execute(
        update(Article).where(Article.source_id == duplicate.id).values(source_id=survivor.id)
    )
    retire("source", actor, survivor, duplicate, moved)
    db.session.delete(duplicate)
    db.session.commit()
    return survivor
