"""Logging and editing claims, their evidence, and reading their timeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..errors import DomainError, NotFound, ValidationFailed, num, tr
from ..extensions import db
from ..extraction.normalize import normalize_name
from ..limits import (
    CLAIM_CONTEXT_MAX,
    CLAIM_QUOTE_MAX,
    CLAIM_TEXT_MAX,
    CLAIM_TEXT_MIN,
    EVIDENCE_CITATION_MAX,
    EVIDENCE_EXCERPT_MAX,
    EVIDENCE_PUBLISHER_MAX,
    EVIDENCE_TITLE_MAX,
)
from ..models import (
    Article,
    AuditEvent,
    Claim,
    ClaimStatus,
    Evidence,
    Stance,
    User,
)
from ..models.base import utcnow
from ..policy import Perm, require
from . import audit, catalog, embeddings
from .locking import check_version, guarded
from .slugs import make_slug

CLAIM_FIELDS = (
    "text", "quote", "context", "stated_on", "language", "speaker_id", "article_id",
    "source_id", "internal_notes", "checkworthiness",
)  # fmt: skip
EVIDENCE_FIELDS = ("url", "citation", "title", "publisher", "excerpt", "stance", "archived_url")
LANGUAGES = {
    "en": "English",
    "uk": "Ukrainian",
    "ru": "Russian",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "pl": "Polish",
}


@dataclass
class ClaimInput:
    text: str
    speaker: str = ""
    speaker_id: int | None = None
    speaker_title: str | None = None
    speaker_affiliation: str | None = None
    quote: str | None = None
    context: str | None = None
    stated_on: date | None = None
    source: str | None = None
    source_id: int | None = None
    article_id: int | None = None
    article_title: str | None = None
    article_url: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str = "en"
    internal_notes: str | None = None
    checkworthiness: float | None = None


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def validate_claim_input(data: ClaimInput) -> None:
    errors: dict[str, str] = {}
    text = " ".join((data.text or "").split())
    if len(text) < CLAIM_TEXT_MIN:
        errors["text"] = tr(
            "The claim needs at least %(claim_text_min)s characters.", claim_text_min=CLAIM_TEXT_MIN
        )
    elif len(text) > CLAIM_TEXT_MAX:
        errors["text"] = tr(
            "Keep the claim under %(claim_text_max)s characters; put the rest in the quote or context.",
            claim_text_max=CLAIM_TEXT_MAX,
        )
    if data.stated_on is not None and data.stated_on > datetime.now(UTC).date():
        errors["stated_on"] = tr("The date a statement was made cannot be in the future.")
    if not data.speaker_id and not (data.speaker or "").strip():
        errors["speaker"] = tr("Say who made the statement.")
    if data.language and data.language not in LANGUAGES:
        errors["language"] = tr("Choose a language from the list.")
    if data.quote and len(data.quote) > CLAIM_QUOTE_MAX:
        errors["quote"] = tr(
            "Keep the quote under %(claim_quote_max)s characters.",
            claim_quote_max=num(CLAIM_QUOTE_MAX),
        )
    if data.context and len(data.context) > CLAIM_CONTEXT_MAX:
        errors["context"] = tr(
            "Keep the context under %(claim_context_max)s characters.",
            claim_context_max=num(CLAIM_CONTEXT_MAX),
        )
    for name in ("article_url",):
        try:
            catalog.check_url(getattr(data, name), name)
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if errors:
        first = next(iter(errors.values()))
        raise ValidationFailed(
            tr("Please correct the claim: %(first)s", first=first), fields=errors
        )


def _links(actor: User, data: ClaimInput) -> tuple[Any, Any, Any]:
    """The speaker, source and article a claim input names, found or created."""
    if data.speaker_id:
        from ..models import Speaker

        speaker = db.session.get(Speaker, data.speaker_id)
        if speaker is None:
            raise ValidationFailed(
                tr("That speaker no longer exists."), fields={"speaker": tr("Choose again.")}
            )
    else:
        speaker = catalog.find_or_create(
            normalize_name(data.speaker),
            lambda: catalog.find_speaker(data.speaker),
            lambda: catalog.create_speaker(
                actor, data.speaker, title=data.speaker_title, affiliation=data.speaker_affiliation
            ),
            table="speakers",
        )

    article: Article | None = None
    if data.article_id:
        article = db.session.get(Article, data.article_id)
        if article is None:
            raise ValidationFailed(
                tr("That article no longer exists."), fields={"article_id": tr("Choose again.")}
            )
    source = None
    if data.source_id:
        from ..models import Source

        source = db.session.get(Source, data.source_id)
    elif _clean(data.source):
        source = catalog.find_or_create_source(actor, data.source or "")
    elif article is not None:
        source = article.source
    if article is None and (_clean(data.article_url) or _clean(data.article_title)):
        wanted = catalog.ArticleInput(
            title=_clean(data.article_title) or _clean(data.article_url) or "",
            url=_clean(data.article_url),
        )
        article = catalog.find_existing_article(source, wanted) or catalog.create_article(
            actor, source, wanted
        )
    if article is not None and source is None:
        source = article.source
    return speaker, source, article


@guarded("This claim")
def log_claim(actor: User, data: ClaimInput, *, commit: bool = True) -> Claim:
    require(actor, Perm.LOG_CLAIM)
    validate_claim_input(data)
    text = " ".join(data.text.split())
    claim = Claim(
        text=text,
        slug=make_slug(text, 80),
        quote=_clean(data.quote),
        context=_clean(data.context),
        stated_on=data.stated_on,
        language=data.language or "en",
        status=ClaimStatus.LOGGED,
        created_by_id=actor.id,
        internal_notes=_clean(data.internal_notes),
        checkworthiness=data.checkworthiness,
    )
    claim.speaker, claim.source, claim.article = _links(actor, data)
    db.session.add(claim)
    claim.tags = catalog.tags_from_names(data.tags)
    db.session.flush()
    after = audit.snapshot(claim, CLAIM_FIELDS)
    after["tags"] = [t.name for t in claim.tags]
    audit.record(actor, "claim.create", "claim", claim.id, claim_id=claim.id, after=after)
    if commit:
        db.session.commit()
        embeddings.after_claim_change()
    return claim


# What the public reads of a claim (besides its verdict and evidence): on a published
# claim these change only through a correction approved by someone else (four eyes).
PUBLIC_CLAIM_FIELDS = (
    "text", "quote", "context", "stated_on", "language", "speaker_id", "source_id",
    "article_id", "tags",
)  # fmt: skip


def public_values(claim: Claim) -> dict[str, Any]:
    """The claim's public fields as plain JSON (ids for the speaker, source and article)."""
    return {
        "text": claim.text,
        "quote": claim.quote,
        "context": claim.context,
        "stated_on": claim.stated_on.isoformat() if claim.stated_on else None,
        "language": claim.language,
        "speaker_id": claim.speaker_id,
        "source_id": claim.source_id,
        "article_id": claim.article_id,
        "tags": sorted(t.name for t in claim.tags),
    }


