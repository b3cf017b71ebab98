"""Speakers, sources, articles and tags: finding, creating, editing and merging."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from sqlalchemy import CursorResult, func, or_, select, update

from ..errors import Conflict, NotFound, ValidationFailed
from ..extensions import db
from ..extraction.normalize import normalize_name
from ..models import (
    Article,
    Claim,
    SlugRedirect,
    Source,
    SourceKind,
    Speaker,
    SpeakerAlias,
    SpeakerKind,
    Tag,
    User,
)
from ..policy import Perm, require
from . import audit
from .locking import check_version, guarded
from .slugs import make_slug, unique_slug

M = TypeVar("M", Speaker, Source)
SPEAKER_FIELDS = ("name", "kind", "title", "affiliation", "country", "wikidata_id", "description")
SOURCE_FIELDS = ("name", "homepage_url", "kind")


# --- speakers ---------------------------------------------------------------


def find_speaker(name: str) -> Speaker | None:
    """The speaker whose name or alias matches, regardless of case and diacritics."""
    key = normalize_name(name)
    if not key:
        return None
    speaker = db.session.scalars(
        select(Speaker).where(Speaker.normalized_name == key).order_by(Speaker.id).limit(1)
    ).first()
    if speaker is None:
        speaker = db.session.scalars(
            select(Speaker)
            .join(SpeakerAlias)
            .where(SpeakerAlias.normalized_name == key)
            .order_by(Speaker.id)
            .limit(1)
        ).first()
    return speaker


def suggest_speakers(prefix: str, limit: int = 10) -> list[Speaker]:
    """Type-ahead over speakers' names and aliases."""
    key = normalize_name(prefix)
    if not key:
        return []
    pattern = f"%{key}%"
    alias_match = select(SpeakerAlias.speaker_id).where(SpeakerAlias.normalized_name.like(pattern))
    return list(
        db.session.scalars(
            select(Speaker)
            .where(or_(Speaker.normalized_name.like(pattern), Speaker.id.in_(alias_match)))
            .order_by(Speaker.name)
            .limit(limit)
        )
    )


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
        raise ValidationFailed("A speaker needs a name.", fields={"speaker": "Give a name."})
    if kind not in {k.value for k in SpeakerKind}:
        raise ValidationFailed("Unknown speaker kind.", fields={"kind": "Person or organization."})
    speaker = Speaker(
        name=name[:200],
        normalized_name=normalize_name(name)[:200],
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
    return find_speaker(name) or create_speaker(actor, name, title=title)


def _set_aliases(speaker: Speaker, names: Iterable[str]) -> None:
    wanted: dict[str, str] = {}
    for raw in names:
        alias = " ".join(raw.split())
        key = normalize_name(alias)
        if key and key != speaker.normalized_name:
            wanted.setdefault(key, alias[:200])
    speaker.aliases = [a for a in speaker.aliases if a.normalized_name in wanted]
    have = {a.normalized_name for a in speaker.aliases}
    for key, alias in wanted.items():
        if key not in have:
            speaker.aliases.append(SpeakerAlias(name=alias, normalized_name=key))


@guarded("This speaker")
def update_speaker(
    actor: User, speaker: Speaker, version: int, values: dict[str, object]
) -> Speaker:
    require(actor, Perm.EDIT_SPEAKER)
    check_version(speaker, version, values, what=f"The speaker “{speaker.name}”")
    before = audit.snapshot(speaker, SPEAKER_FIELDS)
    before["aliases"] = [a.name for a in speaker.aliases]
    name = " ".join(str(values.get("name") or "").split())
    if not name:
        raise ValidationFailed("A speaker needs a name.", fields={"name": "Give a name."})
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
    db.session.commit()
    return speaker


def resolve_slug(model: type[M], slug: str) -> tuple[M | None, str | None]:
    """The row with this slug, or the slug it was merged into (for a redirect)."""
    row = db.session.execute(select(model).where(model.slug == slug)).scalar_one_or_none()
    if row is not None:
        return row, None
    entity = "speaker" if model is Speaker else "source"
    target_id = db.session.scalar(
        select(SlugRedirect.target_id).where(
            SlugRedirect.entity == entity, SlugRedirect.old_slug == slug
        )
    )
    if target_id is None:
        return None, None
    target = db.session.get(model, target_id)
    return None, target.slug if target else None


def merge_speakers(actor: User, survivor: Speaker, duplicate: Speaker) -> Speaker:
    """Move the duplicate's claims and aliases to the survivor; its slug redirects."""
    require(actor, Perm.MERGE)
    if survivor.id == duplicate.id:
        raise Conflict("Choose two different speakers to merge.")
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
    _retire("speaker", actor, survivor, duplicate, moved)
    db.session.delete(duplicate)
    db.session.commit()
    return survivor


def _retire(entity: str, actor: User, survivor: Any, duplicate: Any, moved: int) -> None:
    """The merged row's slug (and slugs already pointing at it) redirect to the survivor;
    the merge is audited."""
    db.session.add(SlugRedirect(entity=entity, old_slug=duplicate.slug, target_id=survivor.id))
    db.session.execute(
        update(SlugRedirect)
        .where(SlugRedirect.entity == entity, SlugRedirect.target_id == duplicate.id)
        .values(target_id=survivor.id)
    )
    audit.record(
        actor,
        f"{entity}.merge",
        entity,
        survivor.id,
        before={
            "duplicate": duplicate.name,
            "duplicate_slug": duplicate.slug,
            "duplicate_id": duplicate.id,
        },
        after={"survivor": survivor.name, "claims_moved": moved},
    )


# --- sources and articles ---------------------------------------------------


def find_source(name: str) -> Source | None:
    key = normalize_name(name)
    if not key:
        return None
    return db.session.scalars(select(Source).where(Source.normalized_name == key).limit(1)).first()


def create_source(
    actor: User | None, name: str, *, homepage_url: str | None = None, kind: str = SourceKind.OTHER
) -> Source:
    if actor is not None:
        require(actor, Perm.LOG_CLAIM)
    name = " ".join(name.split())
    if not name:
        raise ValidationFailed("A source needs a name.", fields={"source": "Give a name."})
    if kind not in {k.value for k in SourceKind}:
        raise ValidationFailed("Unknown source kind.", fields={"kind": "Choose a kind."})
    source = Source(
        name=name[:200],
        normalized_name=normalize_name(name)[:200],
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
    return find_source(name) or create_source(actor, name)


@guarded("This source")
def update_source(actor: User, source: Source, version: int, values: dict[str, object]) -> Source:
    require(actor, Perm.EDIT_SPEAKER)
    check_version(source, version, values, what=f"The source “{source.name}”")
    before = audit.snapshot(source, SOURCE_FIELDS)
    name = " ".join(str(values.get("name") or "").split())
    if not name:
        raise ValidationFailed("A source needs a name.", fields={"name": "Give a name."})
    source.name = name
    source.normalized_name = normalize_name(name)
    source.homepage_url = check_url(values.get("homepage_url"), "homepage_url")  # type: ignore[arg-type]
    kind = str(values.get("kind") or SourceKind.OTHER)
    if kind not in {k.value for k in SourceKind}:
        raise ValidationFailed("Unknown source kind.", fields={"kind": "Choose a kind."})
    source.kind = kind
    b, a = audit.changed(before, audit.snapshot(source, SOURCE_FIELDS))
    audit.record(actor, "source.update", "source", source.id, before=b, after=a)
    db.session.commit()
    return source


def merge_sources(actor: User, survivor: Source, duplicate: Source) -> Source:
    require(actor, Perm.MERGE)
    if survivor.id == duplicate.id:
        raise Conflict("Choose two different sources to merge.")
    result = db.session.execute(
        update(Claim)
        .where(Claim.source_id == duplicate.id)
        .values(source_id=survivor.id, version=Claim.version + 1)
    )
    moved = cast("CursorResult[Any]", result).rowcount
    db.session.execute(
        update(Article).where(Article.source_id == duplicate.id).values(source_id=survivor.id)
    )
    _retire("source", actor, survivor, duplicate, moved)
    db.session.delete(duplicate)
    db.session.commit()
    return survivor


@dataclass
class ArticleInput:
    title: str
    url: str | None = None
    published_at: datetime | None = None
    rubric: str | None = None
    language: str = "en"
    body: str = ""
    format: str = "manual"


def find_existing_article(source: Source | None, data: ArticleInput) -> Article | None:
    """The same article imported before: by URL, or by source, title and date."""
    if data.url:
        found = db.session.execute(
            select(Article).where(Article.url == data.url)
        ).scalar_one_or_none()
        if found is not None:
            return found
    if source is not None and source.id is not None:
        query = select(Article).where(
            Article.source_id == source.id, func.lower(Article.title) == data.title.strip().lower()
        )
        if data.published_at is not None:
            query = query.where(Article.published_at == data.published_at)
        return db.session.scalars(query.limit(1)).first()
    return None


def create_article(actor: User | None, source: Source | None, data: ArticleInput) -> Article:
    title = " ".join(data.title.split())
    if not title:
        raise ValidationFailed(
            "An article needs a title.", fields={"article_title": "Give a title."}
        )
    article = Article(
        source=source,
        title=title[:500],
        url=check_url(data.url, "article_url"),
        published_at=data.published_at,
        rubric=(data.rubric or None),
        language=data.language or "en",
        body=data.body or "",
        format=data.format,
        imported_by_id=actor.id if actor else None,
    )
    db.session.add(article)
    db.session.flush()
    audit.record(
        actor,
        "article.create",
        "article",
        article.id,
        after={"title": article.title, "url": article.url},
    )
    return article


def check_url(value: str | None, field: str) -> str | None:
    """A well-formed http(s) URL, or None for an empty value."""
    value = (value or "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or " " in value
        or len(value) > 1000
    ):
        raise ValidationFailed(
            f"“{value[:80]}” is not a web address (it must start with http:// or https://).",
            fields={field: "Give a full address starting with http:// or https://."},
        )
    return value


# --- tags -------------------------------------------------------------------


def tags_from_names(names: Iterable[str]) -> list[Tag]:
    wanted: dict[str, str] = {}
    for raw in names:
        name = " ".join(raw.split())[:80]
        if name:
            wanted.setdefault(make_slug(name), name)
    if not wanted:
        return []
    existing = {t.slug: t for t in db.session.scalars(select(Tag).where(Tag.slug.in_(wanted)))}
    tags = []
    for slug, name in wanted.items():
        tag = existing.get(slug)
        if tag is None:
            tag = Tag(name=name, slug=slug)
            db.session.add(tag)
        tags.append(tag)
    return tags


def get_or_404(model: type, ident: int, what: str) -> object:
    row = db.session.get(model, ident)
    if row is None:
        raise NotFound(f"There is no {what} with the id {ident}.")
    return row
