"""Durability that means what Blink means (issue 23).

``diensten.duurzaam_doel``: the share of durable koppelingen a dienst aims at, or NULL. Only Blink
has one in the seeds ("85% succesvolle koppeling ... daarom beperkt dit resultaat zich tot Blink",
004:539-545); every other dienst shows its figures without a verdict.
``diensten.horizon_periodiek`` and ``diensten.horizon_maatje``: the days after the start at which
a koppeling of that kind is judged durable. A maatje runs about a year (001:1873-1891), so its
horizon is half a year, not the 91 days of a series.
``checkins.doorgaan``: the answer to "Gaan jullie door?" at the last planned ronde; yes plans a
check-in every six months, no ends the koppeling as afgerond, instead of closing it unasked.

Revision ID: 0022
Revises: 0021
"""

from alembic import op
import sqlalchemy as sa

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD/DROP COLUMN, as 0016, 0017 and 0020: every column may be NULL or has a server default.
    op.add_column("diensten", sa.Column("duurzaam_doel", sa.Float(), nullable=True))
    op.add_column("diensten", sa.Column("horizon_periodiek", sa.SmallInteger(), nullable=False,
                                        server_default=sa.text("91")))
    op.add_column("diensten", sa.Column("horizon_maatje", sa.SmallInteger(), nullable=False,
                                        server_default=sa.text("182")))
    op.add_column("checkins", sa.Column("doorgaan", sa.Boolean(), nullable=True))
    op.execute("UPDATE diensten SET duurzaam_doel = 0.85 WHERE code = 'blink'")


def downgrade():
    op.drop_column("checkins", "doorgaan")
    op.drop_column("diensten", "horizon_maatje")
    op.drop_column("diensten", "horizon_periodiek")
    op.drop_column("diensten", "duurzaam_doel")
