"""Who is speaking: names, titles, aliases, and what "he" or "the minister" refers to."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from factcheck.extraction.lexicon import Lexicon
from factcheck.extraction.names import NameParser, PersonPhrase, same_word
from factcheck.extraction.normalize import normalize_name


@dataclass
class Speaker:
    name: str
    title: str | None = None
    aliases: set[str] = field(default_factory=set)
    gender: str | None = None  # "m", "f", or "org" for organisations
    last_active: int | None = None  # sentence index where it last spoke or led a sentence
    kind: str | None = None  # "document" for reports and studies; else from the gender


@dataclass
class Resolution:
    """A frame subject resolved: a speaker, or a generic one ("officials") with None."""

    speaker: Speaker | None
    via: str  # "name", "alias", "role", "pronoun", "generic"
    pronoun: str | None = None
    # An unnamed speaker as the article describes it ("most experts", "his
    # spokesman", "a source"): shown as the speaker, for the desk to name.
    description: str | None = None


class SpeakerRegistry:
    """The people and organisations of one article, in the order they appear."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.speakers: list[Speaker] = []
        self.names = NameParser(lexicon)
        # Full names printed anywhere ("Hori Parata"), by surname and by first
        # name, so that "says Parata" names the person in full.
        self.full_names: dict[str, str] = {}
        # Unnamed speakers by their head noun ("one close associate" under "associate"),
        # so that "the associate" later is the same unnamed speaker.
        self.described: dict[str, str] = {}

    def note_mentions(self, text: str, headline: bool = False) -> None:
        """Register "Title Name" and "Mr. Name" mentions so later surnames and titles resolve.

        In a headline written in title case ("Trump Talks Retaliation") capitalised
        words are not names, so no full name is learnt from it."""
        words = text.split()
        if headline and words and sum(w[:1].isupper() for w in words) > 0.6 * len(words):
            return
        runs = [
            part
            for run in self.names.capitalised_runs(text)
            # "Earl Hypolite and Naomi Zitt-James": two people, not one name.
            for part in re.split(r"\s+and\s+(?=[A-Z])", run)
        ]
        for run in runs:
            parsed = self.names.parse_phrase(run)
            if parsed is None or not parsed.name:
                continue
            if parsed.has_role or parsed.is_organisation:
                self.person(parsed.name, parsed.title, parsed.gender, parsed.is_organisation)
            words = parsed.name.split()
            if "of" in words:  # "Jamie Werner of Ngātiwai": the name ends at "of"
                words = words[: words.index("of")]
            if (
                2 <= len(words) <= 4
                and not parsed.is_organisation
                and all(w[:1].isupper() for w in words)
            ):
                for key in {normalize_name(words[-1]), normalize_name(words[0])}:
                    # A surname shared by two people ("Hori Parata", "Te Kaurinui
                    # Parata") keeps the first full name; the first names differ.
                    self.full_names.setdefault(key, " ".join(words))

    def note_sentence_subject(self, sentence: str, position: int) -> None:
        """A sentence led by a known person ("Mayor Vole opened…") makes them current,
        and so does a full name leading a sentence as its subject ("Te Kaurinui was…")."""
        runs = self.names.capitalised_runs(" ".join(sentence.split()[:6]))
        parsed = self.names.parse_phrase(runs[0]) if runs else None
        speaker = self.by_name(parsed.name) if parsed and parsed.name else None
        if speaker is None and parsed and parsed.name and not parsed.is_organisation:
            after = sentence[sentence.find(runs[0]) + len(runs[0]) :] if runs else ""
            if re.match(r"\s*(?:,[^,]{1,60},\s*)?(?:is|was|has|had|said|says|told|\w+ed)\b", after):
                speaker = self.person(self.full_name(parsed.name), parsed.title, parsed.gender)
        if speaker is None:
            document = _DOCUMENT_LEADS.match(sentence)
            if document:
                # "The study, published in May, followed 600 children.": "It found…" next.
                speaker = self.document(document["name"])
        if speaker is not None:
            speaker.last_active = position

    def document(self, phrase: str) -> Speaker:
        """A report, study or survey speaking under its description ("the study")."""
        name = re.sub(r"^(?:an?|the|this|that)\s+", "", phrase.strip(), flags=re.I)
        speaker = self.by_name(name) or self.person(name, is_organisation=True)
        speaker.kind = "document"
        return speaker

    def full_name(self, name: str) -> str:
        """The fullest form of a one-word name printed in the article, and of a
        two-word surname ("Black Elk" for "Linda Black Elk")."""
        words = name.split()
        if len(words) == 1:
            return self.full_names.get(normalize_name(name), name)
        if len(words) == 2:
            known = self.full_names.get(normalize_name(words[-1]))
            if known and normalize_name(known).endswith(" " + normalize_name(name)):
                return known
        return name

    # -- lookup ----------------------------------------------------------

    def by_name(self, name: str) -> Speaker | None:
        wanted = normalize_name(name).split()
        for speaker in self.speakers:
            known = normalize_name(speaker.name).split()
            if len(wanted) == len(known) and all(map(same_word, wanted, known)):
                return speaker
            # A surname alone, or a full name where only the surname was seen.
            if (len(wanted) == 1 or len(known) == 1) and same_word(wanted[-1], known[-1]):
                return speaker
        return None

    def person(
        self,
        name: str,
        title: str | None = None,
        gender: str | None = None,
        is_organisation: bool = False,
    ) -> Speaker:
        """The speaker with this name, created or enriched with a title and fuller name."""
        if not is_organisation:
            name = self.full_name(name)
        speaker = self.by_name(name)
        if speaker is None:
            speaker = Speaker(name=name, gender="org" if is_organisation else gender)
            self.speakers.append(speaker)
        elif len(name.split()) > len(speaker.name.split()):
            speaker.name = name  # canonical: the fullest form the article gives
        if gender and speaker.gender is None:
            speaker.gender = gender
        if title and (speaker.title is None or _more_specific(title, speaker.title)):
            speaker.title = title
        if title:
            speaker.aliases.add(normalize_name(title))
        speaker.aliases.add(normalize_name(name))
        return speaker

    def by_alias(self, phrase: str) -> Speaker | None:
        wanted = normalize_name(re.sub(r"^(?:the|a)\s+", "", phrase.strip(), flags=re.I))
        matches = [s for s in self.speakers if wanted in s.aliases]
        return max(matches, key=_recency) if matches else None

    def recent(self, gender: str | None = None, documents: bool = True) -> Speaker | None:
        """The most recently active speaker, skipping those whose gender contradicts."""
        active = sorted(
            (
                s
                for s in self.speakers
                if s.last_active is not None and (documents or s.kind != "document")
            ),
            key=_recency,
            reverse=True,
        )
        for speaker in active:
            if gender is None and speaker.gender != "org":
                return speaker
            if gender == "org" and speaker.gender == "org":
                return speaker
            if gender in ("m", "f") and speaker.gender in (None, gender):
                return speaker
        return None

    def by_role(self, role_words: list[str]) -> Speaker | None:
        """A speaker whose known title or aliases share the phrase's role word."""
        matches = [
            s
            for s in self.speakers
            if any(word in alias.split() for alias in s.aliases for word in role_words)
        ]
        return max(matches, key=_recency) if matches else None

    # -- resolution ------------------------------------------------------

    def resolve(self, phrase: str) -> Resolution | None:
        """What a frame's subject refers to, or None when it is not a speaker."""
        resolution = self._resolve(phrase)
        if resolution is not None and resolution.speaker is None and resolution.description:
            words = resolution.description.split()
            if len(words) >= 2 and words[0].casefold() in _INDEFINITE:
                self.described[normalize_name(words[-1])] = resolution.description
        return resolution

    def _resolve(self, phrase: str) -> Resolution | None:
        phrase = phrase.strip().strip(",").strip()
        # "the source, who said he had spoken to…", "reports seen by Reuters": the
        # speaker is the noun phrase before the clause.
        phrase = _TRAILING_CLAUSE.sub("", phrase).strip()
        # "But the latest data", "And Vole": the conjunction joins clauses, not names.
        phrase = re.sub(r"^(?:[Bb]ut|[Aa]nd|[Yy]et|[Ss]o)\s+(?=\S)", "", phrase)
        if not phrase or len(phrase.split()) > 12:
            return None
        folded = normalize_name(phrase)
        if folded.split()[0] in _NEVER_SUBJECT_START:
            return None  # "Although no group claimed…": a subordinate clause, no speaker
        if folded == "they":
            # "they said", right after an organisation spoke, is that organisation.
            group = self.recent("org")
            if group is not None and group.last_active is not None:
                return Resolution(group, "pronoun", folded)
            return Resolution(None, "generic", folded)
        if folded in self.lexicon.pronouns:
            gender = self.lexicon.pronouns[folded]
            speaker = self.recent(gender)
            if speaker is None:
                return None
            if speaker.gender is None:
                speaker.gender = gender
            return Resolution(speaker, "pronoun", folded)
        if folded in self.lexicon.generic_subjects:
            return Resolution(None, "generic", description=_described(phrase, self.lexicon))
        definite = re.match(r"^the\s+(?:[a-z-]+\s+){0,3}(?P<head>[a-z-]+)$", phrase, re.I)
        if definite and normalize_name(definite["head"]) in self.described:
            # "the associate" after "one close associate": the same unnamed speaker.
            return Resolution(
                None, "generic", description=self.described[normalize_name(definite["head"])]
            )
        owned = _OWNED.match(phrase)
        if owned and (
            normalize_name(owned["head"]) in self.lexicon.role_words
            or normalize_name(owned["head"]) in self.lexicon.organisation_words
        ):
            # "Vole's spokesman", "Vole's transition team": someone else than Vole,
            # unnamed, shown as printed.
            return Resolution(None, "generic", description=re.sub(r"^the\s+", "", phrase.strip()))
        named_group = self._named_group(phrase)
        if named_group is not None:
            return named_group
        described = _described_group(phrase, self.lexicon)
        if described is not None:
            # "most experts", "energy analysts": an unnamed group, named as printed.
            return Resolution(None, "generic", description=described)
        if re.match(r"(?:his|her|their|its)\s", phrase, re.I):
            # "his spokesman", "her mother": someone beside the current speaker.
            return Resolution(None, "generic", description=_described(phrase, self.lexicon))
        both = re.match(
            r"^(?:(?:[Bb]ut|[Aa]nd)\s+)?(?:both\s+)?([A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*)\s+and\s+[A-Z]",
            phrase,
        )
        if both:
            # "both Roscosmos and NASA said": the first named speaks for both.
            phrase = both.group(1)
        if _DOCUMENT_PHRASE.match(phrase) and not re.search(r"['’]s\b", phrase):
            # "Zimbabwean intelligence reports", "the study", "a new survey".
            return Resolution(self.document(phrase), "name")
        document = _DOCUMENT_FROM.match(phrase)
        if document:
            # "a preliminary report from the park service": the document speaks.
            name = phrase.strip()
            name = re.sub(r"^(?:an?|the)\s+", "", name, flags=re.I)
            speaker = self.by_name(name) or self.person(name, is_organisation=True)
            speaker.kind = "document"
            return Resolution(speaker, "name")
        source = re.match(r"^(?P<head>.+?)\s+(?:from|at|of)\s+(?P<tail>the\s.+|[A-Z].*)$", phrase)
        if source and normalize_name(source["head"]) in self.lexicon.generic_subjects:
            # "Experts from the Regional Water Authority": the organisation speaks.
            return self.resolve(source["tail"])
        phrase = re.sub(r"\s+from\s+the\s.*$", "", phrase)
        if "," in phrase:
            return self._resolve_appositive(phrase)
        known = self.by_alias(phrase)
        if known is not None:
            return Resolution(known, "alias")
        parsed = self.names.parse_phrase(phrase)
        if parsed is None:
            affiliated = _AFFILIATION.match(phrase)
            if affiliated is None:
                return None
            # "Joost van Dam of the Netherlands' Fontys University": the person.
            parsed = self.names.parse_phrase(affiliated["name"])
            if parsed is None or parsed.is_organisation:
                return None
        if parsed.name:
            speaker = self.person(parsed.name, parsed.title, parsed.gender, parsed.is_organisation)
            return Resolution(speaker, "name")
        return self._resolve_role(phrase, parsed)

    def _named_group(self, phrase: str) -> Resolution | None:
        """ "Con Edison officials", "American officials": a group named by its organisation
        speaks as that group; bare "officials" stays unnamed."""
        words = phrase.split()
        if len(words) < 2 or normalize_name(words[-1]) not in self.lexicon.generic_subjects:
            return None
        while words and words[0].casefold() in (
            "the",
            "a",
            "an",
            "some",
            "many",
            "most",
            "other",
            "but",
            "and",
        ):
            words = words[1:]
        modifiers = words[:-1]
        if not modifiers or not modifiers[0][:1].isupper() or len(words) > 5:
            return None
        if any(w.casefold() in ("from", "of", "at", "with", "for", "and") for w in modifiers):
            return None
        name = " ".join(words)
        speaker = self.by_name(name) or self.person(name, is_organisation=True)
        return Resolution(speaker, "name")

    def _resolve_appositive(self, phrase: str) -> Resolution | None:
        """ "Vole, the city's mayor," and "The agency's director, Hanne Solli,": a name
        on one side of the comma, a description (the title) on the other."""
        head, _, rest = phrase.partition(",")
        first = self.names.parse_phrase(head)
        second = self.names.parse_phrase(rest.strip(" ,"))
        for named, described in ((first, second), (second, first)):
            if named is None or not named.name:
                continue
            title = described.title if described and described.has_role else None
            speaker = self.person(named.name, named.title or title, named.gender)
            if title:
                speaker.aliases.add(normalize_name(title))
            return Resolution(speaker, "name")
        return None

    def _resolve_role(self, phrase: str, parsed: PersonPhrase) -> Resolution | None:
        """ "The Secretary of Transport": a title match, else the current speaker."""
        if not (parsed.has_role or parsed.is_organisation):
            return None
        if re.match(r"^(?:an?|one|another|two|three|several|some)\s", phrase, flags=re.I):
            # "a spokesperson", "one former adviser" is someone unnamed
            return Resolution(None, "generic", description=_described(phrase, self.lexicon))
        words = normalize_name(re.sub(r"['’]s\b", "", parsed.title or phrase)).split()
        if words and words[0] == "the":
            words = words[1:]

        heads = [
            w for w in words if w in self.lexicon.role_words or w in self.lexicon.organisation_words
        ]
        speaker = self.by_role(heads)
        if speaker is None and parsed.is_organisation and len(words) == 1:
            # "the company said": the organisation that spoke last, if any.
            # A document does not "say" as "the department" does.
            speaker = self.recent("org", documents=False)
            if speaker is not None:
                return Resolution(speaker, "role")
            # "the government said" with no organisation named before: as printed.
            return Resolution(None, "generic", description=_described(phrase, self.lexicon))
        if speaker is None and parsed.is_organisation and not parsed.has_role:
            # "the Russian space agency", "the park service": an organisation
            # described, not yet named; it speaks under that description.
            name = re.sub(r"^(?:the)\s+", "", phrase.strip(), flags=re.I)
            speaker = self.person(name, is_organisation=True)
            return Resolution(speaker, "role")
        if speaker is None and parsed.has_role:
            speaker = self.recent()
        if speaker is None:
            # "the source", "the minister" with no one to refer to: unnamed, as printed.
            return Resolution(None, "generic", description=_described(phrase, self.lexicon))
        speaker.aliases.add(normalize_name(" ".join(words)))
        return Resolution(speaker, "role")


