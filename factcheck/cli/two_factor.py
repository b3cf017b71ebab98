"""`factcheck two-factor reset`: the way back in when no admin can sign in.

For example after SECRET_KEY changed: the stored TOTP secrets and recovery-code hashes
are keyed from it, so no code works any more.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from .common import fail

two_factor_cli = click.Group("two-factor", help="Second factor of accounts.")


@two_factor_cli.command("reset")
@click.option("--email", required=True)
@with_appcontext
def reset(email: str) -> None:
    """Turn off an account's second factor and end its sessions."""
    from ..services import accounts, two_factor

    user = accounts.find_user_by_email(email)
    if user is None:
        fail(f"No account with the email {email}.")
    if not two_factor.is_enrolled(user):
        fail(f"{user.email} does not use a second factor.")
    two_factor.reset_by_admin(None, user)
    click.echo(f"The second factor of {user.email} is off; they set it up again to sign in.")
