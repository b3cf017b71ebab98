"""the published rating kept on the claim, with indexes for breakdowns and the rating filter

A speaker's or an outlet's ratings breakdown joined every one of its public claims
with its verdict (1.4–4.8 s for the busiest speaker at a million claims,
docs/performance.md). The claim now carries its published verdict's rating, set
only where a verdict is published (services/reviews.py), so a breakdown is an
index-only count over (speaker_id, published_rating_id) and the public list's
rating filter walks (published_rating_id, published_at, id). Existing rows are
filled from their published verdicts.

Revision ID: 0017
Revises: 0015
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0015"
branch_labels = None
depends_on = None

PUBLIC_ONLY = {
    "sqlite_where": sa.text("published_verdict_id IS NOT NULL"),
    "postgresql_where": sa.text("published_verdict_id IS NOT NULL"),
}


def upgrade():
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("published_rating_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_claims_published_rating_id_ratings", "ratings", ["published_rating_id"], ["id"]
        )
    op.execute(
        "UPDATE claims SET published_rating_id = (SELECT verdicts.rating_id FROM verdicts "
        "WHERE verdicts.id = claims.published_verdict_id) WHERE published_verdict_id IS NOT NULL"
    )
    op.create_index(
        "ix_claims_speaker_rating_public",
        "claims",
        ["speaker_id", "published_rating_id"],
        **PUBLIC_ONLY,
    )
    op.create_index(
        "ix_claims_source_rating_public",
        "claims",
        ["source_id", "published_rating_id"],
        **PUBLIC_ONLY,
    )
    op.create_index(
        "ix_claims_rating_public",
        "claims",
        ["published_rating_id", "published_at", "id"],
        **PUBLIC_ONLY,
    )


def downgrade():
    op.drop_index("ix_claims_rating_public", table_name="claims")
    op.drop_index("ix_claims_source_rating_public", table_name="claims")
    op.drop_index("ix_claims_speaker_rating_public", table_name="claims")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_constraint("fk_claims_published_rating_id_ratings", type_="foreignkey")
        batch_op.drop_column("published_rating_id")
