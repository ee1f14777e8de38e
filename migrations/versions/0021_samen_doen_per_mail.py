"""A volunteer can stop the monthly mail of group activities nearby (issue 27, item 1).

``users.samen_doen_per_mail``: whether a volunteer without a voorstel for a month is mailed group
activities near her ("Samen iets doen bij jou in de buurt"). That mail is bulk mail, so it needs a
one-tap way to stop it (RFC 8058), as the other bulk mails have. On by default, as before; the link
in the mail and the profile page switch it off. The activities still show on /voorstellen.

Revision ID: 0021
Revises: 0020
"""

from alembic import op
import sqlalchemy as sa

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD/DROP COLUMN, as 0016, 0017 and 0020: a batch copy of ``users`` fails on SQLite.
    op.add_column("users", sa.Column("samen_doen_per_mail", sa.Boolean(), nullable=False,
                                     server_default=sa.true()))


def downgrade():
    op.drop_column("users", "samen_doen_per_mail")
