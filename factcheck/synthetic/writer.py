"""Batched inserts for the synthetic archive: COPY on PostgreSQL, executemany elsewhere."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Table, bindparam, func, insert, select
from sqlalchemy.engine import Connection

from ..models.base import UTCDateTime


class _Writer:
    """Batched inserts: COPY on PostgreSQL; elsewhere one Core insert() compiled per
    table and run with the driver's executemany over plain values."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.copy = conn.dialect.name == "postgresql"
        self._sql: dict[tuple[str, tuple[str, ...]], tuple[str, tuple[str, ...]]] = {}

    def write(self, table: Table, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        columns = tuple(rows[0])
        if self.copy:
            self._copy(table, columns, rows)
            return
        key = (table.name, columns)
        if key not in self._sql:
            stmt = insert(table).values({c: bindparam(c) for c in columns})
            compiled = stmt.compile(dialect=self.conn.dialect)
            # The compiled statement's "?" follow the table's column order, not the dict's.
            self._sql[key] = (str(compiled), tuple(compiled.positiontup or ()))
        sql, order = self._sql[key]
        converters = {c: f for c in order if (f := _sqlite_value(table.c[c].type))}
        values = []
        for row in rows:
            vals = []
            for c in order:
                value = row[c]
                if value is not None and c in converters:
                    value = converters[c](value)
                vals.append(value)
            values.append(tuple(vals))
        self.conn.exec_driver_sql(sql, values)

    def _copy(self, table: Table, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
        json_cols = {c.name for c in table.columns if isinstance(c.type, JSON)}
        cursor = self.conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        names = ", ".join(f'"{c}"' for c in columns)
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            if json_cols:
                for row in rows:
                    copy.write_row(
                        [
                            json.dumps(v) if c in json_cols and v is not None else v
                            for c, v in row.items()
                        ]
                    )
            else:
                for row in rows:
                    copy.write_row(tuple(row.values()))


def _utc_text(value: datetime) -> str:
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:26]


def _naive_text(value: datetime) -> str:
    return value.isoformat(" ", "microseconds")


def _sqlite_value(type_: Any) -> Callable[[Any], Any] | None:
    """How SQLAlchemy's SQLite dialect stores a value of this type (see models.base)."""
    if isinstance(type_, JSON):
        return json.dumps
    if isinstance(type_, UTCDateTime):
        return _utc_text
    if isinstance(type_, DateTime):
        return _naive_text
    if isinstance(type_, Date):
        return date.isoformat
    if isinstance(type_, Boolean):
        return int
    return None


def _ids(conn: Connection, table: Any) -> Iterator[int]:
    start = (conn.scalar(select(func.max(table.id))) or 0) + 1
    return itertools.count(start)


@dataclass
class Counts:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, table: str, n: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + n
