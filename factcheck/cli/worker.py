"""`factcheck worker`: run the background worker (imports, feed polls, re-indexing)."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext

from .common import fail


@click.command("worker")
@click.option("--threads", default=2, show_default=True, help="Jobs run at the same time.")
@click.option(
    "--no-periodic", is_flag=True, help="Do not queue the feed polls (another worker does)."
)
@with_appcontext
def worker_command(threads: int, no_periodic: bool) -> None:
    """Run jobs from the queue until stopped (Ctrl-C finishes the running jobs first)."""
    from ..jobs import queue

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("JOBS_IMMEDIATE"):
        fail("JOBS_IMMEDIATE is set: jobs run where they are queued, there is nothing to do.")
    if threads < 1:
        fail("--threads must be at least 1.")
    queue.init_app(app)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    click.echo(f"Worker: {threads} thread(s), queue in {queue.storage_description(app)}.")
    consumer = queue.huey.create_consumer(
        workers=threads,
        worker_type="thread",
        periodic=not no_periodic,
        initial_delay=0.1,
        backoff=1.15,
        max_delay=1.0,
        check_worker_health=True,
    )
    consumer.run()
