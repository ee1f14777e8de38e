"""The health check tells whether a worker has checked in lately."""

from __future__ import annotations

from datetime import timedelta

from omkijken.platform import clock
from omkijken.platform.system import services as system


def test_health_reports_a_missing_then_a_fresh_worker(app, client):
    before = client.get("/health").get_json()
    assert before == {"database": "ok", "worker": "stale", "worker_last_seen": None}

    system.record_heartbeat("celery@test", now=clock.utcnow())
    after = client.get("/health").get_json()
    assert after["worker"] == "ok" and after["worker_last_seen"]


def test_a_worker_that_stopped_checking_in_is_stale(app):
    system.record_heartbeat("celery@test", now=clock.utcnow() - timedelta(minutes=10))

    assert system.worker_is_stale(now=clock.utcnow(), stale_after=300)
    assert not system.worker_is_stale(now=clock.utcnow(), stale_after=3600)


def test_the_beheerder_is_warned_when_no_worker_checks_in(client, make_user, login):
    make_user("bea@example.nl", roles=("beheerder",))
    make_user("truus@example.nl")
    login("bea@example.nl")
    assert "er draait geen achtergrondproces" in client.get("/").get_data(as_text=True)

    system.record_heartbeat("celery@test", now=clock.utcnow())
    assert "er draait geen achtergrondproces" not in client.get("/").get_data(as_text=True)


def test_residents_are_not_bothered_with_the_worker(client, make_user, login):
    make_user("truus@example.nl")
    login("truus@example.nl")

    home = client.get("/").get_data(as_text=True)
    assert "Uitloggen" in home  # her own page, logged in
    assert "achtergrondproces" not in home
