"""What happens next (issue 22, items 7 and 8).

``users.email_bevestigd_at``: when the person tapped the link in the welcome mail. It confirms the
address and makes that link work once: a link for an address already confirmed is refused.

``hulpvragen.wacht_gemeld_at``: when the resident was mailed that her vraag waited a week without a
voorstel, so the daily job mails her once per vraag (the seeds ask that a client hears when a term
is not met, 004:262-264). Vragen that wait already get their one mail on the first run.

Revision ID: 0017
Revises: 0016
"""

from alembic import op
import sqlalchemy as sa

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("email_bevestigd_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("hulpvragen") as batch_op:
        batch_op.add_column(sa.Column("wacht_gemeld_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("hulpvragen") as batch_op:
        batch_op.drop_column("wacht_gemeld_at")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("email_bevestigd_at")
