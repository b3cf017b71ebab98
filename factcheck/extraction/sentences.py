"""Sentence splitting with pysbd, paragraph by paragraph."""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd

# pysbd has no Ukrainian model; its Russian rules (abbreviations, initials)
# are the closest fit for any Cyrillic text.
_PYSBD_LANGUAGE = {"en": "en", "ru": "ru", "uk": "ru"}
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# pysbd slows down quadratically on very long paragraphs (a page flattened
# into one line takes seconds), so those are cut first at safe boundaries: a
# full stop after a lowercase word of four letters or more, never "Mr." or "U.S.".
_LONG_PARAGRAPH = 3000
_SAFE_BOUNDARY = re.compile(r"(?<=[^\W\d_]{4}[.!?])\s+(?=[^\W\d_]|[\"“«])")


@lru_cache(maxsize=8)
def _segmenter(language: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=_PYSBD_LANGUAGE.get(language, "en"), clean=False)


def _chunks(paragraph: str) -> list[str]:
    if len(paragraph) <= _LONG_PARAGRAPH:
        return [paragraph]
    chunks: list[str] = []
    current = ""
    for piece in _SAFE_BOUNDARY.split(paragraph):
        while len(piece) > _LONG_PARAGRAPH:  # no boundary at all: cut at a space
            cut = piece.rfind(" ", 0, _LONG_PARAGRAPH)
            cut = cut if cut > 0 else _LONG_PARAGRAPH
            chunks.append(piece[:cut])
            piece = piece[cut:].lstrip()
        if current and len(current) + len(piece) > _LONG_PARAGRAPH:
            chunks.append(current)
            current = ""
        current = f"{current} {piece}" if current else piece
    if current:
        chunks.append(current)
    return chunks


def split_sentences(body: str, language: str = "en") -> list[str]:
    """The body's sentences in order; a paragraph break always ends a sentence."""
    segmenter = _segmenter(language)
    sentences: list[str] = []
    for paragraph in _PARAGRAPH_BREAK.split(body):
        paragraph = " ".join(paragraph.split())
        for chunk in _chunks(paragraph):
            sentences.extend(s.strip() for s in segmenter.segment(chunk) if s.strip())
    return sentences
