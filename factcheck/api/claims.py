"""Claims read through the API: the list, one claim, similar claims, the CSV export.

The writes (logging, editing, evidence, appearances, verdicts, transitions) are in
``api/claim_writes.py``; both answer a claim with ``claim_response``."""

from __future__ import annotations

import hashlib
import json
from typing import Any, cast

from flask import Response

from ..extensions import db
from ..limits import CSV_MAX_ROWS
from ..models import Claim, Source, Speaker, User
from ..policy import Perm, require
from ..reads import claims as claim_reads
from ..reads.claims import ClaimFilter
from ..reads.common import NOTHING
from ..reads.profiles import id_for_slug
from ..reads.ratings import rating_by_slug
from ..services import appearances, matching, reviews, verdicts
from ..services import claims as claim_service
from ..services.export import csv_download
from ..web.hosts import external_url
from ..web.page_cache import cached_page
from . import bp, present
from . import responses as r
from . import schemas as s
from .auth import require_token, staff_reader
from .common import envelope, json_response, load_claim
from .errors import etag, load_query
from .spec import ETAG, operation


def _detail(claim: Claim, *, staff: User | None) -> dict[str, Any]:
    """The claim as this reader may see it: staff see the desk's view and their actions;
    everyone else exactly what the public page shows (evidence as of publication)."""
    revisions = verdicts.revisions(claim.id)
    data = present.claim_detail(
        claim,
        staff=staff is not None,
        evidence_rows=(
            claim_service.evidence_for(claim.id)
            if staff is not None
            else claim_reads.public_evidence(claim)
        ),
        revisions=revisions,
        appearance_rows=appearances.appearances_of(claim.id, public=staff is None),
    )
    if staff is not None:
        data["actions"] = [
            present.action_choice(c) for c in reviews.available_actions(staff, claim)
        ]
    return cast(dict[str, Any], present.dump(r.ClaimDetail, data))


def public_etag(data: dict[str, Any]) -> str:
    """An ETag of what the public reads: it changes only when that does."""
    body = json.dumps(data, sort_keys=True, default=str).encode()
    return f'W/"p{hashlib.sha256(body).hexdigest()[:20]}"'


def claim_response(claim: Claim, user: User, status: int = 200) -> Response:
    headers = {"ETag": etag(claim.version)}
    if status == 201:
        headers["Location"] = external_url("api.get_claim", claim_id=claim.id)
    return json_response(_detail(claim, staff=user), status, headers)


def reload_claim(claim_id: int) -> Claim:
    """The claim as committed (services commit; relationships are read fresh)."""
    db.session.expire_all()
    return claim_service.get_claim(claim_id)


def claim_filter(args: dict[str, Any], *, staff: bool) -> ClaimFilter:
    """The list's query (``s.ClaimFilters``) as the filter every claim list runs.

    A slug that names nothing matches nothing (an empty list, not an error).
    """

    def known(found: int | None) -> int:
        return NOTHING if found is None else found

    rating = rating_by_slug(args["rating"]) if args.get("rating") else None
    return ClaimFilter(
        staff=staff,
        q=args.get("q") or "",
        status=args.get("status"),
        rating_id=(rating.id if rating else NOTHING) if args.get("rating") else None,
        speaker_id=known(id_for_slug(Speaker, args["speaker"])) if args.get("speaker") else None,
        source_id=known(id_for_slug(Source, args["source"])) if args.get("source") else None,
        tag_id=known(claim_reads.tag_id(args["tag"], staff=True)) if args.get("tag") else None,
        date_from=args.get("date_from"),
        date_to=args.get("date_to"),
    )


