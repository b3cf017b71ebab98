"""The real app plus one route that never touches the database: http_bench's ceiling.

Served by gunicorn exactly like ``wsgi:app``, so the bare route's requests per
second are what this server, these workers and every before/after-request hook
can do at most; each page's figure is then read as a fraction of it.
"""

from __future__ import annotations

from factcheck import create_app

app = create_app()


@app.get("/__bench/bare")
def bench_bare() -> str:
    return "ok"
