"""Wijkagenda: agendapunten with support, reactions and followers; the sociale agenda with its
themes; who follows a wijk; the audit log; and the review of new posts by the opbouwwerker.

Revision ID: 0008
Revises: 0007
"""

from alembic import op
import sqlalchemy as sa

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "sociale_agendas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wijk_id", sa.Integer(), sa.ForeignKey("wijken.id"), nullable=False),
        sa.Column("titel", sa.String(length=160), nullable=False),
        sa.Column("inleiding", sa.Text(), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("gepubliceerd_at", TZ, nullable=True),
        sa.Column("gemaakt_door_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sociale_agendas_wijk_id", "sociale_agendas", ["wijk_id"])
    op.create_table(
        "agendathemas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agenda_id", sa.Integer(), sa.ForeignKey("sociale_agendas.id", ondelete="CASCADE"), nullable=False),
        sa.Column("titel", sa.String(length=120), nullable=False),
        sa.Column("tekst", sa.Text(), nullable=False),
        sa.Column("wie", sa.String(length=300), nullable=False),
        sa.Column("datum", sa.Date(), nullable=True),
        sa.Column("volgorde", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_agendathemas_agenda_id", "agendathemas", ["agenda_id"])
    op.create_table(
        "agendapunten",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wijk_id", sa.Integer(), sa.ForeignKey("wijken.id"), nullable=False),
        sa.Column("auteur_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("soort", sa.String(length=20), nullable=False),
        sa.Column("onderwerp", sa.String(length=20), nullable=False),
        sa.Column("titel", sa.String(length=120), nullable=False),
        sa.Column("beschrijving", sa.Text(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("moderatie", sa.String(length=20), nullable=False),
        sa.Column("moderatie_reden", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_reden", sa.Text(), nullable=False),
        sa.Column("samengevoegd_in_id", sa.Integer(), sa.ForeignKey("agendapunten.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("thema_id", sa.Integer(), sa.ForeignKey("agendathemas.id", ondelete="SET NULL"), nullable=True),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("besloten_at", TZ, nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("wijk_id", "auteur_id", "moderatie", "status", "thema_id", "created_at", "besloten_at"):
        op.create_index(f"ix_agendapunten_{column}", "agendapunten", [column])
    op.create_table(
        "agendasteun",
        sa.Column("punt_id", sa.Integer(), sa.ForeignKey("agendapunten.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("punt_id", "user_id"),
    )
    op.create_table(
        "agendapuntvolgers",
        sa.Column("punt_id", sa.Integer(), sa.ForeignKey("agendapunten.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("meehelpen", sa.Boolean(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("punt_id", "user_id"),
    )
    op.create_table(
        "agendareacties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("punt_id", sa.Integer(), sa.ForeignKey("agendapunten.id", ondelete="CASCADE"), nullable=False),
        sa.Column("auteur_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("tekst", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_agendareacties_punt_id", "agendareacties", ["punt_id"])
    op.create_table(
        "wijkvolgers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wijk_id", sa.Integer(), sa.ForeignKey("wijken.id"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("per_mail", sa.Boolean(), nullable=False),
        sa.Column("gemaild_tot", TZ, nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("wijk_id", "user_id"),
    )
    op.create_index("ix_wijkvolgers_wijk_id", "wijkvolgers", ["wijk_id"])
    op.create_index("ix_wijkvolgers_user_id", "wijkvolgers", ["user_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("actor_naam", sa.String(length=120), nullable=False),
        sa.Column("onderwerp", sa.String(length=30), nullable=False),
        sa.Column("onderwerp_id", sa.Integer(), nullable=False),
        sa.Column("wijk_id", sa.Integer(), sa.ForeignKey("wijken.id"), nullable=True),
        sa.Column("besluit", sa.String(length=30), nullable=False),
        sa.Column("reden", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("at", "actor_id", "onderwerp", "wijk_id"):
        op.create_index(f"ix_audit_log_{column}", "audit_log", [column])
    # Plain ADD COLUMN: a batch copy of ``posts`` would trip SQLite over the tables that refer to it.
    op.add_column("posts", sa.Column("beoordeeld_at", TZ, nullable=True))
    op.add_column("posts", sa.Column("moderatie_reden", sa.Text(), nullable=False, server_default=""))
    op.create_index("ix_posts_beoordeeld_at", "posts", ["beoordeeld_at"])
    # What was online before the review existed counts as reviewed: no queue of old posts.
    op.execute("UPDATE posts SET beoordeeld_at = created_at")


def downgrade():
    op.drop_index("ix_posts_beoordeeld_at", table_name="posts")
    op.drop_column("posts", "moderatie_reden")
    op.drop_column("posts", "beoordeeld_at")
    for table in ("audit_log", "wijkvolgers", "agendareacties", "agendapuntvolgers", "agendasteun", "agendapunten",
                  "agendathemas", "sociale_agendas"):
        op.drop_table(table)
