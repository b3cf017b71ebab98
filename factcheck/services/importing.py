"""Article import: read, store, extract candidate claims, and turn them into claims."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..errors import Conflict, ValidationFailed, tr
from ..extensions import db
from ..extraction import (
    ArticleFormatError,
    ParsedArticle,
    extract_candidates,
    read_article,
)
from ..extraction.candidates import Candidate
from ..extraction.normalize import normalize_text
from ..extraction.scoring import WORTH_CHECKING
from ..models import Appearance, Article, ArticleText, Claim, ImportCandidate, User
from ..policy import Perm, require
from . import appearances, audit, catalog, matching
from .claims import LANGUAGES, ClaimInput, log_claim
from .locking import check_version, guarded


@dataclass
class TextChange:
    """What a re-import changed in a known article's text."""

    version: int  # the article's new text version
    added: int  # paragraphs new in this text
    removed: int  # paragraphs of the older text no longer printed
    new_candidates: int

    def summary(self) -> str:
        return (
            f"The text changed since it was imported (now version {self.version}): "
            f"{self.added} paragraph{'s' if self.added != 1 else ''} added, "
            f"{self.removed} removed; {self.new_candidates} new "
            f"candidate{'s' if self.new_candidates != 1 else ''}. The older text is kept."
        )


@dataclass
class ImportResult:
    article: Article
    candidates: list[ImportCandidate]
    already_imported: bool
    parsed: ParsedArticle | None = None
    change: TextChange | None = None


def parse(
    data: str | bytes,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    url: str | None = None,
) -> ParsedArticle:
    try:
        return read_article(data, filename=filename, content_type=content_type, url=url)
    except ArticleFormatError as exc:
        raise ValidationFailed(str(exc), fields={"text": str(exc)}) from None


def import_article(
    actor: User | None,
    data: str | bytes,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    url: str | None = None,
    source_name: str | None = None,
) -> ImportResult:
    """Store the article and its candidates; the same article twice is recognised."""
    if actor is not None:
        require(actor, Perm.IMPORT_ARTICLE)
    parsed = parse(data, filename=filename, content_type=content_type, url=url)
    name = (source_name or "").strip() or parsed.source
    source = catalog.find_source(name) if name else None
    wanted = catalog.ArticleInput(
        title=parsed.title,
        url=parsed.url or url,
        published_at=parsed.published_at,
        rubric=parsed.rubric,
        language=parsed.language if parsed.language in LANGUAGES else "en",
        body=parsed.body,
        format=parsed.format,
    )
    existing = catalog.find_existing_article(source, wanted)
    if existing is not None:
        if _same_text(existing.body, parsed.body):
            return ImportResult(
                existing, candidates_for(existing.id), already_imported=True, parsed=parsed
            )
        return _new_text_version(actor, existing, parsed)
    if source is None and name:
        source = catalog.find_or_create_source(actor, name)  # another worker may win
    article = catalog.create_article(actor, source, wanted)
    rows = _store_candidates(article, extract_candidates(parsed))
    audit.record(
        actor,
        "article.import",
        "article",
        article.id,
        after={"title": article.title, "candidates": len(rows)},
    )
    db.session.commit()
    return ImportResult(article, candidates_for(article.id), already_imported=False, parsed=parsed)


def _same_text(old: str, new: str) -> bool:
    return normalize_text(old) == normalize_text(new)


def _store_candidates(
    article: Article, candidates: list[Candidate], skip: set[str] | None = None
) -> list[ImportCandidate]:
    rows = []
    for candidate in candidates:
        if skip is not None and normalize_text(candidate.text) in skip:
            continue
        row = ImportCandidate(
            article_id=article.id,
            position=candidate.position,
            text=candidate.text,
            sentence=candidate.sentence,
            quote=candidate.quote,
            speaker_name=candidate.speaker,
            speaker_title=candidate.speaker_title,
            score=max(0.0, min(1.0, candidate.score)),
            reasons=list(candidate.reasons),
            frame=candidate.frame or None,
            speaker_kind=candidate.speaker_kind,
            repeats=max(1, candidate.repeats),
            text_version=article.text_version,
        )
        db.session.add(row)
        rows.append(row)
    db.session.flush()
    return rows


def _paragraphs(body: str) -> set[str]:
    return {normalize_text(p) for p in body.split("\n\n") if p.strip()}


def _new_text_version(actor: User | None, article: Article, parsed: ParsedArticle) -> ImportResult:
    """A known article printed with a changed body: keep the older text, store the new
    one, and offer only the statements no earlier version offered."""
    db.session.add(
        ArticleText(
            article_id=article.id,
            number=article.text_version,
            title=article.title,
            body=article.body,
            replaced_by_id=actor.id if actor else None,
        )
    )
    before, after = _paragraphs(article.body), _paragraphs(parsed.body)
    seen = {
        normalize_text(text)
        for text in db.session.scalars(
            select(ImportCandidate.text).where(ImportCandidate.article_id == article.id)
        )
    }
    article.body = parsed.body
    article.text_version += 1
    rows = _store_candidates(article, extract_candidates(parsed), skip=seen)
    change = TextChange(
        version=article.text_version,
        added=len(after - before),
        removed=len(before - after),
        new_candidates=len(rows),
    )
    audit.record(
        actor,
        "article.new_text",
        "article",
        article.id,
        before={"text_version": article.text_version - 1},
        after={"text_version": article.text_version, "candidates": len(rows)},
        note=change.summary(),
    )
    db.session.commit()
    fresh = [c for c in candidates_for(article.id) if c.text_version == article.text_version]
    return ImportResult(article, fresh, already_imported=True, parsed=parsed, change=change)


