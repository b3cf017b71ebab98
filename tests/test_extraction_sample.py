"""Extraction on the real newsroom sample in shared/samples (read, never copied)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from factcheck.extraction import Candidate, ParsedArticle, extract_candidates, read_article

SAMPLE_NAME = "interfax-2025-02-13-hegseth.txt"


def _samples_dir() -> Path | None:
    # The repository's checkout sits next to shared/ (../shared/samples), for
    # developers and CI alike; look one level further up for other layouts.
    here = Path(__file__).resolve()
    for root in here.parents[1:4]:
        candidate = root / "shared" / "samples"
        if (candidate / SAMPLE_NAME).is_file():
            return candidate
    return None


@pytest.fixture(scope="module")
def article() -> ParsedArticle:
    samples = _samples_dir()
    if samples is None:
        pytest.skip(f"shared/samples/{SAMPLE_NAME} is not beside the repository")
    return read_article((samples / SAMPLE_NAME).read_bytes(), filename=SAMPLE_NAME)


@pytest.fixture(scope="module")
def candidates(article: ParsedArticle) -> list[Candidate]:
    return extract_candidates(article)


def _one(candidates: list[Candidate], fragment: str) -> Candidate:
    found = [c for c in candidates if fragment in c.text]
    assert len(found) == 1, [c.text for c in candidates]
    return found[0]


def test_sample_metadata_is_read(article: ParsedArticle) -> None:
    assert article.format == "sample"
    assert article.source == "Interfax-Ukraine"
    assert article.published_at == datetime(2025, 2, 13, 12, 23)
    assert article.rubric == "Facts"
    assert article.title == "Pentagon Chief Hegseth: USA does not betray Ukraine"
    assert article.language == "en"
    assert article.body.count("\n\n") == 5  # six paragraphs


def test_sample_has_one_speaker_with_the_title_printed_beside_the_name(
    candidates: list[Candidate],
) -> None:
    assert len(candidates) >= 10
    assert {c.speaker for c in candidates} == {"Pete Hegseth"}
    assert {c.speaker_title for c in candidates} == {"Pentagon Chief"}


def test_sample_spending_demand_is_a_top_candidate(candidates: list[Candidate]) -> None:
    demand = _one(candidates, "5%")
    assert demand.score >= 0.6
    assert candidates.index(demand) < len(candidates) / 3
    assert "contains a number or percentage" in demand.reasons


def test_sample_praise_of_the_negotiator_scores_low(candidates: list[Candidate]) -> None:
    praise = _one(candidates, "negotiator")
    assert praise.score < 0.4
    assert praise.score < _one(candidates, "5%").score
    assert any("praise" in reason for reason in praise.reasons)


def test_sample_statements_by_pronoun_and_by_title_are_attributed(
    candidates: list[Candidate],
) -> None:
    openings = [c.sentence.split()[0] for c in candidates]
    assert "He" in openings  # "He noted that…"
    assert "The" in openings  # the speaker named by a title alone


def test_sample_claims_have_the_reporting_frame_stripped(candidates: list[Candidate]) -> None:
    frame = re.compile(r"^(?:\S+\s+){0,4}(?:said|noted|emphasized|added|explained|stated)\s+that\b")
    assert not [c.text for c in candidates if frame.match(c.text) or c.text.startswith("He ")]
    assert all(c.text.endswith((".", "!", "?", "…")) for c in candidates)
    assert all(c.text[0].isupper() or c.text[0].isdigit() for c in candidates)
