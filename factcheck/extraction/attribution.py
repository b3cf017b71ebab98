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
# "After nine churchgoers were killed in June, he admitted…", "Talking about his
# recent successes, he said…": a subordinate or participial opener may be longer.
_MAX_LONG_INTRODUCTION_WORDS = 13
_OPENERS = frozenset(
    """after before when while since although though because as in at on during asked
    speaking following despite unlike until once if with soon shortly hours minutes days weeks
    months years sure still instead earlier later given""".split()
)
# Words that start a noun phrase, so never an introductory "At the same time,".
_DETERMINERS = frozenset(
    "the a an this that these those his her their its our my your".split()
    + "це цей ця ці это этот эта эти".split()
)


# "recalled the US demand to spend 5%": an object, not a reported clause, unless a
# finite verb follows ("said the port is full").
_NOUN_PHRASE = re.compile(
    r"^(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir|[Tt]his|[Tt]hese)\s"
    r"(?!(?:\S+\s+){0,6}?(?:is|are|was|were|has|have|had|will|would|can|could|may|might|must|"
    r"should|does|did|[a-z]+ed|[a-z]+s)\b)"
)
# A closing frame's tail is "in a statement", "on Monday", never a clause.
_CLAUSE_STARTS = frozenset("he she it they we i you that there this".split())
# "Vole has admitted that", "Vole had also said": the auxiliary is not the subject.
_AUXILIARY_AT_END = re.compile(r"\s+(?:has|have|had|would|will|did|does|do|once)$", re.I)
# "a spokeswoman initially told…", "Biden on Monday also said…": a manner adverb or a
# time phrase between the subject and the verb is not part of the subject.
_MODIFIERS_AT_END = re.compile(
    r"(?:\s+(?:[a-z]{3,}ly|on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"|(?:last|this|on\s+the\s+same)\s+(?:week|month|year|day|night|morning|evening)"
    r"|(?:also|then|later|again|however|too)))+$"
)
# '"…," Robin Vole, a doctoral student who led the fieldwork, said in a statement.':
# a name, then a description of any length, then the verb.
_NAMED_APPOSITIVE = re.compile(
    r"^(?P<name>(?:[A-Z][\w.'’-]*\s+){0,2}[A-Z][\w.'’-]*(?:\s+(?:[a-z]{1,3}\s+)?[A-Z][\w.'’-]*)?)"
    r",\s+(?P<description>[^;:“”\"«»]{2,300}?),\s+(?:(?:also|later|then|further)\s+)?"
    r"(?P<verb>said|says|added|adds|noted|notes|stated|explained|explains|told\s+\S+(?:\s+[A-Z]\S*){0,3}"
    r"|wrote|writes|argued|argues|warned|warns|estimated|estimates|insisted|claimed|recalled"
    r"|acknowledged|admitted|announced|observed|replied|continued)"
    r"(?P<tail>(?:\s+[^\s,;:]+){0,8})[.!]?$"
)
# "…, echoing Governor Tiff Vole, who said last week that more cuts…" and "…, where
# realtor Ann Vole said she has noticed…": a frame inside a relative clause.
_RELATIVE_FRAME = re.compile(
    r"(?:,?\s+(?:where|when)\s+|\s+)(?P<subject>(?:[a-z]+\s+){0,2}"
    r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,3}),?\s+(?:who\s+(?:has\s+|had\s+|also\s+)?)?"
    r"(?P<verb>said|says|told\s+\S+(?:\s+[A-Z]\S*){0,2}|noted|notes|argued|argues|warned|warns"
    r"|estimated|estimates|explained)(?P<middle>(?:\s+[a-z][\w-]*){0,3}?)\s+(?:that\s+)?"
    r"(?=(?:he|she|they|it|there|the|a|an|more|most|some|its|his|her|their)\b)"
)


def _source_description(subject: str) -> str | None:
    """ "according to local news reports": a source without a name, named as printed."""
    words = subject.strip(" ,.").split()
    if not 1 <= len(words) <= 5 or any(w.casefold() in ("which", "that", "who") for w in words):
        return None
    return " ".join(words)


