"""the interface in several languages: a person's language, translated ratings and settings

users.locale holds the desk language a person chose (NULL: the browser's);
ratings.translations and site_settings.translations hold the name, description
and text settings in languages other than the default, as {"uk": {...}}.

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("locale", sa.String(length=10), nullable=True))
    with op.batch_alter_table("ratings") as batch:
        batch.add_column(sa.Column("translations", sa.JSON(), nullable=True))
    with op.batch_alter_table("site_settings") as batch:
        batch.add_column(sa.Column("translations", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("site_settings") as batch:
        batch.drop_column("translations")
    with op.batch_alter_table("ratings") as batch:
        batch.drop_column("translations")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("locale")
