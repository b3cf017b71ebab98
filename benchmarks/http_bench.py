"""Requests per second and latency of the public pages, the API and the desk at scale.

    python benchmarks/http_bench.py --engine both --claims 10000,100000,1000000 --cache both

For each engine and size: build (or reuse) a generated database, serve the real app
with gunicorn (``benchmarks/ceiling_app.py``: the app plus a bare route that never
touches the database), with the page cache on and off (``--cache``), load each kind
of URL with wrk from a second process at fixed concurrency, and print a table per
engine and cache mode, with each size's figures side by side and the growth of p50
from the smallest to the largest size. Desk pages are loaded signed in (a bench
editor's session cookie). After each run the resident size of every gunicorn
worker is read from /proc; the generator's peak resident size is reported too. Each kind rotates over many real rows
(claim ids, speakers, words) picked from the database, so the figures are not
one cached row's. A route that answers 404 (not merged yet) is reported as
"missing"; one that answers 200 without the expected content (a placeholder)
as "stub"; neither is measured.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchdb import (  # noqa: E402
    BIN,
    DEFAULT_PG_URL,
    RESULTS,
    ROOT,
    Targets,
    app_env,
    database_url,
    ensure_database,
    pick_targets,
    redact,
)


@dataclass
class Kind:
    name: str
    paths: list[str]
    expect: str  # text the answer must contain to count as the real page ("" for any)
    desk: bool = False  # loaded with the signed-in session cookie


@dataclass
class Row:
    kind: str
    example: str
    status: str  # measured, missing, stub, error NNN
    rps: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    ratio: float | None = None
    non_2xx: int = 0
    socket_errors: int = 0


def kinds(t: Targets) -> list[Kind]:
    claim_paths = [f"/claims/{cid}-{slug}" for cid, slug, _ in t.claims[:300]]
    first_words = " ".join(t.claims[0][2].split()[:3]) if t.claims else ""
    common = t.common_words[0] if t.common_words else "percent"
    rare = t.rare_words or ["zzzz"]
    return [
        Kind("bare route", ["/__bench/bare"], "ok"),
        Kind("claim page", claim_paths, escape(first_words)),
        Kind("filtered list", ["/claims?rating=false&page=2"], "/claims/"),
        Kind(f"search, common word ({common})", [f"/search?q={quote(common)}"], "/claims/"),
        Kind("search, rare word", [f"/search?q={quote(w)}" for w in rare], "/claims/"),
        Kind("speaker page", [f"/speakers/{s}" for s in t.speakers], "/claims/"),
        Kind("speaker page, busiest", [f"/speakers/{t.busiest_speaker}"], "/claims/"),
        Kind("API claim", [f"/api/v1/claims/{cid}" for cid, _, _ in t.claims[:300]], '"id"'),
        Kind("API list", ["/api/v1/claims?page=2"], '"items"'),
        Kind(
            "similar claims (API)",
            [f"/api/v1/claims/{cid}/similar" for cid, _, _ in t.claims[:300]],
            '"items"',
        ),
        Kind("desk dashboard", ["/desk/"], "Dashboard", desk=True),
        Kind(
            "desk claim list, filtered",
            [
                "/desk/claims?status=published&page=2",
                f"/desk/claims?q={quote(common)}",
                "/desk/claims?status=researching",
            ],
            "/desk/claims/",
            desk=True,
        ),
        Kind("desk review queue", ["/desk/claims?status=in_review"], "/desk/claims/", desk=True),
        Kind(
            "desk claim page",
            [f"/desk/claims/{cid}" for cid, _, _ in t.claims[:300]],
            "Claim #",
            desk=True,
        ),
        Kind(
            "desk import triage",
            [f"/desk/articles/{aid}" for aid in t.articles[:50]] or ["/desk/articles/0"],
            "candidate",
            desk=True,
        ),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(port: int, path: str, cookie: str | None = None) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


class Server:
    """gunicorn serving ceiling_app against one database; stopped on exit."""

    def __init__(self, url: str, workers: int, *, cache: bool = True) -> None:
        self.port = free_port()
        env = app_env(url)
        if not cache:
            env["BENCH_NO_CACHE"] = "1"
        self.proc = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "-w",
                str(workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--pythonpath",
                str(ROOT / "benchmarks"),
                "--log-level",
                "warning",
                "ceiling_app:app",
            ],
            env=env,
            cwd=ROOT,
        )

    def worker_rss_mb(self) -> list[float]:
        """Resident size of each gunicorn worker (the master's children), in MB."""
        sizes = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            ppid = re.search(r"^PPid:\s+(\d+)", text, re.M)
            rss = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
            if ppid and rss and int(ppid.group(1)) == self.proc.pid:
                sizes.append(int(rss.group(1)) / 1024)
        return sorted(sizes)

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("gunicorn exited while starting")
            try:
                if get(self.port, "/__bench/bare")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.__exit__()
        raise SystemExit("gunicorn did not answer within 60 s")

    def __exit__(self, *exc: object) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(
    port: int,
    paths: list[str],
    seconds: int,
    connections: int,
    threads: int,
    cookie: str | None = None,
) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(LUA % ", ".join(json.dumps(p) for p in paths))
        script = fh.name
    try:
        out = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "--latency",
                *(["-H", f"Cookie: {cookie}"] if cookie else []),
                "-s",
                script,
                f"http://127.0.0.1:{port}",
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        ).stdout
    finally:
        os.unlink(script)
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": _ms(re.search(r"\s50%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        "p99_ms": _ms(re.search(r"\s99%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        "non_2xx": 0,
        "socket_errors": 0,
    }
    if m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        result["non_2xx"] = int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        result["socket_errors"] = sum(int(g) for g in m.groups())
    return result


def probe(port: int, kind: Kind, cookie: str | None = None) -> str:
    """measured / missing / stub / error NNN, from one request to the first path."""
    try:
        status, body = get(port, kind.paths[0], cookie if kind.desk else None)
    except TimeoutError:
        return "error: over 30 s"
    if kind.desk and status in (302, 303):
        return "error: not signed in"
    if status == 404:
        return "missing"
    if status >= 400:
        return f"error {status}"
    if kind.expect and kind.expect not in body:
        return "stub"
    return "measured"


BENCH_EMAIL = "bench.editor@example.org"
BENCH_PASSWORD = "bench editor password, not for production"  # noqa: S105
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


BENCH_ARTICLE = "\n\n".join(
    f"Councillor Ada Benchmark{n} said that the ferry carried {1000 + n * 37:,} cars in "
    f'{2000 + n % 25}. "Fares rose by {n % 40 + 2}% last year," she told the harbour board. '
    f"The port authority estimated that {n % 90 + 5}% of the cargo was grain."
    for n in range(40)
)


def ensure_bench_user(url: str) -> None:
    """An editor the desk pages are loaded as, and an imported article for the triage page."""
    env = app_env(url)
    subprocess.run(
        [str(BIN / "factcheck"), "users", "create", "--email", BENCH_EMAIL, "--name",
         "Bench Editor", "--role", "editor", "--password", BENCH_PASSWORD],
        env=env, cwd=ROOT, capture_output=True, check=False,
    )  # fmt: skip
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write("Harbour board hears ferry figures\n\n" + BENCH_ARTICLE)
    try:
        subprocess.run(
            [str(BIN / "factcheck"), "import-article", fh.name, "--source", "Bench Gazette"],
            env=env, cwd=ROOT, capture_output=True, check=False,
        )  # fmt: skip
    finally:
        os.unlink(fh.name)


def sign_in(port: int) -> str | None:
    """The session cookie of the bench editor, signed in through /login like a person."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", "/login")
        resp = conn.getresponse()
        html = resp.read().decode()
        cookie = (resp.getheader("Set-Cookie") or "").split(";")[0]
        token = _CSRF.search(html)
        if not token:
            return None
        body = f"csrf_token={quote(token.group(1))}&email={quote(BENCH_EMAIL)}&password={quote(BENCH_PASSWORD)}"
        conn.request("POST", "/login", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})  # fmt: skip
        resp = conn.getresponse()
        resp.read()
        signed = (resp.getheader("Set-Cookie") or "").split(";")[0]
        return signed if resp.status in (302, 303) and signed else None
    finally:
        conn.close()


def bench_engine(
    engine: str, url: str, t: Targets, args: argparse.Namespace, *, cache: bool
) -> tuple[list[Row], list[float]]:
    rows: list[Row] = []
    with Server(url, args.workers, cache=cache) as server:
        cookie = sign_in(server.port)
        for kind in kinds(t):
            if args.only and not any(word in kind.name for word in args.only.split(",")):
                continue
            status = probe(server.port, kind, cookie)
            row = Row(kind=kind.name, example=kind.paths[0], status=status)
            if status == "measured":
                jar = cookie if kind.desk else None
                if args.warmup:
                    run_wrk(
                        server.port, kind.paths, args.warmup, args.connections, args.threads, jar
                    )
                row.__dict__.update(
                    run_wrk(
                        server.port, kind.paths, args.duration, args.connections, args.threads, jar
                    )
                )
            rows.append(row)
            print(f"  {engine:<10} {kind.name:<40} {status:<9} {row.rps or ''}", flush=True)
        rss = server.worker_rss_mb()
    bare = next((r.rps for r in rows if r.kind == "bare route" and r.rps), None)
    for row in rows:
        if row.rps and bare:
            row.ratio = row.rps / bare
    return rows, rss


def growth_table(
    engine: str, mode: str, runs: dict[int, list[Row]], rss: dict[int, list[float]]
) -> str:
    """One row per URL kind, the sizes side by side: req/s, p50, p99, ratio; p50 growth."""
    sizes = sorted(runs)
    head = " | ".join(f"{n:,}: req/s · p50 · p99 ms · ratio" for n in sizes)
    lines = [
        f"{engine}, page cache {mode}:",
        "",
        f"| URL kind | {head} | p50 growth {sizes[0]:,} → {sizes[-1]:,} |",
        "| --- | " + " | ".join("---" for _ in sizes) + " | ---: |",
    ]
    names = [r.kind for r in runs[sizes[0]]]
    for name in names:
        cells = []
        p50s = []
        for n in sizes:
            row = next((r for r in runs[n] if r.kind == name), None)
            if row is None or row.rps is None:
                cells.append(row.status if row else "-")
                p50s.append(None)
                continue
            cells.append(
                f"{row.rps:,.0f} · {row.p50_ms:.1f} · {row.p99_ms:.1f} · {row.ratio or 0:.2f}"
            )
            p50s.append(row.p50_ms)
        growth = f"{p50s[-1] / p50s[0]:.2f}×" if p50s[0] and p50s[-1] and len(sizes) > 1 else "-"
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {growth} |")
    memory = " · ".join(f"{n:,}: " + ", ".join(f"{mb:.0f}" for mb in rss.get(n, [])) for n in sizes)
    lines += ["", f"Worker resident size after the run, MB: {memory}"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--claims", default="1000000", help="comma-separated sizes, e.g. 10000,100000,1000000"
    )
    parser.add_argument(
        "--cache", choices=["on", "off", "both"], default="both", help="the page cache"
    )
    parser.add_argument("--sqlite-path", help="default: benchmarks/results/sqlite-<claims>.db")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL))
    parser.add_argument("--rebuild", action="store_true", help="replace a database of another size")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per URL kind")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of load before measuring")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--only", help="comma-separated words: measure only kinds naming them")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    sizes = sorted(int(n) for n in str(args.claims).split(","))
    modes = {"on": [True], "off": [False], "both": [True, False]}[args.cache]
    report: dict[str, object] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "claims": sizes,
        "settings": {k: v for k, v in vars(args).items() if k != "pg_url"},
        "engines": {},
    }
    tables = []
    for engine in engines:
        runs: dict[bool, dict[int, list[Row]]] = {mode: {} for mode in modes}
        rss: dict[bool, dict[int, list[float]]] = {mode: {} for mode in modes}
        engine_report: dict[str, object] = {}
        for size in sizes:
            url = database_url(engine, size, args.sqlite_path if len(sizes) == 1 else None,
                               args.pg_url)  # fmt: skip
            print(f"{engine} at {size:,} claims: {redact(url)}", flush=True)
            build = ensure_database(url, size, rebuild=args.rebuild)
            ensure_bench_user(url)
            targets = pick_targets(url)
            print(
                f"  common word {targets.common_words[:1]} in {targets.common_share:.0%} of "
                f"published claims; rare words e.g. {targets.rare_words[:3]}; busiest speaker "
                f"{targets.busiest_speaker} ({targets.busiest_speaker_claims:,} published claims)",
                flush=True,
            )
            for mode in modes:
                rows, worker_rss = bench_engine(engine, url, targets, args, cache=mode)
                runs[mode][size] = rows
                rss[mode][size] = worker_rss
            engine_report[str(size)] = {
                "build": build,
                "targets": {
                    "common_words": targets.common_words,
                    "common_share": targets.common_share,
                    "rare_words": targets.rare_matches,
                    "busiest_speaker": [targets.busiest_speaker, targets.busiest_speaker_claims],
                    "published": targets.published,
                },
                "runs": {
                    ("cached" if mode else "uncached"): {
                        "rows": [asdict(r) for r in runs[mode][size]],
                        "worker_rss_mb": rss[mode][size],
                    }
                    for mode in modes
                },
            }
        report["engines"][engine] = engine_report  # type: ignore[index]
        for mode in modes:
            tables.append(growth_table(engine, "on" if mode else "off", runs[mode], rss[mode]))
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"http-{args.engine}-{'-'.join(map(str, sizes))}-{stamp}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print()
    print("\n\n".join(tables))
    print(f"\nSaved {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
