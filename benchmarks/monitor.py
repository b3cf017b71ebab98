"""Monitor throughput: feed items polled and articles imported per minute, by 1 and 2 workers.

    python benchmarks/monitor.py [--feeds 6] [--items 20] [--workers 1 2] [--threads 1]
                                 [--redis redis://127.0.0.1:6379/7]

Everything runs on this machine: a local site on 127.0.0.1 serves the feeds and
fictional article pages (tests/monitor_site.py), each run gets a fresh SQLite
database (or DATABASE_URL's PostgreSQL, emptied first; not for production data)
and a fresh queue (a SQLite file, or Redis with --redis), `factcheck feeds add`
queues one poll per feed and N `factcheck worker` processes run everything. The
monitor's own rate limit is lifted (MONITOR_FETCH_RATE) so the figures measure
the work, not the politeness limit (60 fetches a minute by default).

Figures (the clock starts when the first worker is ready): items polled per minute =
feed items recorded / time until the last poll
job finished; articles imported per minute = articles / time until every job
finished (from the workers' start).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import sqlalchemy as sa  # noqa: E402

from tests.monitor_site import article_html, rss, serve  # noqa: E402

FACTCHECK = str(Path(sys.executable).with_name("factcheck"))


def run(workers: int, args: argparse.Namespace, site_url: str, feeds: list[str]) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="monitor-bench-"))
    database = os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'bench.db'}"
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "JOBS_IMMEDIATE"}}
    env.update(
        DATABASE_URL=database,
        FACTCHECK_INSTANCE=str(folder),
        SECRET_KEY="benchmark-only",  # noqa: S106  (a throwaway database)
        IMPORT_ALLOW_PRIVATE_ADDRESSES="1",
        MONITOR_FETCH_RATE="100000/minute",
        JOBS_SQLITE_PATH=str(folder / "jobs.db"),
        RATELIMIT_STORAGE_URI="memory://",
    )
    if args.redis:
        env["REDIS_URL"] = args.redis
    quiet = {"env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    if database.startswith("postgres"):  # start from an empty schema
        wipe = sa.create_engine(database.replace("postgresql://", "postgresql+psycopg://", 1))
        with wipe.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        wipe.dispose()
    subprocess.run([FACTCHECK, "db", "upgrade"], check=True, **quiet)
    if args.redis:
        import redis

        redis.Redis.from_url(args.redis).flushdb()
    for n, url in enumerate(feeds):
        subprocess.run(
            [FACTCHECK, "feeds", "add", url, "--source", f"Bench Outlet {n}"], check=True, **quiet
        )
    engine = sa.create_engine(database.replace("postgresql://", "postgresql+psycopg://", 1))
    logs = [folder / f"worker{n}.log" for n in range(workers)]
    processes = []
    for log in logs:
        with open(log, "w") as out:
            processes.append(
                subprocess.Popen(
                    [FACTCHECK, "worker", "--threads", str(args.threads)],
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            )
    # The clock starts when the first worker is ready (a worker takes seconds to start,
    # which is not the throughput measured); a later one only joins later.
    while not any("Worker:" in log.read_text() for log in logs):
        time.sleep(0.05)
    started = time.monotonic()
    polled_at = None
    try:
        while True:
            with engine.connect() as conn:
                states = dict(
                    conn.execute(
                        sa.text("SELECT kind || ':' || state, count(*) FROM jobs GROUP BY 1")
                    ).all()
                )
            poll_open = states.get("poll_feed:queued", 0) + states.get("poll_feed:running", 0)
            if polled_at is None and poll_open == 0:
                polled_at = time.monotonic()
            open_jobs = sum(n for key, n in states.items() if key.endswith(("queued", "running")))
            if open_jobs == 0 and polled_at is not None:
                break
            if time.monotonic() - started > args.limit:
                raise SystemExit(f"not finished after {args.limit} s: {states}")
            time.sleep(0.1)
        finished = time.monotonic()
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT)
        for process in processes:
            process.wait(timeout=30)
    with engine.connect() as conn:
        items = conn.execute(sa.text("SELECT count(*) FROM feed_items")).scalar_one()
        articles = conn.execute(sa.text("SELECT count(*) FROM articles")).scalar_one()
        failed = conn.execute(
            sa.text("SELECT count(*) FROM jobs WHERE state = 'failed'")
        ).scalar_one()
    engine.dispose()
    shutil.rmtree(folder, ignore_errors=True)
    assert polled_at is not None
    return {
        "workers": workers,
        "items": items,
        "articles": articles,
        "failed": failed,
        "poll_seconds": polled_at - started,
        "total_seconds": finished - started,
        "items_per_minute": items / max(polled_at - started, 1e-9) * 60,
        "articles_per_minute": articles / (finished - started) * 60,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=6)
    parser.add_argument("--items", type=int, default=20, help="items per feed")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--threads", type=int, default=1, help="threads per worker")
    parser.add_argument("--redis", default=None, help="queue in this Redis (flushed!)")
    parser.add_argument("--limit", type=float, default=600, help="seconds before giving up")
    args = parser.parse_args()
    site, server = serve()
    feeds = []
    for f in range(args.feeds):
        items = []
        for i in range(args.items):
            n = f * args.items + i
            items.append((f"Harbour report {n}", site.add(f"/a/{n}.html", article_html(n))))
        feeds.append(site.add(f"/feed{f}.xml", rss(items), content_type="application/rss+xml"))
    print(
        f"{args.feeds} feeds x {args.items} items, {args.threads} thread(s) per worker, "
        f"queue: {'Redis' if args.redis else 'SQLite'}, "
        f"database: {'PostgreSQL' if os.environ.get('DATABASE_URL', '').startswith('postgres') else 'SQLite'}"
    )
    print("workers  items  articles  failed  poll s  total s  items/min  articles/min")
    try:
        for workers in args.workers:
            r = run(workers, args, site.url, feeds)
            site.hits.clear()
            print(
                f"{r['workers']:>7}  {r['items']:>5}  {r['articles']:>8}  {r['failed']:>6}  "
                f"{r['poll_seconds']:>6.1f}  {r['total_seconds']:>7.1f}  "
                f"{r['items_per_minute']:>9.0f}  {r['articles_per_minute']:>12.0f}"
            )
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
