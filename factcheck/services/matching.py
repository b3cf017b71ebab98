"""Claim matching against the archive: the one place the desk, the importer and the API ask.

Candidates come through indexes, never a scan, so the cost is bounded however
large the archive grows:

- published claims through the full-text index: prefix queries over the text's
  telling words (at most ``WORDS``): all of them together (``ALL_WORDS`` newest
  matches), each pair of the first three (``PER_PAIR``), each word alone
  (``PER_WORD``); at most 325 claims;
- for the desk, unpublished claims among the newest ``RECENT`` (work in
  progress is recent; the full-text index holds only public claims);
- other organisations' fact-checks through their word-stem table
  (``external_factcheck_words``), ``EXTERNAL_PER_WORD`` per word.

Each candidate is then judged by ``factcheck.extraction.matching``: ``same``
(the earlier verdict answers this claim) or ``related``.

With the semantic backend on (``MATCHING_MODEL``, ``services/embeddings``), the
claims nearest in meaning (``embeddings.NEAREST`` from a bounded pool) join the
candidates, and each claim's judgement is widened by its cosine
(``extraction.semantic.judge_with_cosine``): a repeat in another language is found.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..extraction import semantic
from ..extraction.matching import Judgement, Match, judge, read, search_words
from ..models import Claim, ExternalFactCheck, ExternalFactCheckWord, Verdict

log = logging.getLogger(__name__)

LIMIT = 5
WORDS = 4
ALL_WORDS = 100  # newest claims holding every telling word
PER_PAIR = 50  # for each pair of the three most telling words
PER_WORD = 25  # for each word alone
RECENT = 200  # the desk's newest claims of any status
EXTERNAL_PER_WORD = 100
MAX_TEXT = 2000


@dataclass(frozen=True)
class Suggestion:
    """A claim of ours or another organisation's fact-check, and how it matches."""

    score: float
    match: Match
    reason: str
    claim: Claim | None = None
    external: ExternalFactCheck | None = None

    @property
    def published(self) -> bool:
        return self.external is not None or (self.claim is not None and self.claim.is_public)


def similar(
    text: str,
    *,
    exclude: int | None = None,
    public_only: bool = False,
    external: bool = True,
    limit: int = LIMIT,
) -> list[Suggestion]:
    """The claims (and external fact-checks) that are ``same`` as or ``related`` to ``text``."""
    text = (text or "")[:MAX_TEXT]
    if not text.strip() or limit <= 0:
        return []
    words = search_words(text, WORDS)
    wanted = read(text)
    meaning = _by_meaning(text)
    near = meaning.nearest() if meaning else {}
    rows = _claim_candidates(words, exclude=exclude, public_only=public_only, extra=near)
    cosines = meaning.cosines([row.id for row in rows], near) if meaning else {}
    # Published fact-checks first (they answer the question), then other organisations'
    # (published too), then our drafts, which only hint at an answer; same before related,
    # what shares words before what is only close in meaning.
    judged: list[tuple[tuple[int, bool, bool, float], int, Judgement]] = []
    for row in rows:
        if meaning:
            verdict = semantic.judge_with_cosine(
                wanted, read(row.text), cosines.get(row.id), meaning.thresholds
            )
        else:
            verdict = judge(wanted, read(row.text))
        if verdict.match is not None:
            tier = 0 if row.published_verdict_id is not None else 2
            judged.append((_order(tier, verdict), row.id, verdict))
    if external:
        for ext in _external_candidates(words):
            verdict = judge(wanted, read(ext.claim_text))
            if verdict.match is not None:
                judged.append((_order(1, verdict), -ext.id, verdict))
    judged.sort(key=lambda item: (item[0], -item[1]))
    top = judged[:limit]
    claim_ids = [i for _k, i, _v in top if i > 0]
    external_ids = [-i for _k, i, _v in top if i < 0]
    claims = (
        {
            c.id: c
            for c in db.session.scalars(
                select(Claim)
                .where(Claim.id.in_(claim_ids))
                .options(joinedload(Claim.published_verdict).joinedload(Verdict.rating))
            ).unique()
        }
        if claim_ids
        else {}
    )
    externals = (
        {
            e.id: e
            for e in db.session.scalars(
                select(ExternalFactCheck).where(ExternalFactCheck.id.in_(external_ids))
            )
        }
        if external_ids
        else {}
    )
    suggestions = []
    for _key, ident, verdict in top:
        if ident > 0 and ident in claims:
            suggestions.append(_suggestion(verdict, claim=claims[ident]))
        elif ident < 0 and -ident in externals:
            suggestions.append(_suggestion(verdict, external=externals[-ident]))
    return suggestions


