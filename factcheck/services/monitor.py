"""The monitor: imports run as jobs, candidates matched against earlier claims, watch
lists, and the alerts they raise (a notification, and a signed webhook when set)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from flask import current_app
from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import joinedload

from ..errors import NotFound, ValidationFailed, tr
from ..extensions import db
from ..extraction.normalize import normalize_name
from ..models import (
    Article,
    CandidateMatch,
    FeedItem,
    ImportCandidate,
    Job,
    Notification,
    Role,
    Speaker,
    SpeakerAlias,
    SpeakerWatch,
    User,
)
from ..policy import Perm, require
from . import audit, catalog, fetching, importing, jobs, matching
from .notifications import notify
from .settings import get_settings

# A candidate at least this check-worthy from a watched speaker raises an alert.
CHECKWORTHY = 0.5
# Claim matching (services/matching judges same or related): matches scoring under
# RELATED are not recorded.
RELATED = 0.6


# --- URL imports as jobs -------------------------------------------------------


def queue_url_import(actor: User, url: str, source_name: str | None = None) -> Job:
    """Queue the import of the article at ``url`` (the same URL twice joins one job)."""
    require(actor, Perm.IMPORT_ARTICLE)
    if not (url or "").strip():
        raise ValidationFailed(
            tr("Give the article's web address."), fields={"url": tr("Required.")}
        )
    # A malformed address is refused at once in the form; where the name leads is checked
    # by the job, once, as it connects (its page then says why it was refused).
    clean = fetching.parse_url(url).url
    return jobs.submit(
        "import_url",
        key=clean,
        label=f"Import {clean}"[:300],
        params={"url": clean, "source": (source_name or "").strip() or None},
        actor=actor,
    )


def run_import_url(job: Job) -> dict[str, Any]:
    """The job: fetch, import (recognising an article seen before), match and alert."""
    from .feeds import polite_fetch

    url = job.params["url"]
    actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
    article = db.session.scalars(select(Article).where(Article.url == url)).first()
    if article is None:
        jobs.set_progress(job, "Fetching the page.")
        fetched = polite_fetch(url)
        jobs.set_progress(job, "Reading the article and finding its claims.")
        result = importing.import_article(
            actor,
            fetched.body,
            content_type=fetched.content_type,
            url=fetched.url,
            source_name=job.params.get("source"),
        )
        article, fresh = result.article, not result.already_imported
    else:
        fresh = False
    # A retry after a crash between the import and the alerts finishes the alerts.
    if fresh or job.attempts > 1:
        jobs.set_progress(job, "Matching against earlier claims.")
        repeats = annotate_matches(article.id)
        alerts = raise_alerts(article.id)
    else:
        repeats, alerts = 0, 0
    if item_id := job.params.get("feed_item_id"):
        db.session.execute(
            update(FeedItem)
            .where(FeedItem.id == item_id)
            .values(state="imported", article_id=article.id)
            .execution_options(synchronize_session=False)
        )
    candidates = db.session.scalar(
        select(func.count(ImportCandidate.id)).where(ImportCandidate.article_id == article.id)
    )
    db.session.commit()
    return {
        "article_id": article.id,
        "title": article.title,
        "already_imported": not fresh,
        "candidates": candidates or 0,
        "repeats": repeats,
        "alerts": alerts,
    }


def mark_item_failed(job: Job) -> None:
    if item_id := job.params.get("feed_item_id"):
        db.session.execute(
            update(FeedItem)
            .where(FeedItem.id == item_id)
            .values(state="failed")
            .execution_options(synchronize_session=False)
        )
        db.session.commit()


def run_reindex(job: Job) -> dict[str, Any]:
    from ..search import rebuild_index
    from . import embeddings

    jobs.set_progress(job, "Rebuilding the full-text index.")
    count, backend = rebuild_index()
    result: dict[str, Any] = {"indexed": count, "backend": backend}
    if embeddings.enabled():
        jobs.set_progress(job, "Embedding claims that have no current embedding.")
        result["embedded"] = embeddings.embed_pending()
    return result


def queue_reindex(actor: User) -> Job:
    require(actor, Perm.MANAGE_SETTINGS)
    return jobs.submit(
        "reindex", key="reindex", label="Rebuild the search index", params={}, actor=actor
    )


# --- matching candidates against earlier claims ---------------------------------


def annotate_matches(article_id: int) -> int:
    """Record, per candidate, the earlier claims it repeats or resembles; the repeats of
    published fact-checks found."""
    candidates = importing.candidates_for(article_id)
    known = {
        (m.candidate_id, m.claim_id)
        for m in db.session.scalars(
            select(CandidateMatch).where(
                CandidateMatch.candidate_id.in_([c.id for c in candidates])
            )
        )
    }
    repeats = 0
    for candidate in candidates:
        # The one matching service judges: same (the earlier verdict answers it) or related.
        for found in matching.similar(candidate.text, external=False, limit=3):
            claim, score, kind = found.claim, found.score, found.match.value
            if claim is None or score < RELATED or (candidate.id, claim.id) in known:
                continue
            db.session.add(
                CandidateMatch(
                    candidate_id=candidate.id,
                    claim_id=claim.id,
                    score=min(1.0, float(score)),
                    match=kind,
                    published=claim.is_public,
                )
            )
            repeats += kind == "same" and claim.is_public
    db.session.commit()
    return repeats


# --- watch lists ------------------------------------------------------------------


def watched_speakers(user: User) -> list[Speaker]:
    return list(
        db.session.scalars(
            select(Speaker)
            .join(SpeakerWatch, SpeakerWatch.speaker_id == Speaker.id)
            .where(SpeakerWatch.user_id == user.id)
            .order_by(Speaker.name)
        )
    )


def watch_speaker(actor: User, name: str) -> Speaker:
    require(actor, Perm.USE_DESK)
    speaker = catalog.find_speaker(name or "")
    if speaker is None:
        raise ValidationFailed(
            tr(
                "No speaker is called “%(name_or_strip_80)s”.",
                name_or_strip_80=(name or "").strip()[:80],
            ),
            fields={"speaker": tr("Choose a known speaker (name or alias).")},
        )
    exists = db.session.scalar(
        select(SpeakerWatch.id).where(
            SpeakerWatch.user_id == actor.id, SpeakerWatch.speaker_id == speaker.id
        )
    )
    if exists is None:
        db.session.add(SpeakerWatch(user_id=actor.id, speaker_id=speaker.id))
        audit.record(actor, "watch.add", "speaker", speaker.id, after={"name": speaker.name})
        db.session.commit()
    return speaker


def unwatch_speaker(actor: User, speaker_id: int) -> None:
    require(actor, Perm.USE_DESK)
    watch = db.session.scalars(
        select(SpeakerWatch).where(
            SpeakerWatch.user_id == actor.id, SpeakerWatch.speaker_id == speaker_id
        )
    ).first()
    if watch is None:
        raise NotFound(tr("That speaker is not on your watch list."))
    db.session.delete(watch)
    audit.record(actor, "watch.remove", "speaker", speaker_id)
    db.session.commit()


def _watched_names(user_id: int | None = None) -> dict[str, set[int]]:
    """Normalised names and aliases of watched speakers -> the users watching them."""
    query = select(SpeakerWatch.user_id, Speaker.normalized_name, Speaker.id).join(
        Speaker, Speaker.id == SpeakerWatch.speaker_id
    )
    alias_query = select(SpeakerWatch.user_id, SpeakerAlias.normalized_name).join(
        SpeakerAlias, SpeakerAlias.speaker_id == SpeakerWatch.speaker_id
    )
    if user_id is not None:
        query = query.where(SpeakerWatch.user_id == user_id)
        alias_query = alias_query.where(SpeakerWatch.user_id == user_id)
    names: dict[str, set[int]] = {}
    for uid, name, _ in db.session.execute(query):
        names.setdefault(name, set()).add(uid)
    for uid, name in db.session.execute(alias_query):
        names.setdefault(name, set()).add(uid)
    return names


# --- alerts -------------------------------------------------------------------------


def raise_alerts(article_id: int) -> int:
    """Notify watchers of a check-worthy statement by their speaker, and the editors and
    watchers of any repeat of a published fact-check; post the same to the webhook."""
    article = db.session.get(Article, article_id)
    assert article is not None
    watched = _watched_names()
    editors = set(
        db.session.scalars(
            select(User.id).where(User.active.is_(True), User.role.in_((Role.EDITOR, Role.ADMIN)))
        )
    )
    repeats: dict[int, CandidateMatch] = {}
    for match in db.session.scalars(
        select(CandidateMatch)
        .join(ImportCandidate, ImportCandidate.id == CandidateMatch.candidate_id)
        .where(
            ImportCandidate.article_id == article_id,
            CandidateMatch.match == "same",
            CandidateMatch.published.is_(True),
        )
        .order_by(CandidateMatch.score.desc())
    ):
        repeats.setdefault(match.candidate_id, match)
    sent = 0
    link = f"/desk/articles/{article_id}"
    for candidate in importing.candidates_for(article_id):
        watchers = watched.get(normalize_name(candidate.speaker_name or ""), set())
        repeat = repeats.get(candidate.id)
        speaker = candidate.speaker_name or "an unnamed speaker"
        events: list[tuple[str, set[int], str]] = []
        if repeat is not None:
            events.append(
                (
                    "repeat",
                    editors | watchers,
                    f"Repeat of fact-check #{repeat.claim_id} by {speaker} in “{article.title}”",
                )
            )
        elif watchers and candidate.score >= CHECKWORTHY:
            events.append(
                (
                    "watched_speaker",
                    watchers,
                    f"New check-worthy statement by {speaker} in “{article.title}”",
                )
            )
        for event, users, message in events:
            here = f"{link}#candidate-{candidate.id}"
            for user_id in sorted(users):
                if not _already_notified(user_id, here):
                    notify(
                        user_id,
                        message,
                        claim_id=repeat.claim_id if repeat else None,
                        link=here,
                    )
                    sent += 1
            _queue_webhook(event, article, candidate, repeat, here)
    db.session.commit()
    return sent


def _already_notified(user_id: int, link: str) -> bool:
    return (
        db.session.scalar(
            select(Notification.id).where(
                Notification.user_id == user_id, Notification.link == link
            )
        )
        is not None
    )


def _queue_webhook(
    event: str,
    article: Article,
    candidate: ImportCandidate,
    repeat: CandidateMatch | None,
    link: str,
) -> None:
    target = get_settings().webhook_url
    if not target:
        return
    base = get_settings().organization_url
    payload = {
        "event": event,
        "text": candidate.text,
        "speaker": candidate.speaker_name,
        "score": round(candidate.score, 3),
        "article": {"id": article.id, "title": article.title, "url": article.url},
        "repeat_of": (
            {"claim_id": repeat.claim_id, "score": round(repeat.score, 3)} if repeat else None
        ),
        "link": urljoin(base, link),
    }
    db.session.commit()
    jobs.submit(
        "webhook",
        key=f"{event}:{candidate.id}",
        label=f"Webhook: {event} in “{article.title}”"[:300],
        params={"url": target, "payload": payload},
    )


def webhook_secret() -> bytes:
    configured = current_app.config.get("WEBHOOK_SECRET")
    if configured:
        return str(configured).encode()
    # Derived from SECRET_KEY so every server signs alike without another setting.
    return hmac.new(
        str(current_app.config["SECRET_KEY"]).encode(), b"factcheck-webhook", hashlib.sha256
    ).digest()


def sign(body: bytes, timestamp: str) -> str:
    digest = hmac.new(webhook_secret(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def run_webhook(job: Job) -> dict[str, Any]:
    """The job: POST the alert as JSON, signed; a refused or failed delivery is retried."""
    body = json.dumps(job.params["payload"], ensure_ascii=False, sort_keys=True).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310  (an admin's http(s) setting)
        job.params["url"],
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "factcheck-monitor/1.0",
            "X-Factcheck-Event": job.params["payload"]["event"],
            "X-Factcheck-Timestamp": timestamp,
            "X-Factcheck-Signature": sign(body, timestamp),
        },
    )
    opener = urllib.request.build_opener(_NoRedirects)
    timeout = float(current_app.config.get("IMPORT_FETCH_TIMEOUT", 10))
    try:
        with opener.open(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        raise jobs.RetryLater(f"The webhook answered {exc.code} {exc.reason}.") from None
    except (urllib.error.URLError, TimeoutError) as exc:
        raise jobs.RetryLater(f"The webhook could not be reached: {exc}.") from None
    return {"status": status}


# --- the monitor page --------------------------------------------------------------


@dataclass
class MonitorFilter:
    speaker: str = ""
    source: str = ""
    min_score: float = 0.0
    repeats_only: bool = False
    watched_only: bool = False
    limit: int = 50


@dataclass
class MonitorRow:
    candidate: ImportCandidate
    article: Article
    matches: list[CandidateMatch]

    @property
    def repeat(self) -> CandidateMatch | None:
        return next((m for m in self.matches if m.match == "same" and m.published), None)


def monitor_candidates(user: User, wanted: MonitorFilter) -> list[MonitorRow]:
    """Pending candidates from the newest imports, best first (three statements)."""
    query: Select[Any] = (
        select(ImportCandidate)
        .join(Article, Article.id == ImportCandidate.article_id)
        .where(ImportCandidate.state == "pending", ImportCandidate.score >= wanted.min_score)
        .options(joinedload(ImportCandidate.article).joinedload(Article.source))
        .order_by(ImportCandidate.score.desc(), ImportCandidate.id.desc())
        .limit(wanted.limit)
    )
    newest = select(Article.id).order_by(Article.id.desc()).limit(500).scalar_subquery()
    query = query.where(Article.id.in_(newest))
    if wanted.speaker:
        query = query.where(
            func.lower(ImportCandidate.speaker_name).contains(
                wanted.speaker.lower(), autoescape=True
            )
        )
    if wanted.source:
        from ..models import Source

        query = query.join(Source, Source.id == Article.source_id).where(
            Source.slug == wanted.source
        )
    if wanted.repeats_only:
        query = query.where(
            select(CandidateMatch.id)
            .where(
                CandidateMatch.candidate_id == ImportCandidate.id,
                CandidateMatch.match == "same",
                CandidateMatch.published.is_(True),
            )
            .exists()
        )
    if wanted.watched_only:
        names = list(_watched_names(user.id))
        if not names:
            return []
        candidates = list(db.session.scalars(query.limit(wanted.limit * 10)))
        candidates = [c for c in candidates if normalize_name(c.speaker_name or "") in names][
            : wanted.limit
        ]
    else:
        candidates = list(db.session.scalars(query))
    matches: dict[int, list[CandidateMatch]] = {}
    if candidates:
        for match in db.session.scalars(
            select(CandidateMatch)
            .where(CandidateMatch.candidate_id.in_([c.id for c in candidates]))
            .order_by(CandidateMatch.published.desc(), CandidateMatch.score.desc())
        ):
            matches.setdefault(match.candidate_id, []).append(match)
    return [MonitorRow(c, c.article, matches.get(c.id, [])) for c in candidates]
