"""`factcheck claimreview ingest PATH_OR_URL`: other organisations' fact-checks into the archive."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from .common import fail


@click.group("claimreview")
def claimreview_cli() -> None:
    """The wider archive: ClaimReview published by other fact-checkers."""


@claimreview_cli.command("ingest")
@click.argument("source")
@click.option(
    "--queue",
    is_flag=True,
    help="Queue it as a job for the worker (factcheck worker) and print the job's number.",
)
@with_appcontext
def ingest(source: str, queue: bool) -> None:
    """Load a DataFeed JSON, a JSON-LD file or an HTML page carrying ClaimReview (path, URL or -)."""
    from ..services import external

    if queue:
        _queue(source)
        return
    if source.startswith(("http://", "https://")):
        data, content_type, base = external.fetch_source(source)
    elif source == "-":
        data, content_type, base = sys.stdin.buffer.read(external.max_bytes() + 1), None, ""
    else:
        path = Path(source)
        if not path.is_file():
            fail(f"There is no file {source!r} (give a path, an http(s) URL or -).")
        if path.stat().st_size > external.max_bytes():
            fail(
                f"The file is larger than the {external.max_bytes():,} byte limit; split the feed."
            )
        data = path.read_bytes()
        html = path.suffix.lower() in (".html", ".htm")
        content_type, base = ("text/html" if html else None), path.resolve().as_uri()
    reviews = external.parse(data, content_type=content_type, base_url=base)
    report = external.ingest(reviews)
    click.echo(
        f"Ingested {report.total} ClaimReview{'s' if report.total != 1 else ''}: "
        f"{report.added} new, {report.updated} updated."
    )


def _queue(source: str) -> None:
    from ..services import external

    if source.startswith(("http://", "https://")):
        job = external.queue_ingest(None, url=source)
    else:
        path = Path(source)
        if source == "-" or not path.is_file():
            fail(f"There is no file {source!r} (give a path or an http(s) URL with --queue).")
        if path.stat().st_size > external.max_bytes():
            fail(
                f"The file is larger than the {external.max_bytes():,} byte limit; split the feed."
            )
        job = external.queue_ingest(None, data=path.read_bytes(), filename=path.name)
    click.echo(f"Queued as job #{job.id} ({job.state}); the desk shows it at /desk/jobs/{job.id}.")