def _order(tier: int, verdict: Judgement) -> tuple[int, bool, bool, float]:
    return (tier, verdict.match != Match.SAME, verdict.by_meaning, -verdict.score)


class _Meaning:
    """The semantic backend for one query text: its vector, encoded once."""

    def __init__(self, text: str) -> None:
        from . import embeddings

        self._embeddings = embeddings
        self.thresholds = embeddings.thresholds()
        self.vector = embeddings.encode(text)

    def nearest(self) -> dict[int, float]:
        return self._embeddings.nearest(self.vector)

    def cosines(self, claim_ids: list[int], known: dict[int, float]) -> dict[int, float]:
        found = dict(known)
        found.update(
            self._embeddings.cosines_for(self.vector, [i for i in claim_ids if i not in known])
        )
        return found


def _by_meaning(text: str) -> _Meaning | None:
    from . import embeddings

    if not embeddings.enabled():
        return None
    try:
        return _Meaning(text)
    except semantic.ModelUnavailable as exc:
        # A model that cannot be loaded leaves matching lexical, never broken.
        log.warning("semantic matching is off: %s", exc)
        return None


def similar_to_claim(claim: Claim, *, public_only: bool, limit: int = LIMIT) -> list[Suggestion]:
    return similar(claim.text, exclude=claim.id, public_only=public_only, limit=limit)


def _suggestion(
    verdict: Judgement, *, claim: Claim | None = None, external: ExternalFactCheck | None = None
) -> Suggestion:
    assert verdict.match is not None
    return Suggestion(verdict.score, verdict.match, verdict.reason, claim, external)


def _claim_candidates(
    words: Sequence[str], *, exclude: int | None, public_only: bool, extra: Iterable[int] = ()
) -> list[Row[Any]]:
    from ..search import backend_for

    conn = db.session.connection()
    backend = backend_for(conn)
    pool: set[int] = set()
    # The most selective query first: a claim sharing all the telling words, however
    # old; then every pair of the three most telling words, then each word alone (the
    # newest matches). Each query is bounded, so the pool is too.
    queries: list[tuple[list[str], int]] = []
    if len(words) > 1:
        queries.append((list(words), ALL_WORDS))
    if len(words) > 2:
        queries += [(list(pair), PER_PAIR) for pair in combinations(words[:3], 2)]
    queries += [([word], PER_WORD) for word in words]
    for terms, limit in queries:
        pool.update(backend.matching_ids(conn, terms, limit, newest=True))
    if not public_only:
        pool.update(db.session.scalars(select(Claim.id).order_by(Claim.id.desc()).limit(RECENT)))
    pool.update(extra)
    pool.discard(exclude or 0)
    if not pool:
        return []
    query = select(Claim.id, Claim.text, Claim.published_verdict_id).where(
        Claim.id.in_(sorted(pool))
    )
    if public_only:
        query = query.where(Claim.published_verdict_id.is_not(None))
    return list(db.session.execute(query))


def _external_candidates(words: Sequence[str]) -> list[Row[Any]]:
    ids: set[int] = set()
    for word in words:
        ids.update(
            db.session.scalars(
                select(ExternalFactCheckWord.factcheck_id)
                .where(ExternalFactCheckWord.stem == word)
                .order_by(ExternalFactCheckWord.factcheck_id.desc())
                .limit(EXTERNAL_PER_WORD)
            )
        )
    if not ids:
        return []
    return list(
        db.session.execute(
            select(ExternalFactCheck.id, ExternalFactCheck.claim_text).where(
                ExternalFactCheck.id.in_(sorted(ids))
            )
        )
    )