def apply_public_values(claim: Claim, values: dict[str, Any]) -> None:
    """Lay approved changes over the claim (``reviews._publish`` calls this)."""
    from ..models import Source, Speaker

    if "speaker_id" in values and db.session.get(Speaker, values["speaker_id"]) is None:
        raise ValidationFailed(
            tr(
                "The speaker this correction names no longer exists (merged or deleted); "
                "edit the claim again before approving."
            )
        )
    if values.get("source_id") and db.session.get(Source, values["source_id"]) is None:
        raise ValidationFailed(
            tr("The source this correction names no longer exists; edit the claim again.")
        )
    for name in ("text", "quote", "context", "language", "speaker_id", "source_id", "article_id"):
        if name in values:
            setattr(claim, name, values[name])
    if "text" in values:
        claim.slug = make_slug(values["text"], 80)
    if "stated_on" in values:
        stated = values["stated_on"]
        claim.stated_on = date.fromisoformat(stated) if stated else None
    if "tags" in values:
        claim.tags = catalog.tags_from_names(values["tags"])
    for relation in ("speaker", "source", "article"):
        db.session.expire(claim, [relation])


@guarded("This claim")
def update_claim(
    actor: User, claim: Claim, version: int | None, data: ClaimInput, submitted: dict[str, Any]
) -> Claim:
    """Save a claim. On a published claim, changes to public fields wait for approval.

    Internal fields (notes, check-worthiness) are saved at once. Public fields
    (``PUBLIC_CLAIM_FIELDS``) of a published claim are recorded on a new revision of
    the correction under way (``verdicts.propose_claim_changes``) and reach the claim,
    and so the public, when another editor approves it; without a correction open the
    save is refused (409) and nothing is saved.
    """
    require(actor, Perm.EDIT_CLAIM)
    check_version(claim, version, submitted, what="This claim")
    validate_claim_input(data)
    before = audit.snapshot(claim, CLAIM_FIELDS)
    before["tags"] = [t.name for t in claim.tags]
    if claim.is_public:
        _propose_public_changes(actor, claim, data)
    else:
        text = " ".join(data.text.split())
        claim.text = text
        claim.slug = make_slug(text, 80)
        claim.quote = _clean(data.quote)
        claim.context = _clean(data.context)
        claim.stated_on = data.stated_on
        claim.language = data.language or "en"
        claim.speaker, claim.source, claim.article = _links(actor, data)
        claim.tags = catalog.tags_from_names(data.tags)
    claim.internal_notes = _clean(data.internal_notes)
    # Every save is one versioned UPDATE of the row, even one that only changes tags,
    # so a concurrent editor always sees the version move.
    claim.updated_at = utcnow()
    db.session.flush()
    after = audit.snapshot(claim, CLAIM_FIELDS)
    after["tags"] = [t.name for t in claim.tags]
    b, a = audit.changed(before, after)
    if a:
        audit.record(actor, "claim.update", "claim", claim.id, claim_id=claim.id, before=b, after=a)
    db.session.commit()
    if "text" in a:
        embeddings.after_claim_change()
    return claim