_DOCUMENT_NOUNS = (
    r"(?:report|reports|study|studies|survey|surveys|analysis|audit|review|reviews|memo|filing"
    r"|data|figures|documents|poll|research|statement|complaint|lawsuit|indictment|ruling"
    r"|letter|notice|proposal|solicitation|notification)"
)
_AFFILIATION = re.compile(
    r"^(?P<name>(?:[A-Z][\w.'’-]*\s+(?:(?:van|von|de|der|den|da|di|du|le|la|al|bin)\s+)*)"
    r"{1,3}[A-Z][\w.'’-]*)\s+(?:of|from|at)\s+(?:the\s+)?[A-Z].*$"
)
_INDEFINITE = frozenset("a an one another two three several some".split())
# "Vole's spokesman", "President-elect Ann Vole's transition team".
_OWNED = re.compile(
    r"^(?:the\s+)?(?:[A-Z][\w.-]*\s+){0,4}[A-Z][\w.-]*['’]s\s+(?:[a-z][\w-]*\s+){0,2}"
    r"(?P<head>[a-z][\w-]*)$"
)
# A document as a whole phrase: at most three modifiers before the noun.
_DOCUMENT_PHRASE = re.compile(
    rf"^(?:(?:an?|the|this|that|its|their)\s+)?(?:[\w'’-]+\s+){{0,3}}{_DOCUMENT_NOUNS}$", re.I
)
# A sentence led by one: "The study, published in May, …", "A new survey of 600 …".
_DOCUMENT_LEADS = re.compile(
    r"^(?P<name>(?:[Aa]n?|[Tt]he|[Tt]his)\s+(?:[a-z][\w-]*\s+){0,2}"
    r"(?:report|study|survey|analysis|audit|review|poll))\b"
)
_TRAILING_CLAUSE = re.compile(
    r"(?:,\s+(?:who|which|whose)\b.*|\s+(?:seen|obtained|released|published|cited|quoted)"
    r"\s+by\s+.*)$"
)
_NEVER_SUBJECT_START = frozenset(
    "although though because if unless whether when whenever while no nobody none".split()
)
_GROUP_MODIFIERS = frozenset("most many some several other two three both all".split())


