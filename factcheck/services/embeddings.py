"""Claim embeddings for the optional semantic matching backend (``MATCHING_MODEL``).

Off unless ``MATCHING_MODEL`` names a model on this machine (see
``factcheck.extraction.semantic``). When on:

- each claim's embedding is stored in ``claim_embeddings`` (float32 bytes), made by
  the ``embed_claims`` job, which is queued when a claim is logged, edited or
  published, and every minute by the worker for anything missed; ``factcheck
  search reembed`` (or the re-index job) redoes them all;
- a text's nearest claims come from a bounded pool: the embeddings of the newest
  ``MATCHING_POOL`` claims (20,000 by default), read into one matrix per process
  and read again only when the table changes; cosine in numpy. PostgreSQL's
  pgvector would search every claim through an index; it is not used here
  because the servers this was built on do not have the extension (see
  docs/claim-tracking.md).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import delete, func, select

from ..extensions import db
from ..extraction import semantic
from ..models import Claim, ClaimEmbedding, Job, User
from ..models.base import utcnow

log = logging.getLogger(__name__)
POOL = 20_000
NEAREST = 50  # claims taken from the pool per query
BATCH = 256  # claims embedded per commit
_lock = threading.Lock()
_encoders: dict[str, Any] = {}


@dataclass
class _Pool:
    key: tuple[Any, ...]
    ids: Any  # numpy int64 (n,)
    matrix: Any  # numpy float32 (n, d)


_pools: dict[str, _Pool] = {}


def model_path() -> str | None:
    return current_app.config.get("MATCHING_MODEL") or None


def enabled() -> bool:
    return model_path() is not None


def encoder() -> Any:
    """The configured model, loaded once per process (ModelUnavailable if it cannot be)."""
    path = model_path()
    if path is None:
        raise semantic.ModelUnavailable("MATCHING_MODEL is not set.")
    with _lock:
        if path not in _encoders:
            _encoders[path] = semantic.load(path)
        return _encoders[path]


def thresholds() -> semantic.Thresholds:
    base = semantic.DEFAULT_THRESHOLDS[encoder().kind]
    config = current_app.config
    return semantic.Thresholds(
        same=float(config.get("MATCHING_SAME_COSINE") or base.same),
        related=float(config.get("MATCHING_RELATED_COSINE") or base.related),
    )


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _to_bytes(vector: Any) -> bytes:
    import numpy as np

    return np.asarray(vector, dtype="<f4").tobytes()


def embed_pending(limit: int | None = None, *, progress: Any = None) -> int:
    """Embed every claim without a current embedding (new text, or another model)."""
    model = encoder()
    done = 0
    last_id = 0
    while True:
        rows = db.session.execute(
            select(Claim.id, Claim.text, ClaimEmbedding.text_hash, ClaimEmbedding.model)
            .outerjoin(ClaimEmbedding, ClaimEmbedding.claim_id == Claim.id)
            .where(Claim.id > last_id)
            .order_by(Claim.id)
            .limit(BATCH * 4)
        ).all()
        if not rows:
            break
        last_id = rows[-1].id
        stale = [
            (r.id, r.text)
            for r in rows
            if r.text_hash is None or r.model != model.name or r.text_hash != _hash(r.text)
        ]
        for start in range(0, len(stale), BATCH):
            chunk = stale[start : start + BATCH]
            vectors = model.encode([text for _id, text in chunk])
            ids = [i for i, _t in chunk]
            db.session.execute(delete(ClaimEmbedding).where(ClaimEmbedding.claim_id.in_(ids)))
            now = utcnow()
            db.session.add_all(
                ClaimEmbedding(
                    claim_id=claim_id,
                    model=model.name,
                    dimensions=model.dimensions,
                    text_hash=_hash(text),
                    vector=_to_bytes(vector),
                    updated_at=now,
                )
                for (claim_id, text), vector in zip(chunk, vectors, strict=True)
            )
            db.session.commit()
            done += len(chunk)
            if progress is not None:
                progress(done)
            if limit is not None and done >= limit:
                return done
    return done


def reembed_all(*, progress: Any = None) -> int:
    """Drop every embedding and make them again (after changing the model)."""
    encoder()  # refuse before deleting anything if the model cannot be loaded
    db.session.execute(delete(ClaimEmbedding))
    db.session.commit()
    _pools.clear()
    return embed_pending(progress=progress)


def queue_refresh(actor: User | None = None) -> Job | None:
    """Queue the embedding of new and changed claims (joins a refresh already queued)."""
    if not enabled():
        return None
    from . import jobs

    return jobs.submit(
        "embed_claims",
        key="embed_claims",
        label="Embed new and changed claims (semantic matching)",
        params={},
        actor=actor,
    )


def queue_refresh_if_behind() -> Job | None:
    """The worker's periodic check: queue a refresh when a newer claim has no embedding.

    Two index lookups (the newest claim, the newest embedded claim), so it costs
    nothing at any size; edits are queued when they are saved (``after_claim_change``).
    """
    if not enabled():
        return None
    newest = db.session.scalar(select(func.max(Claim.id))) or 0
    embedded = db.session.scalar(select(func.max(ClaimEmbedding.claim_id))) or 0
    if newest <= embedded:
        return None
    return queue_refresh()


def after_claim_change() -> None:
    """Called after a claim is logged, edited or published (its transaction committed).

    Never lets a queue failure undo the claim's own change: a refresh missed here is
    done by the worker's periodic refresh.
    """
    if not enabled():
        return
    try:
        queue_refresh()
    except Exception:  # the claim is saved; the periodic refresh catches up
        db.session.rollback()
        log.exception("could not queue the embedding refresh")


def run_job(job: Job) -> dict[str, Any]:
    from . import jobs

    if job.params.get("all"):
        jobs.set_progress(job, "Embedding every claim again.")
        count = reembed_all(progress=lambda n: jobs.set_progress(job, f"{n} claims embedded."))
    else:
        count = embed_pending(progress=lambda n: jobs.set_progress(job, f"{n} claims embedded."))
    return {"embedded": count, "model": encoder().name}


def _pool() -> _Pool:
    import numpy as np

    model = encoder()
    size = int(current_app.config.get("MATCHING_POOL") or POOL)
    key = tuple(
        db.session.execute(
            select(
                func.count(ClaimEmbedding.claim_id),
                func.max(ClaimEmbedding.claim_id),
                func.max(ClaimEmbedding.updated_at),
            ).where(ClaimEmbedding.model == model.name)
        ).one()
    ) + (size,)
    cached = _pools.get(model.name)
    if cached is not None and cached.key == key:
        return cached
    rows = db.session.execute(
        select(ClaimEmbedding.claim_id, ClaimEmbedding.vector)
        .where(ClaimEmbedding.model == model.name)
        .order_by(ClaimEmbedding.claim_id.desc())
        .limit(size)
    ).all()
    ids = np.array([r.claim_id for r in rows], dtype=np.int64)
    matrix = (
        np.frombuffer(b"".join(r.vector for r in rows), dtype="<f4").reshape(
            len(rows), model.dimensions
        )
        if rows
        else np.zeros((0, model.dimensions), dtype=np.float32)
    )
    pool = _Pool(key, ids, matrix)
    _pools[model.name] = pool
    return pool


def encode(text: str) -> Any:
    return encoder().encode([text])[0]


def nearest(vector: Any, k: int = NEAREST) -> dict[int, float]:
    """The claims nearest ``vector`` in meaning among the pool: {claim id: cosine}."""
    pool = _pool()
    return {int(pool.ids[i]): cosine for i, cosine in semantic.top(pool.matrix, vector, k)}


def cosines_for(vector: Any, claim_ids: list[int]) -> dict[int, float]:
    """The cosine of ``vector`` with each of these claims that has an embedding."""
    import numpy as np

    if not claim_ids:
        return {}
    model = encoder()
    found: dict[int, float] = {}
    for start in range(0, len(claim_ids), 500):
        for row in db.session.execute(
            select(ClaimEmbedding.claim_id, ClaimEmbedding.vector).where(
                ClaimEmbedding.model == model.name,
                ClaimEmbedding.claim_id.in_(claim_ids[start : start + 500]),
            )
        ):
            found[row.claim_id] = float(np.frombuffer(row.vector, dtype="<f4") @ vector)
    return found


def status() -> dict[str, Any]:
    """What the desk and the CLI say about the backend."""
    if not enabled():
        return {"enabled": False}
    model = encoder()
    embedded = db.session.scalar(
        select(func.count(ClaimEmbedding.claim_id)).where(ClaimEmbedding.model == model.name)
    )
    claims = db.session.scalar(select(func.count(Claim.id)))
    return {"enabled": True, "model": model.name, "embedded": embedded, "claims": claims}
