"""`POST /api/v1/tips`: readers' requests from other channels (a chat bot, a partner site)."""

from __future__ import annotations

from flask import Response, request, url_for
from marshmallow import Schema, fields, validate

from ..services import tips as tip_service
from ..web.tip_limits import across_everyone, per_address
from . import bp, present
from . import responses as r
from . import schemas as s
from .common import json_response
from .errors import load_body
from .spec import operation


class TipBody(s.InputSchema):
    claim = s.Text(
        required=True,
        validate=validate.Length(tip_service.TEXT_MIN, tip_service.TEXT_MAX),
        metadata={"description": "The words the reader saw or heard (HTML is dropped)."},
    )
    seen_at = s.Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=tip_service.SEEN_AT_MAX),
        metadata={"description": "Where: a URL or a place."},
    )
    email = s.Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=tip_service.EMAIL_MAX),
        metadata={"description": "Optional; seen only by editors, erased after the set days."},
    )


class TipAnswer(Schema):
    id = fields.Integer(required=True)
    status_url = fields.String(
        required=True,
        metadata={"description": "The reader's private status page; the only copy of its secret."},
    )
    answer = fields.Nested(
        r.Claim,
        allow_none=True,
        required=True,
        metadata={"description": "A published fact-check that already answers it, or null."},
    )


@bp.post("/v1/tips")
@operation(
    summary="Ask for a claim to be checked",
    tag="tips",
    description="Public, no token; rate limited per address and across all readers (429). "
    "When a published fact-check already answers the claim it is in `answer`. The same "
    "words sent again from the same address on the same day fold into the first request.",
    body=TipBody,
    responses={201: ("The request was taken.", TipAnswer)},
    errors=(400, 413, 429),
)
@per_address
@across_everyone
def create_tip() -> Response:
    body = load_body(TipBody())
    submitted = tip_service.submit_tip(
        tip_service.TipInput(claim=body["claim"], seen_at=body["seen_at"], email=body["email"]),
        address=request.remote_addr,
        channel="api",
    )
    answer = present.claim(submitted.answer, staff=False) if submitted.answer else None
    data = {
        "id": submitted.tip.id,
        "status_url": url_for("public.tip_status", token=submitted.token, _external=True),
        "answer": present.dump(r.Claim, answer) if answer else None,
    }
    return json_response(data, 201)
