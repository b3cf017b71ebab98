"""Optimistic locking and lost races: a save names the version it was based on, and a
write that loses a race against a unique constraint is a conflict, never a server error."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..errors import StaleEdit, tr
from ..extensions import db

P = ParamSpec("P")
R = TypeVar("R")

# SQLSTATE of a unique violation (PostgreSQL); SQLite says it in words.
UNIQUE_VIOLATION = "23505"


def is_unique_violation(exc: BaseException) -> bool:
    """Whether ``exc`` is a database's refusal of a second row with the same key."""
    if not isinstance(exc, IntegrityError):
        return False
    orig = exc.orig
    if getattr(orig, "sqlstate", None) == UNIQUE_VIOLATION:
        return True
    text = str(orig)
    return text.startswith("UNIQUE constraint failed") or "duplicate key value" in text


def check_version(row: Any, version: int | None, submitted: dict[str, Any], *, what: str) -> None:
    """Refuse a save based on an older version, keeping what the person typed."""
    if version is None or int(version) != row.version:
        raise StaleEdit(
            tr(
                "%(what)s changed while you were editing (you loaded version %(version)s, it is now at version %(row_version)s). Nothing was saved.",
                what=what,
                version=version,
                row_version=row.version,
            ),
            current=row,
            submitted=submitted,
        )


def lost_race(what: str, submitted: dict[str, Any] | None = None) -> StaleEdit:
    """The conflict a write answers when another write of the same thing won."""
    db.session.rollback()
    return StaleEdit(
        tr(
            "%(what)s was saved by someone else at the same moment. Nothing of yours was saved; reload it and apply your change again if it is still needed.",
            what=what,
        ),
        submitted=submitted,
    )


def guarded(what: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Turn a lost race (two saves of one version at the same instant) into StaleEdit.

    ``check_version`` catches saves based on an old version; this catches the
    rarer case where both passed that check and the database let only one
    through: the versioned UPDATE matched no row (StaleDataError), or an insert
    met the winner's row under a unique constraint (a verdict revision number,
    an approval, an appearance's address, a tag's slug).
    """

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def inner(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return fn(*args, **kwargs)
            except StaleDataError:
                raise lost_race(what, _plain(kwargs)) from None
            except IntegrityError as exc:
                if not is_unique_violation(exc):
                    raise
                raise lost_race(what, _plain(kwargs)) from None

        return inner

    return wrap


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if isinstance(v, str | int | float)}
