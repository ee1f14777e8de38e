"""Per person and conversation, how far they read and up to which message they were mailed
(issue 22, item 3): a reply in a conversation told nobody. The menu counts conversations with
unread messages, and a periodic job mails the other party once about messages they have not
read after a few minutes; both need these two markers. A new table, so ``gesprekken`` and
``berichten`` stay as they are. Conversations from before start as read and mailed up to their
last message: the first run of the job must not mail everyone about months of old messages.

Revision ID: 0015
Revises: 0014
"""

from alembic import op
import sqlalchemy as sa

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "gesprekstanden",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gesprek_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("gelezen_tot", sa.Integer(), nullable=False),
        sa.Column("gemaild_tot", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["gesprek_id"], ["gesprekken.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("gesprek_id", "user_id"),
    )
    op.create_index("ix_gesprekstanden_user_id", "gesprekstanden", ["user_id"])
    last = "(SELECT max(b.id) FROM berichten b WHERE b.gesprek_id = g.id)"
    for party, source in (("g.deelnemer_id", "gesprekken g"),
                          ("p.auteur_id", "gesprekken g JOIN posts p ON p.id = g.post_id")):
        op.execute(
            f"INSERT INTO gesprekstanden (gesprek_id, user_id, gelezen_tot, gemaild_tot) "
            f"SELECT g.id, {party}, coalesce({last}, 0), coalesce({last}, 0) FROM {source}"
        )


def downgrade():
    op.drop_index("ix_gesprekstanden_user_id", table_name="gesprekstanden")
    op.drop_table("gesprekstanden")
