"""Load on the public tip form against a real server: the limits hold, nothing below them is lost.

Starts gunicorn (2 workers x 4 threads) on a fresh SQLite database, with the rate
limits in Redis (127.0.0.1:6379, database 10; with --no-redis one worker and memory
storage), then sends readers' tips through the HTML form as a browser would (GET the
form for its CSRF token and cookie, POST it). Each simulated reader has its own
loopback address (127.x.y.z) in X-Forwarded-For, which the server trusts (TRUSTED_PROXIES=1); every
request goes to 127.0.0.1 only.

    .venv/bin/python benchmarks/tips_load.py [--readers 60] [--threads 16]

Prints, per phase, the requests sent, the answers by status, the tips stored and the
rate; exits non-zero when a limit did not hold or an accepted tip was lost.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PER_ADDRESS = 5  # per minute
GLOBAL = 400  # per hour
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Reader:
    """One person with a browser: own cookies, own address."""

    def __init__(self, base: str, address: str) -> None:
        self.base = base
        self.address = address
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def _open(self, path: str, data: bytes | None = None) -> tuple[int, str]:
        request = urllib.request.Request(
            self.base + path, data=data, headers={"X-Forwarded-For": self.address}
        )
        try:
            with self.opener.open(request, timeout=60) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")

    def send(self, text: str) -> int:
        status, html = self._open("/tips/new")
        match = CSRF.search(html)
        if status != 200 or not match:
            return status
        form = {"csrf_token": match.group(1), "claim": text, "seen_at": "", "email": "",
                "website": "", "action": "send"}  # fmt: skip
        return self._open("/tips/new", urllib.parse.urlencode(form).encode())[0]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def run(base: str, jobs: list[tuple[str, str]], threads: int) -> tuple[Counter[int], float]:
    # One browser per request: a person's parallel tabs would share one CSRF token.
    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        statuses = list(pool.map(lambda job: Reader(base, job[0]).send(job[1]), jobs))
    return Counter(statuses), time.perf_counter() - started


def tips_stored(url: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        count = conn.execute(sa.text("SELECT count(*) FROM tips")).scalar_one()
    engine.dispose()
    return int(count)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--readers", type=int, default=60)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--no-redis", action="store_true")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="tips-load-"))
    url = f"sqlite:///{workdir / 'tips.db'}"
    redis = None if args.no_redis else "redis://127.0.0.1:6379/10"
    env = dict(os.environ, DATABASE_URL=url, FACTCHECK_INSTANCE=str(workdir),
               SECRET_KEY="tips-load-benchmark", TRUSTED_PROXIES="1",  # noqa: S106
               TIPS_RATE_PER_ADDRESS=f"{PER_ADDRESS} per minute",
               TIPS_RATE_GLOBAL=f"{GLOBAL} per hour")  # fmt: skip
    env.pop("REDIS_URL", None)
    if redis:
        env["REDIS_URL"] = redis
        subprocess.run(["redis-cli", "-n", "10", "FLUSHDB"], check=False, capture_output=True)
    subprocess.run([str(BIN / "factcheck"), "db", "upgrade"], env=env, cwd=ROOT, check=True,
                   capture_output=True)  # fmt: skip
    port = free_port()
    workers = "2" if redis else "1"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", workers, "--threads", "4", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "wsgi:app"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    failures = []
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/tips/new", timeout=2).close()
                break
            except OSError:
                time.sleep(0.5)
        print(f"gunicorn {workers} worker(s) x 4 threads, limits in {redis or 'memory'}, "
              f"{PER_ADDRESS}/min per address, {GLOBAL}/hour for everyone")  # fmt: skip
        print(
            f"{'phase':<34} {'sent':>5} {'303':>5} {'429':>5} {'other':>5} {'stored':>7} {'req/s':>7}"
        )

        def report(name: str, counts: Counter[int], seconds: float, stored: int) -> None:
            other = sum(n for s, n in counts.items() if s not in (303, 429))
            sent = sum(counts.values())
            print(f"{name:<34} {sent:>5} {counts[303]:>5} {counts[429]:>5} {other:>5} "
                  f"{stored:>7} {sent * 2 / seconds:>7.1f}")  # fmt: skip
            if other:
                failures.append(f"{name}: unexpected statuses {dict(counts)}")

        before = tips_stored(url)
        jobs = [(f"127.1.{n // 250}.{n % 250 + 1}", f"Reader {n} says the ferry to Westholm carried "
                 f"{1000 + n * 7} cars on Sunday {k}.") for n in range(args.readers) for k in range(3)]  # fmt: skip
        counts, seconds = run(base, jobs, args.threads)
        stored = tips_stored(url) - before
        report("below the limits (3 per reader)", counts, seconds, stored)
        if counts[303] != len(jobs) or stored != len(jobs):
            failures.append(
                f"below the limits: {counts[303]} accepted, {stored} stored of {len(jobs)}"
            )

        before = tips_stored(url)
        jobs = [("127.2.0.1", f"One address, request {k} about the tram fares.") for k in range(40)]
        counts, seconds = run(base, jobs, args.threads)
        stored = tips_stored(url) - before
        report("one address, 40 at once", counts, seconds, stored)
        if counts[303] > PER_ADDRESS or stored != counts[303]:
            failures.append(f"per address: {counts[303]} accepted, {stored} stored")

        before = tips_stored(url)
        left = GLOBAL - args.readers * 3 - PER_ADDRESS
        jobs = [(f"127.3.{n // 250}.{n % 250 + 1}", f"Crowd request {n} about the harbour budget.")
                for n in range(max(left, 0) + 50)]  # fmt: skip
        counts, seconds = run(base, jobs, args.threads)
        stored = tips_stored(url) - before
        report("everyone, 50 past the global cap", counts, seconds, stored)
        if counts[303] > max(left, 0) or stored != counts[303] or counts[429] < 50:
            failures.append(f"global: {counts[303]} accepted of {left} left, {stored} stored")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    for failure in failures:
        print("FAILED:", failure)
    print("result:", "limits held, nothing lost" if not failures else "FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
