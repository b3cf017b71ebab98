"""Restoring a backup: the signature checked, then every row loaded into an empty
database in one transaction; sequences moved past the ids, the search index rebuilt."""

from __future__ import annotations

import gzip
import hashlib
import hmac
import io
import json
import os
import secrets
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Column, Table, TypeDecorator, bindparam, func, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from .format import (
    BATCH,
    BLANKED_COLUMNS,
    FORMAT,
    OMITTED_TABLES,
    SIGNATURE_PREFIX,
    VERSION,
    BackupError,
    Summary,
    primary_key,
    schema_revision,
    tables,
)


def _decoder(column: Column[Any]) -> Any:
    kind_of = column.type
    if isinstance(kind_of, TypeDecorator):
        kind_of = kind_of.impl_instance
    try:
        kind = kind_of.python_type
    except NotImplementedError:
        return None
    if kind is datetime:
        return datetime.fromisoformat
    if kind is date:
        return date.fromisoformat
    return None


def _lines(handle: IO[str]) -> Iterator[tuple[int, Any]]:
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except ValueError:
            raise BackupError(f"Line {number} of the backup is not valid JSON.") from None


def verify_signature(handle: IO[str], key: bytes) -> bool | None:
    """True: signed with ``key``; False: signed with another key or edited; None: unsigned."""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    held: str | None = None  # the last line: maybe the signature, so not yet in the MAC
    for line in handle:
        if held is not None:
            mac.update(held.encode("utf-8"))
        held = line
    if held is None:
        return None
    try:
        last = json.loads(held)
    except ValueError:
        return None
    if not isinstance(last, dict) or not isinstance(last.get("signature"), str):
        return None
    return hmac.compare_digest(last["signature"], SIGNATURE_PREFIX + mac.hexdigest())


def _check_header(first: Any) -> str:
    if not isinstance(first, dict) or first.get("format") != FORMAT:
        raise BackupError("This file is not a factcheck backup (its first line names no format).")
    if first.get("version") != VERSION:
        raise BackupError(
            f"This backup is in format version {first.get('version')!r}; this factcheck "
            f"reads version {VERSION}. Restore it with the factcheck release that made it."
        )
    revision = first.get("schema_revision")
    if not isinstance(revision, str) or not revision:
        raise BackupError("The backup does not say which schema revision it was made at.")
    return revision


def _check_empty(conn: Connection) -> None:
    for table in tables():
        if conn.execute(select(func.count()).select_from(table)).scalar():
            raise BackupError(
                f"The database is not empty (table {table.name} has rows). Restore only "
                "into a new, empty database after `factcheck db upgrade`; nothing was changed."
            )


