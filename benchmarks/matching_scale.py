"""`GET /api/v1/claims/<id>/similar` at scale: time per request and candidates judged.

    .venv/bin/python benchmarks/matching_scale.py --engine sqlite --claims 100000 [--requests 60]

Builds (or reuses) a synthetic archive like the other scale benchmarks
(``benchdb.ensure_database``), then asks the endpoint for real published claims,
anonymous (published candidates only) and with a staff token (plus the newest
unpublished claims), through the app's test client in one process. Prints the
median, 95th percentile and maximum time, and the largest candidate pool the
matching service judged: it is bounded by the service's constants
(WORDS x PER_WORD from the index + RECENT), not by the archive.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import benchdb  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--sqlite-path")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", benchdb.DEFAULT_PG_URL))
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()

    url = benchdb.database_url(args.engine, args.claims, args.sqlite_path, args.pg_url)
    built = benchdb.ensure_database(url, args.claims, rebuild=args.rebuild)
    print(
        f"archive: {args.claims:,} claims on {args.engine} ({'reused' if built.get('reused') else 'built'})"
    )
    os.environ.update(benchdb.app_env(url))

    from sqlalchemy import select

    from factcheck import create_app
    from factcheck.extensions import db
    from factcheck.extraction.matching import search_words
    from factcheck.models import Claim, User
    from factcheck.services import accounts, matching

    app = create_app()
    with app.app_context():
        ids = list(
            db.session.scalars(
                select(Claim.id).where(Claim.published_verdict_id.is_not(None)).order_by(Claim.id)
            )
        )
        rng = random.Random(7)
        chosen = rng.sample(ids, min(args.requests, len(ids)))
        editor = db.session.scalars(select(User).where(User.role == "editor").limit(1)).first()
        token = (
            accounts.create_api_token(editor, editor, "matching bench").secret if editor else None
        )
        client = app.test_client()
        for label, headers in [
            ("anonymous", {}),
            ("staff token", {"Authorization": f"Bearer {token}"}),
        ]:
            if label == "staff token" and token is None:
                continue
            pools = []
            times = []
            same = related = 0
            for claim_id in chosen:
                started = time.perf_counter()
                resp = client.get(f"/api/v1/claims/{claim_id}/similar", headers=headers)
                times.append((time.perf_counter() - started) * 1000)
                assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
                text = db.session.get(Claim, claim_id).text
                pool = matching._claim_candidates(
                    search_words(text, matching.WORDS), exclude=claim_id, public_only=not headers
                )
                pools.append(len(pool))
                for item in resp.get_json()["items"]:
                    same += item["match"] == "same"
                    related += item["match"] == "related"
            times.sort()
            print(
                f"{label:<12} {len(times)} requests: median {statistics.median(times):.0f} ms, "
                f"p95 {times[int(0.95 * (len(times) - 1))]:.0f} ms, max {times[-1]:.0f} ms; "
                f"candidates judged: max {max(pools)}, median {statistics.median(pools):.0f}; "
                f"suggestions: {same} same, {related} related"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
