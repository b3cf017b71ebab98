"""readers' tips: tip groups, tips, and how long readers' emails are kept

Revision ID: 0016
Revises: 0007
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "tip_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("tip_count", sa.Integer(), nullable=False),
        sa.Column("first_tip_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_tip_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("dismiss_reason", sa.String(length=20), nullable=True),
        sa.Column("dismiss_note", sa.String(length=500), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "dismiss_reason IS NULL OR dismiss_reason IN ('opinion', 'prediction', 'not_check_worthy', 'out_of_scope', 'spam')",
            name=op.f("ck_tip_groups_dismiss_reason"),
        ),
        sa.CheckConstraint(
            "state != 'dismissed' OR dismiss_reason IS NOT NULL",
            name=op.f("ck_tip_groups_dismissed_why"),
        ),
        sa.CheckConstraint(
            "state IN ('open', 'logged', 'answered', 'dismissed')", name=op.f("ck_tip_groups_state")
        ),
        sa.CheckConstraint(
            "state NOT IN ('logged', 'answered') OR claim_id IS NOT NULL",
            name=op.f("ck_tip_groups_claim"),
        ),
        sa.CheckConstraint("tip_count >= 1", name=op.f("ck_tip_groups_count_positive")),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_tip_groups_claim_id_claims"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_tip_groups_decided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip_groups")),
    )
    with op.batch_alter_table("tip_groups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tip_groups_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(
            "ix_tip_groups_state_demand", ["state", "tip_count", "id"], unique=False
        )
        batch_op.create_index(
            "ix_tip_groups_state_newest", ["state", "last_tip_at", "id"], unique=False
        )

    op.create_table(
        "tips",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_key", sa.String(length=64), nullable=False),
        sa.Column("seen_at", sa.String(length=500), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("sender_key", sa.String(length=64), nullable=False),
        sa.Column("answer_claim_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_claim_id"],
            ["claims.id"],
            name=op.f("fk_tips_answer_claim_id_claims"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["tip_groups.id"],
            name=op.f("fk_tips_group_id_tip_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tips")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_tips_token_hash")),
        sa.UniqueConstraint("sender_key", "text_key", name="uq_tips_sender_text"),
    )
    with op.batch_alter_table("tips", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tips_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            "ix_tips_email_kept",
            ["created_at"],
            unique=False,
            postgresql_where=sa.text("email IS NOT NULL"),
            sqlite_where=sa.text("email IS NOT NULL"),
        )
        batch_op.create_index(batch_op.f("ix_tips_group_id"), ["group_id"], unique=False)

    with op.batch_alter_table("site_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("tip_email_days", sa.Integer(), server_default="90", nullable=False)
        )
        batch_op.create_check_constraint(
            "tip_email_days_range", sa.text("tip_email_days BETWEEN 1 AND 3650")
        )


def downgrade():
    with op.batch_alter_table("site_settings", schema=None) as batch_op:
        batch_op.drop_constraint("tip_email_days_range", type_="check")
        batch_op.drop_column("tip_email_days")

    with op.batch_alter_table("tips", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tips_group_id"))
        batch_op.drop_index(
            "ix_tips_email_kept",
            postgresql_where=sa.text("email IS NOT NULL"),
            sqlite_where=sa.text("email IS NOT NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_tips_created_at"))

    op.drop_table("tips")
    with op.batch_alter_table("tip_groups", schema=None) as batch_op:
        batch_op.drop_index("ix_tip_groups_state_newest")
        batch_op.drop_index("ix_tip_groups_state_demand")
        batch_op.drop_index(batch_op.f("ix_tip_groups_claim_id"))

    op.drop_table("tip_groups")
