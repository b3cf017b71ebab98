"""/api/openapi.json and /api/docs, a server-rendered reading of the same document."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Response, current_app, jsonify, render_template

from . import bp
from .spec import openapi_document

METHOD_ORDER = ("get", "post", "put", "patch", "delete")


@bp.get("/openapi.json")
def openapi_json() -> Response:
    return jsonify(openapi_document(current_app._get_current_object()))  # type: ignore[attr-defined]


def type_label(schema: dict[str, Any]) -> str:
    """A short human description of a JSON schema: 'string (date)', 'array of Claim'..."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    for combinator in ("allOf", "anyOf", "oneOf"):
        if combinator in schema:
            parts = [
                type_label(p)
                for p in schema[combinator]
                if not (p.get("type") == "object" and p.get("nullable") and len(p) == 2)
            ]
            nullable = any(p.get("nullable") for p in schema[combinator])
            return " or ".join(parts) + (" or null" if nullable else "")
    kind = schema.get("type", "any")
    if kind == "array":
        label = "array of " + type_label(schema.get("items", {}))
    elif schema.get("format"):
        label = f"{kind} ({schema['format']})"
    else:
        label = kind
    return label + (" or null" if schema.get("nullable") else "")


def constraints(schema: dict[str, Any]) -> str:
    notes = []
    if "enum" in schema:
        notes.append("one of " + ", ".join(str(v) for v in schema["enum"] if v != ""))
    for key, text in (
        ("minLength", "at least {} characters"),
        ("maxLength", "at most {} characters"),
        ("minimum", "from {}"),
        ("maximum", "up to {}"),
        ("minItems", "at least {} items"),
        ("maxItems", "at most {} items"),
    ):
        if key in schema:
            notes.append(text.format(schema[key]))
    if "default" in schema:
        notes.append(f"default {schema['default']!r}")
    return "; ".join(notes)


@dataclass
class Row:
    name: str
    where: str
    type: str
    required: bool
    description: str
    notes: str
    link: str | None = None


@dataclass
class Endpoint:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    needs_token: bool
    parameters: list[Row] = field(default_factory=list)
    body: str | None = None
    responses: list[tuple[str, str, str | None]] = field(default_factory=list)


def _link(schema: dict[str, Any]) -> str | None:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return _link(schema.get("items", {}))
    for combinator in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(combinator, []):
            if found := _link(part):
                return found
    return None


def _endpoints(spec: dict[str, Any]) -> list[Endpoint]:
    out = []
    for path, operations in spec["paths"].items():
        for method in METHOD_ORDER:
            op = operations.get(method)
            if op is None:
                continue
            endpoint = Endpoint(
                method=method.upper(),
                path=path,
                anchor=op["operationId"],
                summary=op.get("summary", ""),
                description=op.get("description", ""),
                needs_token={} not in op.get("security", []),
            )
            for p in op.get("parameters", []):
                schema = p.get("schema", {})
                endpoint.parameters.append(
                    Row(
                        name=p["name"],
                        where=p["in"],
                        type=type_label(schema),
                        required=bool(p.get("required")),
                        description=p.get("description", ""),
                        notes=constraints(schema),
                    )
                )
            if body := op.get("requestBody"):
                endpoint.body = _link(body["content"]["application/json"]["schema"])
            for status, response in op["responses"].items():
                link = None
                for content in response.get("content", {}).values():
                    link = _link(content.get("schema", {}))
                endpoint.responses.append((status, response["description"], link))
            out.append(endpoint)
    return out


def _schemas(spec: dict[str, Any]) -> list[tuple[str, list[Row]]]:
    out = []
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        rows = [
            Row(
                name=prop,
                where="",
                type=type_label(definition),
                required=prop in required,
                description=definition.get("description", ""),
                notes=constraints(definition),
                link=_link(definition),
            )
            for prop, definition in schema.get("properties", {}).items()
        ]
        out.append((name, rows))
    return out


@bp.get("/docs")
def docs() -> str:
    spec = openapi_document(current_app._get_current_object())  # type: ignore[attr-defined]
    return render_template(
        "api/docs.html",
        spec=spec,
        endpoints=_endpoints(spec),
        schemas=_schemas(spec),
    )
