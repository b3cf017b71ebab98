"""What every command module shares: how a command fails."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from ..errors import DomainError


def fail(error: DomainError | str) -> NoReturn:
    """Print the message as `Error: ...` on stderr and exit 1."""
    message = error.message if isinstance(error, DomainError) else error
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)
