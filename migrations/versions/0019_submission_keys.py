"""submission keys: one-time keys of desk forms and API Idempotency-Keys

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "submission_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("purpose", sa.String(length=100), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("result_url", sa.String(length=1000), nullable=True),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.Text(), nullable=True),
        sa.Column("response_headers", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission_keys")),
        sa.UniqueConstraint("scope", "key", name="scope_key"),
    )
    with op.batch_alter_table("submission_keys", schema=None) as batch_op:
        batch_op.create_index("ix_submission_keys_created_at", ["created_at"], unique=False)


def downgrade():
    with op.batch_alter_table("submission_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_submission_keys_created_at")
    op.drop_table("submission_keys")
