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


# --- one transaction per unit of work (platform/transaction.py) ------------------------------------


def _rename_route(app, rule: str, *, fail: str = "", status: int = 200):
    """A view that renames Truus through a flush, as a service does, and then fails or answers."""
    from flask import abort

    def view(user_id: int):
        db.session.get(User, user_id).naam = "Gewijzigd"
        db.session.flush()
        if fail == "abort":
            abort(404)
        if fail == "raise":
            raise RuntimeError("stuk")
        return "ok", status

    app.add_url_rule(rule, rule.strip("/").split("/")[0], view)


def _naam(user_id: int) -> str:
    db.session.rollback()
    return db.session.scalar(select(User.naam).where(User.id == user_id))


def test_a_request_that_raised_nothing_commits_what_its_services_flushed(app, make_user):
    user_id = make_user("truus@example.nl", naam="Truus").id
    _rename_route(app, "/proef-goed/<int:user_id>", status=422)
    assert app.test_client().get(f"/proef-goed/{user_id}").status_code == 422
    assert _naam(user_id) == "Gewijzigd"


def test_a_request_that_raised_leaves_nothing_behind(app, make_user):
    user_id = make_user("truus@example.nl", naam="Truus").id
    _rename_route(app, "/proef-weg/<int:user_id>", fail="abort")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    _rename_route(app, "/proef-stuk/<int:user_id>", fail="raise")
    assert app.test_client().get(f"/proef-weg/{user_id}").status_code == 404
    assert app.test_client().get(f"/proef-stuk/{user_id}").status_code == 500
    assert _naam(user_id) == "Truus"


def test_a_unit_of_work_commits_at_its_end_and_rolls_back_when_it_raised(app, make_user):
    import pytest

    from omkijken.platform.transaction import unit_of_work

    user_id = make_user("truus@example.nl", naam="Truus").id
    with app.app_context(), pytest.raises(RuntimeError):
        with unit_of_work():
            db.session.get(User, user_id).naam = "Half"
            db.session.flush()
            raise RuntimeError("stuk")
    assert _naam(user_id) == "Truus"
    with app.app_context(), unit_of_work():
        db.session.get(User, user_id).naam = "Heel"
    assert _naam(user_id) == "Heel"
