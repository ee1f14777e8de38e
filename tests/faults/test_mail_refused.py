"""Fault 5: the mail server refuses a check-in mail. The worker tries again with growing pauses;
after the last try the coordinator finds the person on the call list, with the reason. Nothing
crashes and the relay does not start the retries all over."""

from __future__ import annotations

import time
from datetime import timedelta

from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from omkijken.platform import clock
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen import services as koppelingen
from omkijken.platform.koppelingen.models import Checkin
from omkijken.platform.system import services as system
from omkijken.platform.system.models import OutboxMessage
from tests.faults.conftest import FAST
from tests.support import free_port, garden_voorstel, wait_for

RETRIES = int(FAST["OMKIJKEN_MAIL_MAX_RETRIES"])
BACKOFF = int(FAST["OMKIJKEN_MAIL_RETRY_BACKOFF_SECONDS"])


class RefusesTruus:
    """An SMTP server that knows no mailbox for Truus (550) and delivers everything else."""

    def __init__(self) -> None:
        self.refused: list[float] = []
        self.delivered: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("truus@"):
            self.refused.append(time.monotonic())
            return "550 5.1.1 Deze mailbox bestaat niet"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.delivered.extend(envelope.rcpt_tos)
        return "250 OK"


def test_a_refused_check_in_mail_is_retried_and_lands_with_the_coordinator(
        app, client, login, standaard_diensten, make_user, processes):
    voorstel = garden_voorstel(make_user)
    for person in (voorstel.vrijwilliger, voorstel.hulpvraag.auteur):
        koppeling = koppelingen.accept(voorstel, by=person, now=clock.utcnow())
    make_user("mieke@example.nl", roles=("coordinator",), naam="Mieke")
    now = clock.utcnow()
    db.session.execute(update(Checkin).where(Checkin.koppeling_id == koppeling.id, Checkin.ronde == 1)
                       .values(due_at=now - timedelta(minutes=1)))
    # The mails about the voorstel went out before this test's mail server existed.
    db.session.execute(update(OutboxMessage).values(done_at=now))
    db.session.commit()

    server = RefusesTruus()
    port = free_port()
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        worker = processes("worker", "--concurrency=2",
                           env={"OMKIJKEN_MAIL_SERVER": "127.0.0.1", "OMKIJKEN_MAIL_PORT": str(port)})
        app.extensions["omkijken.sender"].send_task("omkijken.follow_ups")

        def truus_with_coordinator() -> Checkin | None:
            db.session.rollback()
            return db.session.scalar(select(Checkin).where(
                Checkin.koppeling_id == koppeling.id, Checkin.kant == "hulpvrager", Checkin.ronde == 1,
                Checkin.status == "bij_coordinator"))

        checkin = wait_for(truus_with_coordinator, timeout=60, what="Truus staat bij de coördinator")
    finally:
        controller.stop()

    assert len(server.refused) == 1 + RETRIES
    pauses = [b - a for a, b in zip(server.refused, server.refused[1:])]
    assert all(pause >= BACKOFF * 2 ** n * 0.9 for n, pause in enumerate(pauses)), pauses
    assert server.delivered == ["sanne@example.nl"]  # the other side got the question
    assert checkin.mail_mislukt_at is not None and checkin.escalated_at is not None

    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.payload["to"].as_string() == "truus@example.nl",
                                                         OutboxMessage.done_at > now))
    assert mail.attempts == 1 + RETRIES and "550" in mail.last_error
    assert system.relay_pending(now=clock.utcnow() + timedelta(hours=1)) == 0  # given up, not sent again
    assert worker.alive() and worker.answers(app)

    login("mieke@example.nl")
    page = client.get("/coordinatie/nazorg").get_data(as_text=True)
    assert "Bellen (1)" in page and "Truus" in page
    assert "Onze mail kwam niet aan. Klopt het mailadres?" in page
