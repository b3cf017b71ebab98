"""`factcheck demo load` (the fictional newsroom) and `demo generate` (a synthetic archive)."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from .common import fail

demo_cli = click.Group("demo", help="Demo and synthetic data.")


@demo_cli.command("load")
@click.option(
    "--if-empty",
    is_flag=True,
    help="On a database that already has accounts or claims, say so and exit 0.",
)
@with_appcontext
def demo_load(if_empty: bool) -> None:
    """Load the fictional demo newsroom into an empty database."""
    from ..services.demo import NOT_EMPTY, database_is_empty, load_demo

    if not database_is_empty():
        if if_empty:
            click.echo("Demo data not loaded: the database already has accounts or claims.")
            return
        fail(NOT_EMPTY)
    result = load_demo()
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


@demo_cli.command("generate")
@click.option("--claims", "count", type=int, required=True, help="How many claims to write.")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
@click.option("--batch", type=int, default=5000, show_default=True, help="Rows per insert.")
@click.option("--append", is_flag=True, help="Add to a database that already has claims.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@with_appcontext
def demo_generate(count: int, seed: int, batch: int, append: bool, quiet: bool) -> None:
    """Fill the database with invented claims, speakers, verdicts and evidence."""
    from tqdm import tqdm

    from ..synthetic import generate_archive

    with tqdm(total=count, unit="claim", unit_scale=True, disable=quiet, file=sys.stderr) as bar:
        # A refusal closes the bar on its way out, then the command fails (cli/common.py).
        result = generate_archive(count, seed=seed, batch=batch, append=append, progress=bar.update)
    rows = ", ".join(f"{n:,} {table}" for table, n in result.rows.items() if n)
    click.echo(f"Generated {rows}.")
    timings = ", ".join(f"{phase} {seconds:.1f}s" for phase, seconds in result.seconds.items())
    click.echo(f"Time: {timings}.")