_CLAUSE_SUBJECT = re.compile(
    r"[,;]\s+(?:and|but|so|while)\s+(?P<subject>(?:he|she|they|it|[A-Z][\w.'’-]*"
    r"(?:\s+[A-Z][\w.'’-]*){0,3}))\s+(?:(?:also|later|then)\s+)?$"
)
_WHO_ADDED = re.compile(
    r"^,\s+who\s+(?:also\s+)?(?:added|said|noted|explained|warned|stressed)\s+(?:that\s+)?"
    r"(?P<content>\S.*)$"
)
# "X, and the military said it was…", "X even as the Budget Office estimated that Y":
# a second frame with a subject of its own inside the content.
_OTHER_SUBJECT_FRAME = re.compile(
    r",?\s+(?:and|but|while|whereas|even\s+as)\s+"
    r"(?P<subject>(?:the\s+)?[A-Za-z][\w.'’-]*(?:\s+[A-Za-z][\w.'’-]*){0,6}?)\s+"
    r"(?P<verb>said|says|say|estimated|estimates|added|noted|argued|warned|reported|stated"
    r"|claimed|insisted|projected|projects|alleges|alleged|found|finds|concluded|concludes)"
    r"\s+(?:that\s+)?(?=\S+\s+\S+\s+\S+)"
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
    frame: str = ""  # which frame found it, shown to the fact-checker
    clause: bool = True  # False when the verb took a noun phrase ("recalled the demand")
    description: str | None = None  # an unnamed speaker as printed ("most experts")
    # Set for a statement made of an earlier sentence (a quote closed later).
    position: int | None = None
    sentence: str | None = None


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
            rf"^(?:\s+(?:{prepositions})\b[^,;:\"“”«»]{{0,80}}?)?\s*,?\s*(?:{complementizer})\b"
            # "experts say that isn't likely": a demonstrative subject, not a complementizer.
            r"(?!\s+(?:is|isn['’]t|was|wasn['’]t|would|wouldn['’]t|will|won['’]t|has|hasn['’]t"
            r"|had|could|can|cannot|can['’]t|does|doesn['’]t|did|didn['’]t|might|may|seems)\b)"
            r"\s*,?\s*",
            re.I,
        )
        self._trailing_frame = re.compile(
            rf"^(?P<subject>[^,;:]+?)\s+(?:(?:{adverbs})\s+)?(?P<verb>{trailing})"
            rf"(?P<tail>(?:\s+[^\s,;:]+){{0,8}})$"
        )
        # "…, said Vole": never "told", whose object would be read as the subject
        # ("…, told the Valley Post" is not said by "Post").
        inverted = "|".join(v for v in lexicon.trailing_verbs if not v.startswith("(?:told"))
        self._inverted_frame = re.compile(
            rf"^(?P<verb>{inverted})\s+"
            # "…, said in a statement": a circumstance, not the subject.
            r"(?!(?:in|on|at|during|after|before|to|with|from|by|for|about|through|via|last|this"
            # "…, said he saw…": a clause, not the subject.
            r"|he|she|it|they|we|i|you|that|there)\b)"
            r"(?P<subject>.+)$"
        )
        # '"X," her mother, Fiona, said in a statement.': a subject with commas.
        self._appositive_frame = re.compile(
            rf"^(?P<subject>[^;:]{{1,80}}?)\s+(?:(?:{adverbs})\s+)?(?P<verb>{trailing})"
            rf"(?P<tail>(?:\s+[^\s,;:]+){{0,8}})$"
        )
        # "X, according to the Harrow Group, a research firm that…" and
        # "X, according to Project Jonah, with 140 whales…" (the content goes on).
        self._according_middle = re.compile(
            rf"^(?P<content>.+?),?\s+(?P<verb>{according})\s+(?P<subject>[^,]+?),\s+(?P<rest>.+)$",
            re.I,
        )
        self._according_first = re.compile(
            rf"^(?P<verb>{according})\s+(?P<subject>[^,]+),\s+(?P<content>.+)$", re.I
        )
        self._according_last = re.compile(
            rf"^(?P<content>.+?),?\s+(?P<verb>{according})\s+(?P<subject>[^,]+?)"
            rf"(?:,\s+(?:an?|the)\s[^.!?]*)?[.!]?$",
            re.I,
        )
        self._as_said = re.compile(
            rf"^(?:(?:But|And),?\s+as|As|Як|Как)\s+(?P<subject>[^,]+?)\s+(?:(?:has|have|had)\s+)?"
            rf"(?P<verb>{trailing}|put it|pointed out|noted|warned)"
            rf"(?:\s+[^,]{{0,40}})?,\s+(?P<content>.+)$"
        )
        self._saying = re.compile(
            # "On Tuesday, he unleashed a controversy, saying that…": an introduction
            # may come first.
            r"^(?:[^,;:“”\"«»]{2,40},\s+(?=[a-z]{2,}\s|[A-Z]))?"
            r"(?P<subject>[^,;:“”\"«»]{2,60}?(?:,[^,;:“”\"«»]{2,60},)?)\s+"
            r"(?:[a-z]+ed|[a-z]+s)\b[^,;:“”\"«»]{0,80},\s+(?P<verb>saying|adding|arguing|warning"
            r"|insisting|noting)\b(?:(?:\s+(?:in|on|at|during)\s[^,;:]{0,40}?)?\s+that\s+|\s+)"
            r"(?P<content>\S.+)$"
        )
        self._parenthetical = re.compile(
            rf"^(?P<a>.+?)(?:,\s*[”\"»]?|[”\"»]\s*,?)\s+(?P<subject>[^,;:“”\"«»]{{1,60}}?)\s+"
            rf"(?:(?:{adverbs})\s+)?(?P<verb>{trailing})(?P<tail>(?:\s+[^\s,]+){{0,6}}),\s+"
            # '…," she said on Monday, when a reporter asked…': a circumstance.
            r"(?!(?:when|while|after|before|because|since|as|during|speaking|according)\b)"
            r"(?P<b>.+)$"
        )
        # "The combination, say economists, marks a journey…": verb before subject.
        self._inverted_parenthetical = re.compile(
            r"^(?P<a>[^,]+?),\s+(?P<verb>say|says|said)\s+(?P<subject>[^,;:“”\"«»]{2,50}?),"
            r"\s+(?!(?:who|whom|whose|which|where|a|an|the|and|of|at|in|for|with)\b)(?P<b>[a-z].+)$"
        )
        # 'Vole called the deficit "the issue of our era."': a quoted judgement of a
        # noun phrase, which is the claim's subject.
        self._called = re.compile(
            r"^(?P<subject>[^“”\"«»]{2,80}?)\s+(?:(?:also|once|has|had)\s+)?called\s+"
            r"(?P<object>[^“”\"«»,;:]{3,80}?)\s+[“\"«](?P<quote>[^”\"»]{3,})[”\"»][.!]?\s*$"
        )
        participles = "|".join(lexicon.participle_frames)
        self._participle_start = re.compile(rf"(?:{participles})\b")
        self._second_frame = re.compile(
            rf",?\s+(?:{conjunctions})\s+(?P<pronoun>{pronouns})\s+(?:(?:{adverbs})\s+)?"
            rf"(?P<verb>{trailing}|clarified|explained|stressed)\s*,?\s*(?:{complementizer})\s+"
            rf"|,\s+(?P<participle>{participles})\s*,?\s*(?:{complementizer})\s+"
            # "said that X and that Y": two claims, one frame.
            rf"|,?\s+(?P<coordinated>{conjunctions})\s+(?:{complementizer})\s+"
            # "said X but insisted Y": a second verb with the subject left out.
            rf"|,?\s+(?:{conjunctions})\s+(?P<bare>insisted|added|noted|argued|warned|stressed"
            rf"|acknowledged|admitted|said)\s+(?:(?:{complementizer})\s+)?(?=\S+\s+\S+\s+\S+)"
        )

    def statements(
        self, sentence: str, previous: Statement | None, quote_open: bool = False
    ) -> list[Statement]:
        """The attributed statements of a sentence: usually none or one, two if it has
        "X, but he clarified that Y"."""
        # A leading frame wins over a closing "according to the plan", which
        # is as often a circumstance as a source.
        for finder in (
            self._find_according_first,
            self._find_as_said,
            self._find_leading,
            self._find_parenthetical,
            self._find_called,
            self._find_saying,
            self._find_trailing,
            self._find_according_last,
            self._find_according_middle,
            self._find_relative,
        ):
            found = finder(sentence)
            if found is not None:
                _they_continue(found, previous)
                return self._split_second_frame(found)
        if previous is not None and (sentence[:1] in OPENING_QUOTES or quote_open):
            # A quoted sentence right after an attributed one continues it, and so
            # does every sentence of a quote still open (multi-paragraph quotes).
            frame = "multi-sentence quote" if quote_open else "continuation"
            return [
                Statement(
                    previous.speaker,
                    sentence,
                    "",
                    "continuation",
                    "continuation",
                    frame=frame,
                    description=previous.description,
                )
            ]
        return []

    # -- finders ---------------------------------------------------------

    def _find_according_first(self, sentence: str) -> Statement | None:
        return self._according(self._according_first.match(sentence))

    def _find_according_last(self, sentence: str) -> Statement | None:
        return self._according(self._according_last.match(sentence))

    def _find_according_middle(self, sentence: str) -> Statement | None:
        match = self._according_middle.match(sentence)
        if match is None:
            return None
        statement = self._according(match)
        rest = match["rest"]
        if statement is not None and not re.match(r"(?:an?|the|which|who|whose)\b", rest, re.I):
            statement.content = f"{statement.content}, {rest}"
        return statement

    def _according(self, match: re.Match[str] | None) -> Statement | None:
        if match is None:
            return None
        # "according to official figures" names no speaker: keep the
        # statement, unattributed, rather than lose it.
        resolution = self.registry.resolve(match["subject"]) or Resolution(
            None, "generic", description=_source_description(match["subject"])
        )
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
            if _ALL_QUOTES & set(before):
                return None
            coordinated = _CLAUSE_SUBJECT.search(before)
            appositive = None
            if len(before.split()) > _MAX_SUBJECT_WORDS and not coordinated:
                # "Caro Vole, a 26-year-old member of … in Dunmore, said…": a name
                # with a long description is still a subject.
                appositive = self._appositive_subject(before)
                if appositive is None:
                    return None
            # "…, and she said she plans…": the frame opens the sentence's last clause.
            subject = (
                appositive
                or (coordinated["subject"] if coordinated else None)
                or self._subject_of(before)
            )
            rest = sentence[verb.end() :]
            if subject is None or not re.search(r"\w", rest):
                continue  # "X, Vole said." is a closing frame, found later
            if re.search(r"['’]s$", subject.strip()):
                continue  # "Harrow's estimated 35 million TVs": an adjective, not a frame
            resolution = self.registry.resolve(subject)
            if resolution is None and appositive is None:
                # "Diego Vole, 36, the owner of a store nearby, said…": the name
                # before the description.
                named = self._appositive_subject(before)
                resolution = self.registry.resolve(named) if named else None
            if resolution is None:
                continue
            verb_text = " ".join(verb.group().split())
            complement = self._complement.match(rest)
            if complement:
                content = rest[complement.end() :]
            else:
                # "said on Monday it had…": the time phrase is the frame's.
                content = _TIME_BEFORE_CLAUSE.sub("", rest.lstrip(" ,:"))
            statement = self._statement(resolution, content, verb_text, "leading")
            statement.clause = bool(complement) or not _NOUN_PHRASE.match(content)
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
        subject = _MODIFIERS_AT_END.sub("", subject).rstrip()
        subject = _AUXILIARY_AT_END.sub("", subject)
        subject = self._adverbs_at_end.sub("", subject).rstrip()
        subject = _MODIFIERS_AT_END.sub("", subject).rstrip()
        if subject.endswith(","):
            parts = subject.rstrip(",").split(",")
            return ",".join(parts[-2:]) if len(parts) >= 2 else parts[0]
        introduction, _, subject = subject.rpartition(",")
        if introduction and not self._is_introduction(introduction):
            return None
        return subject

    def _appositive_subject(self, before: str) -> str | None:
        """The name of "Name, a description of any length," before a verb (or of
        "Introduction, Name, description,"); None when no name opens it."""
        text = self._adverbs_at_end.sub("", before).rstrip()
        text = _MODIFIERS_AT_END.sub("", text).rstrip()
        text = _AUXILIARY_AT_END.sub("", text).rstrip()
        if not text.endswith(","):
            return None
        parts = text.rstrip(",").split(",")
        for i in (0, 1):
            if i >= len(parts) - 1 or (i == 1 and not self._is_introduction(parts[0])):
                break
            head = parts[i].strip()
            if not _NAME_ONLY.fullmatch(head):
                continue
            parsed = self.registry.names.parse_phrase(head)
            if parsed is not None and parsed.name and not parsed.is_organisation:
                return head
        return None

    def _find_relative(self, sentence: str) -> Statement | None:
        """ "…, echoing Governor Tiff Vole, who said that…": only when no other frame
        was found; the content is what follows the relative clause's verb."""
        match = _RELATIVE_FRAME.search(sentence)
        if match is None or _ALL_QUOTES & set(sentence[: match.start()]):
            return None
        resolution = self.registry.resolve(match["subject"])
        if resolution is None or resolution.speaker is None:
            return None
        statement = self._statement(resolution, sentence[match.end() :], match["verb"], "leading")
        statement.frame = "relative"
        return statement

    def _is_introduction(self, text: str) -> bool:
        words = text.split()
        if not words:
            return False
        first = words[0].casefold().strip(",;:")
        if first in _DETERMINERS:
            return False
        opener = first in _OPENERS or (first.endswith("ing") and len(first) > 5)
        if len(words) > (_MAX_LONG_INTRODUCTION_WORDS if opener else _MAX_INTRODUCTION_WORDS):
            return False
        return opener or first in self.lexicon.non_name_words or first.endswith("ly")

    def _find_saying(self, sentence: str) -> Statement | None:
        """ "Vole condemned the attack, saying in a statement that it will not…"."""
        match = self._saying.match(sentence)
        if not match:
            return None
        subject = self._subject_of(match["subject"])
        resolution = self.registry.resolve(subject) if subject else None
        if resolution is None or resolution.speaker is None:
            return None
        statement = self._statement(resolution, match["content"], match["verb"], "leading")
        statement.frame = "saying"
        return statement

    def _find_called(self, sentence: str) -> Statement | None:
        match = self._called.match(sentence)
        if not match:
            return None
        subject = self._subject_of(match["subject"])
        resolution = self.registry.resolve(subject) if subject else None
        if resolution is None or (resolution.speaker is None and resolution.description is None):
            return None
        thing = match["object"].strip()
        plural = " and " in thing or (thing.endswith("s") and not thing.endswith("ss"))
        content = f"{thing} {'are' if plural else 'is'} “{match['quote'].strip()}”"
        statement = self._statement(resolution, content, "called", "leading")
        statement.frame = "called"
        return statement

    def _find_parenthetical(self, sentence: str) -> Statement | None:
        match = self._parenthetical.match(sentence) or self._inverted_parenthetical.match(sentence)
        if not match:
            return None
        resolution = self.registry.resolve(match["subject"])
        if resolution is None or (
            resolution.via == "generic"
            and resolution.speaker is None
            and resolution.description is None
        ):
            return None
        first = match["a"].strip().lstrip(OPENING_QUOTES).rstrip(",")
        second = match["b"].strip().lstrip(OPENING_QUOTES)
        # '"X," he said, adding that Y': keep the comma, so that Y splits off.
        joiner = ", " if self._participle_start.match(second) else " "
        return self._statement(
            resolution, f"{first}{joiner}{second}", match["verb"], "parenthetical"
        )

    def _find_trailing(self, sentence: str) -> Statement | None:
        separators = list(_TRAILING_SEPARATOR.finditer(sentence))
        named = self._find_named_appositive(sentence, separators[-6:])
        if named is not None:
            return named
        for separator in reversed(separators[-3:]):
            frame = sentence[separator.end() :].rstrip(" .!")
            # "…, the report says — in line with…": an aside after the frame.
            frame = re.sub(r"\s+[—–]\s+[^“”\"«»]*$|\s+--\s+[^“”\"«»]*$", "", frame)
            head = frame.split(",")[0]
            if _ALL_QUOTES & set(head):
                continue
            # '…," Vole said on Monday, when a reporter asked whether "…"': the
            # quotes after the frame's first comma belong to a circumstance.
            whole = not (_ALL_QUOTES & set(frame))
            match = (
                (self._trailing_frame.match(frame) if whole else None)
                or self._inverted_frame.match(head)
                or self._trailing_frame.match(head)
                or (self._appositive_frame.match(frame) if whole else None)
            )
            if not match:
                continue
            tail = (match.groupdict().get("tail") or "").split()
            if tail and tail[0].casefold() in _CLAUSE_STARTS:
                continue  # ", the president said he would…": a leading frame, not a closing one
            resolution = self.registry.resolve(match["subject"])
            if resolution is None:
                continue
            content = _drop_subject_front(sentence[: separator.start()])
            more = (
                _WHO_ADDED.match(frame[len(head) :])
                if match.re is not self._appositive_frame
                else None
            )
            if more:
                # '…, said the officials, who added that Y': Y is theirs too.
                content = f"{content}, adding that {more['content']}"
            return self._statement(resolution, content, match["verb"], "trailing")
        return None

    def _find_named_appositive(
        self, sentence: str, separators: list[re.Match[str]]
    ) -> Statement | None:
        """'"X," Jim Vole, the chief executive of Harrow Lines and a founding member of
        the board, told the Valley Post.': the name before a description of any length."""
        for separator in separators:
            frame = sentence[separator.end() :].rstrip()
            if _ALL_QUOTES & set(frame):
                continue
            match = _NAMED_APPOSITIVE.match(frame)
            if match is None:
                continue
            parsed = self.registry.names.parse_phrase(match["name"])
            if parsed is None or not parsed.name or parsed.is_organisation:
                continue
            tail = match["tail"].split()
            if tail and tail[0].casefold() in _CLAUSE_STARTS:
                continue
            resolution = self.registry.resolve(match["name"])
            if resolution is None or resolution.speaker is None:
                continue
            content = sentence[: separator.start()]
            if len(content.split()) < _MIN_STATEMENT_WORDS:
                continue
            return self._statement(resolution, content, match["verb"], "trailing")
        return None

    # -- helpers ---------------------------------------------------------

    def _statement(self, resolution: Resolution, content: str, verb: str, kind: str) -> Statement:
        verb = " ".join(verb.split())
        frame = kind
        if verb.startswith(("told", "tells")):
            frame = "told"
        elif kind == "trailing":
            frame = "quote-first" if content.lstrip()[:1] in OPENING_QUOTES else "trailing"
        return Statement(
            resolution.speaker,
            content.strip(),
            verb,
            kind,
            resolution.via,
            resolution.pronoun,
            frame=frame,
            description=resolution.description,
        )

    def _split_second_frame(self, statement: Statement) -> list[Statement]:
        """ "X, but he clarified that Y", "X, adding that Y", "that X and that Y" and
        "X but insisted Y" hold several statements by the same speaker."""
        if statement.keep_sentence:
            return [statement]
        statements: list[Statement] = []
        current = statement
        other = _OTHER_SUBJECT_FRAME.search(current.content)
        if other is not None:
            resolution = self.registry.resolve(other["subject"])
            first = current.content[: other.start()].rstrip(" ,")
            second = current.content[other.end() :]
            if resolution is not None and (
                resolution.speaker is not None or resolution.description is not None
            ):
                tail = self._statement(resolution, second, other["verb"], current.kind)
                tail.frame = "second-subject"
                if len(first.split()) < _MIN_STATEMENT_WORDS:
                    # "He vowed to keep trying, but Vole said…": too short to stand alone.
                    return self._split_second_frame(tail)
                current.content = first
                return [*self._split_second_frame(current), *self._split_second_frame(tail)]
        relative = _RELATIVE_FRAME.search(current.content)
        if relative is not None:
            resolution = self.registry.resolve(relative["subject"])
            if resolution is not None and resolution.speaker is not None:
                tail = self._statement(
                    resolution, current.content[relative.end() :], relative["verb"], current.kind
                )
                tail.frame = "relative"
                first = current.content[: relative.start()].rstrip(" ,")
                if len(first.split()) < _MIN_STATEMENT_WORDS or current.speaker is None:
                    return [tail]
                current.content = first
                return [current, tail]
        for _ in range(4):  # a sentence rarely holds more; the bound keeps it linear
            match = self._second_frame.search(current.content)
            if match is None:
                break
            pronoun = (match["pronoun"] or "").casefold() or current.pronoun
            if match["pronoun"]:
                gender = self.lexicon.pronouns[match["pronoun"].casefold()]
                if current.speaker is None or current.speaker.gender not in (None, gender):
                    break
            first = current.content[: match.start()].rstrip(" ,")
            second = current.content[match.end() :]
            word = match["verb"] or match["participle"] or match["bare"]
            verb = " ".join(word.split()) if word else current.verb
            # "Lind recalled the 2019 audit, explaining that…": a short first part
            # is the noun phrase the speaker recalled, not a statement.
            if len(first.split()) >= _MIN_STATEMENT_WORDS:
                statements.append(
                    Statement(
                        current.speaker,
                        first,
                        current.verb,
                        current.kind,
                        current.via,
                        current.pronoun,
                        frame=current.frame,
                        clause=current.clause,
                        description=current.description,
                    )
                )
            frame = "coordinated" if match["coordinated"] or match["bare"] else "second-frame"
            current = Statement(
                current.speaker,
                second,
                verb,
                current.kind,
                current.via,
                pronoun,
                frame=frame,
                description=current.description,
            )
        statements.append(current)
        return statements


