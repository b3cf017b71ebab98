"""`factcheck users ...`: accounts from the command line."""

from __future__ import annotations

import secrets
import sys

import click
from flask.cli import with_appcontext

from ..errors import ntr
from .common import fail

users_cli = click.Group("users", help="Manage accounts.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, help="fact_checker, editor or admin")
@click.option("--password", default=None, help="Prompted for when omitted (or generated).")
@click.option("--generate", is_flag=True, help="Generate a password instead of prompting.")
@with_appcontext
def users_create(email: str, name: str, role: str, password: str | None, generate: bool) -> None:
    """Create an account."""
    from ..services import accounts

    accounts.parse_role(role)
    if accounts.find_user_by_email(accounts.normalize_email(email)):
        fail(f"An account with the email {email} already exists.")
    generated = False
    if password is None:
        if generate or not sys.stdin.isatty():
            password = secrets.token_urlsafe(15)
            generated = True
        else:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = accounts.create_user(None, email=email, name=name, role=role, password=password)
    click.echo(f"Created {user.role} {user.name} <{user.email}> (id {user.id}).")
    if generated:
        click.echo(f"Generated password (shown once): {password}")


def has_terminal() -> bool:
    return sys.stdin.isatty()


@users_cli.command("set-password")
@click.option("--email", required=True, help="The account's email.")
@click.option(
    "--generate",
    is_flag=True,
    help="Generate a password and print it (the way without a terminal).",
)
@with_appcontext
def users_set_password(email: str, generate: bool) -> None:
    """Set a new password for an account (a lost demo password, a locked-out admin).

    Prompts twice at a terminal; with --generate, or without a terminal, a password is
    generated and printed once. The account's sessions and API tokens end.
    """
    from ..services import accounts

    if generate:
        password = secrets.token_urlsafe(15)
    elif has_terminal():
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    else:
        fail("No terminal to ask for the password: add --generate to have one generated.")
    user, revoked = accounts.set_password_from_command_line(email, password)
    click.echo(f"New password set for {user.name} <{user.email}>.")
    if revoked:
        click.echo(
            ntr(
                "%(num)s API token of the account was revoked with the old password.",
                "%(num)s API tokens of the account were revoked with the old password.",
                revoked,
            )
        )
    if generate:
        click.echo(f"Generated password (shown once): {password}")
