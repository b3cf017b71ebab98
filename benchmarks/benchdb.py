"""Benchmark databases: build one with `factcheck demo generate` (or reuse it), and
pick what to ask it for (real claim ids, speakers, a common and a rare word)."""

from __future__ import annotations

import os
import random
import re
import resource
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
BIN = Path(sys.executable).parent
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1/fc_bench"


def sqlalchemy_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def database_url(engine: str, claims: int, sqlite_path: str | None, pg_url: str) -> str:
    if engine == "postgresql":
        return pg_url
    path = Path(sqlite_path) if sqlite_path else RESULTS / f"sqlite-{claims}.db"
    return f"sqlite:///{path.resolve()}"


def app_env(url: str) -> dict[str, str]:
    """The environment the app (CLI or gunicorn) runs with against a benchmark database."""
    instance = RESULTS / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    env.update(
        DATABASE_URL=url,
        FACTCHECK_INSTANCE=str(instance),
        # One client hammers the API from one address: the per-address limit would
        # turn the measurement into a count of 429s.
        API_RATE_LIMIT="10000000 per minute",
    )
    return env


def claim_count(url: str) -> int | None:
    """Claims in the database, or None when it has no schema yet."""
    engine = sa.create_engine(sqlalchemy_url(url))
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table("claims"):
                return None
            return int(conn.scalar(sa.text("SELECT count(*) FROM claims")) or 0)
    finally:
        engine.dispose()


def wipe(url: str) -> None:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    engine = sa.create_engine(sqlalchemy_url(url))
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def ensure_database(url: str, claims: int, *, rebuild: bool = False) -> dict[str, object]:
    """Reuse a database holding exactly ``claims`` claims, else generate it. Returns timings."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    have = claim_count(url)
    if have == claims and not rebuild:
        return {"reused": True, "claims": claims}
    if have and not rebuild:
        raise SystemExit(
            f"{redact(url)} holds {have:,} claims, not {claims:,}: pass --rebuild to replace it."
        )
    if have is not None:
        wipe(url)
    env = app_env(url)
    started = time.perf_counter()
    subprocess.run([str(BIN / "factcheck"), "db", "upgrade"], env=env, check=True, cwd=ROOT)
    migrated = time.perf_counter()
    run = subprocess.run(
        [str(BIN / "factcheck"), "demo", "generate", "--claims", str(claims)],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    done = time.perf_counter()
    # The largest resident size of any child so far: the generator's peak (Linux: KB).
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(run.stdout, end="")
    print(f"  generator peak resident size: {peak_mb:,.0f} MB", flush=True)
    return {
        "reused": False,
        "claims": claims,
        "migrate_seconds": round(migrated - started, 1),
        "generate_seconds": round(done - migrated, 1),
        "generate_output": run.stdout.strip(),
        "generate_peak_rss_mb": round(peak_mb),
    }


def redact(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]+@", r"//\1:***@", url)


@dataclass
class Targets:
    claims: list[tuple[int, str, str]] = field(default_factory=list)  # id, slug, text
    speakers: list[str] = field(default_factory=list)
    busiest_speaker: str = ""
    busiest_speaker_claims: int = 0
    common_words: list[str] = field(default_factory=list)
    common_share: float = 0.0  # of published claims matching the first common word
    medium_words: list[str] = field(default_factory=list)  # in about 3% of the claims
    rare_words: list[str] = field(default_factory=list)
    rare_matches: dict[str, int] = field(default_factory=dict)
    published: int = 0
    articles: list[int] = field(default_factory=list)  # imported, with candidates to triage


_WORD = re.compile(r"[^\W\d_]{5,}", re.UNICODE)


def pick_targets(url: str, *, sample: int = 3000, seed: int = 7) -> Targets:
    """Real rows to ask for, spread over the archive; words chosen by how often they occur."""
    from factcheck.search import backend_for

    rng = random.Random(seed)
    engine = sa.create_engine(sqlalchemy_url(url))
    targets = Targets()
    with engine.connect() as conn:
        low, high = conn.execute(sa.text("SELECT min(id), max(id) FROM claims")).one()
        ids = sorted({rng.randint(low, high) for _ in range(sample)})
        rows = conn.execute(
            sa.text(
                "SELECT id, slug, text FROM claims WHERE published_verdict_id IS NOT NULL "
                "AND id IN :ids"
            ).bindparams(sa.bindparam("ids", expanding=True)),
            {"ids": ids},
        ).all()
        targets.claims = [(r[0], r[1], r[2]) for r in rows]
        targets.published = int(
            conn.scalar(
                sa.text("SELECT count(*) FROM claims WHERE published_verdict_id IS NOT NULL")
            )
            or 0
        )
        # Word frequency in the sample: a word in about half the claims, and words seen once.
        df: Counter[str] = Counter()
        for _, _, text in rows:
            df.update({w.lower() for w in _WORD.findall(text)})
        n = max(1, len(rows))
        common = sorted(df, key=lambda w: (abs(df[w] / n - 0.5), w))[:3]
        targets.common_words = common
        targets.medium_words = sorted(df, key=lambda w: (abs(df[w] / n - 0.03), w))[:3]
        backend = backend_for(conn)
        if common:
            matches = len(backend.matching_ids(conn, [common[0]], 10_000_000, newest=False))
            targets.common_share = matches / max(1, targets.published)
        once = sorted(w for w, c in df.items() if c == 1)
        rng.shuffle(once)
        for word in once:
            found = len(backend.matching_ids(conn, [word], 50, newest=False))
            if 1 <= found <= 20:
                targets.rare_words.append(word)
                targets.rare_matches[word] = found
            if len(targets.rare_words) >= 20:
                break
        busiest = conn.execute(
            sa.text(
                "SELECT s.slug, count(*) FROM claims c JOIN speakers s ON s.id = c.speaker_id "
                "WHERE c.published_verdict_id IS NOT NULL GROUP BY s.slug "
                "ORDER BY count(*) DESC LIMIT 1"
            )
        ).one()
        targets.busiest_speaker, targets.busiest_speaker_claims = busiest[0], int(busiest[1])
        targets.speakers = [
            slug
            for slug in conn.scalars(
                sa.text(
                    "SELECT slug FROM speakers WHERE id IN "
                    "(SELECT speaker_id FROM claims WHERE id IN :ids)"
                ).bindparams(sa.bindparam("ids", expanding=True)),
                {"ids": [r[0] for r in rows[:200]]},
            )
            if slug != targets.busiest_speaker  # measured on its own
        ][:50]
        targets.articles = list(
            conn.scalars(sa.text("SELECT DISTINCT article_id FROM import_candidates LIMIT 50"))
        )
    engine.dispose()
    return targets
