"""Optimistic locking: a save names the version it was based on."""

from __future__ import annotations

from typing import Any

from ..errors import StaleEdit


def check_version(row: Any, version: int | None, submitted: dict[str, Any], *, what: str) -> None:
    """Refuse a save based on an older version, keeping what the person typed."""
    if version is None or int(version) != row.version:
        raise StaleEdit(
            f"{what} changed while you were editing (you loaded version {version}, "
            f"it is now at version {row.version}). Nothing was saved.",
            current=row,
            submitted=submitted,
        )
