"""The wider archive: other organisations' ClaimReviews, ingested for matching and the desk.

Input is a schema.org DataFeed (JSON), a JSON-LD document (one ClaimReview, a
list, or an ``@graph``), or an HTML page carrying ClaimReview as JSON-LD or
microdata (read with extruct). A file is all or nothing: one unreadable review
and nothing is loaded. Reviews are keyed by their URL; ingesting again updates
them in place.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import delete, or_, select

from ..errors import ValidationFailed, num, tr
from ..extensions import db
from ..extraction.matching import read, search_words
from ..limits import MAX_DOCUMENT_DEPTH, json_nesting
from ..models import ExternalFactCheck, ExternalFactCheckWord, Job, JobPayload, User
from ..policy import Perm, require
from .catalog import check_url

MAX_BYTES = 50 * 1024 * 1024
MAX_REVIEWS = 100_000
SEARCH_LIMIT = 50


def max_bytes() -> int:
    """The largest file ingested (``CLAIMREVIEW_MAX_BYTES``; 50 MB by default)."""
    return int(current_app.config.get("CLAIMREVIEW_MAX_BYTES", MAX_BYTES))


@dataclass(frozen=True)
class ExternalReview:
    url: str
    publisher: str
    claim: str
    claimant: str | None
    rating: str | None
    reviewed_on: date | None
    language: str | None


@dataclass(frozen=True)
class IngestReport:
    added: int
    updated: int

    @property
    def total(self) -> int:
        return self.added + self.updated


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={"path": message})


def parse(
    data: bytes, *, content_type: str | None = None, base_url: str = ""
) -> list[ExternalReview]:
    """Every ClaimReview in the document, checked; a clear error for anything unreadable."""
    limit = max_bytes()
    if len(data) > limit:
        raise _refuse(
            tr(
                "The file is larger than the %(limit)s byte limit; split the feed.",
                limit=num(limit),
            )
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(tr("The file is not UTF-8 text.")) from None
    stripped = text.lstrip()
    html = (content_type or "").endswith("html") or stripped[:1] == "<"
    if html:
        documents = _from_html(text, base_url)
    else:
        if json_nesting(data, MAX_DOCUMENT_DEPTH) > MAX_DOCUMENT_DEPTH:
            raise _refuse(tr("This is not valid JSON-LD: it is nested too deeply."))
        try:
            documents = [json.loads(text)]
        except json.JSONDecodeError as exc:
            raise _refuse(
                tr(
                    "This is not valid JSON-LD: %(exc_msg)s at line %(exc_lineno)s, column %(exc_colno)s.",
                    exc_msg=exc.msg,
                    exc_lineno=exc.lineno,
                    exc_colno=exc.colno,
                )
            ) from None
    found = [node for document in documents for node in _claim_reviews(document, 0)]
    if not found:
        raise _refuse(
            tr("No ClaimReview was found in it (looked for a DataFeed, JSON-LD and microdata).")
        )
    if len(found) > MAX_REVIEWS:
        raise _refuse(
            tr(
                "It holds more than %(max_reviews)s reviews; split the feed.",
                max_reviews=num(MAX_REVIEWS),
            )
        )
    reviews: dict[str, ExternalReview] = {}
    for number, node in enumerate(found, start=1):
        review = _review(node, number)
        reviews[review.url] = review  # the last copy of a URL wins
    return list(reviews.values())


def _from_html(text: str, base_url: str) -> list[Any]:
    import extruct
    import lxml.html

    try:
        scripts = lxml.html.fromstring(text).xpath('//script[@type="application/ld+json"]/text()')
    except (ValueError, lxml.etree.ParserError):
        scripts = []
    if any(json_nesting(s, MAX_DOCUMENT_DEPTH) > MAX_DOCUMENT_DEPTH for s in scripts):
        raise _refuse(tr("The page's JSON-LD is nested too deeply to be read."))
    try:
        data = extruct.extract(
            text, base_url=base_url or None, syntaxes=["json-ld", "microdata"], uniform=True
        )
    except Exception as exc:  # extruct raises whatever its parsers raise on broken markup
        raise _refuse(
            tr(
                "The page could not be read: %(type_exc___name)s.",
                type_exc___name=type(exc).__name__,
            )
        ) from None
    return list(data.get("json-ld", [])) + list(data.get("microdata", []))


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1] for k in kinds if k}


def _claim_reviews(node: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > 20:
        return
    if isinstance(node, list):
        for item in node:
            yield from _claim_reviews(item, depth + 1)
    elif isinstance(node, dict):
        if "ClaimReview" in _types(node):
            yield node
            return
        for key in ("@graph", "dataFeedElement", "item", "mainEntity", "hasPart"):
            if key in node:
                yield from _claim_reviews(node[key], depth + 1)


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _date(value: Any) -> date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _review(node: dict[str, Any], number: int) -> ExternalReview:
    where = f"ClaimReview #{number}"
    url = node.get("url")
    if not isinstance(url, str) or not url.strip():
        raise _refuse(tr("%(where)s has no url; nothing was loaded.", where=where))
    try:
        url = check_url(url.strip(), "path") or ""
    except ValidationFailed:
        raise _refuse(
            tr(
                "%(where)s has a url that is not a web address: %(url_80)s; nothing was loaded.",
                where=where,
                url_80=url[:80],
            )
        ) from None
    claim = node.get("claimReviewed")
    if not isinstance(claim, str) or not claim.strip():
        raise _refuse(
            tr(
                "%(where)s (%(url_80)s) has no claimReviewed; nothing was loaded.",
                where=where,
                url_80=url[:80],
            )
        )
    publisher = _name(node.get("author")) or _name(node.get("publisher"))
    if publisher is None:
        raise _refuse(
            tr(
                "%(where)s (%(url_80)s) names no author (the fact-checker); nothing was loaded.",
                where=where,
                url_80=url[:80],
            )
        )
    item = node.get("itemReviewed")
    item = item if isinstance(item, dict) else {}
    rating = node.get("reviewRating")
    rating = rating if isinstance(rating, dict) else {}
    rating_text = rating.get("alternateName") or rating.get("name")
    language = _name(node.get("inLanguage"))
    return ExternalReview(
        url=url,
        publisher=publisher[:300],
        claim=" ".join(claim.split())[:5000],
        claimant=(_name(item.get("author")) or "")[:300] or None,
        rating=str(rating_text).strip()[:200] if rating_text else None,
        reviewed_on=_date(node.get("datePublished")),
        language=language[:10] if language else None,
    )


def ingest(reviews: list[ExternalReview]) -> IngestReport:
    """Store the reviews (new URLs added, known ones updated in place) in one transaction."""
    existing: dict[str, ExternalFactCheck] = {}
    urls = [r.url for r in reviews]
    for start in range(0, len(urls), 500):
        for row in db.session.scalars(
            select(ExternalFactCheck).where(ExternalFactCheck.url.in_(urls[start : start + 500]))
        ):
            existing[row.url] = row
    added = updated = 0
    try:
        for review in reviews:
            known = existing.get(review.url)
            if known is None:
                row = ExternalFactCheck(url=review.url)
                db.session.add(row)
                added += 1
            else:
                row = known
                updated += 1
            row.publisher = review.publisher
            row.claim_text = review.claim
            row.claimant = review.claimant
            row.rating_text = review.rating
            row.reviewed_on = review.reviewed_on
            row.language = review.language
            db.session.flush()
            db.session.execute(
                delete(ExternalFactCheckWord).where(ExternalFactCheckWord.factcheck_id == row.id)
            )
            stems = set(read(review.claim).significant)
            db.session.add_all(
                ExternalFactCheckWord(factcheck_id=row.id, stem=stem[:20]) for stem in stems
            )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return IngestReport(added=added, updated=updated)


def search(query: str, limit: int = SEARCH_LIMIT) -> list[ExternalFactCheck]:
    """External fact-checks sharing the query's telling words (through the stem index)."""
    words = search_words(query, 6)
    if not words:
        return []
    ids: set[int] | None = None
    for word in words:
        found = set(
            db.session.scalars(
                select(ExternalFactCheckWord.factcheck_id)
                .where(ExternalFactCheckWord.stem == word)
                .order_by(ExternalFactCheckWord.factcheck_id.desc())
                .limit(2000)
            )
        )
        ids = found if ids is None else ids & found
    if not ids:
        # No fact-check holds every word: the ones with any of them, newest first.
        return list(
            db.session.scalars(
                select(ExternalFactCheck)
                .join(ExternalFactCheckWord)
                .where(or_(*(ExternalFactCheckWord.stem == w for w in words)))
                .distinct()
                .order_by(ExternalFactCheck.id.desc())
                .limit(limit)
            )
        )
    return list(
        db.session.scalars(
            select(ExternalFactCheck)
            .where(ExternalFactCheck.id.in_(sorted(ids, reverse=True)[:limit]))
            .order_by(ExternalFactCheck.id.desc())
        )
    )


