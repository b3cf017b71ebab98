"""article text versions; candidates' frame, speaker kind, repeats and text version

A re-import of a known article with a changed body keeps the text it replaces
in article_texts and bumps articles.text_version; its candidates carry the
version they were found in, so the desk offers the new ones only. Candidates
also say which frame found them, the speaker's kind and how often the article
repeated the statement.

Revision ID: 0013
Revises: 0011
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "article_texts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("replaced_at", UTC_DATETIME, nullable=False),
        sa.Column("replaced_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("number >= 1", name=op.f("ck_article_texts_number_positive")),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_texts_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["replaced_by_id"], ["users.id"], name=op.f("fk_article_texts_replaced_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article_texts")),
        sa.UniqueConstraint("article_id", "number", name="uq_article_texts_article_number"),
    )
    with op.batch_alter_table("article_texts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_article_texts_article_id"), ["article_id"])
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("text_version", sa.Integer(), nullable=False, server_default="1")
        )
    with op.batch_alter_table("import_candidates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("frame", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("speaker_kind", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("repeats", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(
            sa.Column("text_version", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.create_check_constraint(
            "speaker_kind",
            "speaker_kind IS NULL OR speaker_kind IN ('person', 'organisation', 'document')",
        )
        batch_op.create_check_constraint("repeats_positive", "repeats >= 1")


def downgrade():
    with op.batch_alter_table("import_candidates", schema=None) as batch_op:
        batch_op.drop_constraint("repeats_positive", type_="check")
        batch_op.drop_constraint("speaker_kind", type_="check")
        batch_op.drop_column("text_version")
        batch_op.drop_column("repeats")
        batch_op.drop_column("speaker_kind")
        batch_op.drop_column("frame")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("text_version")
    with op.batch_alter_table("article_texts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_texts_article_id"))
    op.drop_table("article_texts")