def _described(phrase: str, lexicon: Lexicon) -> str | None:
    """The description of an unnamed speaker, or None for a bare pronoun ("they", "we")."""
    phrase = re.sub(r"^(?:but|and|yet|so)\s+", "", phrase.strip(), flags=re.I)
    words = phrase.split()
    if not words or len(words) > 6 or normalize_name(phrase) in lexicon.pronouns:
        return None
    if normalize_name(phrase) in ("they", "we", "i", "you", "people", "many", "some", "others"):
        return None
    return phrase


def _described_group(phrase: str, lexicon: Lexicon) -> str | None:
    """ "most experts", "energy analysts", "local officials": lower-case words before a
    generic subject."""
    phrase = re.sub(r"^(?:but|and|yet|so)\s+", "", phrase.strip(), flags=re.I)
    words = phrase.split()
    if not 2 <= len(words) <= 4 or normalize_name(words[-1]) not in lexicon.generic_subjects:
        return None
    if not all(w.islower() and w.isalpha() for w in words[:-1]):
        return None
    if words[0] in ("the", "a", "an", "these", "those") and len(words) == 2:
        return phrase
    if any(w in ("who", "which", "that", "and", "or") for w in words):
        return None
    return phrase


_DOCUMENT_FROM = re.compile(
    r"^(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}(?:report|study|survey|audit|analysis|review|memo)"
    r"\s+(?:from|by|of)\s+\S.*$",
    re.I,
)


def _more_specific(title: str, known: str) -> bool:
    """ "club president" says more than "president", printed earlier in a headline."""
    new, old = normalize_name(title), normalize_name(known)
    return len(new) > len(old) and new.endswith(" " + old)


def _recency(speaker: Speaker) -> int:
    return -1 if speaker.last_active is None else speaker.last_active
