"""Gebieden, woonwijken and the CBS kerncijfers (issue 24, items 3 and 4).

- ``wijken.woonwijk``: an industrial estate is a CBS wijk where nobody lives; marked False, it
  stays out of public lists, filters and the waiting list unless something is posted there.
  True by default, so every wijk stays where it was.
- ``gebieden`` with ``gebied_wijken`` and ``gebied_buurten``: a named group of wijken (or buurten)
  of one gemeente, which the beheerder edits. Oss draws up its sociale agenda per gebied.
- ``kerncijfers``: residents, age groups, households and income of a wijk or buurt per year, as
  the CBS publishes them in "Kerncijfers wijken en buurten", for the wijkfoto and for shares
  that need the number of residents.

Revision ID: 0025
Revises: 0023
"""

from alembic import op
import sqlalchemy as sa

revision = "0025"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, as 0016 and 0020: a batch copy of ``wijken`` would drop its spatial index on SQLite.
    op.add_column("wijken", sa.Column("woonwijk", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.create_table(
        "gebieden",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gemeente_id", sa.Integer(), sa.ForeignKey("gemeenten.id"), nullable=False),
        sa.Column("naam", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("gemeente_id", "naam"),
    )
    op.create_index("ix_gebieden_gemeente_id", "gebieden", ["gemeente_id"])
    op.create_table(
        "gebied_wijken",
        sa.Column("gebied_id", sa.Integer(), sa.ForeignKey("gebieden.id", ondelete="CASCADE"), nullable=False),
        sa.Column("wijk_id", sa.Integer(), sa.ForeignKey("wijken.id", ondelete="CASCADE"), nullable=False),
        sa.PrimaryKeyConstraint("gebied_id", "wijk_id"),
    )
    op.create_table(
        "gebied_buurten",
        sa.Column("gebied_id", sa.Integer(), sa.ForeignKey("gebieden.id", ondelete="CASCADE"), nullable=False),
        sa.Column("buurt_id", sa.Integer(), sa.ForeignKey("buurten.id", ondelete="CASCADE"), nullable=False),
        sa.PrimaryKeyConstraint("gebied_id", "buurt_id"),
    )
    op.create_table(
        "kerncijfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("jaar", sa.Integer(), nullable=False),
        sa.Column("wijk_id", sa.Integer(), sa.ForeignKey("wijken.id", ondelete="CASCADE"), nullable=True),
        sa.Column("buurt_id", sa.Integer(), sa.ForeignKey("buurten.id", ondelete="CASCADE"), nullable=True),
        sa.Column("bron", sa.String(length=200), nullable=False),
        sa.Column("inwoners", sa.Integer(), nullable=True),
        sa.Column("leeftijd_0_15", sa.Integer(), nullable=True),
        sa.Column("leeftijd_15_25", sa.Integer(), nullable=True),
        sa.Column("leeftijd_25_45", sa.Integer(), nullable=True),
        sa.Column("leeftijd_45_65", sa.Integer(), nullable=True),
        sa.Column("leeftijd_65_plus", sa.Integer(), nullable=True),
        sa.Column("huishoudens", sa.Integer(), nullable=True),
        sa.Column("inkomen_per_inwoner", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code", "jaar"),
    )
    op.create_index("ix_kerncijfers_wijk_id", "kerncijfers", ["wijk_id"])
    op.create_index("ix_kerncijfers_buurt_id", "kerncijfers", ["buurt_id"])


def downgrade():
    op.drop_index("ix_kerncijfers_buurt_id", table_name="kerncijfers")
    op.drop_index("ix_kerncijfers_wijk_id", table_name="kerncijfers")
    op.drop_table("kerncijfers")
    op.drop_table("gebied_buurten")
    op.drop_table("gebied_wijken")
    op.drop_index("ix_gebieden_gemeente_id", table_name="gebieden")
    op.drop_table("gebieden")
    op.drop_column("wijken", "woonwijk")
