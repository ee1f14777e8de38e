"""Nazorg: check-ins per koppeling on the dienst's schedule, and the monthly waiting-list report.

Revision ID: 0007
Revises: 0006
"""

from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("diensten") as batch_op:
        batch_op.add_column(sa.Column("nazorg_dagen", sa.JSON(), nullable=True))
    with op.batch_alter_table("koppelingen") as batch_op:
        batch_op.add_column(sa.Column("afgesproken_op", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("eind_datum", sa.Date(), nullable=True))
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("koppeling_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kant", sa.String(length=20), nullable=False),
        sa.Column("ronde", sa.SmallInteger(), nullable=False),
        sa.Column("dagen", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("antwoord", sa.String(length=20), nullable=True),
        sa.Column("cijfer", sa.SmallInteger(), nullable=True),
        sa.Column("opmerking", sa.Text(), nullable=False),
        sa.Column("stop_reden", sa.String(length=20), nullable=True),
        sa.Column("via", sa.String(length=20), nullable=True),
        sa.Column("beantwoord_door_id", sa.Integer(), nullable=True),
        sa.Column("aandacht", sa.Boolean(), nullable=False),
        sa.Column("afgehandeld_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("afgehandeld_door_id", sa.Integer(), nullable=True),
        sa.Column("notitie", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["koppeling_id"], ["koppelingen.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["beantwoord_door_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["afgehandeld_door_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("koppeling_id", "kant", "ronde"),
    )
    with op.batch_alter_table("checkins") as batch_op:
        for column in ("koppeling_id", "user_id", "status", "due_at", "aandacht"):
            batch_op.create_index(batch_op.f(f"ix_checkins_{column}"), [column], unique=False)
    op.create_table(
        "wachtlijstrapporten",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("maand", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("maand"),
    )


def downgrade():
    op.drop_table("wachtlijstrapporten")
    with op.batch_alter_table("checkins") as batch_op:
        for column in ("koppeling_id", "user_id", "status", "due_at", "aandacht"):
            batch_op.drop_index(batch_op.f(f"ix_checkins_{column}"))
    op.drop_table("checkins")
    with op.batch_alter_table("koppelingen") as batch_op:
        batch_op.drop_column("eind_datum")
        batch_op.drop_column("afgesproken_op")
    with op.batch_alter_table("diensten") as batch_op:
        batch_op.drop_column("nazorg_dagen")
