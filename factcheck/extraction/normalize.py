"""Text normalisation shared by speaker lookup and claim matching."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WHITESPACE = re.compile(r"\s+")
# Punctuation carries no meaning for matching; apostrophes inside words are
# dropped rather than spaced so "Vole's" and "Voles" stay one token.
_APOSTROPHES = re.compile(r"['’ʼ`]")
_NON_WORD = re.compile(r"[^\w%]+")


def strip_diacritics(text: str) -> str:
    """Remove combining marks, so "José" and "Jose" compare equal.

    Cyrillic "й" and "ї" are decomposed too; that is acceptable for matching
    because both sides of a comparison go through the same function.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=16384)  # speaker lookups fold the same few names again and again
def normalize_name(name: str) -> str:
    """Casefold, strip diacritics and collapse whitespace for name and alias lookup."""
    # "O’Reilly" and "O'Reilly" are one name.
    folded = strip_diacritics(name).casefold().replace("’", "'").replace("ʼ", "'")
    return _WHITESPACE.sub(" ", folded).strip()


def normalize_text(text: str) -> str:
    """Normalise claim text for fuzzy comparison: like names, minus punctuation."""
    folded = normalize_name(_APOSTROPHES.sub("", text))
    return _WHITESPACE.sub(" ", _NON_WORD.sub(" ", folded)).strip()
