"""`factcheck search reindex` and `search reembed`: rebuild the full-text index, the embeddings."""

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


@search_cli.command("reembed")
@click.option("--background", is_flag=True, help="Queue it as a job for the worker instead.")
@click.option("--missing", is_flag=True, help="Only claims without a current embedding.")
@with_appcontext
def reembed(background: bool, missing: bool) -> None:
    """Make every claim's embedding again with MATCHING_MODEL (semantic matching)."""
    from ..extraction.semantic import ModelUnavailable
    from ..services import embeddings, jobs
    from .common import fail

    if not embeddings.enabled():
        fail("MATCHING_MODEL is not set: matching is lexical, there is nothing to embed.")
    try:
        embeddings.encoder()
    except ModelUnavailable as exc:
        fail(str(exc))
    if background:
        job = jobs.submit(
            "embed_claims",
            key="embed_claims_all" if not missing else "embed_claims",
            label="Embed every claim again" if not missing else "Embed new and changed claims",
            params={"all": not missing},
        )
        click.echo(f"Queued as job #{job.id} ({job.state}); the desk shows it at /desk/jobs.")
        return
    count = embeddings.embed_pending() if missing else embeddings.reembed_all()
    status = embeddings.status()
    click.echo(
        f"Embedded {count} claim{'s' if count != 1 else ''} with {status['model']} "
        f"({status['embedded']} of {status['claims']} claims have an embedding)."
    )
