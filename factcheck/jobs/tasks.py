"""What the workers run: one task that runs a job by id, and the periodic feed poll."""

from __future__ import annotations

from huey import crontab

from .queue import bound_app, huey


@huey.task()
def run_job(job_id: int) -> None:
    from ..services import jobs

    with bound_app().app_context():
        delay = jobs.execute(job_id)
        if delay is not None:
            jobs.dispatch(job_id, delay=delay)


@huey.periodic_task(crontab(minute="*"))
def poll_due_feeds() -> None:
    """Every minute: queue a poll of each feed whose interval has passed."""
    from ..services import embeddings, feeds, jobs

    with bound_app().app_context():
        feeds.queue_due_polls()
        embeddings.queue_refresh_if_behind()  # claims saved without one (semantic backend)
        jobs.release_stale(int(bound_app().config.get("JOB_STALE_MINUTES", 60)))
