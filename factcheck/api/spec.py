"""The OpenAPI 3 document, built from the views' ``@operation`` notes and the marshmallow schemas.

Each view says what it takes and answers; this module walks the URL map, so
a route cannot exist in the API without being in the document (a test checks).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask
from marshmallow import Schema

from ..limits import MAX_ID
from . import responses as r
from .idempotency import PARAMETER as IDEMPOTENCY_KEY

Auth = Literal["public", "token"]
F = TypeVar("F", bound=Callable[..., Any])

ERROR_TEXTS = {
    400: "The input is not valid: the message says why, the fields say where.",
    401: "No token where one is needed, or a token that does not work.",
    403: "Your role may not do this.",
    404: "Nothing here (or nothing the caller may read).",
    409: "The state of the claim or a rule forbids it, or the row changed since you read it.",
    405: "This path does not take this method; the Allow header lists those it takes.",
    413: "The request body is too large.",
    414: "The address (path and query string) is too long.",
    428: "A change must say which version it is based on (`version` or If-Match).",
    422: "This Idempotency-Key was used for another request.",
    429: "Too many requests for this token or address; wait and retry.",
}
ETAG = {
    "ETag": {
        "description": 'With a token, the claim\'s version as a weak ETag, W/"<version>"; send '
        "it back in If-Match to change the claim. Without a token, a digest of what the "
        'public reads, W/"p<hex>": it changes only when that does.',
        "schema": {"type": "string"},
    }
}


@dataclass
class Operation:
    summary: str
    tag: str
    auth: Auth = "public"
    description: str = ""
    query: type[Schema] | None = None
    body: type[Schema] | None = None
    # status -> (description, schema or a media type for non-JSON answers)
    responses: dict[int, tuple[str, type[Schema] | str | None]] = field(default_factory=dict)
    errors: tuple[int, ...] = ()
    headers: dict[int, dict[str, Any]] = field(default_factory=dict)
    parameters: list[dict[str, Any]] = field(default_factory=list)
    # Rules the schema cannot state (one field against another, rows that must exist):
    # field -> rule. Breaking one is a 400 naming that field; listed as ``x-rules``.
    rules: dict[str, str] = field(default_factory=dict)
    # OpenAPI links from a response to the next calls (status -> name -> link).
    links: dict[int, dict[str, Any]] = field(default_factory=dict)
    # Takes an Idempotency-Key header (``api.idempotency``).
    idempotent: bool = False


def operation(**kwargs: Any) -> Callable[[F], F]:
    """Describe a view for the OpenAPI document."""

    def mark(view: F) -> F:
        view.openapi = Operation(**kwargs)  # type: ignore[attr-defined]
        return view

    return mark


_CONVERTER = re.compile(r"<(?:(?P<conv>[a-z]+)(?:\([^)]*\))?:)?(?P<name>\w+)>")
PATH_DESCRIPTIONS = {
    "claim_id": "The claim's id.",
    "slug": "The slug, as the list gives it.",
}


def _path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    params = []
    for match in _CONVERTER.finditer(rule):
        schema: dict[str, Any]
        if match["conv"] == "int":
            schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        else:
            schema = {"type": "string", "minLength": 1, "maxLength": 220}
        params.append(
            {
                "in": "path",
                "name": match["name"],
                "required": True,
                "schema": schema,
                "description": PATH_DESCRIPTIONS.get(match["name"], ""),
            }
        )
    return _CONVERTER.sub(lambda m: "{" + m["name"] + "}", rule), params


def _responses(op: Operation, has_path_params: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for status, (text, body) in sorted(op.responses.items()):
        response: dict[str, Any] = {"description": text}
        if isinstance(body, str):
            response["content"] = {body: {"schema": {"type": "string"}}}
        elif body is not None:
            response["content"] = {"application/json": {"schema": body}}
        if status in op.headers:
            response["headers"] = op.headers[status]
        if status in op.links:
            response["links"] = op.links[status]
        out[str(status)] = response
    # Any call can meet these: a method the path does not take, an over-long address,
    # a bad token, the rate limit.
    errors = set(op.errors) | {401, 405, 414, 429}
    if op.query is not None or op.body is not None or op.rules:
        errors.add(400)
    if op.body is not None:
        errors.add(413)
    if has_path_params:
        errors.add(404)
    if op.auth == "token":
        errors.add(403)
    if op.idempotent:
        errors |= {409, 422}
    for status in sorted(errors):
        response = {
            "description": ERROR_TEXTS[status],
            "content": {"application/json": {"schema": r.Error}},
        }
        if status == 405:
            response["headers"] = {
                "Allow": {
                    "description": "The methods this path takes.",
                    "schema": {"type": "string"},
                }
            }
        if status == 401:
            response["headers"] = {
                "WWW-Authenticate": {
                    "description": "The Bearer challenge.",
                    "schema": {"type": "string"},
                }
            }
        if status == 409 and op.headers.get(200, {}).get("ETag"):
            response["headers"] = ETAG
        out.setdefault(str(status), response)
    return out


def _operation(op: Operation, endpoint: str, path_params: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "operationId": endpoint.removeprefix("api."),
        "summary": op.summary,
        "tags": [op.tag],
        "responses": _responses(op, bool(path_params)),
    }
    description = op.description
    if op.rules:
        stated = "\n".join(f"- `{name}`: {rule}" for name, rule in op.rules.items())
        description += (
            f"\n\nAlso refused with 400 (the error's `fields` names the field):\n{stated}"
        )
        data["x-rules"] = [{"field": name, "rule": rule} for name, rule in op.rules.items()]
    if description:
        data["description"] = description.strip()
    parameters = list(path_params) + list(op.parameters)
    if op.idempotent:
        parameters.append(IDEMPOTENCY_KEY)
    if op.query is not None:
        parameters.append({"in": "query", "schema": op.query})
    if parameters:
        data["parameters"] = parameters
    if op.body is not None:
        data["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": op.body}},
        }
    # Every call reads the Authorization header when present; writes require it.
    data["security"] = [{"bearer": []}] if op.auth == "token" else [{}, {"bearer": []}]
    return data


DESCRIPTION = """\
Read published fact-checks, speakers, sources, ratings and search without a
token. Staff send `Authorization: Bearer <token>` (create one on the account
page or with `factcheck tokens create`) to read the desk's unpublished claims
and to write under the same role rules as the desk.

