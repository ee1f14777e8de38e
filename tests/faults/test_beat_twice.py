"""Fault 4: beat runs twice by mistake: two beat processes fire the sweeps (every second here, see
beat_app.py), so they run many times at once in two worker processes. Nobody gets a check-in mail or
a wijk digest twice."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

from sqlalchemy import func, select, update

from omkijken.platform import clock
from omkijken.platform.areas import services as areas
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen import services as koppelingen
from omkijken.platform.koppelingen.models import Checkin
from omkijken.platform.moderatie import services as moderatie
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Hulpvraag
from omkijken.platform.system import services as system
from omkijken.platform.system.models import OutboxMessage
from omkijken.platform.wijkagenda import services as wijkagenda
from tests.support import NEAR_RUWAARD, RUWAARD, wait_for

KOPPELINGEN = 15
VOLGERS = 15
RUNS = 6  # at least this many runs of each sweep, from two beats, over two workers of two processes each


def _succeeded(workers, task: str) -> int:
    return sum(len(re.findall(rf"Task {re.escape(task)}\[[^\]]+\] succeeded", w.log_path.read_text(errors="replace")))
               for w in workers)


def _received_mail(app) -> Counter:
    """Delivered mails (the .eml files of the file outbox) per (recipient, subject)."""
    found: Counter = Counter()
    for path in Path(app.config["MAIL_FOLDER"]).glob("*.eml"):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        if str(message["To"]).endswith("@beat.example.nl"):
            found[(str(message["To"]), str(message["Subject"]))] += 1
    return found


def test_two_beats_firing_the_sweeps_send_each_mail_once(app, standaard_diensten, make_user, processes):
    now = clock.utcnow()
    sanne = make_user("sanne@beat.example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    for n in range(KOPPELINGEN):
        buur = make_user(f"buur{n}@beat.example.nl", home=NEAR_RUWAARD, naam=f"Buur {n}")
        vraag = posts.create(Hulpvraag(titel=f"Samen wandelen {n}", categorie="maatje"), auteur=buur, now=now)
        voorstel = koppelingen.offer_help(vraag, by=sanne, tekst="", now=now)
        koppelingen.accept(voorstel, by=buur, now=now)
    db.session.execute(update(Checkin).where(Checkin.ronde == 1).values(due_at=now - timedelta(minutes=5)))
    karim = make_user("karim@beat.example.nl", roles=("opbouwwerker",), wijken=("WK082806",), naam="Karim")
    ruwaard = areas.wijk_by_code("WK082806")
    for n in range(VOLGERS):
        wijkagenda.follow(ruwaard, by=make_user(f"volger{n}@beat.example.nl", home=RUWAARD), now=now)
    punt = wijkagenda.create(wijk=ruwaard, auteur=sanne, titel="Meer bankjes in het park", soort="wens",
                             onderwerp="omgeving", beschrijving="Voor wie slecht ter been is.", now=now)
    moderatie.decide(moderatie.Besluit("agendapunt", punt.id, "goedkeuren"), by=karim, now=now + timedelta(seconds=1))
    db.session.commit()
    due = db.session.scalar(select(func.count()).select_from(Checkin).where(Checkin.due_at <= now))
    assert due == 2 * KOPPELINGEN
    already = _received_mail(app)

    workers = [processes("worker", "--concurrency=2"), processes("worker", "--concurrency=2")]
    beats = [processes("beat", celery_app="tests.faults.beat_app:celery") for _ in range(2)]
    wait_for(lambda: _succeeded(workers, "omkijken.follow_ups") >= RUNS
             and _succeeded(workers, "omkijken.wijk_digest") >= RUNS,
             timeout=90, what="de sweeps van twee beats, elk vaak")
    for beat in beats:
        beat.stop()
        assert "Sending due task follow-ups" in beat.log_path.read_text(errors="replace"), "deze beat vuurde niet"

    def all_sent() -> bool:
        db.session.rollback()
        return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.task == system.SEND_EMAIL, OutboxMessage.done_at.is_(None))) == 0

    wait_for(all_sent, timeout=60, what="alle mails verstuurd")
    received = _received_mail(app) - already
    checkins = {k: v for k, v in received.items() if k[1].startswith("Hoe gaat het met")}
    digests = {k: v for k, v in received.items() if k[1] == "Nieuws uit je wijk"}
    assert len(checkins) == 2 * KOPPELINGEN and set(checkins.values()) == {1}, checkins
    assert len(digests) == VOLGERS and set(digests.values()) == {1}, digests
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Checkin).where(Checkin.status == "verstuurd")) \
        == 2 * KOPPELINGEN