def candidates_for(article_id: int, text_version: int | None = None) -> list[ImportCandidate]:
    """An article's candidates, best first; only those found in `text_version` if given."""
    query = (
        select(ImportCandidate)
        .where(ImportCandidate.article_id == article_id)
        .options(selectinload(ImportCandidate.claim))
        .order_by(ImportCandidate.score.desc(), ImportCandidate.position)
    )
    if text_version is not None:
        query = query.where(ImportCandidate.text_version == text_version)
    return list(db.session.scalars(query))


def discard_below(actor: User, article: Article, threshold: float = WORTH_CHECKING) -> int:
    """Discard the article's pending candidates (of its current text) scoring below the
    threshold; the number discarded."""
    require(actor, Perm.IMPORT_ARTICLE)
    rows = list(
        db.session.scalars(
            select(ImportCandidate).where(
                ImportCandidate.article_id == article.id,
                ImportCandidate.state == "pending",
                ImportCandidate.text_version == article.text_version,
                ImportCandidate.score < threshold,
            )
        )
    )
    for row in rows:
        row.state = "discarded"
    if rows:
        audit.record(
            actor,
            "candidate.discard_below",
            "article",
            article.id,
            after={"threshold": threshold, "discarded": len(rows)},
        )
    db.session.commit()
    return len(rows)


def matches_for(text: str) -> list[dict[str, Any]]:
    """The claims a candidate repeats or resembles, published fact-checks first (``--json``)."""
    out = []
    for suggestion in matching.similar(text, external=False):
        claim = suggestion.claim
        assert claim is not None
        verdict = claim.published_verdict
        out.append(
            {
                "claim_id": claim.id,
                "score": suggestion.score,
                "match": suggestion.match.value,
                "status": claim.status,
                "rating": verdict.rating.name if verdict is not None and verdict.rating else None,
            }
        )
    return out


@guarded("This candidate")
def accept_candidate(
    actor: User,
    candidate: ImportCandidate,
    version: int | None,
    *,
    text: str,
    speaker: str,
    speaker_title: str | None = None,
    same_as: int | None = None,
) -> Claim:
    """A claim in status ``logged``, or a link to an existing claim (``same as #N``)."""
    require(actor, Perm.LOG_CLAIM)
    check_version(candidate, version, {"text": text, "speaker": speaker}, what="This candidate")
    if candidate.state != "pending":
        raise Conflict(
            tr("This candidate was already %(candidate_state)s.", candidate_state=candidate.state)
        )
    article = candidate.article
    if same_as:
        earlier = db.session.get(Claim, same_as)
        if earlier is None:
            raise ValidationFailed(
                tr("There is no claim #%(same_as)s.", same_as=same_as),
                fields={"same_as": tr("Unknown claim.")},
            )
        candidate.state, candidate.claim_id = "accepted", earlier.id
        # A repeat is an appearance of the earlier claim, not a duplicate row (one per
        # article: a second sentence of the same article repeating it adds nothing).
        recorded = db.session.scalar(
            select(Appearance.id).where(
                Appearance.claim_id == earlier.id, Appearance.article_id == article.id
            )
        )
        if recorded is None:
            appearances.add_appearance(
                actor,
                earlier,
                appearances.AppearanceInput(
                    title=article.title[: appearances.TITLE_MAX],
                    speaker=speaker,
                    said_on=(article.published_at or candidate.created_at).date(),
                    url=article.url,
                    text=text,
                ),
                article_id=article.id,
                commit=False,
            )
        db.session.commit()
        return earlier
    claim = log_claim(
        actor,
        ClaimInput(
            text=text,
            speaker=speaker,
            speaker_title=speaker_title or candidate.speaker_title,
            quote=candidate.quote,
            stated_on=article.published_at.date() if article.published_at else None,
            article_id=article.id,
            source_id=article.source_id,
            language=article.language,
            checkworthiness=candidate.score,
        ),
        commit=False,
    )
    candidate.state, candidate.claim_id = "accepted", claim.id
    db.session.commit()
    return claim


@guarded("This candidate")
def discard_candidate(actor: User, candidate: ImportCandidate, version: int | None) -> None:
    require(actor, Perm.IMPORT_ARTICLE)
    check_version(candidate, version, {}, what="This candidate")
    if candidate.state == "pending":
        candidate.state = "discarded"
        audit.record(
            actor,
            "candidate.discard",
            "import_candidate",
            candidate.id,
            before={"text": candidate.text},
        )
    db.session.commit()


def result_as_json(result: ImportResult, *, with_matches: bool = True) -> dict[str, Any]:
    """The shape PRODUCT.md gives for `factcheck import-article --json`."""
    article = result.article
    out_candidates = []
    for c in result.candidates:
        item: dict[str, Any] = {
            "id": c.id,
            "text": c.text,
            "speaker": c.speaker_name,
            "speaker_title": c.speaker_title,
            "score": c.score,
            "reasons": c.reasons,
            "quote": c.quote,
            "sentence": c.sentence,
            "source_sentence": c.sentence,
            "position": c.position,
            "state": c.state,
            "frame": c.frame,
            "speaker_kind": c.speaker_kind,
            "repeats": c.repeats,
            "text_version": c.text_version,
        }
        if with_matches:
            item["matches"] = matches_for(c.text)
        out_candidates.append(item)
    return {
        "article": {
            "id": article.id,
            "title": article.title,
            "source": article.source.name if article.source else None,
            "published_at": article.published_at.isoformat() if article.published_at else None,
            "url": article.url,
            "rubric": article.rubric,
            "language": article.language,
            "format": article.format,
            "already_imported": result.already_imported,
            "text_version": article.text_version,
            "changed": result.change.summary() if result.change else None,
        },
        "candidates": out_candidates,
    }
