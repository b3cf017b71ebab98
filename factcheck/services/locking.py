"""Optimistic locking: a save names the version it was based on."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from sqlalchemy.orm.exc import StaleDataError

from ..errors import StaleEdit, tr
from ..extensions import db

P = ParamSpec("P")
R = TypeVar("R")


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


def guarded(what: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Turn a lost race (two saves of one version at the same instant) into StaleEdit.

    ``check_version`` catches saves based on an old version; this catches the
    rarer case where both passed that check and the database's versioned UPDATE
    let only one through.
    """

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def inner(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return fn(*args, **kwargs)
            except StaleDataError:
                db.session.rollback()
                raise StaleEdit(
                    tr(
                        "%(what)s was saved by someone else at the same moment. Nothing of yours was saved.",
                        what=what,
                    ),
                    submitted={k: v for k, v in kwargs.items() if isinstance(v, str | int | float)},
                ) from None

        return inner

    return wrap
