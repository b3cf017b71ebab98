"""Writing audit events: who did what, when, with before and after values."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import has_request_context, request

from ..extensions import db
from ..models import AuditEvent, User


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def snapshot(obj: Any, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    return {f: _plain(getattr(obj, f)) for f in fields}


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ, so the timeline shows what moved."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def client_ip() -> str | None:
    return request.remote_addr if has_request_context() else None


def record(
    actor: User | None,
    action: str,
    entity_type: str,
    entity_id: int | None = None,
    *,
    claim_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str | None = None,
) -> AuditEvent:
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        claim_id=claim_id,
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
        note=note,
        ip=client_ip(),
    )
    db.session.add(event)
    return event
