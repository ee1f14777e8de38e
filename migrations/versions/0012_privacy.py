"""Privacy: when an account was erased, and when a post's text and exact place were wiped.
New nullable columns only, added in place (no batch copy of a table others refer to).

Revision ID: 0012
Revises: 0011
"""

from alembic import op
import sqlalchemy as sa

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade():
    op.add_column("users", sa.Column("verwijderd_at", TZ, nullable=True))
    op.add_column("posts", sa.Column("geanonimiseerd_at", TZ, nullable=True))


def downgrade():
    op.drop_column("posts", "geanonimiseerd_at")
    op.drop_column("users", "verwijderd_at")
