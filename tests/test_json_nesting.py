"""json_nesting: the depth of a JSON text, read before any parser sees it."""

from __future__ import annotations

import json

import pytest

from factcheck.extraction.page_metadata import read_page_metadata
from factcheck.limits import MAX_JSON_DEPTH, json_nesting


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("{}", 1),
        ('{"a": [1, {"b": []}]}', 4),
        ('{"a": "[[[[[[[[{{{{"}', 1),  # brackets in strings do not count
        ('{"a": "\\\\"}', 1),  # an escaped backslash ends before the quote
        ('{"a": "\\"[[["}', 1),  # an escaped quote does not end the string
        ("[" * 10 + "]" * 10, 10),
        ("plain", 0),
    ],
)
def test_depth_matches_the_parsed_structure(text: str, depth: int) -> None:
    assert json_nesting(text, 100) == depth


def test_a_hundred_thousand_brackets_stop_at_the_limit_without_recursion() -> None:
    assert json_nesting("[" * 100_000) == MAX_JSON_DEPTH + 1
    assert json_nesting(b"{" * 100_000, 64) == 65


def test_an_article_page_with_hostile_json_ld_is_still_read() -> None:
    page = (
        "<html><head><title>Harbour fees rise | Saltmere Courier</title>"
        '<script type="application/ld+json">' + "[" * 100_000 + "</script>"
        '<script type="application/ld+json">'
        + json.dumps({"@type": "NewsArticle", "headline": "Harbour fees rise"})
        + "</script></head><body><p>Text.</p></body></html>"
    )
    found = read_page_metadata(page)
    assert found.title == "Harbour fees rise"
