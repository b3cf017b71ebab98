"""Article import: read, store, extract candidate claims, and turn them into claims."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..errors import Conflict, ValidationFailed
from ..extensions import db
from ..extraction import (
    ArticleFormatError,
    ParsedArticle,
    extract_candidates,
    rank_similar,
    read_article,
)
from ..extraction.candidates import Candidate
from ..extraction.normalize import normalize_text
from ..extraction.scoring import WORTH_CHECKING
from ..models import Article, ArticleText, Claim, ImportCandidate, User
from ..policy import Perm, require
from . import audit, catalog
from .claims import LANGUAGES, ClaimInput, log_claim
from .locking import check_version, guarded

SIMILAR_LIMIT = 5


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
    similar: dict[int, list[tuple[Claim, float]]] = field(default_factory=dict)
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
        source = catalog.create_source(actor, name)
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


def similar_claims(
    text: str, *, exclude: int | None = None, public_only: bool = False, limit: int = SIMILAR_LIMIT
) -> list[tuple[Claim, float]]:
    """The claims most like ``text``, published fact-checks first.

    Candidates come from the full-text index (published claims sharing the
    text's longest words) and the most recent claims, so the cost stays small
    however large the archive grows.
    """
    from ..search import backend_for, parse_query

    conn = db.session.connection()
    words = sorted(parse_query(text), key=len, reverse=True)[:3]
    pool: set[int] = set()
    backend = backend_for(conn)
    for word in words:
        if len(word) >= 4:
            pool.update(backend.matching_ids(conn, [word], 300, newest=True))
    recent = select(Claim.id).order_by(Claim.id.desc()).limit(1000)
    if public_only:
        recent = recent.where(Claim.published_verdict_id.is_not(None))
    pool.update(db.session.scalars(recent))
    pool.discard(exclude or 0)
    if not pool:
        return []
    rows = db.session.execute(
        select(Claim.id, Claim.text, Claim.published_verdict_id).where(Claim.id.in_(pool))
    ).all()
    if public_only:
        rows = [r for r in rows if r.published_verdict_id is not None]
    ranked = rank_similar(text, [(r.id, r.text) for r in rows], limit=len(rows), threshold=0.5)
    published = {r.id for r in rows if r.published_verdict_id is not None}
    ranked.sort(key=lambda pair: (pair[0] not in published, -pair[1]))
    top = ranked[:limit]
    claims = {
        c.id: c for c in db.session.scalars(select(Claim).where(Claim.id.in_([i for i, _ in top])))
    }
    return [(claims[i], score) for i, score in top if i in claims]


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
        raise Conflict(f"This candidate was already {candidate.state}.")
    article = candidate.article
    if same_as:
        earlier = db.session.get(Claim, same_as)
        if earlier is None:
            raise ValidationFailed(
                f"There is no claim #{same_as}.", fields={"same_as": "Unknown claim."}
            )
        candidate.state, candidate.claim_id = "accepted", earlier.id
        # The repeat is recorded on the earlier claim's timeline instead of a duplicate row.
        audit.record(
            actor,
            "claim.repeated",
            "claim",
            earlier.id,
            claim_id=earlier.id,
            after={
                "text": text,
                "speaker": speaker,
                "article_id": article.id,
                "article": article.title,
            },
            note=f"Said again in “{article.title}”",
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


def result_as_json(result: ImportResult, *, with_similar: bool = True) -> dict[str, Any]:
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
        if with_similar:
            item["similar"] = [
                {
                    "id": claim.id,
                    "text": claim.text,
                    "score": score,
                    "status": claim.status,
                    "published": claim.is_public,
                }
                for claim, score in similar_claims(c.text)
            ]
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
