"""Figures in a claim, normalised: "€245m", "245 million euros" and "EUR 245,000,000" are one.

Pure functions over text (English, Ukrainian, Russian). A figure is a value and a
unit (``%``, a currency code, or ``""`` for a count); a year on its own is a time
frame, not a figure, and is returned apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {
    "%": "%",
    "per cent": "%",
    "percent": "%",
    "pct": "%",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "₴": "UAH",
    "uah": "UAH",
    "грн": "UAH",
    "hryvnia": "UAH",
    "hryvnias": "UAH",
    "hryvnas": "UAH",
    "₽": "RUB",
    "rub": "RUB",
    "rouble": "RUB",
    "roubles": "RUB",
    "ruble": "RUB",
    "rubles": "RUB",
}
# Cyrillic unit words, matched by their stem (every case ending).
_UNIT_STEMS = (
    ("відсот", "%"),
    ("процент", "%"),
    ("євро", "EUR"),
    ("евро", "EUR"),
    ("долар", "USD"),
    ("доллар", "USD"),
    ("гривн", "UAH"),
    ("гривен", "UAH"),
    ("рубл", "RUB"),
    ("фунт", "GBP"),
)
_SCALES = {
    "k": 1e3,
    "thousand": 1e3,
    "thousands": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "bn": 1e9,
    "b": 1e9,
    "billion": 1e9,
    "billions": 1e9,
    "trillion": 1e12,
    "тис": 1e3,
    "тыс": 1e3,
    "млн": 1e6,
    "млрд": 1e9,
    "трлн": 1e12,
}
_SCALE_STEMS = (
    ("тисяч", 1e3),
    ("тысяч", 1e3),
    ("мільйон", 1e6),
    ("миллион", 1e6),
    ("мільярд", 1e9),
    ("миллиард", 1e9),
)
_WORD_NUMBERS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "один": 1,
    "одна": 1,
    "два": 2,
    "дві": 2,
    "две": 2,
    "три": 3,
    "чотири": 4,
    "четыре": 4,
    "пять": 5,
    "пʼять": 5,
    "шість": 6,
    "шесть": 6,
    "сім": 7,
    "семь": 7,
    "вісім": 8,
    "восемь": 8,
    "девять": 9,
    "десять": 10,
}
_TENS = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
# Month names in the forms a claim uses them (English; Ukrainian and Russian
# nominative, genitive and locative), to their number.
_MONTH_FORMS = (
    "january february march april may june july august september october november december",
    "січень лютий березень квітень травень червень липень серпень вересень жовтень листопад "
    "грудень",
    "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
    "січні лютому березні квітні травні червні липні серпні вересні жовтні листопаді грудні",
    "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "январе феврале марте апреле мае июне июле августе сентябре октябре ноябре декабре",
)
MONTHS = {word: n + 1 for line in _MONTH_FORMS for n, word in enumerate(line.split())}

# A token: a number as written (thousands separators, a decimal point or comma), a
# currency sign or %, or a word.
_TOKEN = re.compile(
    r"\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?:\.\d+)?(?!\d)"
    r"|\d+(?:[.,]\d+)?"
    r"|[%€$£₴₽]"
    r"|[^\W\d_]+(?:['’ʼ][^\W\d_]+)?",
    re.UNICODE,
)


@dataclass(frozen=True)
class Figure:
    value: float
    unit: str  # "%", a currency code, or "" for a count

    def __str__(self) -> str:
        return f"{self.value:g}{self.unit}"


@dataclass(frozen=True)
class Figures:
    figures: tuple[Figure, ...]
    years: frozenset[int]
    months: frozenset[int]


def _number(token: str) -> float | None:
    # isdigit() is also true of superscripts and other digit-like signs ("¹", "²"),
    # which float() refuses: such a token is not a figure.
    if not token[0].isdecimal():
        return None
    try:
        if re.fullmatch(r"\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?:\.\d+)?", token):
            return float(re.sub(r"[,\u00a0\u202f ]", "", token))
        return float(token.replace(",", "."))
    except ValueError:
        return None


_UNIT_STEM = re.compile("|".join(stem for stem, _unit in _UNIT_STEMS))
_SCALE_STEM = re.compile("|".join(stem for stem, _scale in _SCALE_STEMS))


def _unit(token: str) -> str | None:
    if token in _UNITS:
        return _UNITS[token]
    found = _UNIT_STEM.match(token)
    return dict(_UNIT_STEMS)[found.group()] if found else None


def _scale(token: str) -> float | None:
    if token in _SCALES:
        return _SCALES[token]
    found = _SCALE_STEM.match(token)
    return dict(_SCALE_STEMS)[found.group()] if found else None


def _tokens(text: str) -> list[str]:
    lowered = text.lower().replace("per cent", "percent")
    # "€245m", "$1.2bn", "900k": split the scale letter off the digits.
    lowered = re.sub(r"(\d)(k|m|mn|bn|b)\b", r"\1 \2", lowered)
    return _TOKEN.findall(lowered)


def _word_number(tokens: list[str], i: int) -> tuple[float, int] | None:
    """An English or Cyrillic number in words at ``i``: its value and the tokens used."""
    token = tokens[i]
    if token not in _WORD_NUMBERS:
        return None
    value = float(_WORD_NUMBERS[token])
    used = 1
    if token in _TENS and i + 1 < len(tokens) and tokens[i + 1] in _WORD_NUMBERS:
        following = _WORD_NUMBERS[tokens[i + 1]]
        if following < 10:
            value += following
            used += 1
    if i + used < len(tokens) and tokens[i + used] == "hundred":
        value *= 100
        used += 1
        # "two hundred and forty-five"
        rest = tokens[i + used + 1 :] if tokens[i + used : i + used + 1] == ["and"] else []
        if rest and rest[0] in _WORD_NUMBERS and _WORD_NUMBERS[rest[0]] < 100:
            value += _WORD_NUMBERS[rest[0]]
            used += 2
            if rest[0] in _TENS and len(rest) > 1 and rest[1] in _WORD_NUMBERS:
                if _WORD_NUMBERS[rest[1]] < 10:
                    value += _WORD_NUMBERS[rest[1]]
                    used += 1
    if i + used + 1 < len(tokens) and tokens[i + used] == "point":
        digit = tokens[i + used + 1]
        if digit in _WORD_NUMBERS and _WORD_NUMBERS[digit] < 10:
            value += _WORD_NUMBERS[digit] / 10
            used += 2
    # "one and a half million"
    if tokens[i + used : i + used + 3] == ["and", "a", "half"]:
        value += 0.5
        used += 3
    return value, used


def extract(text: str) -> Figures:
    """Every figure in ``text`` with its unit, and the years and months it names."""
    tokens = _tokens(text)
    figures: list[Figure] = []
    years: set[int] = set()
    months = {MONTHS[t] for t in tokens if t in MONTHS}
    i = 0
    while i < len(tokens):
        token = tokens[i]
        value = _number(token)
        used = 1
        if value is None:
            spelled = _word_number(tokens, i)
            if spelled is None:
                i += 1
                continue
            value, used = spelled
        unit = ""
        # A currency sign or code before the number ("€245m", "EUR 245", "$3.5bn").
        if i > 0 and _unit(tokens[i - 1]) not in (None, "%"):
            unit = _unit(tokens[i - 1]) or ""
        j = i + used
        scaled = False
        while j < len(tokens):
            scale = _scale(tokens[j])
            if scale is not None and not scaled:
                value *= scale
                scaled = True
                j += 1
                continue
            after = _unit(tokens[j])
            if after is not None and not unit:
                unit = after
                j += 1
            break
        is_year = (
            not unit
            and not scaled
            and value.is_integer()
            and 1900 <= value <= 2100
            and token.isdigit()
            and len(token) == 4
        )
        if is_year:
            years.add(int(value))
        elif token.isdigit() or value != 1 or unit or scaled:
            # A lone "one" ("one of the best") is not a figure.
            figures.append(Figure(round(value, 6), unit))
        i = j
    return Figures(tuple(figures), frozenset(years), frozenset(months))


def compatible(a: Figures, b: Figures) -> bool:
    """The two texts state the same figures for the same time frame.

    Units must agree where both give one (a bare "4.1" matches "4.1%"); a text
    without any figure is compatible only with another one without.
    """
    if a.years and b.years and a.years != b.years:
        return False
    if a.months and b.months and a.months != b.months:
        return False
    if bool(a.years) != bool(b.years) and (a.figures or b.figures):
        # One names the year and the other does not: the time frame may differ.
        return False
    left, right = list(a.figures), list(b.figures)
    if len(left) != len(right):
        return False
    for figure in left:
        found = next(
            (
                other
                for other in right
                if abs(other.value - figure.value) <= 1e-9 * max(1.0, abs(figure.value))
                and (other.unit == figure.unit or not other.unit or not figure.unit)
            ),
            None,
        )
        if found is None:
            return False
        right.remove(found)
    return True
