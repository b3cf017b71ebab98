"""Claim matching: how close a new claim's text is to claims already logged."""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from rapidfuzz import fuzz

from factcheck.extraction.normalize import normalize_text

# token_set_ratio alone rates "X" and "X plus a long tail" as identical, which
# would link a short claim to every longer claim containing it; blending in
# the plain ratio keeps length differences visible.
_TOKEN_SET_WEIGHT = 0.6


def _similarity_of_normalized(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    token_set = fuzz.token_set_ratio(a, b) / 100.0
    plain = fuzz.ratio(a, b) / 100.0
    return _TOKEN_SET_WEIGHT * token_set + (1.0 - _TOKEN_SET_WEIGHT) * plain


def similarity(a: str, b: str) -> float:
    """Similarity of two claim texts, 0..1, ignoring case, diacritics and punctuation."""
    return _similarity_of_normalized(normalize_text(a), normalize_text(b))


def rank_similar(
    text: str,
    candidates: Iterable[tuple[int, str]],
    limit: int = 5,
    threshold: float = 0.5,
) -> list[tuple[int, float]]:
    """The ids of the candidate texts most similar to `text`, best first.

    Only pairs scoring at least `threshold` are returned; scores are rounded
    to 3 decimals and ties keep the candidates' original order.
    """
    if limit <= 0:
        return []
    wanted = normalize_text(text)
    scored = []
    for order, (candidate_id, candidate_text) in enumerate(candidates):
        score = _similarity_of_normalized(wanted, normalize_text(candidate_text))
        if score >= threshold:
            scored.append((score, -order, candidate_id))
    best = heapq.nlargest(limit, scored)
    return [(candidate_id, round(score, 3)) for score, _order, candidate_id in best]
