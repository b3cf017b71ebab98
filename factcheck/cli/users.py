"""`factcheck users ...`: accounts from the command line."""

from __future__ import annotations

import secrets
import sys

import click
from flask.cli import with_appcontext

from ..errors import DomainError
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

    try:
        accounts.parse_role(role)
        if accounts.find_user_by_email(accounts.normalize_email(email)):
            fail(f"An account with the email {email} already exists.")
    except DomainError as exc:
        fail(exc)
    generated = False
    if password is None:
        if generate or not sys.stdin.isatty():
            password = secrets.token_urlsafe(15)
            generated = True
        else:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.create_user(None, email=email, name=name, role=role, password=password)
    except DomainError as exc:
        fail(exc)
    click.echo(f"Created {user.role} {user.name} <{user.email}> (id {user.id}).")
    if generated:
        click.echo(f"Generated password (shown once): {password}")
