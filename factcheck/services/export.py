"""CSV export of claim lists, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from ..models import Claim

COLUMNS = (
    "id",
    "status",
    "text",
    "quote",
    "speaker",
    "source",
    "article_url",
    "date",
    "language",
    "tags",
    "rating",
    "summary",
    "assignee",
    "published_at",
    "created_at",
    "updated_at",
    "version",
)
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise(value)


def claim_row(claim: Claim) -> list[Any]:
    """One claim's cells (``reads.claims.row_loads`` loads what they read)."""
    verdict = claim.published_verdict
    return [
        _cell(v)
        for v in (
            claim.id,
            claim.status,
            claim.text,
            claim.quote,
            claim.speaker.name,
            claim.source.name if claim.source else None,
            claim.article.url if claim.article else None,
            claim.stated_on,
            claim.language,
            "; ".join(t.name for t in claim.tags),
            verdict.rating.name if verdict and verdict.rating else None,
            verdict.summary if verdict else None,
            claim.assignee.name if claim.assignee else None,
            claim.published_at,
            claim.created_at,
            claim.updated_at,
            claim.version,
        )
    ]


def export_claims_csv(rows: Iterable[Claim]) -> str:
    """The claims as CSV text with a header row (RFC 4180: CRLF line ends, quoted as needed)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for claim in rows:
        writer.writerow(claim_row(claim))
    return out.getvalue()


def csv_download(rows: Iterable[Claim]) -> tuple[str, dict[str, str]]:
    """The claims as a CSV attachment: its text and its headers (the desk's and the API's)."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    headers = {
        "Content-Disposition": f'attachment; filename="claims-{stamp}.csv"',
        "Cache-Control": "no-store",
    }
    return export_claims_csv(rows), headers
