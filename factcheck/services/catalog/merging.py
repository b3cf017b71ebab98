"""What merging a speaker and merging a source share: the old slug redirects, audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import text, update
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import SlugRedirect, User
from .. import audit

T = TypeVar("T")


def find_or_create(
    key: str, find: Callable[[], T | None], create: Callable[[], T], *, table: str
) -> T:
    """The row ``find`` returns, or a new one from ``create``; safe when two workers
    import articles of the same new outlet at the same moment.

    Both would miss ``find`` and insert, and the loser would pick the slug "-2": two
    outlets of one name. So the lookup runs under a lock on ``key`` held until commit:
    PostgreSQL's advisory transaction lock, or SQLite's one write lock (taken by a write
    that changes nothing, so the lookup sees every committed row and no one commits
    before us). The loser then waits, and finds the winner's row."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        db.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"{table}:{key}"}
        )
    elif dialect == "sqlite":
        db.session.execute(text(f"UPDATE {table} SET id = id WHERE 0"))  # noqa: S608
    found = find()
    if found is not None:
        return found
    try:
        with db.session.begin_nested():  # a slug taken by another name: only this undone
            return create()
    except IntegrityError:
        found = find()
        if found is None:
            raise
        return found


def retire(entity: str, actor: User, survivor: Any, duplicate: Any, moved: int) -> None:
    """The merged row's slug (and slugs already pointing at it) redirect to the survivor;
    the merge is audited."""
    db.session.add(SlugRedirect(entity=entity, old_slug=duplicate.slug, target_id=survivor.id))
    db.session.execute(
        update(SlugRedirect)
        .where(SlugRedirect.entity == entity, SlugRedirect.target_id == duplicate.id)
        .values(target_id=survivor.id)
    )
    audit.record(
        actor,
        f"{entity}.merge",
        entity,
        survivor.id,
        before={
            "duplicate": duplicate.name,
            "duplicate_slug": duplicate.slug,
            "duplicate_id": duplicate.id,
        },
        after={"survivor": survivor.name, "claims_moved": moved},
    )
