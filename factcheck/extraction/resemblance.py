"""Do two short texts ask about the same claim? Content words and figures, no database.

Readers word the same claim differently ("the tram line cost the city €40m",
"City hall spent 40 million euros on the new tram"), so plain string
similarity misses them. Here each text becomes a set of word stems (function
words dropped, words cut to a common stem) and a set of figures (digits,
number words, "per cent" / "%", "m" / "million", thousands separators, all
read to one number). Two texts resemble each other when most of the shorter
one's stems are in the longer one; they are about the *same* claim only when
their figures agree as well.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .normalize import strip_diacritics

STEM_LENGTH = 5
SAME_THRESHOLD = 0.6
RELATED_THRESHOLD = 0.4

_STOPWORDS = frozenset(
    """
    a an the and or but if of to in on at by for from with about as into over under
    after before than then that this these those there here it its it's is are was were
    be been being am do does did done has have had having will would shall should can
    could may might must not no nor so too very just also only even still yet
    i me my we us our you your he him his she her they them their who whom whose which
    what when where why how all any both each every some such more most much many
    other another same own true really actually heard read saw seen say says said claim
    claims someone somebody people apparently supposedly allegedly check please
    й і та але або що це цей ця ці той та те ті як так не ні чи бо на в у з із до від
    за по про для під над при його її їх він вона вони ми ви я ти є був була було були
    буде правда кажуть чув чула читав читала
    и а но или что это этот эта эти тот как так не ни ли на в во с со к ко от по о об
    для под над при его ее её их он она они мы вы я ты есть был была было были будет
    правда говорят слышал слышала читал читала
    """.split()
)

_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "half": 0.5,
}  # fmt: skip
_SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "millions": 1e6, "m": 1e6, "mln": 1e6,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12,
    "тисяч": 1e3, "тис": 1e3, "тысяч": 1e3, "тыс": 1e3, "мільйон": 1e6, "мільйонів": 1e6,
    "млн": 1e6, "миллион": 1e6, "миллионов": 1e6, "мільярд": 1e9, "мільярдів": 1e9,
    "млрд": 1e9, "миллиард": 1e9, "миллиардов": 1e9,
}  # fmt: skip
_PERCENT_WORDS = ("per cent", "percent", "відсотк", "процент", "%")
_CURRENCY = {"€": "eur", "euro": "eur", "euros": "eur", "$": "usd", "dollar": "usd",
             "dollars": "usd", "£": "gbp", "pound": "gbp", "pounds": "gbp",
             "гривень": "uah", "грн": "uah", "hryvnias": "uah"}  # fmt: skip

# Words that say the same thing in news about figures: one stem for each meaning,
# so "fell" and "dropped" agree and "rose" and "fell" are seen to disagree.
_SYNONYMS = {
    **dict.fromkeys("fell fall falls fallen falling dropped drop drops declined decline "
                    "declines decreased decrease decreases shrank shrunk shrinks lower "
                    "down cut cuts reduced".split(), "_down"),
    **dict.fromkeys("rose rise rises risen rising increased increase increases grew grow "
                    "grows grown climbed climb climbs higher up doubled tripled "
                    "raised".split(), "_up"),
    **dict.fromkeys("spent spend spends spending cost costs costed paid pay pays "
                    "invested".split(), "_spend"),
}  # fmt: skip
_OPPOSITE = {"_up": "_down", "_down": "_up"}

# 1,234,567 / 1 234 567 / 4.1 / 4,1 (a decimal comma when followed by one or two digits)
_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:[ ,\u00a0\u202f]\d{3})+|\d+(?:[.,]\d+)?)"
    r"\s*(%|per ?cent|відсотк\w*|процент\w*|[a-zа-яіїєґ]+)?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class Fingerprint:
    stems: frozenset[str]
    figures: frozenset[str]


def _read_number(digits: str) -> float:
    compact = re.sub(r"[ \u00a0\u202f]", "", digits)
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", compact):
        compact = compact.replace(",", "")
    elif re.fullmatch(r"\d+,\d{1,2}", compact):
        compact = compact.replace(",", ".")
    else:
        compact = compact.replace(",", "")
    return float(compact)


def _figure(value: float, unit: str) -> str:
    text = f"{value:.6g}"
    return f"{text}{unit}"


def figures(text: str) -> frozenset[str]:
    """Every figure in the text, read to one form: "4.1%", "40000000" (units apart)."""
    lowered = text.lower()
    found: set[str] = set()
    for match in _NUMBER.finditer(lowered):
        value = _read_number(match.group(1))
        follower = (match.group(2) or "").strip()
        unit = ""
        if follower.startswith(_PERCENT_WORDS):
            unit = "%"
        elif follower in _SCALES:
            value *= _SCALES[follower]
        found.add(_figure(value, unit))
    # Number words: "four point one per cent", "forty million", "half".
    words = re.findall(r"[a-z]+", lowered)
    i = 0
    while i < len(words):
        if words[i] in _NUMBER_WORDS and words[i] != "half":
            value = float(_NUMBER_WORDS[words[i]])
            j = i + 1
            while j < len(words) and words[j] in _NUMBER_WORDS and words[j] != "half":
                if words[j] == "hundred":
                    value *= 100
                else:
                    value += _NUMBER_WORDS[words[j]]
                j += 1
            if j + 1 < len(words) and words[j] == "point" and words[j + 1] in _NUMBER_WORDS:
                value += _NUMBER_WORDS[words[j + 1]] / 10
                j += 2
            unit = ""
            rest = " ".join(words[j : j + 2])
            if rest.startswith(("per cent", "percent")):
                unit = "%"
            elif j < len(words) and words[j] in _SCALES:
                value *= _SCALES[words[j]]
            found.add(_figure(value, unit))
            i = j
        else:
            i += 1
    return frozenset(found)


def _stem(word: str) -> str:
    return _SYNONYMS.get(word) or word[:STEM_LENGTH]


def fingerprint(text: str) -> Fingerprint:
    """The content-word stems and the figures of a text."""
    plain = strip_diacritics(text).casefold()
    stems = set()
    for word in _WORD.findall(plain):
        if len(word) < 2 or word in _STOPWORDS or word in _SCALES or word in _CURRENCY:
            continue
        if word in _NUMBER_WORDS or word in ("point", "cent", "percent"):
            continue
        stems.add(_stem(word))
    for sign, code in _CURRENCY.items():
        if sign in plain:
            stems.add(code)
    for word in _WORD.findall(plain):
        if word in _CURRENCY:
            stems.add(_CURRENCY[word])
    stems = {s if s not in _CURRENCY else _CURRENCY[s] for s in stems}
    return Fingerprint(frozenset(stems), figures(text))


def overlap(a: Fingerprint, b: Fingerprint) -> float:
    """0..1: how much of the smaller text's content words the other shares."""
    if not a.stems or not b.stems:
        return 0.0
    shared = len(a.stems & b.stems)
    containment = shared / min(len(a.stems), len(b.stems))
    jaccard = shared / len(a.stems | b.stems)
    return round(0.7 * containment + 0.3 * jaccard, 3)


def judge(a: Fingerprint, b: Fingerprint) -> tuple[float, str | None]:
    """(score, "same" | "related" | None): same needs close words, the same figures and
    no opposite direction ("rose" against "fell")."""
    score = overlap(a, b)
    opposed = any(_OPPOSITE[d] in b.stems for d in ("_up", "_down") if d in a.stems)
    if score >= SAME_THRESHOLD and a.figures == b.figures and not opposed:
        return score, "same"
    if score >= RELATED_THRESHOLD:
        return score, "related"
    return score, None


def text_key(text: str) -> str:
    """A hash of the text's words in order, lower-cased: equal for a reader's repeated sends."""
    words = " ".join(re.findall(r"\w+", strip_diacritics(text).casefold()))
    return hashlib.sha256(words.encode()).hexdigest()
