"""Watched feeds: add, pause, poll politely, and queue an import for each new item.

Polite polling: a conditional GET (ETag / Last-Modified), the feed's own
interval, one global rate limit for every fetch the monitor makes, and the
article import's address checks and size limit (the same fetcher). A feed that
fails records its error on its own row; each feed is its own job, so a broken
or hostile feed never stops the others.
"""

from __future__ import annotations

import hashlib
import io
import re
import time
import xml.sax
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload

from ..errors import ValidationFailed, tr
from ..extensions import db
from ..models import Feed, FeedItem, Job, User
from ..models.base import utcnow
from ..policy import Perm, require
from . import audit, catalog, jobs
from .fetching import Fetched, fetch
from .locking import guarded

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/x-rss+xml",
    "text/plain",  # some servers send feeds as plain text
)
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9"
INTERVAL_RANGE = (5, 1440)
# An entity declaration in a feed is never needed and is how "billion laughs" starts.
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)


class FeedError(ValidationFailed):
    """The feed was fetched but is not one we can read."""


# --- fetching politely -------------------------------------------------------


def _limiter() -> tuple[Any, Any]:
    from limits import parse, storage, strategies

    state = current_app.extensions.get("monitor_rate_limit")
    if state is None:
        store = storage.storage_from_string(
            current_app.config.get("RATELIMIT_STORAGE_URI", "memory://")
        )
        state = (
            strategies.MovingWindowRateLimiter(store),
            parse(current_app.config.get("MONITOR_FETCH_RATE", "60/minute")),
        )
        current_app.extensions["monitor_rate_limit"] = state
    return state


def polite_fetch(url: str, **options: Any) -> Fetched:
    """Every fetch the monitor makes: the global rate limit, then the import's fetcher."""
    limiter, item = _limiter()
    deadline = time.monotonic() + float(current_app.config.get("MONITOR_RATE_WAIT", 30))
    while not limiter.hit(item, "factcheck-monitor-fetch"):
        if time.monotonic() > deadline:
            raise jobs.RetryLater("The monitor's fetch rate limit is reached; trying later.")
        time.sleep(0.2)
    return fetch(url, **options)


# --- the watch list of feeds --------------------------------------------------


