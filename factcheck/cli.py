"""The `factcheck` command: the Flask CLI with the app loaded, plus our commands."""

from __future__ import annotations

import secrets
import sys

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from .api import cli as api_commands
from .errors import DomainError
from .search import cli as search_commands


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
@click.option(
    "--if-empty",
    is_flag=True,
    help="On a database that already has accounts or claims, say so and exit 0.",
)
@with_appcontext
def demo_load(if_empty: bool) -> None:
    """Load the fictional demo newsroom into an empty database."""
    from .services.demo import NOT_EMPTY, database_is_empty, load_demo

    if not database_is_empty():
        if if_empty:
            click.echo("Demo data not loaded: the database already has accounts or claims.")
            return
        fail(NOT_EMPTY)
    try:
        result = load_demo()
    except DomainError as exc:
        fail(exc)
    statuses = ", ".join(
        f"{count} {status.replace('_', ' ')}" for status, count in result.claims_by_status.items()
    )
    click.echo(
        f"Demo data loaded: {result.claims} claims ({statuses}), {result.articles} articles, "
        f"{result.sources} sources, {result.speakers} speakers."
    )
    click.echo("Demo accounts (the passwords are shown only this once; sign in at /login):")
    for login in result.logins:
        click.echo(f"  {login.role:<13} {login.email:<28} {login.password}")


@click.command("import-article")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--url", default=None, help="The article's web address, if known.")
@click.option("--source", "source_name", default=None, help="The outlet, for plain text.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON, for scripts.")
@with_appcontext
def import_article_command(
    path: str, url: str | None, source_name: str | None, as_json: bool
) -> None:
    """Import an article file and list its candidate claims."""
    import json
    from pathlib import Path

    from .services import importing

    data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    try:
        result = importing.import_article(
            None, data, filename=path, url=url, source_name=source_name
        )
    except DomainError as exc:
        fail(exc)
    payload = importing.result_as_json(result)
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    article = payload["article"]
    note = " (imported before)" if article["already_imported"] else ""
    click.echo(f"Article #{article['id']}{note}: {article['title']}")
    click.echo(
        f"  source: {article['source'] or '-'}   published: {article['published_at'] or '-'}"
    )
    click.echo(f"{len(payload['candidates'])} candidate claims, most check-worthy first:")
    for c in payload["candidates"]:
        click.echo(f"  {c['score']:.2f}  {c['speaker'] or '?'}: {c['text']}")


def register(app: Flask) -> None:
    from . import synthetic_cli  # noqa: F401  (adds `demo generate`)

    app.cli.add_command(import_article_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    search_commands.register(app)
    api_commands.register(app)
