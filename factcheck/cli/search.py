"""`factcheck search reindex`: rebuild the full-text index from the published claims."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

search_cli = click.Group("search", help="The full-text search index.")


@search_cli.command("reindex")
@with_appcontext
def reindex() -> None:
    """Rebuild the index: every published claim, nothing else."""
    from ..extensions import db
    from ..models import Claim
    from ..search import backend_for

    conn = db.session.connection()
    backend = backend_for(conn)
    backend.reindex(conn)
    count = db.session.scalar(
        select(func.count(Claim.id)).where(Claim.published_verdict_id.is_not(None))
    )
    db.session.commit()
    click.echo(f"Indexed {count} published claim{'s' if count != 1 else ''} ({backend.name}).")
