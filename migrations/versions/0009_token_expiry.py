"""API tokens expire

An optional expiry time per API token (new tokens default to 90 days; existing
tokens keep working until revoked, as they were issued without one).

Revision ID: 0009
Revises: 0010
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("expires_at")
