"""URL converters: an id in a path is bounded before it reaches the database."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

from ..limits import MAX_ID


class BoundedInt(IntegerConverter):
    """``<int:...>`` that matches only 0..MAX_ID: a larger number names no row (a 404),
    instead of overflowing the database's integer (a 500 on SQLite)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Any) -> None:
    app.url_map.converters["int"] = BoundedInt