def _propose_public_changes(actor: User, claim: Claim, data: ClaimInput) -> None:
    """Compare the input's public fields with the published claim; propose what differs."""
    from . import verdicts

    current = public_values(claim)
    speaker, source, article = _links(actor, data)
    wanted = {
        "text": " ".join(data.text.split()),
        "quote": _clean(data.quote),
        "context": _clean(data.context),
        "stated_on": data.stated_on.isoformat() if data.stated_on else None,
        "language": data.language or "en",
        "speaker_id": speaker.id,
        "source_id": source.id if source else None,
        "article_id": article.id if article else None,
        "tags": sorted(t.name for t in catalog.tags_from_names(data.tags)),
    }
    changes = {k: v for k, v in wanted.items() if current.get(k) != v}
    if changes == (verdicts.pending_claim_changes(claim) or {}).get("fields", {}):
        return  # nothing new to propose (notes alone, or the same proposal again)
    if not changes and claim.status == ClaimStatus.PUBLISHED:
        return
    try:
        verdicts.propose_claim_changes(
            actor,
            claim,
            {
                "fields": changes,
                "labels": {
                    "speaker": speaker.name,
                    "source": source.name if source else None,
                    "article": article.title if article else None,
                },
            }
            if changes
            else None,
        )
    except DomainError:
        db.session.rollback()
        raise


def get_claim(claim_id: int) -> Claim:
    claim = db.session.execute(
        select(Claim)
        .where(Claim.id == claim_id)
        .options(
            selectinload(Claim.tags),
            selectinload(Claim.speaker),
            selectinload(Claim.article),
            selectinload(Claim.source),
            selectinload(Claim.assignee),
        )
    ).scalar_one_or_none()
    if claim is None:
        raise NotFound(tr("There is no claim #%(claim_id)s.", claim_id=claim_id))
    return claim


