"""Everyone who signs up as volunteer is placed (004:555-557): a volunteer with no voorstel for a
month sees group activities nearby, in the app and once a month by email."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen import wachtrij
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Aanbod, Activiteit
from omkijken.platform.system.models import OutboxMessage
from omkijken.platform.system.services import SEND_EMAIL
from tests.support import DOMMELBERGEN, RUWAARD


def setup(make_user, *, days_ago: int):
    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    posts.create(Aanbod(titel="Ik help in de tuin", categorieen=["tuinonderhoud"], radius_m=2000), auteur=sanne,
                 now=utcnow() - timedelta(days=days_ago))
    host = make_user("karim@example.nl", home=RUWAARD, naam="Karim")
    start = utcnow() + timedelta(days=3)
    for titel, where in (("Moestuin van de Ruwaard", RUWAARD), ("Kaartclub Dommelbergen", DOMMELBERGEN)):
        posts.create(Activiteit(titel=titel, categorie="ontmoeting", start=start, regels_gelezen=True),
                     auteur=host, now=utcnow(), where=where, op_huisadres=False)
    return sanne


def mails(subject: str) -> list[dict]:
    return [m.payload for m in db.session.scalars(select(OutboxMessage).filter_by(task=SEND_EMAIL))
            if m.payload["subject"] == subject]


def test_an_idle_volunteer_gets_nearby_activities_once_a_month(app, make_user, client, login):
    setup(make_user, days_ago=40)

    assert wachtrij.mail_idle_volunteers(now=utcnow()) == 1
    assert wachtrij.mail_idle_volunteers(now=utcnow()) == 0  # not again this month

    [mail] = mails("Samen iets doen bij jou in de buurt")
    assert mail["to"] == "sanne@example.nl"
    assert mail["body"].index("Moestuin van de Ruwaard") < mail["body"].index("Kaartclub Dommelbergen")
    login("sanne@example.nl")
    assert "Moestuin van de Ruwaard" in client.get("/voorstellen").get_data(as_text=True)


def test_a_new_volunteer_is_not_told_yet(app, make_user, client, login):
    setup(make_user, days_ago=5)

    assert wachtrij.mail_idle_volunteers(now=utcnow()) == 0
    login("sanne@example.nl")
    assert "Moestuin van de Ruwaard" not in client.get("/voorstellen").get_data(as_text=True)
