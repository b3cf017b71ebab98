"""A complete, portable dump of the database, and restoring it into an empty one.

The dump is JSON lines, written in foreign-key order with rows in primary-key
order, so two dumps of the same data are byte-for-byte equal whichever engine
(SQLite or PostgreSQL) they came from::

    {"format": "factcheck-backup", "version": 1, "schema_revision": "0002"}
    {"table": "users", "columns": ["id", "email", ...]}
    [1, "ada@example.org", ...]                  one array per row
    ...
    {"end": true, "rows": {"users": 3, ...}}     absent when the file was cut short
    {"signature": "hmac-sha256:…"}               HMAC of every line above it

Values are typed portably: timestamps as ISO 8601 with their zone (the one
zoneless column, an article's printed local time, stays zoneless), dates as
YYYY-MM-DD, JSON columns as JSON, booleans as true/false. Every table of the
models is included, the audit trail too; the search index is not (it is
rebuilt from the claims on restore).

Secrets stay out of a dump: users' session tokens are written as null (a restore
gives every account a fresh one, so no cookie from before works) and API tokens
are not written at all (their owners create new ones; creating and revoking them
stays in the audit trail). The last line signs the file with this installation's
key (``BACKUP_SIGNING_KEY``, else ``SECRET_KEY``); a restore refuses a file that
is unsigned or signed with another key unless told to trust it, since whoever can
edit a dump can give themselves an admin account.

A restore goes into an EMPTY database already migrated to the dump's schema
revision (`factcheck db upgrade`), in one transaction: a refused or broken
restore changes nothing. Ids are kept; PostgreSQL's sequences are moved past
them afterwards.

The package: ``format`` (what both directions share), ``writing`` (``dump``,
``backup_to_path``) and ``restoring`` (``restore``, ``restore_from_path``,
``verify_signature``).
"""

from __future__ import annotations

from .format import BackupError, Summary, schema_revision, tables
from .restoring import restore, restore_from_path, verify_signature
from .writing import backup_to_path, dump, signing_key

__all__ = [
    "BackupError",
    "Summary",
    "backup_to_path",
    "dump",
    "restore",
    "restore_from_path",
    "schema_revision",
    "signing_key",
    "tables",
    "verify_signature",
]