# --- ingest as a background job (the desk's upload or URL; `claimreview ingest --queue`) ---

JSON_TYPES = ("application/json", "application/ld+json", "text/html", "application/xhtml+xml")


def fetch_source(url: str) -> tuple[bytes, str | None, str]:
    """The document at ``url`` through the importer's fetcher (its address checks and limits)."""
    from .fetching import fetch

    fetched = fetch(url, kinds=JSON_TYPES, what="JSON-LD or an HTML page")
    return fetched.body, fetched.content_type, fetched.url


def queue_ingest(
    actor: User | None,
    *,
    url: str | None = None,
    data: bytes | None = None,
    filename: str | None = None,
) -> Job:
    """Queue the ingest of a ClaimReview document given by URL or as uploaded bytes."""
    from . import fetching, jobs

    if actor is not None:
        require(actor, Perm.IMPORT_ARTICLE)
    if (url is None) == (data is None):
        raise _refuse(tr("Give either a file or a web address."))
    if url is not None:
        if not url.strip():
            raise ValidationFailed(
                tr("Give the page's web address."), fields={"url": tr("Required.")}
            )
        clean = fetching.parse_url(url.strip()).url
        return jobs.submit(
            "claimreview_ingest",
            key=clean,
            label=f"Ingest ClaimReview from {clean}"[:300],
            params={"url": clean},
            actor=actor,
        )
    assert data is not None
    if not data:
        raise _refuse(tr("The file is empty."))
    if len(data) > max_bytes():
        raise _refuse(
            tr(
                "The file is larger than the %(max_bytes)s byte limit; split the feed.",
                max_bytes=max_bytes(),
            )
        )
    name = (filename or "upload").strip()[:200] or "upload"
    html = name.lower().endswith((".html", ".htm"))
    # The job row and its bytes in one transaction, then handed to the queue: a worker
    # never sees the job without its file.
    job = Job(
        kind="claimreview_ingest",
        key=None,
        label=f"Ingest ClaimReview from the file {name}"[:300],
        params={"filename": name},
        state="queued",
        attempts=0,
        max_attempts=int(current_app.config.get("JOB_MAX_ATTEMPTS", 3)),
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(job)
    db.session.flush()
    db.session.add(JobPayload(job_id=job.id, data=data, content_type="text/html" if html else None))
    db.session.commit()
    jobs.dispatch(job.id)
    return job


def run_job(job: Job) -> dict[str, Any]:
    """The job: read the document, parse it whole, store it (a retry updates, never adds twice)."""
    from . import jobs

    if url := job.params.get("url"):
        jobs.set_progress(job, "Fetching the document.")
        data, content_type, base = fetch_source(url)
    else:
        payload = db.session.get(JobPayload, job.id)
        if payload is None:
            raise _refuse(tr("The uploaded file is no longer stored; upload it again."))
        data, content_type, base = payload.data, payload.content_type, ""
    jobs.set_progress(job, f"Reading {len(data):,} bytes.")
    reviews = parse(data, content_type=content_type, base_url=base)
    jobs.set_progress(job, f"Storing {len(reviews):,} ClaimReviews.")
    report = ingest(reviews)
    db.session.execute(delete(JobPayload).where(JobPayload.job_id == job.id))
    return {
        "ingested": report.total,
        "added": report.added,
        "updated": report.updated,
        "source": url or job.params.get("filename"),
    }
