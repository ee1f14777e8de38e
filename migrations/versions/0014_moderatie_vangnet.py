"""The fallback moderator of a gemeente (issue 19): in a wijk without an opbouwwerker, reported
posts, new agendapunten and new posts waited for the beheerder alone, and a hulpvraag hidden by
reports stopped being matched until they looked. A new table, so the reference tables (gemeenten)
stay untouched.

Revision ID: 0014
Revises: 0013
"""

from alembic import op
import sqlalchemy as sa

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "moderatie_vangnet",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gemeente_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["gemeente_id"], ["gemeenten.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("gemeente_id", "user_id"),
    )
    op.create_index("ix_moderatie_vangnet_user_id", "moderatie_vangnet", ["user_id"])


def downgrade():
    op.drop_index("ix_moderatie_vangnet_user_id", table_name="moderatie_vangnet")
    op.drop_table("moderatie_vangnet")
