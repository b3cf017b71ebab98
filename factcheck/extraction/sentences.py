"""Sentence splitting with pysbd, paragraph by paragraph."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import pysbd

# pysbd has no Ukrainian model; its Russian rules (abbreviations, initials)
# are the closest fit for any Cyrillic text.
_PYSBD_LANGUAGE = {"en": "en", "ru": "ru", "uk": "ru"}
# A paragraph and the break after it, found one at a time (no list of paragraphs).
_PARAGRAPH_BREAK = re.compile(r"(?P<paragraph>.*?)\n\s*\n", re.S)
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


# Above this size an English text is split with the fast rules below: pysbd
# costs about 1 ms a sentence, which is minutes for a monitoring service's day.
FAST_SPLIT_CHARS = 200_000
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sen rep gov gen col lt sgt capt st mt jr sr inc ltd co corp no vs
    etc jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m
    approx est dept univ ave fig""".split()
)
_FAST_BOUNDARY = re.compile(r"([.!?…]+[\"”’»)]*)\s+(?=[\"“‘«(]?[A-Z0-9])")


def _fast_split(paragraph: str) -> list[str]:
    """Sentence ends: . ! ? (and a closing quote) before a capital, except after an
    abbreviation ("Mr.", "U.S.") or an initial ("J.")."""
    sentences: list[str] = []
    start = 0
    for match in _FAST_BOUNDARY.finditer(paragraph):
        before = paragraph[start : match.start()]
        last = before.rsplit(None, 1)[-1] if before.split() else ""
        word = last.lstrip('"“‘«(').casefold()
        if match.group(1) == "." and (
            word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())
        ):
            continue
        sentences.append(paragraph[start : match.end(1)].strip())
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def _paragraphs(body: str) -> Iterator[str]:
    end = 0
    for found in _PARAGRAPH_BREAK.finditer(body):
        end = found.end()
        yield found["paragraph"]
    yield body[end:]


def iter_sentences(body: str, language: str = "en") -> Iterator[str]:
    """The body's sentences in order, one at a time; a paragraph break always ends one."""
    fast = language == "en" and len(body) > FAST_SPLIT_CHARS
    segmenter = _segmenter(language)
    for paragraph in _paragraphs(body):
        paragraph = " ".join(paragraph.split())
        if fast:
            yield from _fast_split(paragraph)
            continue
        for chunk in _chunks(paragraph):
            yield from (s.strip() for s in segmenter.segment(chunk) if s.strip())


def split_sentences(body: str, language: str = "en") -> list[str]:
    """The body's sentences in order; a paragraph break always ends a sentence."""
    return list(iter_sentences(body, language))
