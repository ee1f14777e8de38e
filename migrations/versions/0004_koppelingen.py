"""Koppelingen: diensten, voorstellen (one per vraag and volunteer), koppelingen, afhandelingen.

Revision ID: 0004
Revises: 0003
"""

from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "diensten",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("naam", sa.String(length=80), nullable=False),
        sa.Column("beschrijving", sa.Text(), nullable=False),
        sa.Column("soort_koppeling", sa.String(length=20), nullable=False),
        sa.Column("bemiddeld", sa.Boolean(), nullable=False),
        sa.Column("vog_nodig", sa.Boolean(), nullable=False),
        sa.Column("categorieen", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "dienst_coordinatoren",
        sa.Column("dienst_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["dienst_id"], ["diensten.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("dienst_id", "user_id"),
    )
    op.create_table(
        "voorstellen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hulpvraag_id", sa.Integer(), nullable=False),
        sa.Column("vrijwilliger_id", sa.Integer(), nullable=False),
        sa.Column("aanbod_id", sa.Integer(), nullable=True),
        sa.Column("dienst_id", sa.Integer(), nullable=True),
        sa.Column("bron", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("redenen", sa.JSON(), nullable=False),
        sa.Column("vraag_akkoord_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("vrijwilliger_akkoord_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("coordinator_id", sa.Integer(), nullable=True),
        sa.Column("afgewezen_door", sa.String(length=20), nullable=True),
        sa.Column("afwijs_reden", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["hulpvraag_id"], ["hulpvragen.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["vrijwilliger_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["aanbod_id"], ["aanbod.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["dienst_id"], ["diensten.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["coordinator_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("hulpvraag_id", "vrijwilliger_id"),
    )
    with op.batch_alter_table("voorstellen") as batch_op:
        batch_op.create_index(batch_op.f("ix_voorstellen_hulpvraag_id"), ["hulpvraag_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_voorstellen_vrijwilliger_id"), ["vrijwilliger_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_voorstellen_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_voorstellen_created_at"), ["created_at"], unique=False)
    op.create_table(
        "koppelingen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("voorstel_id", sa.Integer(), nullable=False),
        sa.Column("hulpvraag_id", sa.Integer(), nullable=False),
        sa.Column("hulpvrager_id", sa.Integer(), nullable=False),
        sa.Column("vrijwilliger_id", sa.Integer(), nullable=False),
        sa.Column("dienst_id", sa.Integer(), nullable=True),
        sa.Column("soort", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("zelf_gevonden", sa.Boolean(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("eind_reden", sa.String(length=30), nullable=True),
        sa.ForeignKeyConstraint(["voorstel_id"], ["voorstellen.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["hulpvraag_id"], ["hulpvragen.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["hulpvrager_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["vrijwilliger_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["dienst_id"], ["diensten.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("voorstel_id"),
    )
    with op.batch_alter_table("koppelingen") as batch_op:
        for column in ("hulpvraag_id", "hulpvrager_id", "vrijwilliger_id", "dienst_id", "status", "started_at"):
            batch_op.create_index(batch_op.f(f"ix_koppelingen_{column}"), [column], unique=False)
    op.create_table(
        "afhandelingen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hulpvraag_id", sa.Integer(), nullable=False),
        sa.Column("coordinator_id", sa.Integer(), nullable=True),
        sa.Column("soort", sa.String(length=20), nullable=False),
        sa.Column("tekst", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["hulpvraag_id"], ["hulpvragen.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["coordinator_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("afhandelingen") as batch_op:
        batch_op.create_index(batch_op.f("ix_afhandelingen_hulpvraag_id"), ["hulpvraag_id"], unique=False)
    with op.batch_alter_table("hulpvragen") as batch_op:
        batch_op.add_column(sa.Column("dienst_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("collectief_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_hulpvragen_dienst_id", "diensten", ["dienst_id"], ["id"], ondelete="SET NULL")
        batch_op.create_foreign_key(
            "fk_hulpvragen_collectief_id", "activiteiten", ["collectief_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("aanbod") as batch_op:
        batch_op.add_column(sa.Column("dienst_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_aanbod_dienst_id", "diensten", ["dienst_id"], ["id"], ondelete="SET NULL")


def downgrade():
    with op.batch_alter_table("aanbod") as batch_op:
        batch_op.drop_constraint("fk_aanbod_dienst_id", type_="foreignkey")
        batch_op.drop_column("dienst_id")
    with op.batch_alter_table("hulpvragen") as batch_op:
        batch_op.drop_constraint("fk_hulpvragen_collectief_id", type_="foreignkey")
        batch_op.drop_constraint("fk_hulpvragen_dienst_id", type_="foreignkey")
        batch_op.drop_column("collectief_id")
        batch_op.drop_column("dienst_id")
    op.drop_table("afhandelingen")
    op.drop_table("koppelingen")
    op.drop_table("voorstellen")
    op.drop_table("dienst_coordinatoren")
    op.drop_table("diensten")
