"""What merging a speaker and merging a source share: the old slug redirects, audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from ...extensions import db
from ...models import SlugRedirect, User
from .. import audit


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
