"""indexes for the public pages at scale

A speaker's and a source's public claims newest first without a sort, and the
public list's rating filter reached from the verdicts' side. Measured at a
million synthetic claims (docs/performance.md).

Revision ID: 0007
Revises: 0002
Create Date: 2026-11-25
"""

from alembic import op

revision = "0007"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_claims_speaker_public",
        "claims",
        ["speaker_id", "published_at", "id", "published_verdict_id"],
    )
    op.create_index(
        "ix_claims_source_public",
        "claims",
        ["source_id", "published_at", "id", "published_verdict_id"],
    )
    op.create_index("ix_claims_published_verdict_id", "claims", ["published_verdict_id"])


def downgrade():
    op.drop_index("ix_claims_published_verdict_id", table_name="claims")
    op.drop_index("ix_claims_source_public", table_name="claims")
    op.drop_index("ix_claims_speaker_public", table_name="claims")
