"""indexes for the public pages at scale

Public claims newest first (the lists, a speaker's and a source's page) as
partial indexes over public claims only: on PostgreSQL a walk from the newest
along an index of every claim first passes all unpublished ones, whose NULL
published_at sort first in descending order (~0.3 s at a million claims). And
the public list's rating filter, reached from the verdicts' side. Measured at a
million synthetic claims: docs/performance.md.

Revision ID: 0007
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0002"
branch_labels = None
depends_on = None

PUBLIC_ONLY = {
    "sqlite_where": sa.text("published_verdict_id IS NOT NULL"),
    "postgresql_where": sa.text("published_verdict_id IS NOT NULL"),
}


def upgrade():
    op.create_index("ix_claims_public_newest", "claims", ["published_at", "id"], **PUBLIC_ONLY)
    op.create_index(
        "ix_claims_speaker_public", "claims", ["speaker_id", "published_at", "id"], **PUBLIC_ONLY
    )
    op.create_index(
        "ix_claims_source_public", "claims", ["source_id", "published_at", "id"], **PUBLIC_ONLY
    )
    op.create_index("ix_claims_published_verdict_id", "claims", ["published_verdict_id"])


def downgrade():
    op.drop_index("ix_claims_published_verdict_id", table_name="claims")
    op.drop_index("ix_claims_source_public", table_name="claims")
    op.drop_index("ix_claims_speaker_public", table_name="claims")
    op.drop_index("ix_claims_public_newest", table_name="claims")
