"""`factcheck feeds add URL --source S`, `feeds list`, `feeds poll`: watched outlets."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

feeds_cli = click.Group("feeds", help="Watch outlets' RSS or Atom feeds for new articles.")


@feeds_cli.command("add")
@click.argument("url")
@click.option("--source", "source_name", required=True, help="The outlet (found or created).")
@click.option("--interval", default=30, show_default=True, type=int, help="Minutes between polls.")
@with_appcontext
def add(url: str, source_name: str, interval: int) -> None:
    """Watch a feed; a running worker polls it at once and then every INTERVAL minutes."""
    from ..services import feeds

    feed = feeds.add_feed(None, url, source_name, interval_minutes=interval)
    job = feeds.queue_poll(feed)
    click.echo(
        f"Watching feed #{feed.id}: {feed.url} (source {feed.source.name}, "
        f"every {feed.interval_minutes} minutes); first poll queued as job #{job.id}."
    )


@feeds_cli.command("list")
@with_appcontext
def list_feeds() -> None:
    """Every watched feed with its last result or error."""
    from ..services import feeds

    rows = feeds.all_feeds()
    if not rows:
        click.echo("No feeds are watched. Add one with `factcheck feeds add URL --source S`.")
        return
    for feed in rows:
        state = "active" if feed.active else "paused"
        polled = (
            feed.last_polled_at.strftime("%Y-%m-%d %H:%M UTC") if feed.last_polled_at else "never"
        )
        click.echo(
            f"#{feed.id}  {state}  every {feed.interval_minutes} min  {feed.url}  "
            f"({feed.source.name})"
        )
        click.echo(f"    last poll: {polled}; {feed.last_result or 'no result yet'}")
        if feed.last_error:
            click.echo(f"    error ({feed.error_count} in a row): {feed.last_error}")


@feeds_cli.command("poll")
@with_appcontext
def poll() -> None:
    """Fetch every due feed once, here, and import the new articles."""
    from ..extensions import db
    from ..models import Job
    from ..services import feeds, jobs

    with jobs.inline():
        polled = feeds.queue_due_polls()
    if not polled:
        click.echo("No feed is due.")
        return
    failed = 0
    for job in polled:
        job = db.session.get(Job, job.id) or job
        db.session.refresh(job)
        if job.state == "done":
            result = job.result or {}
            note = "not modified" if result.get("not_modified") else f"{result.get('new', 0)} new"
            click.echo(f"{job.label}: {note}")
        else:
            failed += 1
            click.echo(f"{job.label}: failed: {job.error}")
    click.echo(f"Polled {len(polled)} feed(s), {failed} failed.")
