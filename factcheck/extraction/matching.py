"""Claim matching: does an earlier claim answer this one (``same``), or only touch it (``related``)?

Pure functions over text (English, Ukrainian, Russian). Two claims are the
``same`` when they say the same thing about the same subject: the same figures
(normalised, see ``figures``), the same direction ("rose" / "fell"), the same
time frame, the same negation, and the same significant words up to word
endings; verbs that only carry the sentence ("is", "has", "reached") may differ.
Anything less that shares words is ``related``. Lexical matching does not see
across languages: a claim and its translation share only names and figures.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from rapidfuzz import fuzz

from .figures import MONTHS, Figures, compatible, extract
from .normalize import normalize_text

SAME_MIN_SCORE = 0.55
RELATED_MIN_SCORE = 0.3

_STOPWORDS = frozenset(
    """
    a an the of in on at to for from by with and or but as is are was were be been being
    its it this that these those there their they his her he she we our you your than
    then so such any other each every all some about into over under between per since
    during while also still already just only very most least over again
    will would can could should may might must do does did has have had s
    у в на до з із зі с за і й и та що что як как це это цей этот від от по при для
    про о об а але но же ж чи ли
    """.split()
)
# Verbs that carry a sentence without changing what it says about its subject.
_LIGHT_WORDS = frozenset(
    """
    is are was were be has have had got get gets reached reach reaches stands stand
    stood comes come came made make makes carries carry carried ride rides run runs
    went go goes goes received receive receives handled handle through amounts
    amounted totals totalled rate level number share figure total there every
    становить становив становила складає составляет составил составила має має
    мала имеет имел коштував коштувала стоил стоила
    """.split()
)
_ABBREVIATIONS = {
    "km": "kilometres",
    "kms": "kilometres",
    "kilometers": "kilometres",
    "kg": "kilograms",
    "govt": "government",
    "gov": "government",
}
_UP = (
    "rose risen rise rises rising increase grew grow grows grown growing climb soar jump "
    "up higher more doubl tripl raise boost gain expand "
    "зрос збільш підвищ піднял підня вирос выро увелич повыс подня"
).split()
_DOWN = (
    "fell fall falls fallen falling decreas declin drop shrank shrunk shrink "
    "cut down lower less fewer reduc plung slump lost lose contract "
    "знизи зниж зменш скороти впав впал упал упав сниз уменьш сократ"
).split()
_NEGATIONS = frozenset("not no never none nothing не ні нет ни".split())
# "didn't" once normalised (apostrophes dropped).
_CONTRACTED_NOT = frozenset(
    "dont doesnt didnt isnt arent wasnt werent wont cant couldnt shouldnt wouldnt hasnt "
    "havent hadnt aint".split()
)
_NUMBER_WORDS = frozenset(
    """
    zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy
    eighty ninety hundred thousand thousands million millions billion billions trillion
    point half k m mn mln bn b percent pct eur euro euros usd dollar dollars gbp pound
    pounds uah hryvnia hryvnias rub rouble roubles ruble rubles
    один одна два дві две три чотири четыре тис тыс млн млрд трлн грн
    """.split()
)
_NUMBER_STEMS = (
    "відсот процент євро евро долар доллар гривн гривен рубл фунт тисяч тысяч "
    "мільйон миллион мільярд миллиард"
).split()
_TIME_WORDS = frozenset("рік року році роки год году года лет".split())
_STEM_LENGTH = 5


class Match(StrEnum):
    SAME = "same"
    RELATED = "related"


@dataclass(frozen=True)
class ClaimText:
    """What matching reads from one claim, computed once."""

    text: str
    normalized: str
    content: frozenset[str]  # stems of the words that say something
    significant: frozenset[str]  # content minus verbs that only carry the sentence
    entities: frozenset[str]  # stems of capitalised words (names of places, people, bodies)
    figures: Figures
    up: bool
    down: bool
    negated: bool


@dataclass(frozen=True)
class Judgement:
    score: float
    match: Match | None  # None: not even related
    reason: str  # why it is not ``same`` ("" when it is)
    by_meaning: bool = False  # judged by a sentence-embedding cosine, not by shared words


def stem(word: str) -> str:
    return word[:_STEM_LENGTH]


def _prefixes(stems: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(sorted(stems, key=len, reverse=True)))


_UP_WORD = _prefixes(_UP)
_DOWN_WORD = _prefixes(_DOWN)
_NUMBER_STEM = _prefixes(_NUMBER_STEMS)


def _is_number_word(word: str) -> bool:
    return (
        word in _NUMBER_WORDS or word.replace(".", "").isdigit() or bool(_NUMBER_STEM.match(word))
    )


# A capitalised word that does not start a sentence: a name of a place, person or body.
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-ZА-ЯІЇЄҐ][\w’'-]+")


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    return normalize_text(word)


@lru_cache(maxsize=16384)
def read(text: str) -> ClaimText:
    """The parts of a claim that matching compares."""
    normalized = normalize_text(text)
    words = [_ABBREVIATIONS.get(w, w) for w in normalized.split()]
    content: set[str] = set()
    significant: set[str] = set()
    up = down = negated = False
    for word in words:
        if word in _NEGATIONS or word in _CONTRACTED_NOT:
            negated = True
            continue
        if _UP_WORD.match(word) and not word.startswith("upon"):
            up = True
            continue
        if _DOWN_WORD.match(word) and word not in ("downtown",):
            down = True
            continue
        if word in _STOPWORDS or word in _TIME_WORDS or _is_number_word(word):
            continue
        if any(ch.isdigit() for ch in word) or word in MONTHS:
            continue
        content.add(stem(word))
        if word not in _LIGHT_WORDS:
            significant.add(stem(word))
    entities = frozenset(
        stem(key)
        for key in map(_word_key, _CAPITALISED.findall(text.strip()))
        if key and key not in _STOPWORDS and not _is_number_word(key)
    )
    return ClaimText(
        text=text,
        normalized=normalized,
        content=frozenset(content),
        significant=frozenset(significant),
        entities=entities,
        figures=extract(text),
        up=up,
        down=down,
        negated=negated,
    )


def _same_stem(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 4 and long.startswith(short)


@lru_cache(maxsize=8192)
def _stem_prefixes(words: frozenset[str]) -> frozenset[str]:
    """Every prefix of four letters or more of these words (the words included)."""
    return frozenset(w[:k] for w in words for k in range(4, len(w) + 1))


def _unmatched(left: frozenset[str], right: frozenset[str]) -> set[str]:
    """The words of ``left`` with no word of ``right`` of the same stem (``_same_stem``):
    an exact match, or one word a prefix of four letters or more of the other. Looked up
    in sets (the right side's prefixes, the left word's prefixes), not pair by pair."""
    rest = left - right
    if not rest:
        return set()
    prefixes = _stem_prefixes(right)
    return {
        w
        for w in rest
        if not ((len(w) >= 4 and w in prefixes) or any(w[:k] in right for k in range(4, len(w))))
    }


def _dice(left: frozenset[str], right: frozenset[str]) -> float:
    if not left or not right:
        return 0.0
    shared = len(left) - len(_unmatched(left, right))
    shared_back = len(right) - len(_unmatched(right, left))
    return (shared + shared_back) / (len(left) + len(right))


def judge(new: ClaimText, earlier: ClaimText) -> Judgement:
    """How ``earlier`` answers ``new``: its score (0..1) and ``same``, ``related`` or neither."""
    if not new.normalized or not earlier.normalized:
        return Judgement(0.0, None, "empty")
    words = _dice(new.content, earlier.content)
    wording = fuzz.token_set_ratio(new.normalized, earlier.normalized) / 100.0
    score = round(0.7 * words + 0.3 * wording, 3)
    if new.normalized == earlier.normalized:
        return Judgement(1.0, Match.SAME, "")
    shared = new.significant and len(_unmatched(new.significant, earlier.significant)) < len(
        new.significant
    )
    if score < RELATED_MIN_SCORE or not shared:
        return Judgement(score, None, "too different")
    reason = _why_not_same(new, earlier)
    if reason or score < SAME_MIN_SCORE:
        return Judgement(min(score, 0.94), Match.RELATED, reason or "wording differs")
    return Judgement(score, Match.SAME, "")


def hard_reason(a: ClaimText, b: ClaimText) -> str:
    """What stops two claims close in meaning from being the same, read in any language:
    opposite directions, a negation, another figure or time frame ("" when none)."""
    if (a.up and not a.down and b.down and not b.up) or (
        a.down and not a.up and b.up and not b.down
    ):
        return "the opposite direction"
    if a.negated != b.negated:
        return "one says the opposite (a negation)"
    if not compatible(a.figures, b.figures):
        return "another figure or time frame"
    return ""


def _why_not_same(a: ClaimText, b: ClaimText) -> str:
    if reason := hard_reason(a, b):
        return reason
    if _unmatched(a.entities, b.content | b.entities) or _unmatched(
        b.entities, a.content | a.entities
    ):
        return "another place, person or body"
    only_a = _unmatched(a.significant, b.significant)
    only_b = _unmatched(b.significant, a.significant)
    if only_a and only_b:
        return "another subject"
    if len(only_a) + len(only_b) > 1:
        return "says more than the other"
    return ""


def similarity(a: str, b: str) -> float:
    """Similarity of two claim texts, 0..1."""
    return judge(read(a), read(b)).score


def rank(
    text: str, candidates: Iterable[tuple[int, str]], limit: int = 5
) -> list[tuple[int, Judgement]]:
    """The candidates that are ``same`` or ``related`` to ``text``: same first, then by score."""
    if limit <= 0:
        return []
    wanted = read(text)
    judged = []
    for order, (candidate_id, candidate_text) in enumerate(candidates):
        verdict = judge(wanted, read(candidate_text))
        if verdict.match is not None:
            judged.append(
                ((verdict.match == Match.SAME, verdict.score, -order), candidate_id, verdict)
            )
    best = heapq.nlargest(limit, judged, key=lambda item: item[0])
    return [(candidate_id, verdict) for _key, candidate_id, verdict in best]


def search_words(text: str, limit: int = 4) -> list[str]:
    """The claim's most telling words (longest significant ones), as index prefixes."""
    claim = read(text)
    words = {w for w in normalize_text(text).split() if stem(w) in claim.significant}
    longest = sorted(words, key=lambda w: (-len(w), w))
    chosen: list[str] = []
    for word in longest:
        if stem(word) not in chosen:
            chosen.append(stem(word))
    return chosen[:limit]