_TIME_BEFORE_CLAUSE = re.compile(
    r"^(?:on|last|this|earlier|late)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday"
    r"|Sunday|week|month|year|night|morning|evening)\s+"
    r"(?=(?:he|she|it|they|we|I|there|the|a|an|its|his|her|their)\b)"
)
# '"X," the mayor of Dunmore, Oskar Vole, said.': the description before the name
# is part of the frame, not of the quote.
_SUBJECT_FRONT = re.compile(r"(?<=[”\"»])\s*,?\s+(?P<front>[^“”\"«»,;:]{1,60})$")


def _drop_subject_front(content: str) -> str:
    front = _SUBJECT_FRONT.search(content)
    if front is not None and len(front["front"].split()) <= 8:
        return content[: front.start()]
    return content


_NAME_ONLY = re.compile(
    r"(?:[\w.'’-]+\s+){0,3}[A-Z][\w.'’-]*(?:\s+(?:[a-z]{1,3}\s+)?[A-Z][\w.'’-]*){1,3}"
)


def _they_continue(statement: Statement, previous: Statement | None) -> None:
    """ "They said…" right after a group or an organisation spoke is that group."""
    if (
        statement.speaker is None
        and statement.description is None
        and statement.pronoun == "they"
        and previous is not None
        and (
            previous.description is not None
            or (previous.speaker is not None and previous.speaker.gender == "org")
        )
    ):
        statement.speaker = previous.speaker
        statement.description = previous.description
        statement.via = "pronoun"


def quote_still_open(sentence: str, open_before: bool = False) -> bool:
    """Whether a quotation is left open at the end of the sentence."""
    state = open_before
    for ch in sentence:
        if ch in "“«„":
            state = True
        elif ch in "”»":
            state = False
        elif ch == '"':
            state = not state
    return state


def quoted_words(sentence: str) -> str | None:
    """The verbatim quoted words of a sentence, several quotes joined by " … "."""
    spans = [
        next(g for g in match.groups() if g is not None) for match in QUOTED.finditer(sentence)
    ]
    spans = [span.strip().rstrip(",") for span in spans if span.strip()]
    return " … ".join(spans) if spans else None
