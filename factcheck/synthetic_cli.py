"""`factcheck demo generate`: a synthetic archive for benchmarks."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from .cli import demo_cli, fail
from .errors import DomainError


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

    from .services.synthetic import generate_archive

    with tqdm(total=count, unit="claim", unit_scale=True, disable=quiet, file=sys.stderr) as bar:
        try:
            result = generate_archive(
                count, seed=seed, batch=batch, append=append, progress=bar.update
            )
        except DomainError as exc:
            bar.close()
            fail(exc)
    rows = ", ".join(f"{n:,} {table}" for table, n in result.rows.items() if n)
    click.echo(f"Generated {rows}.")
    timings = ", ".join(f"{phase} {seconds:.1f}s" for phase, seconds in result.seconds.items())
    click.echo(f"Time: {timings}.")
