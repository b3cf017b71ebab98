"""Writing a backup: every table in foreign-key order, rows in primary-key order, then
the HMAC signature; into a file that replaces the old one only when complete."""

from __future__ import annotations

import gzip
import hashlib
import hmac
import io
import os
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, cast

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from .format import (
    BATCH,
    BLANKED_COLUMNS,
    FORMAT,
    OMITTED_TABLES,
    SIGNATURE_PREFIX,
    VERSION,
    BackupError,
    Summary,
    line,
    primary_key,
    schema_revision,
    tables,
)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def signing_key(secret: str) -> bytes:
    """The HMAC key for dumps, derived from the configured secret (never the secret itself)."""
    return hashlib.sha256(b"factcheck-backup-signature\0" + secret.encode()).digest()


class _SignedWriter:
    """Writes lines and keeps the HMAC of everything written."""

    def __init__(self, out: IO[str], key: bytes) -> None:
        self.out = out
        self.mac = hmac.new(key, digestmod=hashlib.sha256)

    def write(self, line: str) -> None:
        self.mac.update(line.encode("utf-8"))
        self.out.write(line)

    def sign(self) -> None:
        self.out.write(line({"signature": SIGNATURE_PREFIX + self.mac.hexdigest()}))


def dump(conn: Connection, out: IO[str], key: bytes) -> Summary:
    """Write every table to ``out``, then the signature; returns the row counts."""
    writer = _SignedWriter(out, key)
    summary = Summary(schema_revision=schema_revision(conn))
    writer.write(
        line({"format": FORMAT, "version": VERSION, "schema_revision": summary.schema_revision})
    )
    for table in tables():
        names = [c.name for c in table.columns]
        writer.write(line({"table": table.name, "columns": names}))
        count = 0
        if table.name not in OMITTED_TABLES:
            blank = [names.index(n) for n in BLANKED_COLUMNS.get(table.name, ())]
            result = conn.execution_options(yield_per=BATCH).execute(
                select(table).order_by(*primary_key(table))
            )
            for row in result:
                values = [_encode(v) for v in row]
                for index in blank:
                    values[index] = None
                writer.write(line(values))
                count += 1
        summary.rows[table.name] = count
    writer.write(line({"end": True, "rows": summary.rows}))
    writer.sign()
    return summary


def backup_to_path(engine: Engine, path: str | os.PathLike[str], key: bytes) -> Summary:
    """Dump into ``path`` (gzip-compressed when it ends in .gz), replacing it only when complete."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise BackupError(f"The folder {directory} does not exist.")
    fd, temp = tempfile.mkstemp(prefix=".factcheck-backup-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as raw:
            # mtime=0: the same data gives the same bytes, compressed or not.
            binary = cast(
                IO[bytes],
                gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0)
                if target.suffix == ".gz"
                else raw,
            )
            with io.TextIOWrapper(binary, encoding="utf-8", newline="\n") as out:
                with engine.connect() as conn:
                    if conn.dialect.name == "postgresql":
                        # One snapshot for every table, while the app keeps writing.
                        conn = conn.execution_options(isolation_level="REPEATABLE READ")
                    summary = dump(conn, out, key)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return summary
