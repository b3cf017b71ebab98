"""`factcheck import-article PATH`: import an article and list its candidate claims."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext


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

    from ..services import importing

    data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    result = importing.import_article(None, data, filename=path, url=url, source_name=source_name)
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
        for m in c.get("matches", [])[:1]:
            checked = f"already checked: {m['rating']}" if m["rating"] else f"already {m['status']}"
            click.echo(f"        {checked}, #{m['claim_id']} ({m['match']})")
