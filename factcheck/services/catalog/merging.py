"""What merging a speaker and merging a source share: the old slug redirects, audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import SlugRedirect, User
from .. import audit

T = TypeVar("T")


def find_or_create(find: Callable[[], T | None], create: Callable[[], T]) -> T:
    """The row ``find`` returns, or a new one from ``create``; race-safe.

    Two workers importing articles of the same new outlet at once both miss ``find`` and
    both insert; the loser's insert breaks a unique slug or name.  Its insert is in a
    savepoint, so only that is undone, and the row the winner committed is found."""
    for _ in range(3):
        found = find()
        if found is not None:
            return found
        try:
            with db.session.begin_nested():
                return create()
        except IntegrityError:
            continue
    found = find()
    if found is None:
        raise RuntimeError("find_or_create: the row could be neither found nor created")
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
