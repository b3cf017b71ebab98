"""The desk's claim-list filters: the query string checked, then the shared ``ClaimFilter``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..errors import ValidationFailed, tr
from ..limits import MAX_ID, MAX_PAGE, MAX_QUERY_CHARS, TAG_SLUG_MAX
from ..models import ClaimStatus, User
from ..reads import claims as claim_reads
from ..reads.claims import ClaimFilter
from ..reads.common import NOTHING


@dataclass
class DeskFilters:
    """What the desk's filter form holds, echoed back into it."""

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

        def as_int(name: str, largest: int = MAX_ID) -> int | None:
            value = (args.get(name) or "").strip()
            if not value:
                return None
            if not value.isdigit() or int(value) > largest:
                errors[name] = tr("Expected a number.")
                return None
            return int(value)

        def as_date(name: str) -> date | None:
            value = (args.get(name) or "").strip()
            if not value:
                return None
            try:
                return date.fromisoformat(value)
            except ValueError:
                errors[name] = tr("Use the format YYYY-MM-DD.")
                return None

        status = (args.get("status") or "").strip()
        if status and status not in {s.value for s in ClaimStatus}:
            errors["status"] = tr("Unknown status.")
        filters = cls(
            status=status,
            assignee=(args.get("assignee") or "").strip()[:20],
            speaker=as_int("speaker"),
            source=as_int("source"),
            tag=(args.get("tag") or "").strip()[:TAG_SLUG_MAX],
            date_from=as_date("from"),
            date_to=as_date("to"),
            q=(args.get("q") or "").strip()[:MAX_QUERY_CHARS],
            page=as_int("page", MAX_PAGE) or 1,
        )
        if errors:
            raise ValidationFailed(
                tr(
                    "Some filters are not valid: %(problems)s",
                    problems="; ".join(f"{k}: {v}" for k, v in errors.items()),
                ),
                fields=errors,
            )
        return filters

    def claim_filter(self, user: User) -> ClaimFilter:
        """The filter the list runs, in the staff scope (every claim, unpublished ones too)."""
        assignee_id: int | None = None
        if self.assignee == "me":
            assignee_id = user.id
        elif self.assignee.isdigit():
            assignee_id = min(int(self.assignee), MAX_ID)
        tag_id = None
        if self.tag:
            found = claim_reads.tag_id(self.tag, staff=True)
            tag_id = NOTHING if found is None else found
        return ClaimFilter(
            staff=True,
            q=self.q,
            status=self.status or None,
            speaker_id=self.speaker,
            source_id=self.source,
            tag_id=tag_id,
            date_from=self.date_from,
            date_to=self.date_to,
            assignee_id=assignee_id,
            unassigned=self.assignee == "none",
        )