class _TableLoader:
    """Inserts one table's rows in batches, keeping foreign keys the database checks at once.

    A reference to a row of a table restored later (claims.published_verdict_id ->
    verdicts) is inserted as NULL and set afterwards. A reference within the table
    (claims.duplicate_of_id) holds its row back until the row it names is in, so
    CHECK constraints that need the reference (a duplicate names its original)
    hold at every moment.
    """

    def __init__(self, table: Table, columns: list[str], order: dict[str, int]) -> None:
        self.table = table
        self.columns = columns
        self.decoders = [_decoder(table.columns[name]) for name in columns]
        keys = primary_key(table)
        self.key = keys[0].name if len(keys) == 1 else None
        own = order[table.name]
        self.forward: list[str] = []
        self.self_refs: list[str] = []
        for fk in table.foreign_keys:
            target = fk.column.table.name
            if target == table.name and self.key and fk.column.name == self.key:
                self.self_refs.append(fk.parent.name)
            elif order.get(target, own) >= own and fk.parent.nullable:
                self.forward.append(fk.parent.name)
        self.forward.sort()
        self.self_refs.sort()
        self.keep = [c.name for c in table.columns if c.onupdate is not None]
        self.batch: list[dict[str, Any]] = []
        self.held: list[dict[str, Any]] = []
        self.queued: set[Any] = set()
        self.later: list[tuple[dict[str, Any], list[str]]] = []
        self.count = 0

    def add(self, conn: Connection, item: list[Any]) -> None:
        values = {
            name: (decode(value) if decode and value is not None else value)
            for name, decode, value in zip(self.columns, self.decoders, item, strict=True)
        }
        self.count += 1
        if self.table.name in OMITTED_TABLES:
            # An older or hand-made dump carrying tokens: they are not brought back.
            return
        for name in BLANKED_COLUMNS.get(self.table.name, ()):
            # Whatever the file says, every account gets a fresh session token:
            # no cookie issued before the restore (or forged from the file) works.
            values[name] = secrets.token_hex(32)
        if any(values[n] is not None and values[n] not in self.queued for n in self.self_refs):
            self.held.append(values)
            return
        self._queue(conn, values)

    def _queue(self, conn: Connection, values: dict[str, Any]) -> None:
        postponed = [n for n in self.forward if values[n] is not None]
        if postponed:
            self.later.append((dict(values), postponed))
            for name in postponed:
                values[name] = None
        if self.key:
            self.queued.add(values[self.key])
        self.batch.append(values)
        if len(self.batch) >= BATCH:
            self.flush(conn)

    def flush(self, conn: Connection) -> None:
        if self.batch:
            conn.execute(self.table.insert(), self.batch)
            self.batch = []

    def finish(self, conn: Connection) -> None:
        """Insert the held-back rows once the rows they name are in."""
        while self.held:
            ready = [
                v
                for v in self.held
                if all(v[n] is None or v[n] in self.queued for n in self.self_refs)
            ]
            if not ready:
                # A cycle within the table: insert without the references, then set them.
                ready = self.held
                for values in ready:
                    self.later.append((dict(values), list(self.self_refs)))
                    for name in self.self_refs:
                        values[name] = None
            waiting = [v for v in self.held if all(v is not r for r in ready)]
            for values in ready:
                self._queue(conn, values)
            self.held = waiting
        self.flush(conn)

    def apply_later(self, conn: Connection) -> None:
        """Set the postponed references (and keep the columns an UPDATE would touch)."""
        keys = primary_key(self.table)
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for values, names in self.later:
            columns = tuple(names + self.keep)
            params = {f"v_{n}": values[n] for n in columns}
            params.update({f"k_{k.name}": values[k.name] for k in keys})
            groups.setdefault(columns, []).append(params)
        for columns, rows in groups.items():
            statement = (
                self.table.update()
                .where(*[k == bindparam(f"k_{k.name}") for k in keys])
                .values({n: bindparam(f"v_{n}") for n in columns})
            )
            for start in range(0, len(rows), BATCH):
                conn.execute(statement, rows[start : start + BATCH])


def restore(conn: Connection, handle: IO[str]) -> Summary:
    """Load a dump into the (empty, migrated) database on ``conn``; the caller commits."""
    lines = _lines(handle)
    try:
        _, first = next(lines)
    except StopIteration:
        raise BackupError("The backup file is empty.") from None
    revision = _check_header(first)
    current = schema_revision(conn)
    if revision != current:
        raise BackupError(
            f"The backup was made at schema revision {revision}, this database is at "
            f"{current}. Migrate an empty database to {revision} (`factcheck db upgrade "
            f"{revision}`), restore, then upgrade."
        )
    _check_empty(conn)
    known = {t.name: t for t in tables()}
    order = {name: i for i, name in enumerate(known)}
    loaders: list[_TableLoader] = []
    loader: _TableLoader | None = None
    ended: dict[str, int] | None = None
    signature_seen = False
    for number, item in lines:
        if ended is not None:
            if isinstance(item, dict) and set(item) == {"signature"} and not signature_seen:
                signature_seen = True
                continue
            raise BackupError(f"Line {number}: data after the end of the backup.")
        if isinstance(item, list):
            if loader is None:
                raise BackupError(f"Line {number}: a row before any table.")
            if len(item) != len(loader.columns):
                raise BackupError(
                    f"Line {number}: a row of {loader.table.name} with {len(item)} values, "
                    f"expected {len(loader.columns)}."
                )
            loader.add(conn, item)
        elif isinstance(item, dict) and "table" in item:
            if loader is not None:
                loader.finish(conn)
            table = known.get(str(item["table"]))
            if table is None:
                raise BackupError(f"Line {number}: unknown table {item['table']!r}.")
            columns = [str(c) for c in item.get("columns") or []]
            if sorted(columns) != sorted(c.name for c in table.columns):
                raise BackupError(
                    f"Line {number}: the columns of {table.name} differ from this "
                    "database's; is the backup from another schema revision?"
                )
            loader = _TableLoader(table, columns, order)
            loaders.append(loader)
        elif isinstance(item, dict) and item.get("end") is True:
            ended = dict(item.get("rows") or {})
        else:
            raise BackupError(f"Line {number}: not a row, a table or the end marker.")
    if loader is not None:
        loader.finish(conn)
    if ended is None:
        raise BackupError(
            "The backup file is incomplete (it has no end marker); nothing was changed."
        )
    summary = Summary(schema_revision=revision, rows={x.table.name: x.count for x in loaders})
    if ended != summary.rows:
        raise BackupError("The backup's row counts do not match its rows; nothing was changed.")
    for done in loaders:
        done.apply_later(conn)
    _after_restore(conn)
    summary.admins = _admins(conn)
    return summary


