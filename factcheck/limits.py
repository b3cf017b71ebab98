"""Every size limit in one place: ids, pages, searches, exports and claim fields.

Pure (standard library only): the models size their columns from these, and the
desk's forms, the API's schemas and the services validate against the same
numbers, so a value one accepts the others store.
"""

from __future__ import annotations

import re

# Ids are 32-bit integers on PostgreSQL (and the largest either engine stores in an
# integer column): anything larger cannot name a row and is refused before a query.
MAX_ID = 2**31 - 1


def is_id(value: object) -> bool:
    """Whether ``value`` can name a row: a whole number from 1 to ``MAX_ID``."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


# A JSON body nested deeper than this is refused (400) before it is read any further;
# the API's documents are at most three levels deep.
MAX_JSON_DEPTH = 32

# Idempotency-Key (API) and the one-time key of a desk form: a client's own token.
SUBMISSION_KEY_MAX = 100


def bounded_int(value: str) -> int:
    """A whole number from a URL or a form, refused (ValueError) beyond what a column holds.

    For ``request.args.get(name, type=bounded_int)``, which then gives the default."""
    number = int(value.strip()) if value.strip().lstrip("+-").isdigit() else int("x")
    if not -MAX_ID <= number <= MAX_ID:
        raise ValueError(f"{value[:30]} is out of range")
    return number


# Lists: page numbers and page sizes a reader or client may ask for.
MAX_PAGE = 100_000
MAX_PER_PAGE = 100

# Searches: what is read of the words typed (the rest is ignored, with a message).
MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 8

# The CSV export of claim lists (desk and API): at most this many rows.
CSV_MAX_ROWS = 50_000

# A claim's fields, as the columns size them and every form and schema checks them.
CLAIM_TEXT_MIN = 10
CLAIM_TEXT_MAX = 1000
CLAIM_QUOTE_MAX = 5000
CLAIM_CONTEXT_MAX = 500
CLAIM_NOTES_MAX = 5000
SPEAKER_NAME_MAX = 200
SPEAKER_TITLE_MAX = 200
SOURCE_NAME_MAX = 200
ARTICLE_TITLE_MAX = 500
URL_MAX = 1000
TAG_NAME_MAX = 80
TAG_SLUG_MAX = 100
TAGS_PER_CLAIM = 20
SLUG_MAX = 220

# A reader's tip (/tips/new, POST /api/v1/tips): the words they saw.
TIP_TEXT_MIN = 10
TIP_TEXT_MAX = 1000

# Evidence.
EVIDENCE_CITATION_MAX = 2000
EVIDENCE_TITLE_MAX = 500
EVIDENCE_PUBLISHER_MAX = 200
EVIDENCE_EXCERPT_MAX = 5000

# Verdicts and the rating scale.
RATING_NAME_MAX = 80
RATING_SLUG_MAX = 100
VERDICT_SUMMARY_MAX = 280
VERDICT_EXPLANATION_MAX = 50_000
CORRECTION_NOTE_MAX = 5000  # a correction's public note, in the desk's form and the API


# JSON-LD read from files and pages (ClaimReview feeds, article metadata): deeper than any
# real document, far below where Python's parser would exhaust the stack.
MAX_DOCUMENT_DEPTH = 64

_JSON_SPECIAL = re.compile(rb'[\[\]{}"\\]')


def json_nesting(raw: bytes | str, stop_at: int = MAX_JSON_DEPTH) -> int:
    """How deep the brackets of a JSON text go (brackets inside strings do not count),
    counted up to ``stop_at + 1``. Read before parsing: a text of 100,000 brackets costs
    one linear scan here instead of a RecursionError deep in the parser."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    depth = deepest = 0
    in_string = False
    skip_at = -1  # the character after a backslash inside a string
    for match in _JSON_SPECIAL.finditer(data):
        at, char = match.start(), match.group()
        if at == skip_at:
            continue
        if in_string:
            if char == b"\\":
                skip_at = at + 1
            elif char == b'"':
                in_string = False
        elif char == b'"':
            in_string = True
        elif char in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > stop_at:
                break
        elif char in (b"]", b"}"):
            depth -= 1
    return deepest
