"""Reported-speech frames: who says what in one sentence.

A frame is the attribution around the content: "He noted that X",
"X, Vole said", "According to Vole, X", '"X," Vole said, "Y."'. Subjects are
resolved through the SpeakerRegistry, which is where pronouns and titles meet
the names seen earlier in the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from factcheck.extraction.lexicon import Lexicon
from factcheck.extraction.speakers import Resolution, Speaker, SpeakerRegistry

OPENING_QUOTES = '“"«„'
CLOSING_QUOTES = '”"»“'
_ALL_QUOTES = set(OPENING_QUOTES + CLOSING_QUOTES)
QUOTED = re.compile(r"“([^”]+)”|\"([^\"]+)\"|«([^»]+)»|„([^“”]+)[“”]")
# Where a closing frame starts: after a comma, or after a closing quote.
_TRAILING_SEPARATOR = re.compile(r"(?:[,.!?]?\s*[”\"»]\s*,?|,)\s+")
_MAX_SUBJECT_WORDS = 14
_MIN_STATEMENT_WORDS = 4
_MAX_INTRODUCTION_WORDS = 8
# Words that start a noun phrase, so never an introductory "At the same time,".
_DETERMINERS = frozenset(
    "the a an this that these those his her their its our my your".split()
    + "це цей ця ці это этот эта эти".split()
)


@dataclass
class Statement:
    speaker: Speaker | None
    content: str  # the reported content, still in the sentence's wording
    verb: str  # the frame verb as printed ("emphasized", "according to")
    kind: str  # leading, trailing, parenthetical, according, continuation
    via: str  # how the subject was resolved: name, alias, role, pronoun, generic
    pronoun: str | None = None  # the pronoun that named the speaker, if any
    keep_sentence: bool = False  # the claim is the whole sentence (denials)


class Attributor:
    """Finds the frames of one article's sentences, in order, against one registry."""

    def __init__(self, lexicon: Lexicon, registry: SpeakerRegistry) -> None:
        self.lexicon = lexicon
        self.registry = registry
        verbs = "|".join(lexicon.speech_verbs)
        trailing = "|".join(lexicon.trailing_verbs)
        adverbs = "|".join(lexicon.frame_adverbs)
        according = "|".join(lexicon.according_to)
        complementizer = "|".join(lexicon.complementizers)
        prepositions = "|".join(lexicon.frame_prepositions)
        pronouns = "|".join(lexicon.pronouns)
        conjunctions = "|".join(lexicon.conjunctions)
        # Verbs are matched case-sensitively: a capitalised "Says" is a name.
        self._verb = re.compile(rf"(?<![\w-])(?:{verbs})(?![\w-])")
        self._adverbs_at_end = re.compile(rf"(?:\s+(?:{adverbs}))+\s*$", re.I)
        self._complement = re.compile(
            rf"^(?:\s+(?:{prepositions})\b[^,;:\"“”«»]{{0,80}}?)?\s*,?\s*(?:{complementizer})\b\s*,?\s*",
            re.I,
        )
        self._trailing_frame = re.compile(
            rf"^(?P<subject>[^,;:]+?)\s+(?:(?:{adverbs})\s+)?(?P<verb>{trailing})"
            rf"(?P<tail>(?:\s+[^\s,;:]+){{0,8}})$"
        )
        self._inverted_frame = re.compile(rf"^(?P<verb>{trailing})\s+(?P<subject>.+)$")
        self._according_first = re.compile(
            rf"^(?P<verb>{according})\s+(?P<subject>[^,]+),\s+(?P<content>.+)$", re.I
        )
        self._according_last = re.compile(
            rf"^(?P<content>.+?),?\s+(?P<verb>{according})\s+(?P<subject>[^,]+?)[.!]?$", re.I
        )
        self._as_said = re.compile(
            rf"^(?:As|Як|Как)\s+(?P<subject>[^,]+?)\s+(?P<verb>{trailing}|put it)"
            rf"(?:\s+[^,]{{0,40}})?,\s+(?P<content>.+)$"
        )
        self._parenthetical = re.compile(
            rf"^(?P<a>.+?)(?:,\s*[”\"»]?|[”\"»]\s*,?)\s+(?P<subject>[^,;:“”\"«»]{{1,60}}?)\s+"
            rf"(?:(?:{adverbs})\s+)?(?P<verb>{trailing})(?P<tail>(?:\s+[^\s,]+){{0,6}}),\s+(?P<b>.+)$"
        )
        self._second_that = re.compile(rf",?\s+({conjunctions})\s+(?:{complementizer})\s+")
        participles = "|".join(lexicon.participle_frames)
        self._second_frame = re.compile(
            rf",?\s+(?:{conjunctions})\s+(?P<pronoun>{pronouns})\s+(?:(?:{adverbs})\s+)?"
            rf"(?P<verb>{trailing}|clarified|explained|stressed)\s*,?\s*(?:{complementizer})\s+"
            rf"|,\s+(?P<participle>{participles})\s*,?\s*(?:{complementizer})\s+"
        )

    def statements(self, sentence: str, previous: Statement | None) -> list[Statement]:
        """The attributed statements of a sentence: usually none or one, two if it has
        "X, but he clarified that Y"."""
        # A leading frame wins over a closing "according to the plan", which
        # is as often a circumstance as a source.
        for finder in (
            self._find_according_first,
            self._find_as_said,
            self._find_leading,
            self._find_parenthetical,
            self._find_trailing,
            self._find_according_last,
        ):
            found = finder(sentence)
            if found is not None:
                return self._split_second_frame(found)
        if previous is not None and sentence[:1] in OPENING_QUOTES:
            # A quoted sentence right after an attributed one continues it.
            return [Statement(previous.speaker, sentence, "", "continuation", "continuation")]
        return []

    # -- finders ---------------------------------------------------------

    def _find_according_first(self, sentence: str) -> Statement | None:
        return self._according(self._according_first.match(sentence))

    def _find_according_last(self, sentence: str) -> Statement | None:
        return self._according(self._according_last.match(sentence))

    def _according(self, match: re.Match[str] | None) -> Statement | None:
        if match is None:
            return None
        # "according to official figures" names no speaker: keep the
        # statement, unattributed, rather than lose it.
        resolution = self.registry.resolve(match["subject"]) or Resolution(None, "generic")
        return self._statement(resolution, match["content"], match["verb"], "according")

    def _find_as_said(self, sentence: str) -> Statement | None:
        match = self._as_said.match(sentence)
        if not match:
            return None
        resolution = self.registry.resolve(match["subject"])
        if resolution is None:
            return None
        return self._statement(resolution, match["content"], match["verb"], "according")

    def _find_leading(self, sentence: str) -> Statement | None:
        for verb in self._verb.finditer(sentence):
            before = sentence[: verb.start()]
            if _ALL_QUOTES & set(before) or len(before.split()) > _MAX_SUBJECT_WORDS:
                return None
            subject = self._subject_of(before)
            rest = sentence[verb.end() :]
            if subject is None or not re.search(r"\w", rest):
                continue  # "X, Vole said." is a closing frame, found later
            resolution = self.registry.resolve(subject)
            if resolution is None:
                continue
            verb_text = " ".join(verb.group().split())
            complement = self._complement.match(rest)
            if complement:
                # "said that X and that Y": one content, "X and Y".
                content = self._second_that.sub(" \\1 ", rest[complement.end() :])
            else:
                content = rest.lstrip(" ,:")
            statement = self._statement(resolution, content, verb_text, "leading")
            # "X rejects accusations that Y": Y is what X denies, so the claim
            # is the whole sentence; Y alone is still what gets scored.
            statement.keep_sentence = verb_text.split()[0] in self.lexicon.denial_verbs
            return statement
        return None

    def _subject_of(self, before: str) -> str | None:
        """The subject before a verb: drop "also", and an introductory phrase
        ("At the same time, Vole") unless the commas enclose an appositive
        ("Vole, the minister,"). None when what precedes the comma is not an
        introduction: in "The tunnel, Vole said, is long" the frame is inserted."""
        subject = self._adverbs_at_end.sub("", before).rstrip()
        if subject.endswith(","):
            parts = subject.rstrip(",").split(",")
            return ",".join(parts[-2:]) if len(parts) >= 2 else parts[0]
        introduction, _, subject = subject.rpartition(",")
        if introduction and not self._is_introduction(introduction):
            return None
        return subject

    def _is_introduction(self, text: str) -> bool:
        words = text.split()
        if not words or len(words) > _MAX_INTRODUCTION_WORDS:
            return False
        first = words[0].casefold()
        if first in _DETERMINERS:
            return False
        return first in self.lexicon.non_name_words or first.endswith("ly")

    def _find_parenthetical(self, sentence: str) -> Statement | None:
        match = self._parenthetical.match(sentence)
        if not match:
            return None
        resolution = self.registry.resolve(match["subject"])
        if resolution is None or resolution.via == "generic" and resolution.speaker is None:
            return None
        first = match["a"].strip().lstrip(OPENING_QUOTES).rstrip(",")
        second = match["b"].strip().lstrip(OPENING_QUOTES)
        return self._statement(resolution, f"{first} {second}", match["verb"], "parenthetical")

    def _find_trailing(self, sentence: str) -> Statement | None:
        separators = list(_TRAILING_SEPARATOR.finditer(sentence))
        for separator in reversed(separators[-3:]):
            frame = sentence[separator.end() :].rstrip(" .!")
            if _ALL_QUOTES & set(frame):
                continue
            match = self._trailing_frame.match(frame) or self._inverted_frame.match(frame)
            if not match:
                continue
            resolution = self.registry.resolve(match["subject"])
            if resolution is None:
                continue
            content = sentence[: separator.start()]
            return self._statement(resolution, content, match["verb"], "trailing")
        return None

    # -- helpers ---------------------------------------------------------

    def _statement(self, resolution: Resolution, content: str, verb: str, kind: str) -> Statement:
        return Statement(
            resolution.speaker,
            content.strip(),
            " ".join(verb.split()),
            kind,
            resolution.via,
            resolution.pronoun,
        )

    def _split_second_frame(self, statement: Statement) -> list[Statement]:
        """ "X, but he clarified that Y" and "X, adding that Y" hold two statements
        by the same speaker."""
        if statement.keep_sentence:
            return [statement]
        match = self._second_frame.search(statement.content)
        if match is None:
            return [statement]
        pronoun = (match["pronoun"] or "").casefold() or statement.pronoun
        if match["pronoun"]:
            gender = self.lexicon.pronouns[match["pronoun"].casefold()]
            if statement.speaker is None or statement.speaker.gender not in (None, gender):
                return [statement]
        first = statement.content[: match.start()].rstrip(" ,")
        second = statement.content[match.end() :]
        verb = " ".join((match["verb"] or match["participle"]).split())
        statements = [
            Statement(statement.speaker, second, verb, statement.kind, statement.via, pronoun)
        ]
        # "Lind recalled the 2019 audit, explaining that…": a short first part
        # is the noun phrase the speaker recalled, not a statement.
        if len(first.split()) >= _MIN_STATEMENT_WORDS:
            first_statement = Statement(
                statement.speaker,
                first,
                statement.verb,
                statement.kind,
                statement.via,
                statement.pronoun,
            )
            statements.insert(0, first_statement)
        return statements


def quoted_words(sentence: str) -> str | None:
    """The verbatim quoted words of a sentence, several quotes joined by " … "."""
    spans = [
        next(g for g in match.groups() if g is not None) for match in QUOTED.finditer(sentence)
    ]
    spans = [span.strip().rstrip(",") for span in spans if span.strip()]
    return " … ".join(spans) if spans else None
