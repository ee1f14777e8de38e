"""A volunteer without a voorstel for a month hears of group activities near them, once a month.

Revision ID: 0005
Revises: 0004
"""

from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("aanbod") as batch_op:
        batch_op.add_column(sa.Column("samen_gemaild_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("aanbod") as batch_op:
        batch_op.drop_column("samen_gemaild_at")