@guarded("This feed")
def add_feed(actor: User | None, url: str, source_name: str, *, interval_minutes: int = 30) -> Feed:
    if actor is not None:
        require(actor, Perm.IMPORT_ARTICLE)
    clean = catalog.check_url(url, "url")
    if clean is None:
        raise ValidationFailed(tr("Give the feed's web address."), fields={"url": tr("Required.")})
    if not (source_name or "").strip():
        raise ValidationFailed(
            tr("Name the outlet the feed belongs to."), fields={"source": tr("Give the source.")}
        )
    _check_interval(interval_minutes)
    if db.session.scalar(select(Feed.id).where(Feed.url == clean)) is not None:
        raise ValidationFailed(
            tr("That feed is already watched."), fields={"url": tr("Already watched.")}
        )
    source = catalog.find_or_create_source(actor, source_name)
    feed = Feed(
        url=clean,
        source=source,
        active=True,
        interval_minutes=interval_minutes,
        next_poll_at=utcnow(),
        error_count=0,
        items_seen=0,
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(feed)
    db.session.flush()
    audit.record(actor, "feed.add", "feed", feed.id, after={"url": clean, "source": source.name})
    db.session.commit()
    return feed


def _check_interval(minutes: Any) -> int:
    low, high = INTERVAL_RANGE
    if not isinstance(minutes, int) or not low <= minutes <= high:
        raise ValidationFailed(
            tr("Poll every %(low)s to %(high)s minutes.", low=low, high=high),
            fields={"interval_minutes": tr("Between %(low)s and %(high)s.", low=low, high=high)},
        )
    return minutes


def update_feed(
    actor: User, feed: Feed, *, active: bool | None = None, interval_minutes: int | None = None
) -> Feed:
    require(actor, Perm.IMPORT_ARTICLE)
    before = {"active": feed.active, "interval_minutes": feed.interval_minutes}
    if interval_minutes is not None:
        feed.interval_minutes = _check_interval(interval_minutes)
    if active is not None:
        feed.active = active
        if active and feed.next_poll_at is None:
            feed.next_poll_at = utcnow()
    after = {"active": feed.active, "interval_minutes": feed.interval_minutes}
    if after != before:
        audit.record(actor, "feed.update", "feed", feed.id, before=before, after=after)
    db.session.commit()
    return feed


def all_feeds() -> list[Feed]:
    return list(db.session.scalars(select(Feed).options(joinedload(Feed.source)).order_by(Feed.id)))


# --- polling -------------------------------------------------------------------


def queue_poll(feed: Feed, actor: User | None = None) -> Job:
    """Poll this feed now, whatever its interval (the desk's "poll now", a new feed)."""
    return jobs.submit(
        "poll_feed",
        key=f"feed:{feed.id}",
        label=f"Poll {feed.title or feed.url}"[:300],
        params={"feed_id": feed.id},
        actor=actor,
    )


def queue_due_polls() -> list[Job]:
    """A poll job for each active feed whose time has come, claimed so only one worker
    queues it (compare-and-set on ``next_poll_at``)."""
    now = utcnow()
    due = db.session.execute(
        select(Feed.id, Feed.next_poll_at, Feed.interval_minutes)
        .where(Feed.active.is_(True), or_(Feed.next_poll_at.is_(None), Feed.next_poll_at <= now))
        .order_by(Feed.next_poll_at)
    ).all()
    queued = []
    for feed_id, seen, interval in due:
        condition = Feed.next_poll_at.is_(None) if seen is None else Feed.next_poll_at == seen
        claimed = db.session.execute(
            update(Feed)
            .where(Feed.id == feed_id, condition)
            .values(next_poll_at=now + timedelta(minutes=interval))
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            feed = db.session.get(Feed, feed_id)
            assert feed is not None
            queued.append(queue_poll(feed))
    return queued


def run_poll(job: Job) -> dict[str, Any]:
    """The job: fetch the feed, record what it said, queue an import per new item."""
    feed = db.session.get(Feed, job.params["feed_id"])
    if feed is None:
        raise ValidationFailed(tr("That feed is no longer watched."))
    if not feed.active:
        return {"feed_id": feed.id, "skipped": "paused"}
    try:
        new_items, total = _poll(feed)
    except Exception as exc:
        db.session.rollback()
        feed = db.session.get(Feed, job.params["feed_id"])
        assert feed is not None
        _record(feed, "error", error=jobs.describe(exc))
        raise
    if new_items is None:
        _record(feed, "not_modified", result="Not modified since the last poll.")
        return {"feed_id": feed.id, "not_modified": True, "new": 0}
    _record(feed, "ok", result=f"{len(new_items)} new of {total} items.")
    for item in new_items:
        item_job = jobs.submit(
            "import_url",
            key=item.url,
            label=f"Import {item.title or item.url}"[:300],
            params={"url": item.url, "source": feed.source.name, "feed_item_id": item.id},
        )
        if item.job_id is None:
            db.session.execute(
                update(FeedItem)
                .where(FeedItem.id == item.id)
                .values(job_id=item_job.id)
                .execution_options(synchronize_session=False)
            )
            db.session.commit()
    return {"feed_id": feed.id, "new": len(new_items), "items": total}


def _record(
    feed: Feed, status: str, *, result: str | None = None, error: str | None = None
) -> None:
    feed.last_polled_at = utcnow()
    feed.last_status = status
    if error is not None:
        feed.last_error = error[:2000]
        feed.error_count += 1
        feed.last_result = "Failed: " + error[:280]
    else:
        feed.last_error, feed.error_count, feed.last_result = None, 0, result
    if feed.next_poll_at is None or feed.next_poll_at <= utcnow():
        feed.next_poll_at = utcnow() + timedelta(minutes=feed.interval_minutes)
    db.session.commit()


def _poll(feed: Feed) -> tuple[list[FeedItem] | None, int]:
    conditional = {}
    if feed.etag:
        conditional["If-None-Match"] = feed.etag
    if feed.last_modified:
        conditional["If-Modified-Since"] = feed.last_modified
    fetched = polite_fetch(
        feed.url,
        headers=conditional,
        content_types=FEED_TYPES,
        accept=FEED_ACCEPT,
        what="an RSS or Atom feed",
    )
    if fetched.status == 304:
        return None, 0
    entries, title = parse_feed(fetched.body)
    headers = {k.lower(): v for k, v in fetched.headers.items()}
    feed.etag = (headers.get("etag") or "")[:300] or None
    feed.last_modified = (headers.get("last-modified") or "")[:100] or None
    if title and not feed.title:
        feed.title = title[:300]
    limit = int(current_app.config.get("FEED_MAX_ITEMS", 50))
    wanted: dict[str, dict[str, Any]] = {}
    for entry in entries[:limit]:
        wanted.setdefault(entry["guid_hash"], entry)
    seen = set(
        db.session.scalars(
            select(FeedItem.guid_hash).where(
                FeedItem.feed_id == feed.id, FeedItem.guid_hash.in_(list(wanted))
            )
        )
    )
    new_items = []
    for guid_hash, entry in wanted.items():
        if guid_hash in seen:
            continue
        item = FeedItem(
            feed_id=feed.id,
            guid_hash=guid_hash,
            url=entry["url"],
            title=entry["title"],
            state="queued",
        )
        db.session.add(item)
        new_items.append(item)
    feed.items_seen += len(new_items)
    db.session.commit()
    return new_items, len(entries)


def _is_web_address(link: str) -> bool:
    try:
        return catalog.check_url(link, "url") is not None
    except ValidationFailed:
        return False


def parse_feed(body: bytes) -> tuple[list[dict[str, Any]], str | None]:
    """The entries of an RSS (0.9x to 2.0, 1.0) or Atom feed, each with a usable link."""
    import feedparser

    head = body[:65536]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16: look at the characters, not bytes
        head = head.decode("utf-16", "replace").encode("utf-8")
    if _ENTITY_DECLARATION.search(head):
        raise FeedError("The feed declares XML entities; refused (a feed never needs them).")
    parsed = feedparser.parse(io.BytesIO(body), sanitize_html=False, resolve_relative_uris=False)
    problem = parsed.get("bozo_exception")
    if isinstance(problem, xml.sax.SAXParseException):
        # feedparser would guess its way through broken XML; a feed that is not
        # well-formed is reported to the desk instead of half-read.
        raise FeedError(f"The feed is not well-formed XML ({str(problem)[:200]}).")
    if not parsed.get("version"):
        reason = parsed.get("bozo_exception")
        raise FeedError(
            "Not an RSS or Atom feed"
            + (f" ({str(reason)[:200]})." if reason else ": no channel or feed element.")
        )
    entries = []
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        if not _is_web_address(link):
            continue
        guid = (entry.get("id") or link).strip()
        entries.append(
            {
                "guid_hash": hashlib.sha256(guid.encode("utf-8", "replace")).hexdigest(),
                "url": link[:1000],
                "title": (entry.get("title") or "").strip()[:500] or None,
            }
        )
    return entries, (parsed.feed.get("title") or None)
