"""Caching of public pages, invalidated by a "public generation" counter.

Every cache key of a public page or fragment carries the current generation,
a number kept in the cache itself (Redis when ``REDIS_URL`` is set, so every
app server shares it). Any committed change that can show on a public page
(a claim published, corrected, edited or withdrawn; a verdict, evidence,
speaker, source, article, tag, rating or the site settings changed) bumps the
generation, and every earlier entry is simply never asked for again: it
expires on its own (``PUBLIC_CACHE_TIMEOUT``: 300 s with Redis, 30 s with
a per-process cache). Bulk writes that bypass the
ORM session (``factcheck demo generate``) must call :func:`bump` themselves.

Only anonymous requests (no session user, no API token) without a pending
flash message read or fill the page cache; signed-in pages are never cached.
The API's public reads (a claim, a list page) use it too. Fragments (a speaker's ratings
breakdown, the filter menus) hold public data only and are shared by everyone.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Response, current_app, g, has_app_context, make_response, request, session
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..extensions import cache
from ..models import (
    Article,
    Claim,
    Evidence,
    Rating,
    SiteSettings,
    SlugRedirect,
    Source,
    Speaker,
    SpeakerAlias,
    Tag,
    Verdict,
)

GENERATION_KEY = "public:generation"
_CHANGED = "public_changed"
_ALWAYS_PUBLIC = (
    Verdict,
    Evidence,
    Speaker,
    SpeakerAlias,
    SlugRedirect,
    Source,
    Article,
    Tag,
    Rating,
    SiteSettings,
)
T = TypeVar("T")


def _timeout() -> int:
    """Seconds a page or fragment stays cached (its generation usually retires it first).

    Without Redis each worker process has its own cache and sees only its own
    bumps: there, entries live 30 s, so another worker's publication shows soon.
    """
    configured = current_app.config.get("PUBLIC_CACHE_TIMEOUT")
    if configured is not None:
        return int(configured)
    return 300 if current_app.config.get("CACHE_TYPE") == "RedisCache" else 30


def generation() -> int:
    """The current public generation (read once per request)."""
    if "public_generation" in g:
        return int(g.public_generation)
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A missing counter (first start, or evicted) restarts from the clock, so
        # keys made under an earlier generation can never be met again.
        cache.add(GENERATION_KEY, int(time.time() * 1000), timeout=0)
        value = cache.get(GENERATION_KEY) or 0
    g.public_generation = int(value)
    return int(value)


def bump() -> None:
    """Invalidate every cached public page and fragment, on every app server."""
    if cache.get(GENERATION_KEY) is None:
        cache.add(GENERATION_KEY, int(time.time() * 1000), timeout=0)
    cache.cache.inc(GENERATION_KEY)
    g.pop("public_generation", None)


def remember(name: str, compute: Callable[[], T]) -> T:
    """A public fragment, computed once per generation (and per ``name``)."""
    key = f"public:{generation()}:fragment:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=_timeout())
    return value  # type: ignore[no-any-return]


def _page_cacheable() -> bool:
    return (
        request.method == "GET"
        and "Authorization" not in request.headers  # an API token: maybe staff
        and not current_user.is_authenticated
        and "_flashes" not in session
        and current_app.config.get("PUBLIC_PAGE_CACHE", True)
    )


def cached_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve a public view's 200 answer from the cache to anonymous readers."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not _page_cacheable():
            return view(*args, **kwargs)
        address = hashlib.sha256(request.url.encode("utf-8", "surrogatepass")).hexdigest()
        key = f"public:{generation()}:page:{address}"
        hit = cache.get(key)
        if hit is not None:
            body, mimetype, etag = hit
            cached = Response(body, mimetype=mimetype)
            if etag:
                cached.headers["ETag"] = etag
            return cached
        response = make_response(view(*args, **kwargs))
        if response.status_code == 200 and not response.direct_passthrough:
            entry = (response.get_data(), response.mimetype, response.headers.get("ETag"))
            cache.set(key, entry, timeout=_timeout())
        return response

    return wrapper


# --- invalidation: any committed change that can show on a public page -------


def _affects_public(obj: object) -> bool:
    if isinstance(obj, Claim):
        if obj.published_verdict_id is not None:
            return True
        from sqlalchemy import inspect

        before: Any = inspect(obj).attrs.published_verdict_id.history.deleted
        return any(value is not None for value in before or ())
    return isinstance(obj, _ALWAYS_PUBLIC)


def _collect(session: Session, flush_context: Any, instances: Any) -> None:
    # A flag left by a rolled-back transaction only costs one extra bump later.
    if session.info.get(_CHANGED):
        return
    for obj in (*session.new, *session.dirty, *session.deleted):
        if _affects_public(obj):
            session.info[_CHANGED] = True
            return


def _after_commit(session: Session) -> None:
    if session.info.pop(_CHANGED, False) and has_app_context():
        bump()


def install() -> None:
    """Listen on Flask-SQLAlchemy's session class (once, however many apps are built)."""
    from flask_sqlalchemy.session import Session as FlaskSession

    if not event.contains(FlaskSession, "after_commit", _after_commit):
        event.listen(FlaskSession, "before_flush", _collect)
        event.listen(FlaskSession, "after_commit", _after_commit)
