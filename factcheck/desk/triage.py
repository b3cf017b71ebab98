"""The triage screen's pieces that are not a request: the article text cut into
paragraphs with each candidate's sentence marked, and the page of candidates shown."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import ImportCandidate

PAGE_SIZE = 40
# Candidates of a page whose similar existing claims are looked up for the editor.
SIMILAR_ON_PAGE = 10
# Short articles show their whole text; longer ones only the paragraphs that
# hold the candidates of the page shown (the full text stays one click away).
WHOLE_TEXT_PARAGRAPHS = 80


@dataclass
class Segment:
    text: str
    candidate_id: int | None = None


@dataclass
class Paragraph:
    number: int
    segments: list[Segment]


def marked_paragraphs(
    body: str, candidates: list[ImportCandidate], *, whole: bool = False
) -> list[Paragraph]:
    """The body's paragraphs with each candidate's source sentence as its own segment,
    in one pass over the text (time linear in its length)."""
    wanted: dict[str, list[int]] = {}
    for candidate in sorted(candidates, key=lambda c: c.position):
        wanted.setdefault(candidate.sentence, []).append(candidate.id)
    paragraphs = []
    done: set[str] = set()
    raw = [" ".join(p.split()) for p in body.split("\n\n") if p.strip()]
    keep_all = whole or len(raw) <= WHOLE_TEXT_PARAGRAPHS
    for number, text in enumerate(raw, start=1):
        segments: list[Segment] = []
        cursor = 0
        for sentence, ids in wanted.items():
            if sentence in done:
                continue
            at = text.find(sentence, cursor)
            if at < 0:
                at = text.find(sentence)
                if at < cursor:
                    continue
            segments.append(Segment(text[cursor:at]))
            segments.append(Segment(sentence, ids[0]))
            done.add(sentence)
            cursor = at + len(sentence)
        if not segments and not keep_all:
            continue
        segments.append(Segment(text[cursor:]))
        paragraphs.append(
            Paragraph(number, [s for s in segments if s.text or s.candidate_id is not None])
        )
    return paragraphs
