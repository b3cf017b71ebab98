"""The desk's claim lists: filters, pagination, a fixed number of statements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from ..errors import ValidationFailed
from ..extensions import db
from ..models import AuditEvent, Claim, ClaimStatus, Tag, User, claim_tags


@dataclass
class DeskFilters:
    status: str = ""
    assignee: str = ""  # "me", "none" or a user id
    speaker: int | None = None
    source: int | None = None
    tag: str = ""
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args: Any) -> DeskFilters:
        errors: dict[str, str] = {}

        def as_int(name: str) -> int | None:
            value = (args.get(name) or "").strip()
            if not value:
                return None
            if not value.isdigit():
                errors[name] = "Expected a number."
                return None
            return int(value)

        def as_date(name: str) -> date | None:
            value = (args.get(name) or "").strip()
            if not value:
                return None
            try:
                return date.fromisoformat(value)
            except ValueError:
                errors[name] = "Use the format YYYY-MM-DD."
                return None

        status = (args.get("status") or "").strip()
        if status and status not in {s.value for s in ClaimStatus}:
            errors["status"] = "Unknown status."
        filters = cls(
            status=status,
            assignee=(args.get("assignee") or "").strip()[:20],
            speaker=as_int("speaker"),
            source=as_int("source"),
            tag=(args.get("tag") or "").strip()[:100],
            date_from=as_date("from"),
            date_to=as_date("to"),
            q=(args.get("q") or "").strip()[:200],
            page=as_int("page") or 1,
        )
        if errors:
            raise ValidationFailed(
                "Some filters are not valid: " + "; ".join(f"{k}: {v}" for k, v in errors.items()),
                fields=errors,
            )
        return filters


def desk_claims_query(filters: DeskFilters, user: User) -> Select[Any]:
    query = select(Claim)
    if filters.status:
        query = query.where(Claim.status == filters.status)
    if filters.assignee == "me":
        query = query.where(Claim.assignee_id == user.id)
    elif filters.assignee == "none":
        query = query.where(Claim.assignee_id.is_(None))
    elif filters.assignee.isdigit():
        query = query.where(Claim.assignee_id == int(filters.assignee))
    if filters.speaker:
        query = query.where(Claim.speaker_id == filters.speaker)
    if filters.source:
        query = query.where(Claim.source_id == filters.source)
    if filters.tag:
        query = query.where(
            Claim.id.in_(select(claim_tags.c.claim_id).join(Tag).where(Tag.slug == filters.tag))
        )
    if filters.date_from:
        query = query.where(Claim.stated_on >= filters.date_from)
    if filters.date_to:
        query = query.where(Claim.stated_on <= filters.date_to)
    if filters.q:
        escaped = filters.q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(func.lower(Claim.text).like(f"%{escaped}%", escape="\\"))
    return query


def with_list_loads(query: Select[Any]) -> Select[Any]:
    return query.options(
        selectinload(Claim.speaker),
        selectinload(Claim.source),
        selectinload(Claim.assignee),
        selectinload(Claim.tags),
    )


def desk_claims(filters: DeskFilters, user: User, per_page: int = 25) -> Any:
    query = with_list_loads(desk_claims_query(filters, user)).order_by(
        Claim.updated_at.desc(), Claim.id.desc()
    )
    return db.paginate(
        query, page=filters.page, per_page=per_page, error_out=False, max_per_page=100
    )


def status_counts() -> dict[str, int]:
    rows = db.session.execute(select(Claim.status, func.count(Claim.id)).group_by(Claim.status))
    counts = {s.value: 0 for s in ClaimStatus}
    counts.update({status: n for status, n in rows})
    return counts


def dashboard(user: User, *, can_review: bool) -> dict[str, Any]:
    mine = list(
        db.session.scalars(
            with_list_loads(
                select(Claim)
                .where(
                    Claim.assignee_id == user.id,
                    Claim.status.in_(
                        [ClaimStatus.LOGGED, ClaimStatus.RESEARCHING, ClaimStatus.IN_REVIEW]
                    ),
                )
                .order_by(Claim.status, Claim.updated_at.desc())
                .limit(50)
            )
        )
    )
    review = []
    if can_review:
        review = list(
            db.session.scalars(
                with_list_loads(
                    select(Claim)
                    .where(Claim.status == ClaimStatus.IN_REVIEW)
                    .order_by(Claim.updated_at)
                    .limit(50)
                )
            )
        )
    recent = list(
        db.session.scalars(with_list_loads(select(Claim).order_by(Claim.id.desc()).limit(10)))
    )
    activity = list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.claim_id.is_not(None))
            .order_by(AuditEvent.id.desc())
            .limit(15)
            .options(selectinload(AuditEvent.actor))
        )
    )
    grouped: dict[str, list[Claim]] = {}
    for claim in mine:
        grouped.setdefault(claim.status, []).append(claim)
    return {
        "mine": grouped,
        "review": review,
        "recent": recent,
        "activity": activity,
        "counts": status_counts(),
    }


def desk_users() -> list[User]:
    return list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name)))
