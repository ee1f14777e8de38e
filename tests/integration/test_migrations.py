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
    "subsidieaanvragen", "begrotingsregels", "subsidiebijlagen", "subsidieberichten", "moderatie_vangnet",
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
            assert conn.scalar(text("SELECT version_num FROM alembic_version")) == "0014"

        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert not TABLES & set(inspect(conn).get_table_names())

        upgrade()
        with db.engine.connect() as conn:
            assert TABLES <= set(inspect(conn).get_table_names())
        db.engine.dispose()