# --- evidence ---------------------------------------------------------------


@dataclass
class EvidenceInput:
    stance: str
    url: str | None = None
    citation: str | None = None
    title: str | None = None
    publisher: str | None = None
    excerpt: str | None = None
    archived_url: str | None = None


def _validated_evidence(data: EvidenceInput) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name in ("url", "archived_url"):
        try:
            values[name] = catalog.check_url(getattr(data, name), name)
        except ValidationFailed as exc:
            errors.update(exc.fields)
    for name, limit in (
        ("citation", EVIDENCE_CITATION_MAX),
        ("title", EVIDENCE_TITLE_MAX),
        ("publisher", EVIDENCE_PUBLISHER_MAX),
        ("excerpt", EVIDENCE_EXCERPT_MAX),
    ):
        value = _clean(getattr(data, name))
        if value and len(value) > limit:
            errors[name] = tr("Keep this under %(limit)s characters.", limit=num(limit))
        values[name] = value
    if data.stance not in {s.value for s in Stance}:
        errors["stance"] = tr("Choose supports, refutes or context.")
    values["stance"] = data.stance
    if not values.get("url") and not values.get("citation") and "url" not in errors:
        errors["url"] = tr("Give a URL or a citation (or both).")
    if errors:
        raise ValidationFailed(
            "Please correct the evidence: " + next(iter(errors.values())), fields=errors
        )
    return values


@guarded("This evidence")
def add_evidence(actor: User, claim: Claim, data: EvidenceInput) -> Evidence:
    require(actor, Perm.ADD_EVIDENCE)
    values = _validated_evidence(data)
    evidence = Evidence(claim_id=claim.id, added_by_id=actor.id, **values)
    db.session.add(evidence)
    db.session.flush()
    audit.record(actor, "evidence.add", "evidence", evidence.id, claim_id=claim.id, after=values)
    db.session.commit()
    return evidence


@guarded("This piece of evidence")
def update_evidence(
    actor: User, evidence: Evidence, version: int | None, data: EvidenceInput
) -> Evidence:
    require(actor, Perm.ADD_EVIDENCE)
    check_version(evidence, version, data.__dict__, what="This piece of evidence")
    if evidence.removed_at is not None:
        raise ValidationFailed(tr("This evidence was removed; add it again instead."))
    values = _validated_evidence(data)
    before = audit.snapshot(evidence, EVIDENCE_FIELDS)
    for key, value in values.items():
        setattr(evidence, key, value)
    b, a = audit.changed(before, audit.snapshot(evidence, EVIDENCE_FIELDS))
    audit.record(
        actor,
        "evidence.update",
        "evidence",
        evidence.id,
        claim_id=evidence.claim_id,
        before=b,
        after=a,
    )
    db.session.commit()
    return evidence


@guarded("This piece of evidence")
def remove_evidence(actor: User, evidence: Evidence, version: int | None) -> Evidence:
    """Soft removal: the row stays, out of the list, in the history."""
    require(actor, Perm.ADD_EVIDENCE)
    check_version(evidence, version, {}, what="This piece of evidence")
    if evidence.removed_at is None:
        evidence.removed_at = utcnow()
        evidence.removed_by_id = actor.id
        audit.record(
            actor,
            "evidence.remove",
            "evidence",
            evidence.id,
            claim_id=evidence.claim_id,
            before=audit.snapshot(evidence, EVIDENCE_FIELDS),
        )
    db.session.commit()
    return evidence


def evidence_for(claim_id: int, *, include_removed: bool = False) -> list[Evidence]:
    query = select(Evidence).where(Evidence.claim_id == claim_id).order_by(Evidence.id)
    if not include_removed:
        query = query.where(Evidence.removed_at.is_(None))
    return list(db.session.scalars(query.options(selectinload(Evidence.added_by))))


def timeline(claim_id: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.claim_id == claim_id)
            .order_by(AuditEvent.id)
            .options(selectinload(AuditEvent.actor))
        )
    )
