"""Background jobs: queue one, run it, retry it with backoff, and say what became of it.

A job row is the truth the desk reads; Huey only carries the job's id to a
worker. Running a job first claims its row (queued -> running in one UPDATE),
so a message delivered twice, or read by two workers, runs the work once, and
the work itself is idempotent (an article is recognised by its URL).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import os
import socket
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from ..errors import DomainError
from ..extensions import db
from ..models import Job, User
from ..models.base import utcnow
from .fetching import FetchFailed

log = logging.getLogger(__name__)
WORKER = f"{socket.gethostname()}:{os.getpid()}"
Handler = Callable[[Job], dict[str, Any]]
_inline: contextvars.ContextVar[bool] = contextvars.ContextVar("jobs_inline", default=False)


class RetryLater(Exception):
    """A handler's way to say the work may succeed later (the message is the reason)."""


def handlers() -> dict[str, Handler]:
    """What runs each kind of job. A new kind is one line here."""
    from . import embeddings, external, feeds, monitor

    return {
        "import_url": monitor.run_import_url,
        "poll_feed": feeds.run_poll,
        "reindex": monitor.run_reindex,
        "webhook": monitor.run_webhook,
        "claimreview_ingest": external.run_job,
        "embed_claims": embeddings.run_job,
    }


@contextlib.contextmanager
def inline() -> Iterator[None]:
    """Run the jobs queued inside this block right here (the CLI's `feeds poll`)."""
    token = _inline.set(True)
    try:
        yield
    finally:
        _inline.reset(token)


def submit(
    kind: str,
    *,
    label: str,
    params: dict[str, Any],
    key: str | None = None,
    actor: User | None = None,
) -> Job:
    """Queue a job, or return the same work already queued or running (same kind and key)."""
    if kind not in handlers():
        raise ValueError(f"unknown job kind {kind!r}")
    if key is not None:
        pending = db.session.scalars(
            select(Job)
            .where(Job.kind == kind, Job.key == key, Job.state.in_(("queued", "running")))
            .order_by(Job.id)
            .limit(1)
        ).first()
        if pending is not None:
            return pending
    job = Job(
        kind=kind,
        key=key,
        label=label[:300],
        params=params,
        state="queued",
        attempts=0,
        max_attempts=int(current_app.config.get("JOB_MAX_ATTEMPTS", 3)),
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(job)
    db.session.commit()
    dispatch(job.id)
    return job


def dispatch(job_id: int, delay: float | None = None) -> None:
    """Hand the job to the queue (or run it here, inside ``inline()``)."""
    if _inline.get():
        while (retry := execute(job_id)) is not None:
            log.info("job %s: retrying at once (inline), not after %.0f s", job_id, retry)
        return
    from ..jobs.tasks import run_job

    if delay:
        run_job.schedule((job_id,), delay=delay)
    else:
        run_job(job_id)


def backoff(attempt: int) -> float:
    """Seconds to wait after the given failed attempt: base, 4 x base, 16 x base..."""
    base = float(current_app.config.get("JOB_RETRY_BASE_SECONDS", 30))
    return float(base * 4 ** max(0, attempt - 1))


def execute(job_id: int) -> float | None:
    """Run one attempt of a queued job; the delay before the next attempt, or None."""
    now = utcnow()
    claimed = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == "queued", Job.attempts < Job.max_attempts)
        .values(
            state="running",
            attempts=Job.attempts + 1,
            started_at=now,
            retry_at=None,
            worker=WORKER[:100],
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None  # finished already, or another worker has it
    job = db.session.get(Job, job_id)
    assert job is not None
    try:
        result = handlers()[job.kind](job)
    except Exception as exc:  # every failure is recorded on the job, never lost
        db.session.rollback()
        return _failed(job_id, exc)
    job.state, job.result, job.finished_at = "done", result, utcnow()
    job.error = None
    db.session.commit()
    return None


def _failed(job_id: int, exc: Exception) -> float | None:
    reason = describe(exc)
    if not isinstance(exc, DomainError | RetryLater):
        log.exception("job %s failed", job_id, exc_info=exc)
    job = db.session.get(Job, job_id)
    assert job is not None
    if is_transient(exc) and job.attempts < job.max_attempts:
        delay = backoff(job.attempts)
        job.state = "queued"
        job.error = f"Attempt {job.attempts} of {job.max_attempts} failed: {reason}"
        job.retry_at = utcnow() + timedelta(seconds=delay)
        db.session.commit()
        return delay
    job.state, job.error, job.finished_at = "failed", reason, utcnow()
    db.session.commit()
    if job.kind == "import_url":
        from .monitor import mark_item_failed

        mark_item_failed(job)
    return None


def is_transient(exc: Exception) -> bool:
    """Whether trying again may help: a timeout, a 5xx, a lost race; never a refusal."""
    if isinstance(exc, FetchFailed):
        return exc.transient
    if isinstance(exc, DomainError):
        return False
    # A lost race (IntegrityError), a locked or lost database, a network error, or a bug:
    # retried a bounded number of times, then shown as failed with its reason.
    return True


def describe(exc: Exception) -> str:
    if isinstance(exc, DomainError):
        return exc.message
    if isinstance(exc, RetryLater):
        return str(exc)
    return f"Unexpected error ({type(exc).__name__}): {str(exc)[:300]}"


def set_progress(job: Job, text: str) -> None:
    """What the desk shows while the job runs (committed with the work done so far)."""
    job.progress = text[:300]
    db.session.commit()


def release_stale(minutes: int) -> int:
    """Jobs left running by a worker that died: queued again, or failed after the last try."""
    limit = utcnow() - timedelta(minutes=minutes)
    stale = list(
        db.session.scalars(select(Job).where(Job.state == "running", Job.started_at < limit))
    )
    for job in stale:
        if job.attempts < job.max_attempts:
            job.state, job.error = "queued", "The worker stopped while running it; queued again."
        else:
            job.state, job.finished_at = "failed", utcnow()
            job.error = "The worker stopped while running it, on the last attempt."
    db.session.commit()
    for job in stale:
        if job.state == "queued":
            dispatch(job.id)
    return len(stale)


def recent(limit: int = 50, *, kind: str | None = None, state: str | None = None) -> list[Job]:
    query = select(Job).order_by(Job.id.desc()).limit(limit)
    if kind:
        query = query.where(Job.kind == kind)
    if state:
        query = query.where(Job.state == state)
    return list(db.session.scalars(query))


def counts() -> dict[str, int]:
    from sqlalchemy import func

    rows = db.session.execute(select(Job.state, func.count(Job.id)).group_by(Job.state)).all()
    return {state: n for state, n in rows}
