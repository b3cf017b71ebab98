"""`factcheck tokens create`: an API token for an account."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from .common import fail

tokens_cli = click.Group("tokens", help="API tokens.")


@tokens_cli.command("create")
@click.option("--email", required=True, help="The account the token acts as.")
@click.option("--name", required=True, help="What the token is for, e.g. 'newsroom bot'.")
@with_appcontext
def tokens_create(email: str, name: str) -> None:
    """Create an API token; the token is the last word printed (shown once)."""
    from ..services import accounts

    user = accounts.find_user_by_email(accounts.normalize_email(email))
    if user is None:
        fail(
            f"There is no account with the email {email}. Create it with `factcheck users create`."
        )
    if not user.active:
        fail(f"The account {user.email} is deactivated; reactivate it before giving it a token.")
    issued = accounts.create_api_token(user, user, name, operator=True)
    expires = issued.row.expires_at
    until = f"valid until {expires:%Y-%m-%d %H:%M} UTC" if expires else "no expiry"
    click.echo(f"Created API token “{issued.row.name}” for {user.email} ({user.role}), {until}.")
    click.echo("It is shown only this once; send it as 'Authorization: Bearer <token>'.")
    click.echo(issued.secret)
