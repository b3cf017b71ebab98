"""claim tracking: appearances of a claim, and other organisations' fact-checks

``claim_appearances``: every place a claim was made again (public once an editor
other than the person who added it confirms it). ``external_factchecks``: other
organisations' ClaimReviews, one row per review URL, and
``external_factcheck_words``, their word stems, through which matching finds them
with an index lookup per word (the cost stays bounded as the archive grows).

Revision ID: 0011
Revises: 0009
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "claim_appearances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("speaker_name", sa.String(length=200), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=True),
        sa.Column("said_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'confirmed')", name=op.f("ck_claim_appearances_status")
        ),
        sa.CheckConstraint(
            "status <> 'confirmed' OR (confirmed_by_id IS NOT NULL AND confirmed_at IS NOT NULL)",
            name=op.f("ck_claim_appearances_confirmed_has_editor"),
        ),
        sa.CheckConstraint(
            "confirmed_by_id IS NULL OR added_by_id IS NULL OR confirmed_by_id <> added_by_id",
            name=op.f("ck_claim_appearances_four_eyes"),
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_appearances_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["speaker_id"],
            ["speakers.id"],
            name=op.f("fk_claim_appearances_speaker_id_speakers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_claim_appearances_article_id_articles"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["added_by_id"],
            ["users.id"],
            name=op.f("fk_claim_appearances_added_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"],
            ["users.id"],
            name=op.f("fk_claim_appearances_confirmed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_appearances")),
    )
    with op.batch_alter_table("claim_appearances", schema=None) as batch_op:
        batch_op.create_index("ix_claim_appearances_claim_url", ["claim_id", "url"], unique=True)
        batch_op.create_index("ix_claim_appearances_claim_said_on", ["claim_id", "said_on"])
        for column in ("speaker_id", "article_id", "added_by_id", "confirmed_by_id"):
            batch_op.create_index(f"ix_claim_appearances_{column}", [column])

    op.create_table(
        "external_factchecks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("publisher", sa.String(length=300), nullable=False),
        sa.Column("claim_text", sa.Text(), nullable=False),
        sa.Column("claimant", sa.String(length=300), nullable=True),
        sa.Column("rating_text", sa.String(length=200), nullable=True),
        sa.Column("reviewed_on", sa.Date(), nullable=True),
        sa.Column("language", sa.String(length=10), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_external_factchecks")),
        sa.UniqueConstraint("url", name=op.f("uq_external_factchecks_url")),
    )
    op.create_table(
        "external_factcheck_words",
        sa.Column("factcheck_id", sa.Integer(), nullable=False),
        sa.Column("stem", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["factcheck_id"],
            ["external_factchecks.id"],
            name=op.f("fk_external_factcheck_words_factcheck_id_external_factchecks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("factcheck_id", "stem", name=op.f("pk_external_factcheck_words")),
    )
    with op.batch_alter_table("external_factcheck_words", schema=None) as batch_op:
        batch_op.create_index("ix_external_factcheck_words_stem", ["stem", "factcheck_id"])


def downgrade():
    op.drop_table("external_factcheck_words")
    op.drop_table("external_factchecks")
    op.drop_table("claim_appearances")
