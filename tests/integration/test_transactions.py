"""How a request's transaction ends: what wrote is rolled back unless committed; on PostgreSQL a
transaction that only read commits, so psycopg keeps its prepared statements (database.py)."""

from __future__ import annotations

from sqlalchemy import event, select, text, update

from omkijken.platform import database
from omkijken.platform.accounts.models import User
from omkijken.platform.extensions import db


def test_a_change_that_was_flushed_but_not_committed_is_gone_after_the_request(app, make_user):
    user_id = make_user("truus@example.nl", naam="Truus").id

    with app.app_context():  # a request that changes a row, flushes, then fails before its commit
        db.session.get(User, user_id).naam = "Gewijzigd"
        db.session.flush()
    with app.app_context():  # a request that updates in bulk and never commits
        db.session.execute(update(User).where(User.id == user_id).values(naam="Ook gewijzigd"))

    with app.app_context():
        assert db.session.scalar(select(User.naam).where(User.id == user_id)) == "Truus"


def test_a_request_that_only_read_sees_what_others_committed_next_time(app, make_user):
    user_id = make_user("truus@example.nl", naam="Truus").id
    with app.app_context():
        assert db.session.get(User, user_id).naam == "Truus"
    with app.app_context():
        db.session.get(User, user_id).naam = "Truus de Vries"
        db.session.commit()
    with app.app_context():
        assert db.session.get(User, user_id).naam == "Truus de Vries"


def test_pages_that_only_read_keep_postgresqls_prepared_statements(app, make_user):
    user_id = make_user("truus@example.nl").id
    for _ in range(20):  # psycopg prepares a statement on its fifth run on a connection
        with app.app_context():
            db.session.get(User, user_id)

    with app.app_context():
        if db.engine.dialect.name == "sqlite":  # SQLite has no prepared statements to keep
            assert not event.contains(db.engine, "rollback", database._commit_what_only_read)
        else:
            assert db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements")) >= 1
