"""Reading the public list's query string: every bad value becomes a message, never an error.

A filter that cannot be understood (an unknown rating, a date like 2025-13-45)
is left out and explained, so the reader still gets a list and knows why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from werkzeug.datastructures import MultiDict

from ..errors import tr
from ..limits import MAX_PAGE, MAX_QUERY_CHARS, SLUG_MAX
from ..models import Rating, Source, Speaker, Tag
from ..reads import claims as claim_reads
from ..reads.claims import ClaimFilter
from ..reads.profiles import public_profile
from ..reads.ratings import rating_by_slug
from ..search import parse_query
from ..services.claims import LANGUAGES as CLAIM_LANGUAGES

# Slugs are ASCII words and hyphens; anything else cannot name a row (and never reaches SQL).
SLUG = re.compile(rf"[A-Za-z0-9_-]{{1,{SLUG_MAX}}}")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class PublicClaimFilters:
    """The public list's query string as understood, with what was refused and why."""

    q: str = ""
    terms: list[str] = field(default_factory=list)
    rating: Rating | None = None
    speaker: Speaker | None = None
    source: Source | None = None
    tag: Tag | None = None
    date_from: date | None = None
    date_to: date | None = None
    # The claim's own language ("uk"), not the page's.
    language: str | None = None
    page: int = 1
    problems: list[str] = field(default_factory=list)
    # What the reader typed, echoed back into the form (even when it was refused).
    raw: dict[str, str] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return any(
            (
                self.terms,
                self.rating,
                self.speaker,
                self.source,
                self.tag,
                self.date_from,
                self.date_to,
                self.language,
            )
        )

    def claim_filter(self) -> ClaimFilter:
        """The filter the list runs: what was understood, in the public scope."""
        return ClaimFilter(
            staff=False,
            q=self.q if self.terms else "",
            rating_id=self.rating.id if self.rating else None,
            speaker_id=self.speaker.id if self.speaker else None,
            source_id=self.source.id if self.source else None,
            tag_id=self.tag.id if self.tag else None,
            date_from=self.date_from,
            date_to=self.date_to,
            language=self.language,
        )


def parse_page(value: str | None, problems: list[str]) -> int:
    if value is None or value == "":
        return 1
    if not value.isdigit() or not 1 <= int(value) <= MAX_PAGE:
        problems.append(
            tr(
                "“%(value_20)s” is not a page number, so the first page is shown.",
                value_20=value[:20],
            )
        )
        return 1
    return int(value)


def parse_claim_filters(args: MultiDict[str, str]) -> PublicClaimFilters:
    raw = {key: (args.get(key) or "").strip() for key in _KEYS}
    f = PublicClaimFilters(raw=raw)
    f.page = parse_page(raw["page"], f.problems)
    if raw["q"]:
        f.q = raw["q"]
        f.terms = parse_query(raw["q"])
        if not f.terms:
            f.problems.append(
                tr("“%(query)s” has no words to look for, so it was ignored.", query=raw["q"][:80])
            )
        elif len(raw["q"]) > MAX_QUERY_CHARS:
            f.problems.append(
                tr(
                    "Only the first %(max)s characters of the search were used.",
                    max=MAX_QUERY_CHARS,
                )
            )
    if raw["rating"]:
        f.rating = _lookup(
            raw["rating"],
            rating_by_slug,
            tr("There is no rating “%(value)s” on our scale, so it was ignored."),
            f.problems,
        )
    if raw["speaker"]:
        f.speaker = _profile(Speaker, raw["speaker"], "speaker", f.problems)
    if raw["source"]:
        f.source = _profile(Source, raw["source"], "source", f.problems)
    if raw["tag"]:
        f.tag = _lookup(
            raw["tag"],
            claim_reads.public_tag,
            tr("There is no tag “%(value)s” on published fact-checks, so it was ignored."),
            f.problems,
        )
    if raw["lang"]:
        if raw["lang"] in CLAIM_LANGUAGES:
            f.language = raw["lang"]
        else:
            f.problems.append(
                tr(
                    "There is no language “%(value)s” among the claims, so it was ignored.",
                    value=raw["lang"][:20],
                )
            )
    f.date_from = _date(raw["from"], "from", f.problems)
    f.date_to = _date(raw["to"], "to", f.problems)
    if f.date_from and f.date_to and f.date_from > f.date_to:
        f.problems.append(
            tr(
                "The “from” date (%(start)s) is after the “to” date (%(end)s), "
                "so the dates were ignored.",
                start=f.date_from.isoformat(),
                end=f.date_to.isoformat(),
            )
        )
        f.date_from = f.date_to = None
    return f


_KEYS = ("q", "rating", "speaker", "source", "tag", "from", "to", "lang", "page")


def _lookup(value: str, find: Any, message: str, problems: list[str]) -> Any:
    row = find(value) if SLUG.fullmatch(value) else None
    if row is None:
        problems.append(message % {"value": value[:80]})
    return row


def _profile(
    model: type[Speaker] | type[Source], value: str, what: str, problems: list[str]
) -> Any:
    row = None
    if SLUG.fullmatch(value):
        row, moved_to = public_profile(model, value)
        if moved_to is not None:
            row, _ = public_profile(model, moved_to)
    if row is None:
        problems.append(
            tr(
                "There is no %(what)s “%(value_80)s” with published fact-checks, so it was ignored.",
                what=what,
                value_80=value[:80],
            )
        )
    return row


def _date(value: str, name: str, problems: list[str]) -> date | None:
    if not value:
        return None
    try:
        if not ISO_DATE.fullmatch(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        problems.append(
            tr(
                "The “%(name)s” date “%(value_40)s” is not a date like 2025-01-31, so it was ignored.",
                name=name,
                value_40=value[:40],
            )
        )
        return None
