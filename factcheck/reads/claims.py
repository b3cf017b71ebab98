"""Reading claims: one filter object for every list, and the queries that use it.

The public list (``/claims``), the desk's list (``/desk/claims``), the API's list
and both CSV exports fill the same ``ClaimFilter`` from their form or schema and
run the same conditions, so a word, a speaker or a date finds the same claims in
all of them. ``q`` is always the full-text index (``factcheck.search``): the public
claims' table for everyone, and the unpublished claims' table beside it for staff.
Public reads start from ``PUBLIC`` and read the *published* verdict, never a
draft, so a correction in progress stays invisible until it is approved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..limits import CSV_MAX_ROWS
from ..models import (
    Article,
    AuditEvent,
    Claim,
    ClaimStatus,
    Evidence,
    Source,
    Speaker,
    Tag,
    User,
    Verdict,
    VerdictApproval,
    VerdictState,
    claim_tags,
)
from ..search import matching_claim_ids, parse_query
from ..search.query import RARE_LIMIT
from . import common
from .common import NEWEST_FIRST, PUBLIC, Page, capped_count, visible

# The orders the lists show: the public's newest fact-check first, the API's (for
# staff) newest claim first, the desk's most recently changed first.
ORDERS: dict[str, tuple[Any, ...]] = {
    "published": NEWEST_FIRST,
    "newest": (Claim.id.desc(),),
    "updated": (Claim.updated_at.desc(), Claim.id.desc()),
}


@dataclass
class ClaimFilter:
    """What a list asks for. Ids name rows (``NOTHING`` when the name matched none).

    ``staff`` widens the scope from public claims to every claim; without it,
    every public claim counts as ``published`` (a correction in review included).
    """

    staff: bool = False
    q: str = ""
    status: str | None = None
    rating_id: int | None = None
    speaker_id: int | None = None
    source_id: int | None = None
    tag_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    language: str | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    terms: list[str] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.terms = parse_query(self.q)

    def conditions(self) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = []
        if not self.staff:
            where.append(PUBLIC)
        if self.status:
            if self.staff:
                where.append(Claim.status == self.status)
            elif self.status != ClaimStatus.PUBLISHED:
                where.append(false())
        if self.terms:
            conn = db.session.connection()
            ids = matching_claim_ids(conn, self.terms, RARE_LIMIT, staff=self.staff)
            where.append(Claim.id.in_(ids))
        if self.rating_id is not None:
            where.append(Claim.published_rating_id == self.rating_id)
        if self.speaker_id is not None:
            where.append(Claim.speaker_id == self.speaker_id)
        if self.source_id is not None:
            where.append(Claim.source_id == self.source_id)
        if self.tag_id is not None:
            where.append(Claim.tags.any(Tag.id == self.tag_id))
        if self.date_from is not None:
            where.append(Claim.stated_on >= self.date_from)
        if self.date_to is not None:
            where.append(Claim.stated_on <= self.date_to)
        if self.language is not None:
            where.append(Claim.language == self.language)
        if self.assignee_id is not None:
            where.append(Claim.assignee_id == self.assignee_id)
        elif self.unassigned:
            where.append(Claim.assignee_id.is_(None))
        return where


# --- what each list loads with a claim ---------------------------------------


# What a card reads of the published verdict: not the explanation, its HTML nor the
# evidence snapshot (JSON decoded per row), which only the claim's own page shows.
CARD_VERDICT_COLUMNS = (
    Verdict.id, Verdict.claim_id, Verdict.state, Verdict.rating_id, Verdict.summary,
    Verdict.published_at,
)  # fmt: skip


def card_loads() -> tuple[Any, ...]:
    """What a public claim card shows: speaker, outlet, and the published rating and summary."""
    return (
        joinedload(Claim.speaker),
        joinedload(Claim.source),
        joinedload(Claim.published_verdict)
        .load_only(*CARD_VERDICT_COLUMNS)
        .joinedload(Verdict.rating),
    )


def row_loads(*, staff: bool) -> tuple[Any, ...]:
    """What an API list item, a desk row and a CSV row read, loaded up front."""
    loads = [
        selectinload(Claim.speaker),
        selectinload(Claim.source),
        selectinload(Claim.article),
        selectinload(Claim.tags),
        selectinload(Claim.published_verdict).selectinload(Verdict.rating),
    ]
    if staff:
        loads.append(selectinload(Claim.assignee))
    return tuple(loads)


# --- lists --------------------------------------------------------------------


def claims_query(
    f: ClaimFilter, order: str = "published", loads: Sequence[Any] = ()
) -> Select[Any]:
    """The filtered claims in one of ``ORDERS``."""
    return select(Claim).where(*f.conditions()).options(*loads).order_by(*ORDERS[order])


def claims_page(
    f: ClaimFilter,
    page: int,
    per_page: int,
    order: str = "published",
    loads: Sequence[Any] | None = None,
) -> Page[Claim]:
    """One page of the filtered claims.

    The total is exact up to ``COUNT_AHEAD`` claims past this page; beyond, it
    is a lower bound and ``total_is_estimate`` is set.
    """
    where = f.conditions()
    total, estimate = capped_count(
        select(Claim.id).where(*where), (page - 1) * per_page + common.COUNT_AHEAD
    )
    result: Page[Claim] = Page(
        items=[], page=page, per_page=per_page, total=total, total_is_estimate=estimate
    )
    if total and page <= result.pages:
        result.items = list(
            db.session.scalars(
                select(Claim)
                .where(*where)
                .options(*(card_loads() if loads is None else loads))
                .order_by(*ORDERS[order])
                .limit(per_page)
                .offset((page - 1) * per_page)
            ).unique()
        )
    return result


def export_rows(f: ClaimFilter) -> list[Claim]:
    """The filtered claims for a CSV export, newest first, at most ``CSV_MAX_ROWS``."""
    query = claims_query(f, "newest", row_loads(staff=True)).limit(CSV_MAX_ROWS)
    return list(db.session.scalars(query))


def latest_claims(limit: int) -> list[Claim]:
    return list(
        db.session.scalars(
            select(Claim).where(PUBLIC).options(*card_loads()).order_by(*NEWEST_FIRST).limit(limit)
        )
    )


def claims_by_ids(
    ids: Sequence[int], *, staff: bool = False, loads: Sequence[Any] | None = None
) -> list[Claim]:
    """The claims with these ids the reader may see, in the order given (best match first)."""
    if not ids:
        return []
    rows = db.session.scalars(
        select(Claim)
        .where(visible(staff), Claim.id.in_(ids))
        .options(*(card_loads() if loads is None else loads))
    ).unique()
    by_id = {claim.id: claim for claim in rows}
    return [by_id[i] for i in ids if i in by_id]


# --- one public claim ---------------------------------------------------------


def public_claim(claim_id: int) -> Claim | None:
    return (
        db.session.scalars(
            select(Claim)
            .where(PUBLIC, Claim.id == claim_id)
            .options(
                joinedload(Claim.speaker),
                joinedload(Claim.source),
                joinedload(Claim.published_verdict).joinedload(Verdict.rating),
                joinedload(Claim.article).joinedload(Article.source),
                selectinload(Claim.tags),
                # The byline: the writer and the approving editors, in the same statement.
                joinedload(Claim.published_verdict).joinedload(Verdict.author),
                joinedload(Claim.published_verdict)
                .joinedload(Verdict.approvals)
                .joinedload(VerdictApproval.editor),
            )
        )
        .unique()
        .first()
    )


@dataclass(frozen=True)
class PublicEvidence:
    """One piece of evidence as the public reads it: as it was when the verdict was published."""

    id: int
    url: str | None
    citation: str | None
    title: str | None
    publisher: str | None
    excerpt: str | None
    stance: str
    archived_url: str | None
    created_at: datetime
    version: int


def public_evidence(claim: Claim) -> list[PublicEvidence]:
    """The evidence behind the published verdict, as it was when that verdict was published.

    Evidence added, changed or removed since waits for the next publication (a correction
    approved by someone else). A verdict published before snapshots existed, or written
    by the bulk generator, has none: its evidence is the rows not removed and added no
    later than its publication.
    """
    verdict = claim.published_verdict
    assert verdict is not None and verdict.published_at is not None
    if verdict.public_evidence is not None:
        return [
            PublicEvidence(
                id=item["id"],
                url=item.get("url"),
                citation=item.get("citation"),
                title=item.get("title"),
                publisher=item.get("publisher"),
                excerpt=item.get("excerpt"),
                stance=item["stance"],
                archived_url=item.get("archived_url"),
                created_at=datetime.fromisoformat(item["created_at"]),
                version=item.get("version") or 1,
            )
            for item in verdict.public_evidence
        ]
    rows = db.session.scalars(
        select(Evidence)
        .where(
            Evidence.claim_id == claim.id,
            Evidence.removed_at.is_(None),
            Evidence.created_at <= verdict.published_at,
        )
        .order_by(Evidence.id)
    )
    return [
        PublicEvidence(
            id=e.id,
            url=e.url,
            citation=e.citation,
            title=e.title,
            publisher=e.publisher,
            excerpt=e.excerpt,
            stance=e.stance,
            archived_url=e.archived_url,
            created_at=e.created_at,
            version=e.version,
        )
        for e in rows
    ]


@dataclass(frozen=True)
class Byline:
    writer: str
    editors: list[str]


def byline(verdict: Verdict) -> Byline:
    """Who wrote the published verdict and which editors approved it, by their names."""
    editors = [a.editor.name for a in verdict.approvals if a.editor_id != verdict.author_id]
    return Byline(writer=verdict.author.name, editors=editors)


def corrections(claim: Claim) -> list[Verdict]:
    """Published revisions that replaced an earlier one, with their public notes; newest first."""
    assert claim.published_at is not None
    return list(
        db.session.scalars(
            select(Verdict)
            .where(
                Verdict.claim_id == claim.id,
                Verdict.state.in_([VerdictState.PUBLISHED, VerdictState.SUPERSEDED]),
                Verdict.published_at > claim.published_at,
                Verdict.correction_note.is_not(None),
            )
            .order_by(Verdict.published_at.desc())
        )
    )


def related_claims(claim: Claim, limit: int = 4) -> list[Claim]:
    """Other public fact-checks of the same speaker or sharing a tag: those in the
    claim's language first, then the rest; newest first within each.

    One statement whatever the archive holds: the cards whose ids a UNION ALL of small
    branches gives (the speaker's newest, the tags' newest; in the claim's language,
    then in any other), each stopping after ``limit`` rows along an index. One query
    ORing speaker and tags made PostgreSQL gather every claim of the tags first.
    """
    conditions: list[ColumnElement[bool]] = [Claim.speaker_id == claim.speaker_id]
    tag_ids = [tag.id for tag in claim.tags]
    if tag_ids:
        conditions.append(
            select(claim_tags.c.claim_id)
            .where(claim_tags.c.tag_id.in_(tag_ids), claim_tags.c.claim_id == Claim.id)
            .exists()
        )
    same_language = Claim.language == claim.language
    branches = []
    for condition in conditions:
        for language in (same_language, ~same_language):
            newest = (
                select(Claim.id)
                .where(PUBLIC, Claim.id != claim.id, condition, language)
                .order_by(*NEWEST_FIRST)
                .limit(limit)
                .subquery()
            )
            branches.append(select(newest.c.id))
    found = db.session.scalars(
        select(Claim).where(Claim.id.in_(union_all(*branches))).options(*card_loads())
    )
    ordered = sorted(found.unique(), key=lambda c: (c.published_at, c.id), reverse=True)
    ordered.sort(key=lambda c: c.language != claim.language)  # stable: newest first within
    return ordered[:limit]


# --- tags -----------------------------------------------------------------------


def tag_id(slug: str, *, staff: bool = False) -> int | None:
    """The id of the tag with this slug (on a public claim, unless ``staff``), or None."""
    query = select(Tag.id).where(Tag.slug == slug)
    if not staff:
        query = query.where(
            Tag.id.in_(
                select(claim_tags.c.tag_id)
                .join(Claim, Claim.id == claim_tags.c.claim_id)
                .where(PUBLIC)
            )
        )
    return db.session.scalar(query.limit(1))


def public_tag(slug: str) -> Tag | None:
    found = tag_id(slug)
    return None if found is None else db.session.get(Tag, found)


# --- the desk's dashboard ---------------------------------------------------------


def status_counts() -> dict[str, int]:
    rows = db.session.execute(select(Claim.status, func.count(Claim.id)).group_by(Claim.status))
    counts = {s.value: 0 for s in ClaimStatus}
    counts.update({status: n for status, n in rows})
    return counts


# The dashboard counts each status up to this many: the queues a desk works through are
# far smaller, and counting a million published claims on every visit is a full scan.
DASHBOARD_COUNT_CAP = 10_000


def capped_status_counts(cap: int | None = None) -> dict[str, tuple[int, bool]]:
    """Claims per status as ``(count, more)``: each counted along the status index, at
    most ``cap`` (then ``more`` is true), so the cost does not grow with the archive."""
    limit = DASHBOARD_COUNT_CAP if cap is None else cap
    return {
        s.value: capped_count(select(Claim.id).where(Claim.status == s.value), limit)
        for s in ClaimStatus
    }


def desk_row_loads() -> tuple[Any, ...]:
    return (
        selectinload(Claim.speaker),
        selectinload(Claim.source),
        selectinload(Claim.assignee),
        selectinload(Claim.tags),
    )


def dashboard(user: User, *, can_review: bool) -> dict[str, Any]:
    """The desk's front page: my queue by status, the review queue, recent claims and events."""
    mine = list(
        db.session.scalars(
            select(Claim)
            .where(
                Claim.assignee_id == user.id,
                Claim.status.in_(
                    [ClaimStatus.LOGGED, ClaimStatus.RESEARCHING, ClaimStatus.IN_REVIEW]
                ),
            )
            .options(*desk_row_loads())
            .order_by(Claim.status, Claim.updated_at.desc())
            .limit(50)
        )
    )
    review = []
    if can_review:
        review = list(
            db.session.scalars(
                select(Claim)
                .where(Claim.status == ClaimStatus.IN_REVIEW)
                .options(*desk_row_loads())
                .order_by(Claim.updated_at)
                .limit(50)
            )
        )
    recent = list(
        db.session.scalars(
            select(Claim).options(*desk_row_loads()).order_by(Claim.id.desc()).limit(10)
        )
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
        "counts": capped_status_counts(),
    }


