"""full-text index of unpublished claims, for the desk's staff searches

The public index (0002) holds only claims with a published verdict. Staff lists
search unpublished claims too: they get a table of the same shape, read beside the
public one (``factcheck.search.matching_claim_ids``), so a staff search stays as
bounded as a public one and the public index is unchanged.

Revision ID: 0015
Revises: 0016
Create Date: 2026-11-30
"""

from alembic import op

revision = "0015"
down_revision = "0016"
branch_labels = None
depends_on = None

TABLE = "claims_fts_unpublished"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TABLE {TABLE} ("
            " claim_id integer PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,"
            " document tsvector NOT NULL)"
        )
        op.execute(f"CREATE INDEX ix_search_{TABLE}_document ON {TABLE} USING gin (document)")
    else:
        op.execute(
            f"CREATE VIRTUAL TABLE {TABLE} USING fts5("
            "body, speaker, verdict, tokenize = 'unicode61 remove_diacritics 2')"
        )
    from factcheck.search import backend_for

    backend_for(op.get_bind()).reindex(op.get_bind(), tables=[TABLE])


def downgrade():
    op.execute(f"DROP TABLE IF EXISTS {TABLE}")
