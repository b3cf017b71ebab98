"""Speakers, sources, ratings and search: the reference data around claims."""

from __future__ import annotations

from typing import Any

from flask import Response, redirect, url_for
from sqlalchemy import select

from ..errors import NotFound, tr
from ..extensions import db
from ..models import Rating, Source, Speaker
from ..reads import claims as claim_reads
from ..reads import profiles
from ..reads.ratings import rating_breakdown, rating_counts
from ..search import search_claims
from . import bp, present
from . import responses as r
from . import schemas as s
from .auth import staff_reader
from .common import envelope, json_response
from .errors import load_query
from .spec import operation

REDIRECT = {
    308: ("The slug belonged to a record merged into another; follow Location.", None),
}


def _ratings(model: type[Speaker] | type[Source], row_id: int) -> Any:
    """The ratings of their published fact-checks, in the scale's order (unused ones left out)."""
    counts = rating_counts(profiles.claim_column(model) == row_id)
    return present.rating_counts(rating_breakdown(counts, with_empty=False))


def _find(model: type[Speaker] | type[Source], slug: str, endpoint: str) -> Any:
    if "\x00" in slug:
        raise NotFound(tr("Nothing here."))
    row, moved_to = profiles.resolve_slug(model, slug)
    if row is None and moved_to is not None:
        return redirect(url_for(endpoint, slug=moved_to), code=308)
    if row is None:
        what = "speaker" if model is Speaker else "source"
        raise NotFound(tr("There is no %(what)s '%(slug_80)s'.", what=what, slug_80=slug[:80]))
    return row


def _list(model: type[Speaker] | type[Source]) -> Response:
    """A page of speakers or sources by name, each with its claim count."""
    args = load_query(s.NameQuery())
    staff = staff_reader() is not None
    rows, total, counts = profiles.page_by_name(
        model, args.get("q"), args["page"], args["per_page"], staff=staff
    )
    show, schema = (present.speaker, r.Speaker) if model is Speaker else (present.source, r.Source)
    items = [show(row, counts.get(row.id, 0)) for row in rows]
    return json_response(
        envelope(
            present.dump(schema, items, many=True),
            total=total,
            page=args["page"],
            per_page=args["per_page"],
        )
    )


def _detail(model: type[Speaker] | type[Source], slug: str, endpoint: str) -> Response:
    """One speaker or source with the ratings of its published fact-checks."""
    staff = staff_reader() is not None
    row = _find(model, slug, endpoint)
    if isinstance(row, Response):
        return row
    count = profiles.claim_counts(model, [row.id], staff=staff).get(row.id, 0)
    if not staff and count == 0:
        what = "speaker" if model is Speaker else "source"
        raise NotFound(tr("There is no %(what)s '%(slug_80)s'.", what=what, slug_80=slug[:80]))
    schema: type[r.SpeakerDetail] | type[r.SourceDetail]
    if model is Speaker:
        data, schema = present.speaker(row, count), r.SpeakerDetail
    else:
        data, schema = present.source(row, count), r.SourceDetail
    data["ratings"] = _ratings(model, row.id)
    return json_response(present.dump(schema, data))


@bp.get("/v1/speakers")
@operation(
    summary="List speakers",
    tag="speakers and sources",
    description="By name. Without a token only speakers with a published fact-check.",
    query=s.NameQuery,
    responses={200: ("A page of speakers.", r.SpeakerPage)},
)
def list_speakers() -> Response:
    return _list(Speaker)


@bp.get("/v1/speakers/<slug>")
@operation(
    summary="One speaker",
    tag="speakers and sources",
    description="With the ratings of their published fact-checks.",
    responses={200: ("The speaker.", r.SpeakerDetail), **REDIRECT},
)
def get_speaker(slug: str) -> Response:
    return _detail(Speaker, slug, "api.get_speaker")


@bp.get("/v1/sources")
@operation(
    summary="List sources",
    tag="speakers and sources",
    description="The outlets, by name. Without a token only those with a published fact-check.",
    query=s.NameQuery,
    responses={200: ("A page of sources.", r.SourcePage)},
)
def list_sources() -> Response:
    return _list(Source)


@bp.get("/v1/sources/<slug>")
@operation(
    summary="One source",
    tag="speakers and sources",
    description="With the ratings of its published fact-checks.",
    responses={200: ("The source.", r.SourceDetail), **REDIRECT},
)
def get_source(slug: str) -> Response:
    return _detail(Source, slug, "api.get_source")


@bp.get("/v1/ratings")
@operation(
    summary="The rating scale",
    tag="ratings",
    description="Every rating in the scale's order; `ordinal` is null for a non-ordinal "
    "rating such as Unproven.",
    responses={200: ("The ratings.", r.RatingPage)},
)
def list_ratings() -> Response:
    rows = list(db.session.scalars(select(Rating).order_by(Rating.position, Rating.id)))
    items = present.dump(r.Rating, [present.rating(r) for r in rows], many=True)
    return json_response(envelope(items, total=len(items), page=1, per_page=max(1, len(items))))


@bp.get("/v1/search")
@operation(
    summary="Search published fact-checks",
    tag="claims",
    description="Full-text search over published claims, their speakers and verdicts, best "
    "match first. Drafts are never searched.",
    query=s.SearchQuery,
    responses={200: ("A page of results.", r.SearchPage)},
    rules=s.SEARCH_RULES,
)
def search() -> Response:
    args = load_query(s.SearchQuery())
    staff = staff_reader() is not None
    conn = db.session.connection()
    found = search_claims(conn, args["q"], page=args["page"], per_page=args["per_page"])
    rows = claim_reads.claims_by_ids(
        found.ids, staff=staff, loads=claim_reads.row_loads(staff=staff)
    )
    items = present.dump(r.Claim, [present.claim(c, staff=staff) for c in rows], many=True)
    return json_response(
        envelope(
            items,
            total=found.total,
            page=found.page,
            per_page=found.per_page,
            query=found.query,
            total_is_estimate=found.total_is_estimate,
        )
    )
