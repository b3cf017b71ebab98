"""What every API view shares: the list envelope and loading the row a URL names."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request

from ..errors import NotFound, tr
from ..limits import is_id
from ..models import Claim
from ..services import claims as claim_service
from ..web.hosts import external_url


def envelope(
    items: list[Any], *, total: int, page: int, per_page: int, **extra: Any
) -> dict[str, Any]:
    """A page of a list, with the URL of the next page when there is one."""
    next_url = None
    if page * per_page < total:
        args = request.args.to_dict()
        args["page"] = str(page + 1)
        next_url = external_url(
            request.endpoint or "api.list_claims", **(request.view_args or {}), **args
        )
    return {
        "items": items,
        "total": total,
        "page": page,
        "per_page": per_page,
        "next": next_url,
        **extra,
    }


def load_claim(claim_id: int, *, staff: bool) -> Claim:
    """The claim, or 404; without staff rights an unpublished claim does not exist."""
    if not is_id(claim_id):
        raise NotFound(tr("There is no claim #%(claim_id)s.", claim_id=claim_id))
    claim = claim_service.get_claim(claim_id)
    if not staff and not claim.is_public:
        raise NotFound(tr("There is no claim #%(claim_id)s.", claim_id=claim_id))
    return claim


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    resp = jsonify(data)
    resp.status_code = status
    for key, value in (headers or {}).items():
        resp.headers[key] = value
    return resp
