"""Names in text: split "Port Director Ilka Berg" into a title and a name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from factcheck.extraction.lexicon import Lexicon

_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_POSSESSIVE = re.compile(r"['’]s?$")
_NAME_PARTICLES = frozenset("de da di du van von der den al bin ibn la le del dos".split())
# Connectors inside a title ("Minister of Foreign Affairs", "Head of the Board").
_TITLE_CONNECTORS = frozenset("of for the and on".split())
# A speaker phrase is a noun phrase; these words mean it is a clause.
_CLAUSE_WORDS = frozenset(
    "that which who whom by from with when where if is was are were has had words".split()
)


_TRAILING_CONNECTOR = re.compile(r"(?:\s+(?:of|for|the|and|on))+$", re.I)


@dataclass
class PersonPhrase:
    title: str | None
    name: str | None
    gender: str | None
    has_role: bool  # a role word or an honorific ("Mr.") came with the name
    is_organisation: bool


def is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def same_word(a: str, b: str) -> bool:
    """Equal, or for Cyrillic the same stem, since names decline ("Олена"/"Олени")."""
    if a == b:
        return True
    cyrillic = all("\u0400" <= ch <= "\u04ff" for ch in a + b if ch.isalpha())
    if not cyrillic or min(len(a), len(b)) < 4:
        return False
    stem = max(3, min(len(a), len(b)) - 2)
    return a[:stem] == b[:stem]


class NameParser:
    """Reads names, titles and honorifics with one language's lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._honorifics = {k.rstrip("."): v for k, v in lexicon.honorifics.items()}

    def parse_phrase(self, phrase: str) -> PersonPhrase | None:
        """Split "Port Director Ilka Berg" into title and name; None if not a noun phrase."""
        words = [
            _POSSESSIVE.sub("", w) if w.endswith(("'s", "’s")) else w for w in _WORD.findall(phrase)
        ]
        # Keep the dot of initials ("J.") and abbreviations ("U.S."), drop a final one.
        words = [w if re.fullmatch(r"(?:\w\.)+", w) else w.rstrip(".") for w in words]
        lowered = [w.casefold() for w in words]
        gender = None
        honorific = False
        while words and (
            lowered[0] in self.lexicon.non_name_words or lowered[0] in self._honorifics
        ):
            if lowered[0] in self._honorifics:
                honorific = True
                gender = self._honorifics[lowered[0]] or gender
            words, lowered = words[1:], lowered[1:]
        if not words or any(w in _CLAUSE_WORDS for w in lowered):
            return None
        roles = [i for i, w in enumerate(lowered) if w in self.lexicon.role_words]
        is_org = any(w in self.lexicon.organisation_words for w in lowered)
        if not roles:
            return self._parse_name(words, lowered, gender, honorific, is_org)
        tail = words[roles[-1] + 1 :]
        folded_tail = [w.casefold() for w in tail]
        if "of" in folded_tail:
            # "Senator Mitch McConnell of Kentucky", "MP Ann Vole of Harrow North":
            # after a full name, "of" opens a place or an affiliation.
            cut = folded_tail.index("of")
            if cut >= 2 and all(is_capitalised(w) for w in tail[cut - 2 : cut]):
                tail = tail[:cut]
                words = words[: roles[-1] + 1 + cut]
        # The name is the run of capitalised words that ends the phrase.
        start = len(tail)
        while start > 0 and (is_capitalised(tail[start - 1]) or tail[start - 1] in _NAME_PARTICLES):
            start -= 1
        name_words = tail[start:]
        if start > 0 and tail[start - 1].casefold() in _TITLE_CONNECTORS:
            # "Secretary of Transport Ilka Berg": the first capitalised word
            # completes the title; a name is at most the last two words.
            name_words = name_words[1:][-2:]
        if name_words and name_words[-1].casefold() in self.lexicon.organisation_words:
            name_words = []  # "economist at Redfield Bank": an affiliation, not a name
        title = " ".join(words[: len(words) - len(name_words)]) or None
        name = " ".join(name_words) or None
        return PersonPhrase(title, name, gender, True, is_org and not name)

    def _parse_name(
        self,
        words: list[str],
        lowered: list[str],
        gender: str | None,
        honorific: bool,
        is_org: bool,
    ) -> PersonPhrase | None:
        """A phrase without a role word: a name ("Ann Vole", "Ministry of Finance") or nothing."""
        if not all(
            is_capitalised(w) or w in _NAME_PARTICLES or w in _TITLE_CONNECTORS for w in words
        ):
            return self._parse_described_name(words, gender, is_org)
        if len(words) > 6:
            return None
        if "of" in lowered and is_org:
            # "Lena Ruud of the Hallberg Institute": a person and an affiliation,
            # unless the organisation word comes first ("Ministry of Finance").
            cut = lowered.index("of")
            if cut and not any(w in self.lexicon.organisation_words for w in lowered[:cut]):
                return PersonPhrase(None, " ".join(words[:cut]), gender, honorific, False)
        return PersonPhrase(None, " ".join(words), gender, honorific, is_org)

    def _parse_described_name(
        self, words: list[str], gender: str | None, is_org: bool
    ) -> PersonPhrase | None:
        """ "City architect Dana Colley": a role word this lexicon lacks, before a full name."""
        start = len(words)
        while start > 0 and is_capitalised(words[start - 1]):
            start -= 1
        if len(words) - start >= 2 and 0 < start <= 4:
            return PersonPhrase(
                " ".join(words[:start]), " ".join(words[start:]), gender, True, False
            )
        return PersonPhrase(None, None, gender, False, is_org) if is_org else None

    def capitalised_runs(self, text: str) -> list[str]:
        """Runs of capitalised words, role words and honorifics: candidate names."""
        runs: list[str] = []
        current: list[str] = []
        end = 0
        for match in _WORD.finditer(text):
            word = match.group()
            folded = word.casefold()
            joins = (
                is_capitalised(word)
                or folded.rstrip(".") in self.lexicon.role_words
                or folded.rstrip(".") in self._honorifics
                or (current and (folded in _TITLE_CONNECTORS or folded in _NAME_PARTICLES))
            )
            gap = text[end : match.start()]
            if current and (not joins or gap.strip()):
                runs.append(" ".join(current))
                current = []
            if joins:
                current.append(word)
            end = match.end()
            if word.endswith(("'s", "’s")) and current:
                runs.append(" ".join(current))
                current = []
        if current:
            runs.append(" ".join(current))
        # "Mr. Vole and his family": a connector does not end a name.
        return [_TRAILING_CONNECTOR.sub("", run) for run in runs]