@bp.get("/v1/claims")
@operation(
    summary="List claims",
    tag="claims",
    description="Published fact-checks, newest first. With a staff token every claim "
    "(newest first) and the `status` filter. `total` is exact up to 1,000 claims past "
    "the requested page; beyond, it is that lower bound and `total_is_estimate` is true.",
    query=s.ClaimListQuery,
    responses={200: ("A page of claims.", r.ClaimPage)},
    rules=s.FILTER_RULES,
)
@cached_page
def list_claims() -> Response:
    args = load_query(s.ClaimListQuery())
    staff = staff_reader() is not None
    found = claim_reads.claims_page(
        claim_filter(args, staff=staff),
        args["page"],
        args["per_page"],
        order="newest" if staff else "published",
        loads=claim_reads.row_loads(staff=staff),
    )
    items = present.dump(r.Claim, [present.claim(c, staff=staff) for c in found.items], many=True)
    return json_response(
        envelope(
            items,
            total=found.total,
            page=args["page"],
            per_page=args["per_page"],
            total_is_estimate=found.total_is_estimate,
        )
    )


@bp.get("/v1/claims/<int:claim_id>")
@operation(
    summary="One claim",
    tag="claims",
    description="With its published verdict, evidence and earlier published versions. "
    "Without a token exactly what the public page shows: the approved fields and the "
    "evidence as it was when the verdict was published; the ETag is then a digest of that "
    "content and changes only when it does. Staff also see the draft in progress (with any "
    "`claim_changes` waiting for approval) and `actions`, the workflow actions open or "
    "closed to them with the reason.",
    responses={200: ("The claim.", r.ClaimDetail)},
    headers={200: ETAG},
)
@cached_page
def get_claim(claim_id: int) -> Response:
    reader = staff_reader()
    claim = load_claim(claim_id, staff=reader is not None)
    data = _detail(claim, staff=reader)
    tag = etag(claim.version) if reader is not None else public_etag(data)
    return json_response(data, headers={"ETag": tag})


@bp.get("/v1/claims/<int:claim_id>/similar")
@operation(
    summary="Similar claims",
    tag="claims",
    description=f"Up to {matching.LIMIT} claims that repeat or resemble this one, judged: "
    "`same` when the earlier verdict answers this claim (same subject, same figure, same "
    "direction, same time frame), `related` when it is the same topic. Published fact-checks "
    "first, then other organisations' (`external` instead of `claim`), then (staff only) "
    "unpublished claims. Candidates come from the full-text index, so the answer takes "
    "bounded time however large the archive.",
    responses={200: ("Similar claims.", r.SimilarPage)},
)
def similar_claims(claim_id: int) -> Response:
    staff = staff_reader() is not None
    claim = load_claim(claim_id, staff=staff)
    suggestions = matching.similar_to_claim(claim, public_only=not staff)
    # The claims again with everything their JSON reads, in one statement per relation.
    loaded = {
        c.id: c
        for c in claim_reads.claims_by_ids(
            [s.claim.id for s in suggestions if s.claim],
            staff=staff,
            loads=claim_reads.row_loads(staff=staff),
        )
    }
    items: list[dict[str, Any]] = []
    for found in suggestions:
        item: dict[str, Any] = {"score": found.score, "match": found.match.value}
        if found.claim is not None and found.claim.id in loaded:
            item["claim"] = present.claim(loaded[found.claim.id], staff=staff)
        elif found.external is not None:
            item["external"] = present.external_factcheck(found.external)
        items.append(item)
    return json_response(
        envelope(
            present.dump(r.Similar, items, many=True),
            total=len(items),
            page=1,
            per_page=matching.LIMIT,
        )
    )


@bp.get("/v1/claims.csv")
@operation(
    summary="Export claims as CSV",
    tag="claims",
    auth="token",
    description="The list's filters (status included), every matching claim up to "
    f"{CSV_MAX_ROWS:,} rows, newest first. Cells that a spreadsheet would run as a "
    "formula are prefixed with an apostrophe.",
    query=s.ClaimFilters,
    responses={200: ("CSV, one claim a row.", "text/csv")},
    rules=s.FILTER_RULES,
)
def export_claims() -> Response:
    user = require_token()
    require(user, Perm.USE_DESK)
    args = load_query(s.ClaimFilters())
    body, headers = csv_download(claim_reads.export_rows(claim_filter(args, staff=True)))
    return Response(body, mimetype="text/csv", headers=headers)
