"""The decision letter is stored once, as PDF/A, with its hash (issue 27, item 2).

Two columns on subsidieaanvragen: the random name of the stored letter under
``<instance>/besluiten/`` and the SHA-256 of its bytes. Decisions made before have neither: their
letter is made and stored on the first download (``services.besluitbrief``), once.

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("subsidieaanvragen", sa.Column("besluit_bestand", sa.String(64), nullable=True))
    op.add_column("subsidieaanvragen", sa.Column("besluit_sha256", sa.String(64), nullable=True))


def downgrade():
    op.drop_column("subsidieaanvragen", "besluit_sha256")
    op.drop_column("subsidieaanvragen", "besluit_bestand")
