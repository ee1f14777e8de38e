"""An index on posts.namens_id: "my voorstellen" asks for posts written by or for a person, and
without it PostgreSQL read every post for each page (3 ms at Oss size; 0.3 ms with it).

Revision ID: 0013
Revises: 0012
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_posts_namens_id", "posts", ["namens_id"])


def downgrade():
    op.drop_index("ix_posts_namens_id", table_name="posts")
