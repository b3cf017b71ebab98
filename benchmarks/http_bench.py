"""Requests per second and latency of the public pages and API at scale.

    python benchmarks/http_bench.py --engine both --claims 1000000

For each engine: build (or reuse) a generated database, serve the real app with
gunicorn (``benchmarks/ceiling_app.py``: the app plus a bare route that never
touches the database), load each kind of URL with wrk from a second process at
fixed concurrency, and print a table. Each kind rotates over many real rows
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
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


class Server:
    """gunicorn serving ceiling_app against one database; stopped on exit."""

    def __init__(self, url: str, workers: int) -> None:
        self.port = free_port()
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
            env=app_env(url),
            cwd=ROOT,
        )

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


def run_wrk(port: int, paths: list[str], seconds: int, connections: int, threads: int) -> dict:
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


def probe(port: int, kind: Kind) -> str:
    """measured / missing / stub / error NNN, from one request to the first path."""
    status, body = get(port, kind.paths[0])
    if status == 404:
        return "missing"
    if status >= 400:
        return f"error {status}"
    if kind.expect and kind.expect not in body:
        return "stub"
    return "measured"


def bench_engine(engine: str, url: str, t: Targets, args: argparse.Namespace) -> list[Row]:
    rows: list[Row] = []
    with Server(url, args.workers) as server:
        for kind in kinds(t):
            if args.only and not any(word in kind.name for word in args.only.split(",")):
                continue
            status = probe(server.port, kind)
            row = Row(kind=kind.name, example=kind.paths[0], status=status)
            if status == "measured":
                if args.warmup:
                    run_wrk(server.port, kind.paths, args.warmup, args.connections, args.threads)
                row.__dict__.update(
                    run_wrk(server.port, kind.paths, args.duration, args.connections, args.threads)
                )
            rows.append(row)
            print(f"  {engine:<10} {kind.name:<40} {status:<9} {row.rps or ''}", flush=True)
    bare = next((r.rps for r in rows if r.kind == "bare route" and r.rps), None)
    for row in rows:
        if row.rps and bare:
            row.ratio = row.rps / bare
    return rows


def table(engine: str, rows: list[Row]) -> str:
    lines = [
        f"{engine}:",
        "",
        "| URL kind | example | req/s | p50 ms | p99 ms | ratio to bare | notes |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        notes = r.status if r.status != "measured" else ""
        if r.non_2xx:
            notes += f" {r.non_2xx} non-2xx"
        if r.socket_errors:
            notes += f" {r.socket_errors} socket errors"
        example = r.example if len(r.example) <= 48 else r.example[:45] + "..."
        if r.rps is None:
            lines.append(f"| {r.kind} | `{example}` | - | - | - | - | {notes.strip()} |")
        else:
            lines.append(
                f"| {r.kind} | `{example}` | {r.rps:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} "
                f"| {r.ratio or 0:.2f} | {notes.strip()} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--claims", type=int, default=1_000_000)
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
    report: dict[str, object] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "claims": args.claims,
        "settings": {k: v for k, v in vars(args).items() if k != "pg_url"},
        "engines": {},
    }
    tables = []
    for engine in engines:
        url = database_url(engine, args.claims, args.sqlite_path, args.pg_url)
        print(f"{engine}: {redact(url)}", flush=True)
        build = ensure_database(url, args.claims, rebuild=args.rebuild)
        targets = pick_targets(url)
        print(
            f"  common word {targets.common_words[:1]} in {targets.common_share:.0%} of published "
            f"claims; rare words e.g. {targets.rare_words[:3]}; busiest speaker "
            f"{targets.busiest_speaker} ({targets.busiest_speaker_claims:,} published claims)",
            flush=True,
        )
        rows = bench_engine(engine, url, targets, args)
        report["engines"][engine] = {  # type: ignore[index]
            "build": build,
            "targets": {
                "common_words": targets.common_words,
                "common_share": targets.common_share,
                "rare_words": targets.rare_matches,
                "busiest_speaker": [targets.busiest_speaker, targets.busiest_speaker_claims],
                "published": targets.published,
            },
            "rows": [asdict(r) for r in rows],
        }
        tables.append(table(engine, rows))
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"http-{args.engine}-{args.claims}-{stamp}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print()
    print("\n\n".join(tables))
    print(f"\nSaved {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
