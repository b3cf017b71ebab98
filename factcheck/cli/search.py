"""`factcheck search reindex`: rebuild the full-text index from the published claims."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

search_cli = click.Group("search", help="The full-text search index.")


@search_cli.command("reindex")
@click.option("--background", is_flag=True, help="Queue it as a job for the worker instead.")
@with_appcontext
def reindex(background: bool) -> None:
    """Rebuild the index: every published claim, nothing else."""
    if background:
        from ..services import jobs

        job = jobs.submit("reindex", key="reindex", label="Rebuild the search index", params={})
        click.echo(f"Queued as job #{job.id} ({job.state}); the desk shows it at /desk/jobs.")
        return
    from ..search import rebuild_index

    count, backend = rebuild_index()
    click.echo(f"Indexed {count} published claim{'s' if count != 1 else ''} ({backend}).")
