"""Candidate claims of an article: attributed statements, as standalone text, scored."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from factcheck.extraction.attribution import (
    CLOSING_QUOTES,
    OPENING_QUOTES,
    Attributor,
    Statement,
    quote_still_open,
    quoted_words,
)
from factcheck.extraction.lexicon import Lexicon, lexicon_for
from factcheck.extraction.normalize import normalize_text
from factcheck.extraction.readers import ParsedArticle
from factcheck.extraction.scoring import score_statement
from factcheck.extraction.sentences import iter_sentences
from factcheck.extraction.speakers import Speaker, SpeakerRegistry

# Fewer words than this is a fragment ("He said so."), not a claim.
_MIN_CLAIM_WORDS = 3
# "It is important…", "It would…": an "it" that names no one.
_EXPLETIVE_IT = re.compile(r"it\s+(?:is|was|would|will|seems|appears|remains|has\s+been)\b", re.I)


@dataclass
class Candidate:
    text: str
    speaker: str | None
    speaker_title: str | None
    quote: str | None
    sentence: str
    score: float
    reasons: list[str] = field(default_factory=list)
    position: int = 0
    frame: str = ""  # which frame found it: leading, quote-first, according, told…
    speaker_kind: str | None = None  # person, organisation or document
    repeats: int = 1  # how many times the article prints this statement

    @property
    def source_sentence(self) -> str:
        return self.sentence


# Words that make an organisation-like speaker a document: "the report", "a study".
_DOCUMENT_WORDS = frozenset(
    "report reports study survey statement memo letter analysis audit review filing "
    "assessment data figures document documents transcript complaint lawsuit indictment "
    "ruling notice proposal solicitation notification".split()
)
# Candidates sharing their first words and speaker are compared for near-duplicates.
_NEAR_DUPLICATE = 0.9
_BUCKET_WORDS = 3


def extract_candidates(article: ParsedArticle) -> list[Candidate]:
    """The article's attributed statements, most check-worthy first.

    The body is read twice as a stream of sentences (names first, then frames) and
    each candidate is merged into the ones kept as soon as it is made, so memory holds
    the text and the candidates kept, not every sentence or statement."""
    lexicon = lexicon_for(article.language)
    registry = SpeakerRegistry(lexicon)
    # Names first: "Berg" in paragraph two needs "Ilka Berg" from the lede,
    # and a full name printed late still makes the canonical name.
    registry.note_mentions(article.title, headline=True)
    for text in iter_sentences(article.body, article.language):
        registry.note_mentions(text)
    attributor = Attributor(lexicon, registry)

    repeats = _Repeats()
    speakers: list[tuple[Candidate, Speaker]] = []
    previous: Statement | None = None
    quote_open = False
    # Sentences of a quote opened without a frame, waiting for the frame that closes
    # it ('"X. Y. Z," Vole said.'): at most a few, so memory stays flat.
    pending: list[tuple[int, str]] = []
    for position, sentence in enumerate(iter_sentences(article.body, article.language)):
        was_open = quote_open
        statements = attributor.statements(sentence, previous, quote_open and previous is not None)
        quote_open = quote_still_open(sentence, quote_open)
        if was_open and previous is None and _unattributed(statements):
            # "I said, we'd appreciate…" inside a quote whose frame comes later.
            statements = []
        if not statements:
            registry.note_sentence_subject(sentence, position)
            previous = None
            opens = was_open or sentence[:1] in OPENING_QUOTES
            if opens and quote_open and len(pending) < _MAX_PENDING_QUOTE:
                pending.append((position, sentence))
            else:
                pending = []
            continue
        if pending and was_open and statements[0].kind == "trailing":
            statements = [*_earlier_sentences(pending, statements[0]), *statements]
        pending = []
        for statement in statements:
            if statement.position is not None:
                at, said = statement.position, statement.sentence or sentence
            else:
                at, said = position, sentence
            if statement.speaker is not None:
                statement.speaker.last_active = position
            candidate = _candidate(at, said, statement, lexicon, article.language)
            if candidate is None:
                continue
            who = statement.speaker if statement.speaker is not None else statement.description
            if repeats.add(candidate, id(who) if statement.speaker is not None else who):
                if statement.speaker is not None:
                    speakers.append((candidate, statement.speaker))
        previous = statements[-1]

    # A speaker's canonical name is the fullest the whole article gives.
    for candidate, speaker in speakers:
        candidate.speaker = speaker.name
        candidate.speaker_title = speaker.title
        candidate.speaker_kind = _speaker_kind(speaker)
    candidates = repeats.kept
    candidates.sort(key=lambda c: (-c.score, c.position))
    return candidates


_MAX_PENDING_QUOTE = 8


def _unattributed(statements: list[Statement]) -> bool:
    return all(s.speaker is None and s.description is None for s in statements)


def _earlier_sentences(pending: list[tuple[int, str]], closing: Statement) -> list[Statement]:
    """The earlier sentences of a quote whose closing frame names the speaker."""
    return [
        Statement(
            closing.speaker,
            sentence,
            closing.verb,
            "trailing",
            closing.via,
            closing.pronoun,
            frame="multi-sentence quote",
            description=closing.description,
            position=position,
            sentence=sentence,
        )
        for position, sentence in pending
    ]


def _near(a: str, b: str) -> bool:
    """The same words within a few characters: a repeat of one statement, not another claim
    (claim matching's judgement is for two claims; a repeat is a matter of spelling)."""
    return fuzz.ratio(a, b) / 100.0 >= _NEAR_DUPLICATE


class _Repeats:
    """One candidate per distinct statement: exact and near repeats (same speaker, same
    opening words, similarity >= 0.9) merged into the first, their count kept.

    Buckets keep it linear in the number of candidates."""

    def __init__(self) -> None:
        self.kept: list[Candidate] = []
        self._exact: dict[tuple[object, str], Candidate] = {}
        self._buckets: dict[tuple[object, str], list[tuple[str, Candidate]]] = {}

    def add(self, candidate: Candidate, speaker: object) -> bool:
        """Keep the candidate (True) or count it as a repeat of one kept (False)."""
        normal = normalize_text(candidate.text)
        first = self._exact.get((speaker, normal))
        if first is None:
            bucket = self._buckets.setdefault(
                (speaker, " ".join(normal.split()[:_BUCKET_WORDS])), []
            )
            first = next((c for text, c in bucket[:20] if _near(text, normal)), None)
            if first is None:
                bucket.append((normal, candidate))
                self._exact[(speaker, normal)] = candidate
                self.kept.append(candidate)
                return True
        first.repeats += 1
        first.score = max(first.score, candidate.score)
        return False


def merge_repeats(candidates: list[Candidate]) -> list[Candidate]:
    """Candidates with exact and near repeats by the same speaker merged into the first."""
    repeats = _Repeats()
    for candidate in candidates:
        repeats.add(candidate, candidate.speaker)
    return repeats.kept


def _candidate(
    position: int, sentence: str, statement: Statement, lexicon: Lexicon, language: str
) -> Candidate | None:
    content = _unquote(statement.content.strip(" ,;:"))
    if len(content.split()) < _MIN_CLAIM_WORDS:
        return None
    stance = None
    if statement.verb in lexicon.opinion_verbs:
        stance = "opinion"
    elif statement.verb in lexicon.prediction_verbs:
        stance = "prediction"
    score, reasons = score_statement(content, stance)
    speaker = statement.speaker
    if statement.keep_sentence:
        text = sentence
    elif not statement.clause and speaker is not None:
        # "Hegseth recalled the US demand to spend 5%": the object alone is a
        # fragment, so the claim keeps who said it and the verb.
        text = _finish(f"{speaker.name} {statement.verb} {content}")
    elif _quoted(statement.content, sentence, statement):
        # In the speaker's own quoted words "he" is someone else: keep them.
        text = _finish(content)
    else:
        text = _finish(_name_the_pronoun(content, statement, lexicon, language))
    return Candidate(
        text=text,
        speaker=speaker.name if speaker else statement.description,
        speaker_title=speaker.title if speaker else None,
        quote=quoted_words(sentence),
        sentence=sentence,
        score=score,
        reasons=reasons,
        position=position,
        frame=statement.frame or statement.kind,
        speaker_kind=_speaker_kind(speaker) or _described_kind(statement.description),
    )


def _speaker_kind(speaker: object | None) -> str | None:
    if speaker is None:
        return None
    name = getattr(speaker, "name", "")
    if getattr(speaker, "kind", None):
        return str(speaker.kind)  # type: ignore[attr-defined]
    if getattr(speaker, "gender", None) != "org":
        return "person"
    if name.split() and name.split()[-1].casefold() in _DOCUMENT_WORDS:
        return "document"
    return "organisation"


def _described_kind(description: str | None) -> str | None:
    """An unnamed speaker's kind: "local news reports" are documents, "officials" people."""
    if not description:
        return None
    last = description.split()[-1].casefold()
    return "document" if last in _DOCUMENT_WORDS else "person"


def _quoted(content: str, sentence: str, statement: Statement) -> bool:
    """Whether the content is the speaker's verbatim quote rather than reported speech."""
    if statement.frame in ("continuation", "multi-sentence quote", "quote-first"):
        return True
    stripped = content.lstrip()
    return bool(stripped) and stripped[0] in OPENING_QUOTES and stripped[-1:] in CLOSING_QUOTES


def _unquote(text: str) -> str:
    """Drop quote marks that wrap the whole content or were left unbalanced by the frame."""
    if not text:
        return text
    if text[0] not in OPENING_QUOTES:
        if text[-1] in CLOSING_QUOTES and not any(ch in OPENING_QUOTES for ch in text[:-1]):
            return text[:-1]
        return text
    inner = text[1:]
    closing = [i for i, ch in enumerate(inner) if ch in CLOSING_QUOTES]
    if not closing:
        return inner
    tail = inner[closing[0] + 1 :]
    if len(closing) == 1 and not tail.strip(" .!?,"):
        return inner[: closing[0]] + tail.strip(" ,")
    return text


def _name_the_pronoun(text: str, statement: Statement, lexicon: Lexicon, language: str) -> str:
    """ "He noted that his job is X" -> "Vole's job is X": a claim must stand alone."""
    speaker = statement.speaker
    match = re.match(r"(\w+)\b", text)
    if speaker is None or match is None:
        return text
    word = match.group(1).casefold()
    if (
        speaker.gender is None
        and statement.via == "name"
        and lexicon.pronouns.get(word) in ("m", "f")
    ):
        # "Hanne Solli said she expects…": a pronoun opening the content of a
        # frame that has just named the speaker is the speaker.
        speaker.gender = lexicon.pronouns[word]
    if speaker.gender == "org":
        if word == "it" and not _EXPLETIVE_IT.match(text):
            return speaker.name + text[match.end() :]
        return text
    gender = speaker.gender or lexicon.pronouns.get(statement.pronoun or "")
    if gender not in ("m", "f"):
        return text
    # Possessive first: a sentence-initial "her" is "her budget", not "her".
    if language == "en" and lexicon.possessives.get(word) == gender:
        return f"{speaker.name}'s" + text[match.end() :]
    if lexicon.pronouns.get(word) == gender:
        return speaker.name + text[match.end() :]
    return text


def _finish(text: str) -> str:
    text = text.strip().rstrip(" ,;:")
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    if not text.endswith((".", "!", "?", "…", *CLOSING_QUOTES)):
        text += "."
    return text
