"""full-text search index over published claims

SQLite: an FTS5 table; PostgreSQL: a tsvector table with a GIN index.
Both are filled by the app (search.tracking) and `factcheck search reindex`.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TABLE claims_fts ("
            " claim_id integer PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,"
            " document tsvector NOT NULL)"
        )
        op.execute("CREATE INDEX ix_search_claims_fts_document ON claims_fts USING gin (document)")
    else:
        op.execute(
            "CREATE VIRTUAL TABLE claims_fts USING fts5("
            "body, speaker, verdict, tokenize = 'unicode61 remove_diacritics 2')"
        )
    # Claims published before this revision existed get indexed now.
    from factcheck.search import backend_for

    # Only this table: later revisions add the others and fill them themselves.
    backend_for(op.get_bind()).reindex(op.get_bind(), tables=["claims_fts"])


def downgrade():
    op.execute("DROP TABLE IF EXISTS claims_fts")
