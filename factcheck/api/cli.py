"""Commands for API tokens, exports, backup and restore (`factcheck tokens|export|...`)."""

from __future__ import annotations

import json
import sys
from typing import NoReturn

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from ..errors import DomainError
from ..extensions import db

tokens_cli = click.Group("tokens", help="API tokens.")
export_cli = click.Group("export", help="Exports for other systems.")


def fail(error: DomainError | str) -> NoReturn:
    message = error.message if isinstance(error, DomainError) else error
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@tokens_cli.command("create")
@click.option("--email", required=True, help="The account the token acts as.")
@click.option("--name", required=True, help="What the token is for, e.g. 'newsroom bot'.")
@with_appcontext
def tokens_create(email: str, name: str) -> None:
    """Create an API token; the token is the last word printed (shown once)."""
    from ..services import accounts

    try:
        user = accounts.find_user_by_email(accounts.normalize_email(email))
    except DomainError as exc:
        fail(exc)
    if user is None:
        fail(
            f"There is no account with the email {email}. Create it with `factcheck users create`."
        )
    if not user.active:
        fail(f"The account {user.email} is deactivated; reactivate it before giving it a token.")
    try:
        issued = accounts.create_api_token(user, user, name)
    except DomainError as exc:
        fail(exc)
    click.echo(f"Created API token “{issued.row.name}” for {user.email} ({user.role}).")
    click.echo("It is shown only this once; send it as 'Authorization: Bearer <token>'.")
    click.echo(issued.secret)


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

    try:
        summary = backup_to_path(db.engine, path)
    except DomainError as exc:
        fail(exc)
    click.echo(
        f"Backed up {summary.total} rows from {len(summary.rows)} tables "
        f"(schema revision {summary.schema_revision}) to {path}."
    )


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def restore(path: str) -> None:
    """Load a backup into this EMPTY database (run `factcheck db upgrade` first)."""
    from ..services.backup import restore_from_path

    try:
        summary = restore_from_path(db.engine, path)
    except DomainError as exc:
        fail(exc)
    click.echo(
        f"Restored {summary.total} rows into {len(summary.rows)} tables "
        f"(schema revision {summary.schema_revision}); the search index was rebuilt."
    )


def register(app: Flask) -> None:
    for command in (tokens_cli, export_cli, backup, restore):
        app.cli.add_command(command)
