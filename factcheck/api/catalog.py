"""Speakers, sources, ratings and search: the reference data around claims."""

from __future__ import annotations

from typing import Any

from flask import Response, redirect, url_for
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import selectinload

from ..errors import NotFound
from ..extensions import db
from ..extraction.normalize import normalize_name
from ..models import Claim, Rating, Source, Speaker, SpeakerAlias, Verdict
from ..search import search_claims
from ..services import catalog
from . import bp, present, queries
from . import responses as r
from . import schemas as s
from .auth import staff_reader
from .common import envelope, json_response
from .errors import load_query
from .spec import operation

REDIRECT = {
    308: ("The slug belonged to a record merged into another; follow Location.", None),
}


def _visible_claims(staff: bool) -> ColumnElement[bool]:
    return Claim.id.is_not(None) if staff else Claim.published_verdict_id.is_not(None)


def _claim_counts(column: Any, ids: list[int], staff: bool) -> dict[int, int]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(column, func.count(Claim.id))
        .where(column.in_(ids), _visible_claims(staff))
        .group_by(column)
    )
    return {owner: n for owner, n in rows}


def _rating_breakdown(column: Any, owner_id: int) -> list[tuple[Rating, int]]:
    """Published fact-checks per rating, in the scale's order."""
    rows = db.session.execute(
        select(Rating, func.count(Claim.id))
        .join(Verdict, Verdict.rating_id == Rating.id)
        .join(Claim, Claim.published_verdict_id == Verdict.id)
        .where(column == owner_id)
        .group_by(Rating.id)
        .order_by(Rating.position, Rating.id)
    )
    return [(rating, n) for rating, n in rows]


def _name_filter(model: type[Speaker] | type[Source], q: str | None) -> list[ColumnElement[bool]]:
    key = normalize_name(q or "")
    if not key:
        return []
    pattern = "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    condition: ColumnElement[bool] = model.normalized_name.like(pattern, escape="\\")
    if model is Speaker:
        aliased = select(SpeakerAlias.speaker_id).where(
            SpeakerAlias.normalized_name.like(pattern, escape="\\")
        )
        condition = or_(condition, Speaker.id.in_(aliased))
    return [condition]


def _page_of(
    model: Any, column: Any, args: dict[str, Any], staff: bool
) -> tuple[list[Any], int, dict[int, int]]:
    query = select(model).where(*_name_filter(model, args.get("q")))
    if not staff:
        # The public only meets speakers and sources of published fact-checks.
        query = query.where(model.id.in_(select(column).where(_visible_claims(False))))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if model is Speaker:
        query = query.options(selectinload(Speaker.aliases))
    rows = list(
        db.session.scalars(
            query.order_by(model.name, model.id)
            .limit(args["per_page"])
            .offset((args["page"] - 1) * args["per_page"])
        )
    )
    return rows, total, _claim_counts(column, [r.id for r in rows], staff)


def _find(model: type[Speaker] | type[Source], slug: str, endpoint: str) -> Any:
    if "\x00" in slug:
        raise NotFound("Nothing here.")
    row, moved_to = catalog.resolve_slug(model, slug)
    if row is None and moved_to is not None:
        return redirect(url_for(endpoint, slug=moved_to), code=308)
    if row is None:
        what = "speaker" if model is Speaker else "source"
        raise NotFound(f"There is no {what} '{slug[:80]}'.")
    return row


@bp.get("/v1/speakers")
@operation(
    summary="List speakers",
    tag="speakers and sources",
    description="By name. Without a token only speakers with a published fact-check.",
    query=s.NameQuery,
    responses={200: ("A page of speakers.", r.SpeakerPage)},
)
def list_speakers() -> Response:
    args = load_query(s.NameQuery())
    staff = staff_reader() is not None
    rows, total, counts = _page_of(Speaker, Claim.speaker_id, args, staff)
    items = [present.speaker(r, counts.get(r.id, 0)) for r in rows]
    return json_response(
        envelope(
            present.dump(r.Speaker, items, many=True),
            total=total,
            page=args["page"],
            per_page=args["per_page"],
        )
    )


@bp.get("/v1/speakers/<slug>")
@operation(
    summary="One speaker",
    tag="speakers and sources",
    description="With the ratings of their published fact-checks.",
    responses={200: ("The speaker.", r.SpeakerDetail), **REDIRECT},
)
def get_speaker(slug: str) -> Response:
    staff = staff_reader() is not None
    row = _find(Speaker, slug, "api.get_speaker")
    if isinstance(row, Response):
        return row
    count = _claim_counts(Claim.speaker_id, [row.id], staff).get(row.id, 0)
    if not staff and count == 0:
        raise NotFound(f"There is no speaker '{slug[:80]}'.")
    data = present.speaker(row, count)
    data["ratings"] = present.rating_counts(_rating_breakdown(Claim.speaker_id, row.id))
    return json_response(present.dump(r.SpeakerDetail, data))


@bp.get("/v1/sources")
@operation(
    summary="List sources",
    tag="speakers and sources",
    description="The outlets, by name. Without a token only those with a published fact-check.",
    query=s.NameQuery,
    responses={200: ("A page of sources.", r.SourcePage)},
)
def list_sources() -> Response:
    args = load_query(s.NameQuery())
    staff = staff_reader() is not None
    rows, total, counts = _page_of(Source, Claim.source_id, args, staff)
    items = [present.source(r, counts.get(r.id, 0)) for r in rows]
    return json_response(
        envelope(
            present.dump(r.Source, items, many=True),
            total=total,
            page=args["page"],
            per_page=args["per_page"],
        )
    )


@bp.get("/v1/sources/<slug>")
@operation(
    summary="One source",
    tag="speakers and sources",
    description="With the ratings of its published fact-checks.",
    responses={200: ("The source.", r.SourceDetail), **REDIRECT},
)
def get_source(slug: str) -> Response:
    staff = staff_reader() is not None
    row = _find(Source, slug, "api.get_source")
    if isinstance(row, Response):
        return row
    count = _claim_counts(Claim.source_id, [row.id], staff).get(row.id, 0)
    if not staff and count == 0:
        raise NotFound(f"There is no source '{slug[:80]}'.")
    data = present.source(row, count)
    data["ratings"] = present.rating_counts(_rating_breakdown(Claim.source_id, row.id))
    return json_response(present.dump(r.SourceDetail, data))


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
)
def search() -> Response:
    args = load_query(s.SearchQuery())
    staff = staff_reader() is not None
    conn = db.session.connection()
    found = search_claims(conn, args["q"], page=args["page"], per_page=args["per_page"])
    rows = queries.claims_by_ids(found.ids, staff=staff)
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
