"""Reading the audit trail: filtered, keyset-paginated, with before/after made short."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from ..errors import ValidationFailed, tr
from ..extensions import db
from ..models import AuditEvent, User
from ..policy import Perm, require

PER_PAGE = 50
MAX_PER_PAGE = 200
VALUE_MAX = 120
# What services write today; the filter also accepts any other value typed in.
ENTITY_TYPES = (
    "api_token",
    "article",
    "claim",
    "evidence",
    "rating",
    "site_settings",
    "source",
    "speaker",
    "user",
    "verdict",
)
ACTION_FAMILIES = ("auth.", "user.", "token.", "settings.", "claim.", "evidence.", "verdict.")


@dataclass
class AuditQuery:
    action: str = ""  # exact, or a prefix when it ends with "." or "*"
    actor_id: int | None = None
    anonymous_only: bool = False  # events with no signed-in actor (failed sign-ins, the CLI)
    entity_type: str = ""
    entity_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""  # found anywhere in the note, case-insensitively


@dataclass
class AuditPage:
    events: list[AuditEvent]
    newer_than: int | None  # pass as ``after`` to see the page of newer events
    older_than: int | None  # pass as ``before`` to see the page of older events


@dataclass
class Change:
    field: str
    before: str | None
    after: str | None


def _filtered(query: AuditQuery) -> Select[AuditEvent]:
    if query.date_from and query.date_to and query.date_from > query.date_to:
        raise ValidationFailed(
            tr("The start date is after the end date."),
            fields={"date_from": tr("Must be on or before the end date.")},
        )
    stmt = select(AuditEvent)
    action = query.action.strip()[:60]
    if action.endswith(("*", ".")):
        stmt = stmt.where(AuditEvent.action.startswith(action.rstrip("*"), autoescape=True))
    elif action:
        stmt = stmt.where(AuditEvent.action == action)
    if query.anonymous_only:
        stmt = stmt.where(AuditEvent.actor_id.is_(None))
    elif query.actor_id is not None:
        stmt = stmt.where(AuditEvent.actor_id == query.actor_id)
    if entity_type := query.entity_type.strip()[:30]:
        stmt = stmt.where(AuditEvent.entity_type == entity_type)
    if query.entity_id is not None:
        stmt = stmt.where(AuditEvent.entity_id == query.entity_id)
    if query.date_from:
        stmt = stmt.where(AuditEvent.at >= datetime.combine(query.date_from, time(), UTC))
    if query.date_to:
        end = datetime.combine(query.date_to + timedelta(days=1), time(), UTC)
        stmt = stmt.where(AuditEvent.at < end)
    if text := query.text.strip()[:200]:
        stmt = stmt.where(AuditEvent.note.icontains(text, autoescape=True))
    return stmt


def search_events(
    actor: User,
    query: AuditQuery,
    *,
    before: int | None = None,
    after: int | None = None,
    per_page: int = PER_PAGE,
) -> AuditPage:
    """One page of events, newest first; no COUNT and no OFFSET, so deep pages stay cheap."""
    require(actor, Perm.READ_AUDIT)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    stmt = _filtered(query).options(selectinload(AuditEvent.actor))
    if after is not None and before is None:
        rows = list(
            db.session.scalars(
                stmt.where(AuditEvent.id > after).order_by(AuditEvent.id).limit(per_page + 1)
            )
        )
        more_newer = len(rows) > per_page
        events = list(reversed(rows[:per_page]))
        # Having come from an older page means there is one to go back to.
        return AuditPage(
            events,
            newer_than=events[0].id if more_newer and events else None,
            older_than=events[-1].id if events else after + 1,
        )
    if before is not None:
        stmt = stmt.where(AuditEvent.id < before)
    rows = list(db.session.scalars(stmt.order_by(AuditEvent.id.desc()).limit(per_page + 1)))
    events = rows[:per_page]
    older = events[-1].id if len(rows) > per_page else None
    # Having come from a newer page means there is one to go back to.
    newer = (events[0].id if events else before - 1) if before is not None else None
    return AuditPage(events, newer, older)


def actor_choices() -> list[tuple[int, str]]:
    return [
        (user_id, f"{name} <{email}>")
        for user_id, name, email in db.session.execute(
            select(User.id, User.name, User.email).order_by(User.name, User.id)
        )
    ]


def _short(value: Any) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = " ".join(text.split())
    return text if len(text) <= VALUE_MAX else text[: VALUE_MAX - 1] + "…"


def changes(event: AuditEvent) -> list[Change]:
    """The fields an event touched, each with its value before and after, shortened."""
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    keys = list(dict.fromkeys([*before, *after]))
    return [Change(key, _short(before.get(key)), _short(after.get(key))) for key in keys]
