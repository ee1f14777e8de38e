"""Subsidies: regelingen (a gemeente's pot per year), subsidieaanvragen with their begroting,
bijlagen and question thread. Money in whole cents (BIGINT). New tables only.

Revision ID: 0009
Revises: 0008
"""

from alembic import op
import sqlalchemy as sa

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
CENTS = sa.BigInteger()


def upgrade():
    op.create_table(
        "regelingen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gemeente_id", sa.Integer(), sa.ForeignKey("gemeenten.id"), nullable=False),
        sa.Column("jaar", sa.Integer(), nullable=False),
        sa.Column("naam", sa.String(length=120), nullable=False),
        sa.Column("budget_cents", CENTS, nullable=False),
        sa.Column("max_per_aanvraag_cents", CENTS, nullable=False),
        sa.Column("soorten", sa.JSON(), nullable=False),
        sa.Column("beslistermijn_dagen", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("gemeente_id", "jaar", "naam"),
    )
    op.create_index("ix_regelingen_gemeente_id", "regelingen", ["gemeente_id"])
    op.create_table(
        "subsidieaanvragen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiatief_id", sa.Integer(), sa.ForeignKey("initiatieven.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("aanvrager_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("regeling_id", sa.Integer(), sa.ForeignKey("regelingen.id"), nullable=True),
        sa.Column("wijk_id", sa.Integer(), sa.ForeignKey("wijken.id"), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("soort", sa.String(length=30), nullable=True),
        sa.Column("titel", sa.String(length=120), nullable=False),
        sa.Column("wat", sa.Text(), nullable=False),
        sa.Column("voor_wie", sa.Text(), nullable=False),
        sa.Column("plek", sa.String(length=200), nullable=False),
        sa.Column("wanneer", sa.String(length=200), nullable=False),
        sa.Column("deelnemers", sa.Integer(), nullable=True),
        sa.Column("eigen_bijdrage_cents", CENTS, nullable=False),
        sa.Column("sponsor_bijdrage_cents", CENTS, nullable=False),
        sa.Column("uren_vrijwilligers", sa.Integer(), nullable=False),
        sa.Column("bijdragen", sa.Text(), nullable=False),
        sa.Column("toegekend_cents", CENTS, nullable=True),
        sa.Column("betaald_cents", CENTS, nullable=False),
        sa.Column("contactpersoon_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("ingediend_at", TZ, nullable=True),
        sa.Column("beslis_voor", sa.Date(), nullable=True),
        sa.Column("besloten_at", TZ, nullable=True),
        sa.Column("reden", sa.Text(), nullable=False),
        sa.Column("bereikt", sa.Text(), nullable=False),
        sa.Column("bijdragen_van_wie", sa.Text(), nullable=False),
        sa.Column("deelnemers_vonden", sa.Text(), nullable=False),
        sa.Column("werkelijke_kosten_cents", CENTS, nullable=True),
        sa.Column("verantwoord_at", TZ, nullable=True),
        sa.Column("steun_eind", sa.Date(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("initiatief_id", "aanvrager_id", "regeling_id", "wijk_id", "status", "soort", "contactpersoon_id",
                   "ingediend_at", "steun_eind"):
        op.create_index(f"ix_subsidieaanvragen_{column}", "subsidieaanvragen", [column])
    op.create_table(
        "begrotingsregels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("aanvraag_id", sa.Integer(), sa.ForeignKey("subsidieaanvragen.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("omschrijving", sa.String(length=200), nullable=False),
        sa.Column("bedrag_cents", CENTS, nullable=False),
        sa.Column("volgorde", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_begrotingsregels_aanvraag_id", "begrotingsregels", ["aanvraag_id"])
    op.create_table(
        "subsidiebijlagen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("aanvraag_id", sa.Integer(), sa.ForeignKey("subsidieaanvragen.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("soort", sa.String(length=20), nullable=False),
        sa.Column("bestandsnaam", sa.String(length=200), nullable=False),
        sa.Column("mime", sa.String(length=40), nullable=False),
        sa.Column("grootte", sa.Integer(), nullable=False),
        sa.Column("opslag_naam", sa.String(length=64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("opslag_naam"),
    )
    op.create_index("ix_subsidiebijlagen_aanvraag_id", "subsidiebijlagen", ["aanvraag_id"])
    op.create_table(
        "subsidieberichten",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("aanvraag_id", sa.Integer(), sa.ForeignKey("subsidieaanvragen.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("afzender_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("tekst", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_subsidieberichten_aanvraag_id", "subsidieberichten", ["aanvraag_id"])


def downgrade():
    for table in ("subsidieberichten", "subsidiebijlagen", "begrotingsregels", "subsidieaanvragen", "regelingen"):
        op.drop_table(table)
