"""Check-worthiness: how much a statement asserts something that can be verified.

An additive score, so every point can be explained to a fact-checker as a
reason. Checkable features (numbers, comparisons, concrete actions, named
entities, dates) raise it; opinions, predictions, praise, hedges and
normative "should" statements lower it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BASE_SCORE = 0.3
# The "worth checking" threshold: candidates below it are offered as probably
# not worth checking (opinions, questions, feelings, predictions, praise) and
# can be discarded in one go. Its meaning on real text is measured by
# benchmarks/extraction.py (see benchmarks/README.md).
WORTH_CHECKING = 0.4


@dataclass(frozen=True)
class Feature:
    reason: str  # "{}" is replaced by the word that matched
    weight: float
    pattern: re.Pattern[str]


def _words(text: str) -> re.Pattern[str]:
    """A case-insensitive pattern for whole words; `text` lists regexes separated by spaces
    (write "more_than" for the phrase "more than")."""
    alternatives = [word.replace("_", r"\s+") for word in text.split()]
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.I)


_NUMBER = re.compile(
    r"\d+(?:[.,]\d+)*\s*(?:%|percent|per\s+cent|відсот\w*|процент\w*)?"
    r"|(?<![\w-])(?:hundreds?|thousands?|millions?|billions?|trillions?|dozens?|half|"
    r"twice|tripled|doubled|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    r"тисяч\w*|мільйон\w*|мільярд\w*|млн|млрд|тыс\w*|миллион\w*|миллиард\w*)(?![\w-])",
    re.I,
)
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_DATE = _words(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday last_year this_year in_the_past
    decade"""
)

FEATURES: tuple[Feature, ...] = (
    Feature(
        "comparison '{}'",
        0.15,
        _words(
            r"""more_than less_than fewer_than more_and_more \w{3,}er_than compared_(?:to|with)
            up_from down_from as_many_as as_much_as increase[sd]? decrease[sd]? rose risen fell
            fallen dropped grew grown doubled tripled halved highest lowest largest biggest
            smallest worst deadliest record twice_as зріс зросла зросли вдвічі більше менше
            вырос выросла больше меньше"""
        ),
    ),
    Feature(
        "factual verb '{}'",
        0.15,
        _words(
            r"""invest(?:ed|s)? spent spend(?:s|ing)? paid pays costs? built signed voted killed
            died injured wounded cut raised allocated funded approved passed banned closed opened
            hired fired lost won received sold bought produced exported imported employs employed
            launched seized occupied destroyed arrested convicted elected appointed ordered
            deployed delivered reduced earned owes borrowed collected recorded registered
            captured demand(?:ed|s)? exceeded reached totall?ed amounted done completed finished витратив витратили
            виділив виділили збудували підписав потратил\w* выделил\w*"""
        ),
    ),
    Feature(
        "opinion '{}' (-)",
        -0.2,
        _words(
            r"""believes? believed thinks? considers? feels? in_my_(?:opinion|view) i_think
            convinced вважає вважаю считает считаю"""
        ),
    ),
    Feature(
        "prediction '{}' (-)",
        -0.15,
        _words(
            r"""will won't would going_to looking_forward expects? hopes? future plans?_to
            intends?_to aims?_to aiming буде будуть будет будут"""
        ),
    ),
    Feature(
        "praise or opinion '{}' (-)",
        -0.25,
        _words(
            r"""best lucky incredible great greatest wonderful fantastic amazing excellent
            brilliant outstanding proud honou?red terrific magnificent remarkable tremendous
            beautiful perfect good_sign heroic visionary найкращ\w* чудов\w* лучш\w*"""
        ),
    ),
    Feature(
        "hedge '{}' (-)",
        -0.15,
        _words(
            r"""may might perhaps possibly probably likely could seems? appears? apparently maybe
            можливо возможно"""
        ),
    ),
    Feature(
        "normative or value judgement '{}' (-)",
        -0.15,
        _words(
            r"""should must needs?_to ought have_to has_to responsibility important critical
            essential necessary urgent wake-up_call повинн\w* должн\w*"""
        ),
    ),
)

_ENTITY_WEIGHT = 0.05
_ENTITY_CAP = 0.15
_CAPITALISED_RUN = re.compile(r"(?<![.!?]\s)\b([A-ZА-ЯІЇЄҐ][\w'’-]*(?:\s+[A-ZА-ЯІЇЄҐ][\w'’-]*)*)")


def named_entities(text: str) -> list[str]:
    """Capitalised names after the first word: a cheap stand-in for NER."""
    body = text.lstrip('“"«„ ')
    first_word = re.match(r"\S+\s*", body)
    start = first_word.end() if first_word else 0
    seen: list[str] = []
    for match in _CAPITALISED_RUN.finditer(body, start):
        name = re.sub(r"['’]s$", "", match.group(1))
        if name not in seen and name not in ("I",):
            seen.append(name)
    return seen


def score_statement(text: str, stance: str | None = None) -> tuple[float, list[str]]:
    """Check-worthiness of a claim text, 0..1 rounded to 2 decimals, with its reasons.

    `stance` is "opinion" or "prediction" when the frame verb already says so
    ("believes that", "expects that").
    """
    score = BASE_SCORE
    reasons: list[str] = []
    numbers = [m.group() for m in _NUMBER.finditer(text)]
    quantities = [n for n in numbers if not _YEAR.match(n.strip())]
    if quantities:
        score += 0.3
        reasons.append("contains a number or percentage")
    if len(quantities) < len(numbers) or _DATE.search(text):
        score += 0.05
        reasons.append("refers to a date")
    for feature in FEATURES:
        match = feature.pattern.search(text)
        if match:
            score += feature.weight
            reasons.append(feature.reason.format(match.group().lower()))
    entities = named_entities(text)
    if entities:
        score += min(_ENTITY_CAP, _ENTITY_WEIGHT * len(entities))
        reasons.append("names " + ", ".join(entities[:4]))
    if stance == "opinion":
        score -= 0.2
        reasons.append("framed as the speaker's belief (-)")
    elif stance == "prediction":
        score -= 0.15
        reasons.append("framed as an expectation (-)")
    if len(text.split()) < 5:
        score -= 0.1
        reasons.append("too short to check on its own (-)")
    if text.rstrip().endswith("?"):
        score -= 0.2
        reasons.append("a question (-)")
    if not reasons:
        # Every score says why: with no signal either way it is the base score of a plain
        # statement attributed to someone.
        reasons.append("a plain attributed statement (no figure, name or date)")
    return round(min(1.0, max(0.0, score)), 2), reasons
