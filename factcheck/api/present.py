"""Rows to the API's JSON objects; the schemas in ``schemas`` say (and document) the shape."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from marshmallow import Schema

from ..models import (
    Appearance,
    Article,
    Claim,
    ClaimStatus,
    Evidence,
    ExternalFactCheck,
    Rating,
    Source,
    Speaker,
    Verdict,
)
from ..reads.claims import PublicEvidence
from ..rendering import explanation
from ..services.claimreview import claim_url
from ..web.hosts import external_url, site_root


def rating_brief(rating: Rating | None) -> dict[str, Any] | None:
    if rating is None:
        return None
    return {
        "slug": rating.slug,
        "name": rating.name,
        "ordinal": rating.ordinal,
        "colour": rating.colour,
    }


def rating(row: Rating) -> dict[str, Any]:
    return {
        **(rating_brief(row) or {}),
        "id": row.id,
        "description": row.description,
        "position": row.position,
    }


def speaker_brief(speaker: Speaker) -> dict[str, Any]:
    return {
        "id": speaker.id,
        "name": speaker.name,
        "slug": speaker.slug,
        "title": speaker.title,
        "api_url": external_url("api.get_speaker", slug=speaker.slug),
    }


def speaker(row: Speaker, claim_count: int) -> dict[str, Any]:
    return {
        **speaker_brief(row),
        "kind": row.kind,
        "affiliation": row.affiliation,
        "country": row.country,
        "wikidata_id": row.wikidata_id,
        "description": row.description,
        "aliases": [a.name for a in row.aliases],
        "claim_count": claim_count,
        "claims_url": external_url("api.list_claims", speaker=row.slug),
    }


def source_brief(source: Source | None) -> dict[str, Any] | None:
    if source is None:
        return None
    return {
        "id": source.id,
        "name": source.name,
        "slug": source.slug,
        "api_url": external_url("api.get_source", slug=source.slug),
    }


def source(row: Source, claim_count: int) -> dict[str, Any]:
    return {
        **(source_brief(row) or {}),
        "homepage_url": row.homepage_url,
        "kind": row.kind,
        "claim_count": claim_count,
        "claims_url": external_url("api.list_claims", source=row.slug),
    }


def rating_counts(rows: list[tuple[Rating, int]]) -> list[dict[str, Any]]:
    return [{**(rating_brief(r) or {}), "count": n} for r, n in rows]


def article(row: Article | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "id": row.id,
        "title": row.title,
        "url": row.url,
        "published_at": row.published_at.isoformat() if row.published_at else None,
        "rubric": row.rubric,
    }


def evidence(row: Evidence | PublicEvidence) -> dict[str, Any]:
    return {
        "id": row.id,
        "url": row.url,
        "citation": row.citation,
        "title": row.title,
        "publisher": row.publisher,
        "excerpt": row.excerpt,
        "stance": row.stance,
        "archived_url": row.archived_url,
        "added_at": row.created_at,
        "version": row.version,
    }


def verdict(row: Verdict | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "id": row.id,
        "revision": row.revision,
        "state": row.state,
        "rating": rating_brief(row.rating),
        "summary": row.summary,
        "explanation": row.explanation,
        "explanation_html": str(explanation(row)),
        "correction_note": row.correction_note,
        "published_at": row.published_at,
    }


def draft(row: Verdict | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        **(verdict(row) or {}),
        "author": {"id": row.author.id, "name": row.author.name},
        "created_at": row.created_at,
        "submitted_at": row.submitted_at,
        "approvals": len(row.approvals),
        "claim_changes": claim_changes(row.claim_changes),
    }


def claim_changes(stored: dict[str, Any] | None) -> dict[str, Any] | None:
    """A correction's proposed changes to the claim, in the API's field names."""
    if not stored or not stored.get("fields"):
        return None
    fields, labels = stored["fields"], stored.get("labels") or {}
    out: dict[str, Any] = {}
    for name in ("text", "quote", "context", "language", "tags"):
        if name in fields:
            out[name] = fields[name]
    if "stated_on" in fields:
        out["date"] = fields["stated_on"]
    for name in ("speaker", "source", "article"):
        if f"{name}_id" in fields:
            out[name] = labels.get(name)
    return out


def action_choice(choice: Any) -> dict[str, Any]:
    return {
        "action": choice.action.value,
        "label": choice.label,
        "allowed": choice.allowed,
        "reason": choice.reason,
    }


def public_url(claim: Claim) -> str | None:
    if not claim.is_public:
        return None
    return claim_url(claim, site_root())


def claim(row: Claim, *, staff: bool) -> dict[str, Any]:
    """A claim as the caller may see it: staff get the desk's fields and the true status."""
    published = row.published_verdict
    data: dict[str, Any] = {
        "id": row.id,
        # The public sees the published fact-check; a correction in review is desk business.
        "status": row.status if staff else ClaimStatus.PUBLISHED.value,
        # Staff: the row's version (for If-Match). The public: the published revision,
        # which moves only when what the public reads does.
        "version": row.version if staff else (published.revision if published else 0),
        "text": row.text,
        "slug": row.slug,
        "quote": row.quote,
        "context": row.context,
        "date": row.stated_on,
        "language": row.language,
        "speaker": speaker_brief(row.speaker),
        "source": source_brief(row.source),
        "article": article(row.article),
        "tags": [t.name for t in row.tags],
        "rating": rating_brief(published.rating) if published else None,
        "verdict": verdict(published),
        "published_at": row.published_at,
        "url": public_url(row),
        "api_url": external_url("api.get_claim", claim_id=row.id),
    }
    if staff:
        assignee = row.assignee
        data.update(
            assignee={"id": assignee.id, "name": assignee.name} if assignee else None,
            dismiss_reason=row.dismiss_reason,
            duplicate_of=row.duplicate_of_id,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
    return data


def appearance(row: Appearance) -> dict[str, Any]:
    return {
        "id": row.id,
        "url": row.url,
        "title": row.title,
        "speaker": row.speaker_name,
        "date": row.said_on,
        "text": row.text,
        "status": row.status,
    }


def external_factcheck(row: ExternalFactCheck) -> dict[str, Any]:
    return {
        "id": row.id,
        "url": row.url,
        "publisher": row.publisher,
        "claim": row.claim_text,
        "claimant": row.claimant,
        "rating": row.rating_text,
        "date": row.reviewed_on,
    }


def claim_detail(
    row: Claim,
    *,
    staff: bool,
    evidence_rows: Sequence[Evidence | PublicEvidence],
    revisions: list[Verdict],
    appearance_rows: list[Appearance],
) -> dict[str, Any]:
    data = claim(row, staff=staff)
    data["appearances"] = [appearance(a) for a in appearance_rows]
    published_revision = row.published_verdict.revision if row.published_verdict else 0
    data["evidence"] = [evidence(e) for e in evidence_rows]
    data["corrections"] = [
        verdict(v)
        for v in reversed(revisions)
        if v.published_at is not None and v.revision < published_revision
    ]
    if staff:
        pending = [v for v in revisions if v.revision > published_revision]
        data["draft"] = draft(pending[-1]) if pending else None
    return data


def dump(schema: type[Schema], data: Any, *, many: bool = False) -> Any:
    return schema().dump(data, many=many)
