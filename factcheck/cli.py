"""The `factcheck` command: the Flask CLI with the app loaded, plus our commands."""

from __future__ import annotations

import secrets
import sys

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from .errors import DomainError


def _create_app() -> Flask:
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Manage the factcheck database and serve the app."""


def fail(error: DomainError | str) -> None:
    message = error.message if isinstance(error, DomainError) else error
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


users_cli = click.Group("users", help="Manage accounts.")
demo_cli = click.Group("demo", help="Demo and synthetic data.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, help="fact_checker, editor or admin")
@click.option("--password", default=None, help="Prompted for when omitted (or generated).")
@click.option("--generate", is_flag=True, help="Generate a password instead of prompting.")
@with_appcontext
def users_create(email: str, name: str, role: str, password: str | None, generate: bool) -> None:
    """Create an account."""
    from .services import accounts

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


@demo_cli.command("load")
@with_appcontext
def demo_load() -> None:
    """Load the fictional demo data into an empty database."""
    from .services.demo import load_demo

    try:
        logins = load_demo()
    except DomainError as exc:
        fail(exc)
    click.echo("Demo data loaded. Demo accounts (passwords shown once):")
    for role, email, password in logins:
        click.echo(f"  {role:<13} {email:<28} {password}")


def register(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    from .api.cli import register as register_api_commands

    register_api_commands(app)
