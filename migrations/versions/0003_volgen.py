"""Volunteers follow new hulpvragen that fit their aanbod, in the app and by an email digest.

Revision ID: 0003
Revises: 0002
"""

from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("aanbod") as batch_op:
        batch_op.add_column(sa.Column("volgt_per_mail", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column("gemaild_tot", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("aanbod") as batch_op:
        batch_op.drop_column("gemaild_tot")
        batch_op.drop_column("volgt_per_mail")
