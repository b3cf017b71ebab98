"""Reads shared by the two aggregates with public profile pages: speakers and sources.

Both are found by slug (following the slug of a record merged away), counted by
their claims, listed by name, and exist for the public only with a public claim.
The speaker- and source-only reads are in ``speakers`` and ``sources``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..extraction.normalize import normalize_name
from ..models import Claim, SlugRedirect, Source, Speaker, SpeakerAlias
from .common import PUBLIC, contains, visible

Profile = TypeVar("Profile", Speaker, Source)


def claim_column(model: type[Speaker] | type[Source]) -> Any:
    """The claims' column that points at a speaker or at a source."""
    return Claim.speaker_id if model is Speaker else Claim.source_id


def resolve_slug(model: type[Profile], slug: str) -> tuple[Profile | None, str | None]:
    """The row with this slug, or the slug it was merged into (for a redirect)."""
    row = db.session.execute(select(model).where(model.slug == slug)).scalar_one_or_none()
    if row is not None:
        return row, None
    entity = "speaker" if model is Speaker else "source"
    target_id = db.session.scalar(
        select(SlugRedirect.target_id).where(
            SlugRedirect.entity == entity, SlugRedirect.old_slug == slug
        )
    )
    if target_id is None:
        return None, None
    target = db.session.get(model, target_id)
    return None, target.slug if target else None


def _has_public_claims(column: Any, row_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(PUBLIC, column == row_id))))


def public_profile(
    model: type[Speaker] | type[Source], slug: str
) -> tuple[Speaker | Source | None, str | None]:
    """The speaker or source with this slug, or the slug it was merged into.

    Either is returned only when it has public claims: a speaker known only from
    unpublished claims does not exist as far as the public can tell.
    """
    column = claim_column(model)
    row, moved_to = resolve_slug(model, slug)
    if row is not None:
        return (row, None) if _has_public_claims(column, row.id) else (None, None)
    if moved_to is not None:
        target_id = db.session.scalar(select(model.id).where(model.slug == moved_to))
        if target_id is not None and _has_public_claims(column, target_id):
            return None, moved_to
    return None, None


def id_for_slug(model: type[Speaker] | type[Source], slug: str) -> int | None:
    return db.session.scalar(select(model.id).where(model.slug == slug))


def claim_counts(
    model: type[Speaker] | type[Source], ids: list[int], *, staff: bool
) -> dict[int, int]:
    """How many claims (public ones unless ``staff``) each of these speakers or sources has."""
    if not ids:
        return {}
    column = claim_column(model)
    rows = db.session.execute(
        select(column, func.count(Claim.id)).where(column.in_(ids), visible(staff)).group_by(column)
    )
    return {owner: n for owner, n in rows}


def name_condition(model: type[Speaker] | type[Source], q: str | None) -> list[ColumnElement[bool]]:
    """Rows whose name (or, for a speaker, an alias) contains what was typed."""
    key = normalize_name(q or "")
    if not key:
        return []
    condition: ColumnElement[bool] = contains(model.normalized_name, key)
    if model is Speaker:
        aliased = select(SpeakerAlias.speaker_id).where(contains(SpeakerAlias.normalized_name, key))
        condition = or_(condition, Speaker.id.in_(aliased))
    return [condition]


def page_by_name(
    model: Any, q: str | None, page: int, per_page: int, *, staff: bool
) -> tuple[list[Any], int, dict[int, int]]:
    """A page of speakers or sources by name, the total, and each one's claim count.

    The public only meets speakers and sources of published fact-checks.
    """
    query = select(model).where(*name_condition(model, q))
    if not staff:
        query = query.where(model.id.in_(select(claim_column(model)).where(PUBLIC)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if model is Speaker:
        query = query.options(selectinload(Speaker.aliases))
    rows = list(
        db.session.scalars(
            query.order_by(model.name, model.id).limit(per_page).offset((page - 1) * per_page)
        )
    )
    return rows, total, claim_counts(model, [r.id for r in rows], staff=staff)


def filter_choices(model: type[Speaker] | type[Source]) -> list[tuple[str, str]]:
    """(slug, name) of the speakers or sources that have public claims, by name."""
    column = claim_column(model)
    return [
        (slug, name)
        for slug, name in db.session.execute(
            select(model.slug, model.name)
            .where(exists().where(PUBLIC, column == model.id))
            .order_by(model.name, model.id)
        )
    ]


def by_name(model: Any, limit: int | None = None) -> list[Any]:
    """Speakers or sources in alphabetical order (the first ``limit``): the desk's lists."""
    return list(db.session.scalars(select(model).order_by(model.name).limit(limit)))


# The desk's filter menus offer the speakers (sources) of most of the newest claims, not
# every one: 3,333 speakers made each desk list render 3,333 options at a million claims.
DESK_MENU_CHOICES = 200
DESK_MENU_WINDOW = 5000


def desk_choices(model: type[Speaker] | type[Source], selected: int | None = None) -> list[Any]:
    """(id, name) of the speakers or sources with most of the newest claims (any status),
    and the one ``selected``, by name: the desk's filter menus. Read along the primary
    key, so it costs the same at any archive size."""
    column = Claim.speaker_id if model is Speaker else Claim.source_id
    recent = select(column.label("owner")).order_by(Claim.id.desc()).limit(DESK_MENU_WINDOW)
    busiest = (
        select(recent.subquery().c.owner)
        .group_by("owner")
        .order_by(func.count().desc(), "owner")
        .limit(DESK_MENU_CHOICES)
    )
    wanted: ColumnElement[bool] = model.id.in_(busiest)
    if selected is not None:
        wanted = or_(wanted, model.id == selected)
    return list(
        db.session.execute(select(model.id, model.name).where(wanted).order_by(model.name)).all()
    )


def name_suggestions(model: type[Speaker] | type[Source], limit: int = 500) -> list[str]:
    """Names for the desk's pick-or-create inputs (a datalist), alphabetically."""
    return list(db.session.scalars(select(model.name).order_by(model.name).limit(limit)))
