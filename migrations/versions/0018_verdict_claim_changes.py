"""changes to a published claim wait on the correction; the public evidence is a snapshot

Two columns on verdicts, for the rule that nothing the public reads changes without
a second person (issue 14, docs/security.md "Four eyes"):

- ``claim_changes``: the public fields of a published claim (text, quote, speaker, ...)
  as a correction proposes them; applied to the claim when the revision is published.
- ``public_evidence``: the evidence as it was when the revision was published; public
  reads show this snapshot, so evidence added or edited later waits for a correction.

And on speakers and sources, ``pending_changes`` and ``pending_by_id``: an edit of a
speaker or source with published fact-checks waits there for another editor's approval.

Existing published revisions get their snapshot from the evidence that was there when
they were published (not removed, added no later than their publication).

Revision ID: 0018
Revises: 0012
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0012"
branch_labels = None
depends_on = None

EVIDENCE_COLUMNS = (
    "id", "url", "citation", "title", "publisher", "excerpt", "stance", "archived_url",
    "created_at", "version",
)  # fmt: skip


def upgrade():
    with op.batch_alter_table("verdicts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claim_changes", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("public_evidence", sa.JSON(), nullable=True))
    for table in ("speakers", "sources"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("pending_changes", sa.JSON(), nullable=True))
            batch_op.add_column(sa.Column("pending_by_id", sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                f"fk_{table}_pending_by_id_users", "users", ["pending_by_id"], ["id"]
            )
    conn = op.get_bind()
    verdicts = sa.table(
        "verdicts",
        sa.column("id", sa.Integer),
        sa.column("claim_id", sa.Integer),
        sa.column("state", sa.String),
        sa.column("published_at", sa.DateTime),
        sa.column("public_evidence", sa.JSON),
    )
    evidence = sa.table(
        "evidence",
        sa.column("claim_id", sa.Integer),
        sa.column("removed_at", sa.DateTime),
        *(sa.column(name) for name in EVIDENCE_COLUMNS),
    )
    published = conn.execute(
        sa.select(verdicts.c.id, verdicts.c.claim_id, verdicts.c.published_at).where(
            verdicts.c.state == "published"
        )
    ).all()
    for verdict_id, claim_id, published_at in published:
        rows = conn.execute(
            sa.select(*(evidence.c[name] for name in EVIDENCE_COLUMNS))
            .where(
                evidence.c.claim_id == claim_id,
                evidence.c.removed_at.is_(None),
                evidence.c.created_at <= published_at,
            )
            .order_by(evidence.c.id)
        ).all()
        snapshot = [
            {
                name: (value.isoformat() if hasattr(value, "isoformat") else value)
                for name, value in zip(EVIDENCE_COLUMNS, row, strict=True)
            }
            for row in rows
        ]
        conn.execute(
            sa.update(verdicts).where(verdicts.c.id == verdict_id).values(public_evidence=snapshot)
        )


def downgrade():
    for table in ("speakers", "sources"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_pending_by_id_users", type_="foreignkey")
            batch_op.drop_column("pending_by_id")
            batch_op.drop_column("pending_changes")
    with op.batch_alter_table("verdicts", schema=None) as batch_op:
        batch_op.drop_column("public_evidence")
        batch_op.drop_column("claim_changes")
