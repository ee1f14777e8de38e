"""Subsidie follow-up: reminders of the accountability and the one-year "bestaat het nog?".
New nullable columns only, added in place (no batch copy of a table others refer to).

Revision ID: 0010
Revises: 0009
"""

from alembic import op
import sqlalchemy as sa

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
COLUMNS = ("herinneringen", "herinnerd_at", "bestaat_nog_gevraagd_at", "bestaat_nog", "bestaat_nog_at")


def upgrade():
    op.add_column("subsidieaanvragen", sa.Column("herinneringen", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("subsidieaanvragen", sa.Column("herinnerd_at", TZ, nullable=True))
    op.add_column("subsidieaanvragen", sa.Column("bestaat_nog_gevraagd_at", TZ, nullable=True))
    op.add_column("subsidieaanvragen", sa.Column("bestaat_nog", sa.Boolean(), nullable=True))
    op.add_column("subsidieaanvragen", sa.Column("bestaat_nog_at", TZ, nullable=True))


def downgrade():
    for column in reversed(COLUMNS):
        op.drop_column("subsidieaanvragen", column)
