"""The street address of a home (issue 22, item 2): the koppeling page showed "Adres 51.76502,
5.51797" for a home picked on the map, which means nothing to the two people. The address is found
once when the home is set (what was typed, else the PDOK ``reverse`` lookup of the point) and kept
here, so a page view asks no outside service. Homes set before this stay empty: their page shows
postcode and number when typed, else a map with "Adres niet bekend".

Revision ID: 0016
Revises: 0015
"""

from alembic import op
import sqlalchemy as sa

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("adres", sa.String(length=200), nullable=True))


def downgrade():
    op.drop_column("users", "adres")
