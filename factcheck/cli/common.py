"""What every command module shares: how a command fails."""

from __future__ import annotations

import functools
import sys
from typing import Any, NoReturn

import click

from ..errors import DomainError


def fail(error: DomainError | str) -> NoReturn:
    """Print the message as `Error: ...` on stderr and exit 1."""
    message = error.message if isinstance(error, DomainError) else error
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def fail_on_refusal(command: click.Command) -> click.Command:
    """The one mapping of domain errors on the command line: every command of the tree
    below ``command`` answers a refused action as ``Error: <message>`` and exit status 1
    (instead of a traceback). Applied once, by ``register()``."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            fail_on_refusal(sub)
    callback = command.callback
    if callback is None or getattr(callback, "fails_on_refusal", False):
        return command

    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except DomainError as exc:
            fail(exc)

    run.fails_on_refusal = True  # type: ignore[attr-defined]
    command.callback = run
    return command
