"""Nazorg: when a check-in mail could not be delivered after every retry. The coordinator's call
list says so. One nullable column, added in place.

Revision ID: 0011
Revises: 0010
"""

from alembic import op
import sqlalchemy as sa

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("checkins", sa.Column("mail_mislukt_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column("checkins", "mail_mislukt_at")