def _admins(conn: Connection) -> list[tuple[str, str]]:
    from ...models import Role, User

    users = User.__table__
    rows = conn.execute(
        select(users.c.email, users.c.name)
        .where(users.c.role == Role.ADMIN.value, users.c.active.is_(True))
        .order_by(users.c.email)
    )
    return [(email, name) for email, name in rows]


def _record_restore(conn: Connection, summary: Summary, source: Path) -> None:
    """The audit event of the restore, written in the restore's own transaction."""
    from ...models import AuditEvent
    from ...models.base import utcnow

    conn.execute(
        AuditEvent.__table__.insert().values(
            at=utcnow(),
            actor_id=None,
            action="backup.restore",
            entity_type="database",
            after={
                "file": source.name,
                "rows": summary.total,
                "schema_revision": summary.schema_revision,
                "signed": summary.signed,
                "admins": [email for email, _ in summary.admins],
            },
            note="restored from the command line; every session token was replaced",
        )
    )


def _after_restore(conn: Connection) -> None:
    from ...search import backend_for

    if conn.dialect.name == "postgresql":
        for table in tables():
            keys = list(table.primary_key.columns)
            if len(keys) != 1 or not keys[0].autoincrement or keys[0].type.python_type is not int:
                continue
            name, column = table.name, keys[0].name
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', '{column}'), "  # noqa: S608
                    f"COALESCE((SELECT MAX({column}) FROM {name}), 0) + 1, false)"
                )
            )
    backend_for(conn).reindex(conn)


def _open_text(path: Path) -> IO[str]:
    with path.open("rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return path.open(encoding="utf-8")


# Shown the restore's summary (admins included) before the commit; False cancels it.
Confirm = Callable[[Summary], bool]


def restore_from_path(
    engine: Engine,
    path: str | os.PathLike[str],
    key: bytes,
    *,
    trust_unsigned: bool = False,
    confirm: Confirm | None = None,
) -> Summary:
    """Check the signature, load the file in one transaction, confirm, audit, commit."""
    source = Path(path)
    if not source.is_file():
        raise BackupError(f"There is no file {source}.")
    try:
        with _open_text(source) as handle:
            signed = verify_signature(handle, key)
        if signed is not True and not trust_unsigned:
            why = (
                "is not signed"
                if signed is None
                else "is signed with another key, or was changed after it was made"
            )
            raise BackupError(
                f"This backup {why}: its accounts and passwords cannot be trusted. Restore "
                "only dumps made by this installation (same SECRET_KEY or BACKUP_SIGNING_KEY), "
                "or read the file and pass --trust-unsigned. Nothing was changed."
            )
        with _open_text(source) as handle, engine.begin() as conn:
            summary = restore(conn, handle)
            summary.signed = signed is True
            if confirm is not None and not confirm(summary):
                raise BackupError("Restore cancelled; nothing was changed.")
            _record_restore(conn, summary, source)
            return summary
    except IntegrityError as exc:
        raise BackupError(
            f"The database refused the backup's data ({exc.orig}); nothing was changed."
        ) from None
    except (UnicodeDecodeError, EOFError, gzip.BadGzipFile, ValueError) as exc:
        raise BackupError(f"The backup file cannot be read ({exc}); nothing was changed.") from None
