"""The migration path from an empty database, on the backend under test."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from omkijken.platform.extensions import db
from tests.conftest import backend_config, make_app

TABLES = {
    "gemeenten", "wijken", "buurten", "users", "role_grants", "outbox_messages", "worker_heartbeats",
    "posts", "hulpvragen", "aanbod", "vacatures", "initiatieven", "ontmoetingsplekken", "activiteiten",
    "meldingen", "gesprekken", "berichten", "diensten", "dienst_coordinatoren", "voorstellen", "koppelingen",
    "afhandelingen", "checkins", "wachtlijstrapporten", "agendapunten", "agendasteun", "agendapuntvolgers",
    "agendareacties", "sociale_agendas", "agendathemas", "wijkvolgers", "audit_log", "regelingen",
    "subsidieaanvragen", "begrotingsregels", "subsidiebijlagen", "subsidieberichten", "moderatie_vangnet", "gesprekstanden",
}


def spatial_indexes(connection) -> set[tuple[str, str]]:
    if connection.dialect.name == "postgresql":
        rows = connection.execute(text(
            "SELECT t.relname, a.attname FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam "
            "JOIN pg_class t ON t.oid = i.indrelid "
            "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(i.indkey) WHERE am.amname = 'gist'"
        ))
    else:
        rows = connection.execute(text(
            "SELECT f_table_name, f_geometry_column FROM geometry_columns WHERE spatial_index_enabled = 1"
        ))
    return {(table, column) for table, column in rows}


def test_upgrade_from_empty_down_and_up_again(tmp_path):
    app = make_app(tmp_path, backend_config(tmp_path, "migrations"))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            assert TABLES <= set(inspect(conn).get_table_names())
            assert {("wijken", "geom"), ("users", "home_rd"), ("posts", "locatie_rd"), ("posts", "toon_locatie_rd")} <= (
                spatial_indexes(conn)
            )
            assert conn.scalar(text("SELECT version_num FROM alembic_version")) == "0017"

        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert not TABLES & set(inspect(conn).get_table_names())

        upgrade()
        with db.engine.connect() as conn:
            assert TABLES <= set(inspect(conn).get_table_names())
        db.engine.dispose()


def test_conversations_from_before_0015_start_read_and_mailed(tmp_path):
    """Issue 22, item 3: the job that mails unread messages must not, on its first run after the
    upgrade, mail everyone about every old conversation."""
    from datetime import timedelta

    from omkijken.platform.accounts.models import User
    from omkijken.platform.clock import utcnow
    from omkijken.platform.database import point, point_rd
    from omkijken.platform.posts import ongelezen
    from omkijken.platform.posts.models import Bericht, Gesprek, Post
    from tests.support import RUWAARD

    app = make_app(tmp_path, backend_config(tmp_path, "migrations-gesprek"))
    with app.app_context():
        upgrade(revision="0014")
        now = utcnow() - timedelta(days=30)
        # The users as the 0014 table holds them (later revisions add columns to it, the ORM model has them).
        truus_id, sanne_id = (db.session.execute(text(
            "INSERT INTO users (email, naam, password_hash, login_token, taal, consent_at, created_at, is_demo) "
            "VALUES (:email, :naam, 'x', :token, 'nl', :now, :now, :demo) RETURNING id"),
            {"email": f"{naam}@example.nl", "naam": naam.title(), "token": f"token-{naam}", "now": now,
             "demo": False}).scalar_one()
            for naam in ("truus", "sanne"))
        post = Post(soort="post", titel="Heg knippen", auteur_id=truus_id, locatie=point(*RUWAARD),
                    locatie_rd=point_rd(*RUWAARD), toon_locatie=point(*RUWAARD), toon_locatie_rd=point_rd(*RUWAARD),
                    created_at=now, updated_at=now)
        gesprek = Gesprek(post=post, deelnemer_id=sanne_id, created_at=now)
        gesprek.berichten += [Bericht(afzender_id=sanne_id, tekst="Ik help", created_at=now),
                              Bericht(afzender_id=truus_id, tekst="Fijn", created_at=now)]
        db.session.add(gesprek)
        db.session.commit()

        upgrade()
        truus, sanne = db.session.get(User, truus_id), db.session.get(User, sanne_id)
        assert ongelezen.unread_count(truus) == ongelezen.unread_count(sanne) == 0
        assert ongelezen.mail_unread(now=utcnow()) == 0
        db.session.rollback()
        db.engine.dispose()
