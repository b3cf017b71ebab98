"""The search index's tables live outside the models, in hand-written migrations.

Alembic's autogenerate compares the models with the database; this filter tells it
to leave the index alone. ``migrations/env.py`` and the migration tests share it.
"""

from __future__ import annotations

from typing import Any

SEARCH_TABLE_PREFIX = "claims_fts"


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """False for the search index's tables, indexes and columns; True for everything else."""
    if type_ == "table" and name and name.startswith(SEARCH_TABLE_PREFIX):
        return False
    if type_ == "index" and name and name.startswith("ix_search_"):
        return False
    return not (type_ == "column" and name == "search_vector")
