"""What the public may read: claims with a published verdict, loaded in a fixed number of queries.

A claim is public exactly when it has a published verdict. Everything here
starts from that condition and reads the *published* verdict, never a draft,
so a correction in progress stays invisible until it is approved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..extraction.normalize import normalize_name
from ..models import (
    Article,
    Claim,
    Evidence,
    Rating,
    Source,
    Speaker,
    SpeakerAlias,
    Tag,
    Verdict,
    VerdictState,
    claim_tags,
)
from ..services.catalog import resolve_slug

T = TypeVar("T")
PUBLIC = Claim.published_verdict_id.is_not(None)
NEWEST_FIRST = (Claim.published_at.desc(), Claim.id.desc())
# Lists count at most this many claims beyond the current page; past it the total
# is a lower bound ("more than"), as counting 200,000 matches costs 0.3-0.7 s.
COUNT_AHEAD = 1000
# The /claims speaker menu lists the speakers with most of the newest public
# claims, not all of them (3,333 options made a 262 KB page at a million claims).
MENU_SPEAKERS = 100
MENU_WINDOW = 5000


@dataclass
class Page(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int
    # True when there are more than ``total`` (the count stopped early).
    total_is_estimate: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        # A lower-bound total always has more past this page (it counts beyond it).
        return self.page < self.pages or self.total_is_estimate


def _card_options() -> tuple[Any, ...]:
    """What a claim card shows: speaker, outlet, and the published rating and summary."""
    return (
        joinedload(Claim.speaker),
        joinedload(Claim.source),
        joinedload(Claim.published_verdict).joinedload(Verdict.rating),
    )


def latest_claims(limit: int) -> list[Claim]:
    return list(
        db.session.scalars(
            select(Claim)
            .where(PUBLIC)
            .options(*_card_options())
            .order_by(*NEWEST_FIRST)
            .limit(limit)
        )
    )


def capped_count(query: Select[Any], limit: int) -> tuple[int, bool]:
    """How many rows ``query`` (a select of ids) returns, counting at most ``limit``.

    Answers ``(limit, True)`` when there are more: the count stops early instead
    of visiting every match.
    """
    counted = db.session.scalar(select(func.count()).select_from(query.limit(limit + 1).subquery()))
    counted = counted or 0
    return (limit, True) if counted > limit else (counted, False)


def claims_page(conditions: Sequence[ColumnElement[bool]], page: int, per_page: int) -> Page[Claim]:
    """One page of public claims matching the conditions, newest first.

    The total is exact up to ``COUNT_AHEAD`` claims past this page; beyond, it
    is a lower bound and ``total_is_estimate`` is set.
    """
    where = [PUBLIC, *conditions]
    total, estimate = capped_count(
        select(Claim.id).where(*where), (page - 1) * per_page + COUNT_AHEAD
    )
    result: Page[Claim] = Page(
        items=[], page=page, per_page=per_page, total=total, total_is_estimate=estimate
    )
    if total and page <= result.pages:
        result.items = list(
            db.session.scalars(
                select(Claim)
                .where(*where)
                .options(*_card_options())
                .order_by(*NEWEST_FIRST)
                .limit(per_page)
                .offset((page - 1) * per_page)
            )
        )
    return result


def claims_by_ids(ids: Sequence[int]) -> list[Claim]:
    """Public claims with these ids, in the order given (search results, best first)."""
    if not ids:
        return []
    rows = db.session.scalars(
        select(Claim).where(PUBLIC, Claim.id.in_(ids)).options(*_card_options())
    )
    by_id = {claim.id: claim for claim in rows}
    return [by_id[i] for i in ids if i in by_id]


def public_claim(claim_id: int) -> Claim | None:
    return db.session.scalars(
        select(Claim)
        .where(PUBLIC, Claim.id == claim_id)
        .options(
            *_card_options(),
            joinedload(Claim.article).joinedload(Article.source),
            selectinload(Claim.tags),
        )
    ).first()


def public_evidence(claim: Claim) -> list[Evidence]:
    """Evidence behind the published verdict: not removed, and not added since it was published.

    Evidence gathered for a correction still in review appears once the correction is published.
    """
    verdict = claim.published_verdict
    assert verdict is not None and verdict.published_at is not None
    return list(
        db.session.scalars(
            select(Evidence)
            .where(
                Evidence.claim_id == claim.id,
                Evidence.removed_at.is_(None),
                Evidence.created_at <= verdict.published_at,
            )
            .order_by(Evidence.id)
        )
    )


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
    """Other public fact-checks of the same speaker or sharing a tag, newest first.

    Two small queries (the speaker's newest, the tags' newest), each stopping
    after ``limit`` rows along an index, merged here: one query ORing both
    made PostgreSQL gather every claim of the tags first.
    """
    newest = (Claim.published_at.desc(), Claim.id.desc())
    base = select(Claim).where(PUBLIC, Claim.id != claim.id).options(*_card_options())
    found = list(
        db.session.scalars(
            base.where(Claim.speaker_id == claim.speaker_id).order_by(*newest).limit(limit)
        ).unique()
    )
    tag_ids = [tag.id for tag in claim.tags]
    if tag_ids:
        tagged = (
            select(claim_tags.c.claim_id)
            .where(claim_tags.c.tag_id.in_(tag_ids), claim_tags.c.claim_id == Claim.id)
            .exists()
        )
        found += db.session.scalars(base.where(tagged).order_by(*newest).limit(limit)).unique()
    merged = {c.id: c for c in found}.values()
    ordered = sorted(merged, key=lambda c: (c.published_at, c.id), reverse=True)
    return ordered[:limit]


# --- speakers, sources, tags and ratings ------------------------------------


def _has_public_claims(column: Any, row_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(PUBLIC, column == row_id))))


def public_profile(
    model: type[Speaker] | type[Source], slug: str
) -> tuple[Speaker | Source | None, str | None]:
    """The speaker or source with this slug, or the slug it was merged into.

    Either is returned only when it has public claims: a speaker known only from
    unpublished claims does not exist as far as the public can tell.
    """
    column = Claim.speaker_id if model is Speaker else Claim.source_id
    row, moved_to = resolve_slug(model, slug)
    if row is not None:
        return (row, None) if _has_public_claims(column, row.id) else (None, None)
    if moved_to is not None:
        target_id = db.session.scalar(select(model.id).where(model.slug == moved_to))
        if target_id is not None and _has_public_claims(column, target_id):
            return None, moved_to
    return None, None


def public_tag(slug: str) -> Tag | None:
    return db.session.scalars(
        select(Tag).where(Tag.slug == slug, Tag.id.in_(_public_tag_ids()))
    ).first()


def _public_tag_ids() -> Any:
    return select(claim_tags.c.tag_id).join(Claim, Claim.id == claim_tags.c.claim_id).where(PUBLIC)


def rating_by_slug(slug: str) -> Rating | None:
    return db.session.scalars(select(Rating).where(Rating.slug == slug)).first()


def rating_scale() -> list[Rating]:
    return list(db.session.scalars(select(Rating).order_by(Rating.position, Rating.id)))


def rating_counts(condition: ColumnElement[bool]) -> dict[int | None, int]:
    """How many public claims (matching ``condition``) got each rating, by rating id."""
    return {
        rating_id: count
        for rating_id, count in db.session.execute(
            select(Verdict.rating_id, func.count(Claim.id))
            .select_from(Claim)
            .join(Verdict, Verdict.id == Claim.published_verdict_id)
            .where(PUBLIC, condition)
            .group_by(Verdict.rating_id)
        )
    }


def rating_breakdown(condition: ColumnElement[bool]) -> list[tuple[Rating, int]]:
    """Every rating of the scale with how many public claims (matching ``condition``) got it."""
    counts = rating_counts(condition)
    return [(rating, counts.get(rating.id, 0)) for rating in rating_scale()]


def filter_choices(model: type[Speaker] | type[Source]) -> list[tuple[str, str]]:
    """(slug, name) of the speakers or sources that have public claims, by name."""
    column = Claim.speaker_id if model is Speaker else Claim.source_id
    return [
        (slug, name)
        for slug, name in db.session.execute(
            select(model.slug, model.name)
            .where(exists().where(PUBLIC, column == model.id))
            .order_by(model.name, model.id)
        )
    ]


def busy_speakers(limit: int | None = None, window: int | None = None) -> list[tuple[str, str]]:
    """(slug, name) of the ``limit`` speakers with most of the newest ``window`` fact-checks.

    Read along the newest-first index, so it costs the same at any archive size
    (counting every speaker's claims took 0.1 s at a million).
    """
    limit = MENU_SPEAKERS if limit is None else limit
    window = MENU_WINDOW if window is None else window
    recent = select(Claim.speaker_id).where(PUBLIC).order_by(*NEWEST_FIRST).limit(window).subquery()
    busiest = (
        select(recent.c.speaker_id)
        .group_by(recent.c.speaker_id)
        .order_by(func.count().desc(), recent.c.speaker_id)
        .limit(limit)
        .subquery()
    )
    return [
        (slug, name)
        for slug, name in db.session.execute(
            select(Speaker.slug, Speaker.name)
            .join(busiest, busiest.c.speaker_id == Speaker.id)
            .order_by(Speaker.name, Speaker.id)
        )
    ]


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_speakers(terms: Sequence[str], limit: int = 8) -> list[tuple[Speaker, int]]:
    """Speakers with public claims whose name or an alias contains every term, with counts."""
    keys = [key for key in (normalize_name(term) for term in terms) if key]
    if not keys:
        return []
    conditions = [
        or_(
            Speaker.normalized_name.like(_like(key), escape="\\"),
            Speaker.aliases.any(SpeakerAlias.normalized_name.like(_like(key), escape="\\")),
        )
        for key in keys
    ]
    rows = db.session.execute(
        select(Speaker, func.count(Claim.id))
        .join(Claim, Claim.speaker_id == Speaker.id)
        .where(PUBLIC, *conditions)
        .group_by(Speaker.id)
        .order_by(func.count(Claim.id).desc(), Speaker.name)
        .limit(limit)
    )
    return list(rows)


# --- feeds ------------------------------------------------------------------


@dataclass
class SitemapEntry:
    path: str
    modified: date | datetime | None


def sitemap_entries() -> list[SitemapEntry]:
    """Every public page worth crawling: claims, and speakers and sources with public claims."""
    entries = [
        SitemapEntry(f"claims/{claim_id}-{slug}", updated)
        for claim_id, slug, updated in db.session.execute(
            select(Claim.id, Claim.slug, Claim.updated_at).where(PUBLIC).order_by(Claim.id)
        )
    ]
    for prefix, model, column in (
        ("speakers", Speaker, Claim.speaker_id),
        ("sources", Source, Claim.source_id),
    ):
        rows = db.session.execute(
            select(model.slug, func.max(Claim.updated_at))
            .join(Claim, column == model.id)
            .where(PUBLIC)
            .group_by(model.slug)
            .order_by(model.slug)
        )
        entries.extend(SitemapEntry(f"{prefix}/{slug}", updated) for slug, updated in rows)
    return entries
