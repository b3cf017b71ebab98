"""Article import: read, store, extract candidate claims, and turn them into claims."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..errors import Conflict, ValidationFailed
from ..extensions import db
from ..extraction import (
    ArticleFormatError,
    ParsedArticle,
    extract_candidates,
    read_article,
)
from ..models import Appearance, Article, Claim, ImportCandidate, User
from ..policy import Perm, require
from . import appearances, audit, catalog, matching
from .claims import LANGUAGES, ClaimInput, log_claim
from .locking import check_version, guarded


@dataclass
class ImportResult:
    article: Article
    candidates: list[ImportCandidate]
    already_imported: bool
    parsed: ParsedArticle | None = None


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
        return ImportResult(
            existing, candidates_for(existing.id), already_imported=True, parsed=parsed
        )
    if source is None and name:
        source = catalog.create_source(actor, name)
    article = catalog.create_article(actor, source, wanted)
    rows = []
    for candidate in extract_candidates(parsed):
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
        )
        db.session.add(row)
        rows.append(row)
    db.session.flush()
    audit.record(
        actor,
        "article.import",
        "article",
        article.id,
        after={"title": article.title, "candidates": len(rows)},
    )
    db.session.commit()
    return ImportResult(article, candidates_for(article.id), already_imported=False, parsed=parsed)


def candidates_for(article_id: int) -> list[ImportCandidate]:
    return list(
        db.session.scalars(
            select(ImportCandidate)
            .where(ImportCandidate.article_id == article_id)
            .order_by(ImportCandidate.score.desc(), ImportCandidate.position)
        )
    )


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
        raise Conflict(f"This candidate was already {candidate.state}.")
    article = candidate.article
    if same_as:
        earlier = db.session.get(Claim, same_as)
        if earlier is None:
            raise ValidationFailed(
                f"There is no claim #{same_as}.", fields={"same_as": "Unknown claim."}
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
            "position": c.position,
            "state": c.state,
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
        },
        "candidates": out_candidates,
    }
