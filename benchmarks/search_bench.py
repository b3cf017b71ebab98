"""Timings of `search_claims` at scale, cold and warm, for common, medium and rare words.

    python benchmarks/search_bench.py --engine both --claims 1000000 [--drop-caches]

Reuses (or generates) the same databases as http_bench.py. "Cold" is the first
query on a new connection, after dropping the OS page cache when --drop-caches
is given (root only; PostgreSQL's own shared_buffers stay warm unless the
server is restarted). "Warm" repeats the query. Besides the whole search, it
times its steps and the naive alternatives it avoids (ranking every match, an
exact count, newest-first for a rare word), so a regression shows where.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchdb import (  # noqa: E402
    DEFAULT_PG_URL,
    RESULTS,
    ROOT,
    database_url,
    ensure_database,
    pick_targets,
    redact,
    sqlalchemy_url,
)

from factcheck.search import backend_for, search_claims  # noqa: E402
from factcheck.search.query import RANK_WINDOW, RARE_LIMIT  # noqa: E402


def drop_os_caches() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return (time.perf_counter() - start) * 1000, value


def warm(fn: Callable[[], Any], repeat: int) -> dict[str, float]:
    times = sorted(timed(fn)[0] for _ in range(repeat))
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 2),
        "max_ms": round(times[-1], 2),
    }


def naive_queries(conn: sa.Connection, word: str) -> dict[str, tuple[str, dict[str, str]]]:
    """The plain queries search avoids: what they would cost is part of the report."""
    if conn.dialect.name == "postgresql":
        params = {"q": backend_for(conn).tsquery([word])}  # type: ignore[attr-defined]
        match = "FROM claims_fts WHERE document @@ to_tsquery('simple', :q)"
        return {
            "rank every match (ts_rank)": (
                f"SELECT claim_id {match} "
                "ORDER BY ts_rank(document, to_tsquery('simple', :q)) DESC LIMIT 20",
                params,
            ),
            "exact count": (f"SELECT count(*) {match}", params),
            "newest 20, ORDER BY id": (
                f"SELECT claim_id {match} ORDER BY claim_id DESC LIMIT 20",
                params,
            ),
        }
    params = {"q": backend_for(conn).match_expression([word])}  # type: ignore[attr-defined]
    match = "FROM claims_fts WHERE claims_fts MATCH :q"
    return {
        "rank every match (bm25)": (
            f"SELECT rowid {match} ORDER BY bm25(claims_fts, 3.0, 1.0, 2.0) LIMIT 20",
            params,
        ),
        "exact count": (f"SELECT count(*) {match}", params),
        "newest 20, ORDER BY id": (f"SELECT rowid {match} ORDER BY rowid DESC LIMIT 20", params),
    }


def bench_word(url: str, word: str, repeat: int, drop: bool) -> dict[str, Any]:
    engine = sa.create_engine(sqlalchemy_url(url))
    result: dict[str, Any] = {"word": word}
    try:
        dropped = drop and drop_os_caches()
        with engine.connect() as conn:
            cold_ms, page = timed(lambda: search_claims(conn, word))
            result["cold_ms"] = round(cold_ms, 2)
            result["os_cache_dropped"] = dropped
            result["matches"] = f"more than {RARE_LIMIT}" if page.total_is_estimate else page.total
            result["warm"] = warm(lambda: search_claims(conn, word), repeat)
            backend = backend_for(conn)
            steps = {
                f"matching ids, unordered, limit {RARE_LIMIT + 1}": lambda: backend.matching_ids(
                    conn, [word], RARE_LIMIT + 1, newest=False
                )
            }
            if page.total_is_estimate:
                newest = backend.matching_ids(conn, [word], RANK_WINDOW, newest=True)
                steps[f"matching ids, newest {RANK_WINDOW}"] = lambda: backend.matching_ids(
                    conn, [word], RANK_WINDOW, newest=True
                )
                steps[f"rank the window of {len(newest)}"] = lambda: backend.rank_window(
                    conn, [word], newest
                )
            steps.update(
                {
                    name: (lambda sql=sql, p=p: conn.execute(sa.text(sql), p).all())
                    for name, (sql, p) in naive_queries(conn, word).items()
                }
            )
            result["steps"] = {name: warm(fn, max(3, repeat // 4)) for name, fn in steps.items()}
    finally:
        engine.dispose()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--sqlite-path")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--rare", type=int, default=3, help="how many rare words to time")
    parser.add_argument("--drop-caches", action="store_true", help="drop the OS page cache first")
    args = parser.parse_args()
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    report: dict[str, Any] = {"claims": args.claims, "engines": {}}
    for engine in engines:
        url = database_url(engine, args.claims, args.sqlite_path, args.pg_url)
        print(f"{engine}: {redact(url)}", flush=True)
        ensure_database(url, args.claims, rebuild=args.rebuild)
        t = pick_targets(url)
        words = (
            [("common", t.common_words[0])]
            + [("medium", w) for w in t.medium_words[:2]]
            + [("rare", w) for w in t.rare_words[: args.rare]]
        )
        rows = []
        for label, word in words:
            r = bench_word(url, word, args.repeat, args.drop_caches)
            r["kind"] = label
            rows.append(r)
            print(
                f"  {label:<6} {word:<14} matches {r['matches']!s:<16} cold {r['cold_ms']:>8.1f} ms"
                f"   warm p50 {r['warm']['p50_ms']:>7.2f} ms  p99 {r['warm']['p99_ms']:>7.2f} ms",
                flush=True,
            )
            for step, figures in r["steps"].items():
                print(f"      {step:<40} p50 {figures['p50_ms']:>8.2f} ms", flush=True)
        report["engines"][engine] = {"common_share": t.common_share, "words": rows}
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"search-{args.engine}-{args.claims}-{stamp}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"Saved {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
