"""The real app plus one route that never touches the database: http_bench's ceiling.

Served by gunicorn exactly like ``wsgi:app``, so the bare route's requests per
second are what this server, these workers and every before/after-request hook
can do at most; each page's figure is then read as a fraction of it.
"""

from __future__ import annotations

import os

from factcheck import create_app

# BENCH_NO_CACHE=1 measures the work behind each page: no page or fragment cache.
app = create_app(
    **(
        {"CACHE_TYPE": "NullCache", "CACHE_NO_NULL_WARNING": True}
        if os.environ.get("BENCH_NO_CACHE")
        else {}
    )
)


@app.get("/__bench/bare")
def bench_bare() -> str:
    return "ok"
