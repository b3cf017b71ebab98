"""What the backup's two directions share: the format's constants and lines, the
tables in foreign-key order, and the schema revision a dump is made at."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Table, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from ...errors import DomainError
from ...extensions import db

FORMAT = "factcheck-backup"
VERSION = 1
BATCH = 1000
SIGNATURE_PREFIX = "hmac-sha256:"
# Never written: a dump must not let its reader sign in as anyone or call the API
# (submission keys hold the answers to API writes, and live a day).
OMITTED_TABLES = ("api_tokens", "submission_keys")
BLANKED_COLUMNS = {"users": ("session_token",)}


class BackupError(DomainError):
    """A dump that cannot be made or restored; the message says why and what to do."""


@dataclass
class Summary:
    schema_revision: str
    rows: dict[str, int] = field(default_factory=dict)
    signed: bool = True
    # Active admin accounts in the restored data: (email, name)
    admins: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def tables() -> list[Table]:
    """Every table of the models, parents before children."""
    return list(db.metadata.sorted_tables)


def schema_revision(conn: Connection) -> str:
    try:
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except DBAPIError:
        raise BackupError(
            "This database has no schema yet: run `factcheck db upgrade` first."
        ) from None
    if not rows:
        raise BackupError("This database has no schema revision: run `factcheck db upgrade`.")
    return ",".join(sorted(rows))


def line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def primary_key(table: Table) -> list[Column[Any]]:
    return list(table.primary_key.columns) or list(table.columns)
