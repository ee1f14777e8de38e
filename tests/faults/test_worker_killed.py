"""Fault 1: the worker is killed (SIGKILL, pool children too) in the middle of the re-match of 500
vragen. Started again, it finishes the work: every vraag gets its voorstel, none twice, and nobody
gets a mail twice."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, text

from omkijken.platform import clock
from omkijken.platform.accounts.models import User
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen.models import Koppeling, Voorstel
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Aanbod, Hulpvraag
from omkijken.platform.system import services as system
from omkijken.platform.system.models import OutboxMessage
from tests.support import RUWAARD, wait_for

VRAGEN = 500
VRIJWILLIGERS = 100


def _person(number: int, *, now) -> User:
    user = User(email=f"p{number:04d}@faults.omkijken.local", naam=f"Persoon {number}",
                password_hash="niet-om-in-te-loggen", consent_at=now, created_at=now)
    db.session.add(user)
    return user


def _seed(now) -> None:
    """Volunteers and vragen around Ruwaard, placed as posts.create does but without outbox
    messages: the only work for the worker is the re-match this test sends."""
    for number in range(VRIJWILLIGERS):
        aanbod = Aanbod(titel="Ik help in de tuin", categorieen=["tuinonderhoud"], radius_m=5000, capaciteit=5)
        _place(aanbod, _person(number, now=now), number, now=now - timedelta(days=3))
    residents = [_person(VRIJWILLIGERS + n, now=now) for n in range(50)]
    for number in range(VRAGEN):
        _place(Hulpvraag(titel=f"Heg knippen {number}", categorie="tuinonderhoud"), residents[number % 50], number,
               now=now - timedelta(hours=1))
    db.session.commit()


def _place(post, auteur: User, number: int, *, now) -> None:
    post.auteur, post.status, post.created_at, post.updated_at = auteur, "open", now, now
    lat = RUWAARD[0] + (number % 20) * 0.0004
    lon = RUWAARD[1] + (number // 20 % 20) * 0.0004
    posts._place(post, lat, lon, op_huisadres=True)
    db.session.add(post)


def _in_transaction() -> bool:
    """The worker holds an open transaction: it is busy storing voorstellen it has not committed."""
    db.session.rollback()
    states = db.session.execute(text(
        "SELECT state FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = current_database()"
        " AND state IN ('active', 'idle in transaction') AND query ILIKE '%voorstel%'")).all()
    db.session.rollback()
    return bool(states)


def test_a_killed_worker_leaves_no_vraag_behind_and_nothing_twice(app, processes):
    now = clock.utcnow()
    _seed(now)
    first = processes("worker", "--concurrency=1")

    app.extensions["omkijken.sender"].send_task("omkijken.match_all")
    wait_for(lambda: _in_transaction(), timeout=60, interval=0.05, what="de worker is aan het matchen")
    first.kill()
    assert db.session.scalar(select(func.count()).select_from(Voorstel)) == 0, "de eerste run is niet onderbroken"

    processes("worker", "--concurrency=1")

    def all_matched() -> bool:
        db.session.rollback()
        return db.session.scalar(select(func.count(func.distinct(Voorstel.hulpvraag_id)))) == VRAGEN

    wait_for(all_matched, timeout=90, interval=0.5, what="alle 500 vragen hebben een voorstel")
    # A second, late delivery of the same task (or the nightly run) finds nothing to do.
    app.extensions["omkijken.sender"].send_task("omkijken.match_all")
    app.extensions["omkijken.sender"].send_task("omkijken.heartbeat")
    wait_for(lambda: system.last_heartbeat() and system.last_heartbeat() > clock.utcnow() - timedelta(seconds=30)
             and not db.session.rollback(), timeout=60, what="de worker verwerkte ook de tweede run")

    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Voorstel)) == VRAGEN
    doubles = db.session.execute(
        select(Voorstel.hulpvraag_id, Voorstel.vrijwilliger_id).group_by(Voorstel.hulpvraag_id, Voorstel.vrijwilliger_id)
        .having(func.count() > 1)).all()
    assert doubles == []
    assert db.session.scalar(select(func.count()).select_from(Koppeling)) == 0
    # Each voorstel asks both people once: 2 mails per voorstel, not one more.
    mails = db.session.scalars(select(OutboxMessage.payload).where(OutboxMessage.task == system.SEND_EMAIL)).all()
    assert len(mails) == 2 * VRAGEN
