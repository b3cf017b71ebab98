"""semantic matching: claim embeddings; job payloads; the embed_claims job kind

``claim_embeddings`` holds each claim's sentence embedding (float32 bytes) for the
optional semantic matching backend (MATCHING_MODEL); ``job_payloads`` the bytes a
job works on (a ClaimReview file uploaded on the desk), so a worker on another
machine reads them from the database.

Revision ID: 0022
Revises: 0019
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0019"
branch_labels = None
depends_on = None

OLD_KINDS = "kind IN ('import_url', 'poll_feed', 'reindex', 'webhook', 'claimreview_ingest')"
NEW_KINDS = (
    "kind IN ('import_url', 'poll_feed', 'reindex', 'webhook', 'claimreview_ingest', "
    "'embed_claims')"
)


def upgrade():
    op.create_table(
        "claim_embeddings",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("dimensions", sa.Integer(), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_embeddings_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_claim_embeddings")),
    )
    op.create_index(
        "ix_claim_embeddings_model_claim", "claim_embeddings", ["model", "claim_id"], unique=False
    )
    op.create_table(
        "job_payloads",
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_job_payloads_job_id_jobs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_job_payloads")),
    )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_jobs_kind"), type_="check")
        batch_op.create_check_constraint("kind", NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM jobs WHERE kind = 'embed_claims'")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_jobs_kind"), type_="check")
        batch_op.create_check_constraint("kind", OLD_KINDS)
    op.drop_table("job_payloads")
    op.drop_index("ix_claim_embeddings_model_claim", table_name="claim_embeddings")
    op.drop_table("claim_embeddings")
