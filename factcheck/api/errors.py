"""The API's errors: bearer challenges, stale writes, bad bodies; always the JSON error shape."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, request
from marshmallow import Schema, ValidationError

from ..errors import DomainError, StaleEdit, ValidationFailed, tr
from ..limits import MAX_JSON_DEPTH, json_nesting
from ..web.errors import discard_transaction, error_response
from . import bp

REALM = 'Bearer realm="factcheck"'


class Unauthorized(DomainError):
    """No token, or one that does not work; answered with a Bearer challenge."""

    status = 401

    def __init__(self, message: str, *, error: str | None = None) -> None:
        super().__init__(message)
        self.challenge = f'{REALM}, error="{error}"' if error else REALM


class PreconditionRequired(DomainError):
    """A write that must say which version it was based on, and did not."""

    status = 428


def flatten(messages: Any, prefix: str = "") -> dict[str, str]:
    """marshmallow's nested error messages as {"field" or "field.0": "message"}."""
    out: dict[str, str] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out.update(flatten(value, name))
    elif isinstance(messages, list | tuple):
        texts = [m for m in messages if isinstance(m, str)]
        if texts:
            out[prefix or "_body"] = " ".join(texts)
        for item in messages:
            if isinstance(item, dict | list):
                out.update(flatten(item, prefix))
    else:
        out[prefix or "_body"] = str(messages)
    return out


def invalid(exc: ValidationError) -> ValidationFailed:
    fields = flatten(exc.messages)
    unknown = sorted(name for name, text in fields.items() if text == "Unknown field.")
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        message = f"Unknown field{plural}: {', '.join(unknown)}."
    else:
        name, text = next(iter(fields.items()))
        message = f"Invalid value for '{name}': {text}"
    return ValidationFailed(message, fields=fields)


def load_body(schema: Schema) -> dict[str, Any]:
    """The request body parsed as a JSON object and validated by ``schema``."""
    if request.mimetype and not request.is_json:
        raise ValidationFailed(
            tr(
                "Send the body as JSON (Content-Type: application/json), not %(request_mimetype)s.",
                request_mimetype=request.mimetype,
            ),
            fields={"_body": tr("Expected application/json.")},
        )
    raw = request.get_data(cache=False)  # 413 when over the API's body limit
    if not raw.strip():
        raise ValidationFailed(
            tr("The request needs a JSON object body."), fields={"_body": tr("Empty body.")}
        )
    too_deep = ValidationFailed(
        f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep.",
        fields={"_body": "Nested too deeply."},
    )
    if json_nesting(raw) > MAX_JSON_DEPTH:
        raise too_deep
    try:
        data = json.loads(raw)
    except RecursionError:
        raise too_deep from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed(
            tr("The body is not valid JSON: %(exc)s", exc=exc),
            fields={"_body": tr("Malformed JSON.")},
        ) from None
    if not isinstance(data, dict):
        raise ValidationFailed(
            tr(
                "The body must be a JSON object, not %(type_data___name)s.",
                type_data___name=type(data).__name__,
            ),
            fields={"_body": tr("Expected a JSON object.")},
        )
    try:
        return schema.load(data)  # type: ignore[no-any-return]
    except ValidationError as exc:
        raise invalid(exc) from None


def load_query(schema: Schema) -> dict[str, Any]:
    """The query string validated by ``schema`` (repeated parameters are refused)."""
    data: dict[str, str] = {}
    for key, values in request.args.lists():
        if len(values) > 1:
            raise ValidationFailed(
                tr("Give the parameter '%(key)s' once.", key=key),
                fields={key: "Repeated parameter."},
            )
        data[key] = values[0]
    try:
        return schema.load(data)  # type: ignore[no-any-return]
    except ValidationError as exc:
        raise invalid(exc) from None


@bp.errorhandler(Unauthorized)
def unauthorized(exc: Unauthorized) -> Response:
    discard_transaction()
    return error_response(401, exc.message, headers=[("WWW-Authenticate", exc.challenge)])


@bp.errorhandler(StaleEdit)
def stale(exc: StaleEdit) -> Response:
    """409 naming the current version, with the current ETag so a client can re-read and retry."""
    discard_transaction()
    current = exc.current
    fields = dict(exc.fields)
    headers = []
    version = getattr(current, "version", None) if current is not None else None
    if version is None and current is not None:
        version = getattr(current, "revision", None)
    if version is not None:
        fields.setdefault("version", f"The current version is {version}.")
        if hasattr(current, "version"):
            headers.append(("ETag", etag(version)))
    return error_response(409, exc.message, fields, headers=headers)


def etag(version: int) -> str:
    return f'W/"{version}"'


# What parse_etag reads, as the document states it: W/"3", "3" or 3 (ASCII digits).
ETAG_PATTERN = r'^(W/)?("[0-9]{1,9}"|[0-9]{1,9})$'


def parse_etag(value: str) -> int:
    """The version in an If-Match value: W/"3" or "3"."""
    text = value.strip()
    if text.startswith("W/"):
        text = text[2:]
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        raise ValidationFailed(
            'If-Match must be the ETag the API gave for this claim, like W/"3".',
            fields={"If-Match": "Not an ETag of this API."},
        )
    return int(text)