Lists answer `{"items": [...], "total": N, "page": P, "per_page": K, "next": URL or null}`.
Every claim carries `id`, `status` and `version`; `GET /api/v1/claims/{claim_id}`
also sends the version as an ETag. A change names the version it was based on
(`version` in the body, or `If-Match`); a stale one is a 409, never a silent
overwrite. Errors are `{"error": {"status": S, "message": "...", "fields": {...}}}`.
Calls are rate-limited per person (per address without a token); over the limit is a 429.
The writes that create something take an optional `Idempotency-Key` header: sent again
with the same key and body, they answer as the first time and create nothing more.
"""


def build_spec(app: Flask) -> dict[str, Any]:
    spec = APISpec(
        title="factcheck API",
        version="1.0.0",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": DESCRIPTION},
    )
    spec.components.security_scheme(
        "bearer",
        {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token of a staff account: `Authorization: Bearer fc_...`.",
        },
    )
    spec.components.schema("Error", schema=r.Error)
    rules = sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))
    paths: dict[str, dict[str, Any]] = {}
    for rule in rules:
        view = app.view_functions.get(rule.endpoint)
        op: Operation | None = getattr(view, "openapi", None)
        if op is None:
            continue
        path, params = _path(rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(op, rule.endpoint, params)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


def openapi_document(app: Flask) -> dict[str, Any]:
    """The document, built once per application."""
    cached = app.extensions.get("factcheck_openapi")
    if cached is None:
        cached = app.extensions["factcheck_openapi"] = build_spec(app)
    return cached
