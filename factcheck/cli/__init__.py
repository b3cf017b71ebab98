"""The `factcheck` command: the Flask CLI with the app loaded, plus our commands.

One module per command group; each is thin over `factcheck.services`. A new
group goes in its own module here and is added to `register()`.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup


def _create_app() -> Flask:
    from ..app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Manage the factcheck database and serve the app."""


def register(app: Flask) -> None:
    from . import claimreview, data, demo, feeds, imports, search, tokens, two_factor, users, worker
    from .common import fail_on_refusal

    for command in (
        users.users_cli,
        demo.demo_cli,
        imports.import_article_command,
        search.search_cli,
        tokens.tokens_cli,
        two_factor.two_factor_cli,
        data.export_cli,
        data.backup,
        data.restore,
        claimreview.claimreview_cli,
        feeds.feeds_cli,
        worker.worker_command,
    ):
        app.cli.add_command(fail_on_refusal(command))