def desk_users() -> list[User]:
    return list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name)))


# --- feeds ----------------------------------------------------------------------


@dataclass
class SitemapEntry:
    path: str
    modified: date | datetime | None


def sitemap_entries() -> list[SitemapEntry]:
    """Every public page worth crawling: claims, and speakers and sources with public claims.

    A page's date is its published verdict's (the last approved change), never the claim
    row's ``updated_at``, which moves with internal edits the public does not see.
    """
    shown = Verdict.published_at
    on_verdict = Verdict.id == Claim.published_verdict_id
    entries = [
        SitemapEntry(f"claims/{claim_id}-{slug}", updated)
        for claim_id, slug, updated in db.session.execute(
            select(Claim.id, Claim.slug, shown)
            .join(Verdict, on_verdict)
            .where(PUBLIC)
            .order_by(Claim.id)
        )
    ]
    for prefix, model, column in (
        ("speakers", Speaker, Claim.speaker_id),
        ("sources", Source, Claim.source_id),
    ):
        rows = db.session.execute(
            select(model.slug, func.max(shown))
            .join(Claim, column == model.id)
            .join(Verdict, on_verdict)
            .where(PUBLIC)
            .group_by(model.slug)
            .order_by(model.slug)
        )
        entries.extend(SitemapEntry(f"{prefix}/{slug}", updated) for slug, updated in rows)
    return entries
