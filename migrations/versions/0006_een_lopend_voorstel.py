"""One waiting engine voorstel per vraag, kept by the database (two workers may match at once).

Revision ID: 0006
Revises: 0005
"""

from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

LIVE_MATCH = sa.text("bron = 'match' AND status IN ('te_bevestigen', 'open')")


def upgrade():
    op.create_index("uq_voorstellen_een_lopend_per_vraag", "voorstellen", ["hulpvraag_id"], unique=True,
                    postgresql_where=LIVE_MATCH, sqlite_where=LIVE_MATCH)


def downgrade():
    op.drop_index("uq_voorstellen_een_lopend_per_vraag", table_name="voorstellen")
