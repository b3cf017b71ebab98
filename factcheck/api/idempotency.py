"""``Idempotency-Key``: a write sent again with the same key gets the first answer, and
no second row.

The key is the client's (a UUID, say), scoped to the person calling; it is consumed in
the transaction of the write (``services.submissions``). The same key with another
request is a 422; a repeat while the first is still being written is a 409.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from flask import Response, request

from ..errors import DomainError
from ..limits import SUBMISSION_KEY_MAX
from ..services import submissions
from ..services.submissions import AlreadySubmitted
from ..web.errors import error_response
from .auth import require_token

HEADER = "Idempotency-Key"
KEY_PATTERN = f"^[!-~]{{1,{SUBMISSION_KEY_MAX}}}$"
# What a replay repeats besides the body.
KEPT_HEADERS = ("Location", "ETag")
PARAMETER = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "schema": {"type": "string", "pattern": KEY_PATTERN},
    "description": "Optional. A key of your own (a UUID) that makes retrying safe: the same "
    "key with the same request within a day gets the first answer again (with "
    "`Idempotent-Replayed: true`) and writes nothing; with another request it is a 422; "
    "while the first is still being written, a 409.",
}


class KeyReused(DomainError):
    status = 422


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), request.get_data(cache=True)):
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()


def _replay(earlier: Any, fingerprint: str) -> Response:
    if earlier is None or earlier.fingerprint != fingerprint:
        raise KeyReused(
            f"This {HEADER} was used for another request; send a new key for a new request.",
            fields={HEADER: "Used before for another request."},
        )
    if earlier.response_status is None:
        return error_response(
            409,
            f"A request with this {HEADER} is still being written; retry in a moment.",
            {HEADER: "In progress."},
        )
    resp = Response(earlier.response_body or "", status=earlier.response_status)
    resp.mimetype = "application/json"
    for name, value in submissions.stored_headers(earlier).items():
        resp.headers[name] = value
    resp.headers["Idempotent-Replayed"] = "true"
    return resp


def idempotent(view: Callable[..., Response]) -> Callable[..., Response]:
    """Honour an Idempotency-Key on this write (without the header, the view just runs)."""

    @functools.wraps(view)
    def inner(*args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        user = require_token()
        submissions.check_key(key, field=HEADER)
        fingerprint = _fingerprint()
        scope = submissions.scope_for(user)
        try:
            with submissions.once(
                scope, key, request.endpoint or "", fingerprint=fingerprint
            ) as row:
                resp = view(*args, **kwargs)
                if resp.status_code >= 300:
                    raise _NotKept(resp)
                submissions.record(
                    row,
                    status=resp.status_code,
                    body=resp.get_data(as_text=True),
                    headers={h: resp.headers[h] for h in KEPT_HEADERS if h in resp.headers},
                )
        except AlreadySubmitted as exc:
            return _replay(exc.earlier, fingerprint)
        except _NotKept as kept:
            return kept.response
        return resp

    return inner


class _NotKept(Exception):
    """An answer that is not a success: the key stays unused, the write is undone."""

    def __init__(self, response: Response) -> None:
        super().__init__()
        self.response = response
