"""`factcheck export claimreview`, `factcheck backup PATH` and `factcheck restore PATH`."""

from __future__ import annotations

import json
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db
from .common import fail

export_cli = click.Group("export", help="Exports for other systems.")


@export_cli.command("claimreview")
@click.option(
    "--base-url",
    default=None,
    help="The public site's address for claim URLs (default: SITE_URL, else the "
    "organisation URL in the site settings).",
)
@with_appcontext
def export_claimreview(base_url: str | None) -> None:
    """Print the schema.org ClaimReview DataFeed of every published fact-check."""
    from ..services.claimreview import claimreview_feed, published_claims_query
    from ..services.settings import get_settings

    base = base_url or current_app.config.get("SITE_URL") or get_settings().organization_url
    claims = db.session.scalars(published_claims_query()).unique().all()
    feed = claimreview_feed(claims, base.rstrip("/"))
    click.echo(json.dumps(feed, ensure_ascii=False, indent=2))


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup(path: str) -> None:
    """Write a complete, portable dump of the database to PATH (.gz to compress)."""
    from ..services.backup import backup_to_path

    summary = backup_to_path(db.engine, path, _signing_key())
    click.echo(
        f"Backed up {summary.total} rows from {len(summary.rows)} tables "
        f"(schema revision {summary.schema_revision}) to {path}."
    )


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option(
    "--trust-unsigned",
    is_flag=True,
    help="Restore a dump that is not signed with this installation's key (read it first: "
    "whoever edited it chose the accounts and passwords it creates).",
)
@click.option("--yes", is_flag=True, help="Do not ask before restoring (for scripts).")
@with_appcontext
def restore(path: str, trust_unsigned: bool, yes: bool) -> None:
    """Load a backup into this EMPTY database (run `factcheck db upgrade` first)."""
    from ..services.backup import Summary, restore_from_path

    interactive = sys.stdin.isatty()
    if not yes and not interactive:
        fail(
            "Restore asks for confirmation and there is no terminal to ask on; "
            "pass --yes to restore from a script. Nothing was changed."
        )

    def confirm(summary: Summary) -> bool:
        if not summary.signed:
            click.echo("Warning: this dump is NOT signed by this installation (--trust-unsigned).")
        if summary.admins:
            click.echo(f"The restore creates {len(summary.admins)} account(s) with the admin role:")
            for email, name in summary.admins:
                click.echo(f"  {email}  ({name})")
        else:
            click.echo("The restore creates no account with the admin role.")
        return yes or click.confirm("Restore this backup?", default=False)

    summary = restore_from_path(
        db.engine,
        path,
        _signing_key(),
        trust_unsigned=trust_unsigned,
        confirm=confirm,
    )
    click.echo(
        f"Restored {summary.total} rows into {len(summary.rows)} tables "
        f"(schema revision {summary.schema_revision}); the search index was rebuilt. "
        "Everyone signs in again (all sessions were replaced); API tokens are not in "
        "backups: create new ones."
    )


def _signing_key() -> bytes:
    from ..services.backup import signing_key

    config = current_app.config
    return signing_key(str(config.get("BACKUP_SIGNING_KEY") or config["SECRET_KEY"]))
