"""Effect on people (issue 23, item 8): ``welzijn_metingen``.

The check-ins ask how the koppeling goes, never how the person is; the seeds' effect measures are
about people (004:244-250, 002:839-842, 002:744-747). A row holds one answer of a hulpvrager about
herself: "Hoe gaat het met je?" (0-10) at the start and with each check-in ronde, and for maatjes
the six De Jong Gierveld loneliness statements at start, six months and end. A new table rather
than columns on ``checkins``: the start has no check-in, and erasing a person deletes these rows
while the check-in's answer stays for the durability figures.

Revision ID: 0023
Revises: 0022
"""

from alembic import op
import sqlalchemy as sa

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "welzijn_metingen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("koppeling_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("checkin_id", sa.Integer(), nullable=True),
        sa.Column("moment", sa.String(length=10), nullable=False),
        sa.Column("ronde", sa.SmallInteger(), nullable=False),
        sa.Column("dagen", sa.Integer(), nullable=False),
        sa.Column("cijfer", sa.SmallInteger(), nullable=True),
        *[sa.Column(f"eenzaam_{i}", sa.String(length=12), nullable=True) for i in range(1, 7)],
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["koppeling_id"], ["koppelingen.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["checkin_id"], ["checkins.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("koppeling_id", "moment", "ronde"),
    )
    with op.batch_alter_table("welzijn_metingen") as batch_op:
        for column in ("koppeling_id", "user_id"):
            batch_op.create_index(batch_op.f(f"ix_welzijn_metingen_{column}"), [column], unique=False)


def downgrade():
    op.drop_table("welzijn_metingen")
