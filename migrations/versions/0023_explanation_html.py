"""the published explanation kept as sanitised HTML

verdicts.explanation_html holds the explanation rendered from Markdown and
sanitised when the revision was published (its text is frozen from then on), so
public pages, the API and feeds do not render Markdown on every view. NULL for
revisions not published, and for those published before this revision: readers
render them on the fly as before.

Revision ID: 0023
Revises: 0021
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    # A nullable column without a default: an ALTER TABLE on both engines, no table copy.
    op.add_column("verdicts", sa.Column("explanation_html", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("verdicts") as batch:
        batch.drop_column("explanation_html")
