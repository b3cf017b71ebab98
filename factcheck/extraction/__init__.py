"""Article import: readers, sentence splitting, attribution, scoring, claim matching.

Pure functions over text: no database and no Flask, so the web desk, the API
and the CLI all import through the same code.
"""

from factcheck.extraction.candidates import Candidate, extract_candidates
from factcheck.extraction.matching import Judgement, Match, judge, rank, read, similarity
from factcheck.extraction.normalize import normalize_name
from factcheck.extraction.readers import ArticleFormatError, ParsedArticle, read_article

__all__ = [
    "ArticleFormatError",
    "Candidate",
    "ParsedArticle",
    "extract_candidates",
    "normalize_name",
    "Judgement",
    "Match",
    "judge",
    "rank",
    "read",
    "read_article",
    "similarity",
]
