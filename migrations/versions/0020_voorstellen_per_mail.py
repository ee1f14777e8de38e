"""A volunteer can stop the mails of the matching (issue 27, item 1).

``users.voorstellen_per_mail``: whether a volunteer is mailed when the matching proposes her to
someone who asks for help ("Iemand bij jou in de buurt zoekt hulp"). On by default, as before;
the one-tap link in that mail (RFC 8058) and the profile page switch it off. The voorstel itself
still waits for her on /voorstellen.

Revision ID: 0020
Revises: 0019
"""

from alembic import op
import sqlalchemy as sa

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD/DROP COLUMN, as 0016 and 0017: a batch copy of ``users`` fails on SQLite.
    op.add_column("users", sa.Column("voorstellen_per_mail", sa.Boolean(), nullable=False,
                                     server_default=sa.true()))


def downgrade():
    op.drop_column("users", "voorstellen_per_mail")
