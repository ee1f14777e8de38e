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
    # Plain ADD/DROP COLUMN, as 0016: SQLite has both, and a batch copy of ``users`` (with its
    # spatial columns and the tables that refer to it) fails there on the foreign keys.
    op.add_column("users", sa.Column("email_bevestigd_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("hulpvragen", sa.Column("wacht_gemeld_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column("hulpvragen", "wacht_gemeld_at")
    op.drop_column("users", "email_bevestigd_at")
