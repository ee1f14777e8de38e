"""Everyone who signs up as volunteer is placed (004:555-557): a volunteer with no voorstel for a
month sees group activities nearby, in the app and once a month by email. That mail is bulk mail
(issue 27, item 1): a List-Id and a one-tap link that stops it (RFC 8058)."""

from __future__ import annotations

import re
from datetime import timedelta

from itsdangerous import URLSafeSerializer
from sqlalchemy import select

from omkijken.platform import links
from omkijken.platform.accounts.models import User
from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen import wachtrij
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Aanbod, Activiteit
from omkijken.platform.system.models import OutboxMessage
from omkijken.platform.system.services import SEND_EMAIL
from tests.integration.test_mail_standards import one_tap
from tests.support import DOMMELBERGEN, RUWAARD, parsed_mail, submit


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


def test_the_mail_names_its_list_and_stops_with_one_tap_until_switched_on_again(app, make_user, client, login):
    sanne = setup(make_user, days_ago=40)
    piet = make_user("piet@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Piet")
    posts.create(Aanbod(titel="Ik doe boodschappen", categorieen=["boodschappen"], radius_m=2000), auteur=piet,
                 now=utcnow() - timedelta(days=40))
    # Something still to come next month, so the next round has activities to send.
    posts.create(Activiteit(titel="Wandelen in het park", categorie="ontmoeting", start=utcnow() + timedelta(days=45),
                            regels_gelezen=True),
                 auteur=db.session.scalar(select(User).filter_by(email="karim@example.nl")), now=utcnow(),
                 where=RUWAARD, op_huisadres=False)
    assert wachtrij.mail_idle_volunteers(now=utcnow()) == 2
    db.session.commit()

    (to_sanne,) = [m for m in mails("Samen iets doen bij jou in de buurt") if m["to"] == "sanne@example.nl"]
    message = parsed_mail(app.config, to_sanne)  # List-Id, List-Unsubscribe and One-Click are checked here
    assert message["List-Id"].startswith("Samen iets doen bij jou in de buurt <samen-doen.")
    url = message["List-Unsubscribe"].strip("<>")
    anonymous = app.test_client()

    # A link made for another mail, signed with another key, or cut short stops nothing.
    other_kind = links.sign("voorstellen_uit", sanne.id)
    forged = URLSafeSerializer("niet-onze-sleutel", salt=links.LASTING_SALTS["samen_doen_uit"]).dumps(sanne.id)
    for token in (other_kind, forged, url.rsplit("/", 1)[1][:-3]):
        for response in (anonymous.get(f"/voorstellen/samen-doen/mail-uit/{token}"),
                         anonymous.post(f"/voorstellen/samen-doen/mail-uit/{token}",
                                        data={"List-Unsubscribe": "One-Click"})):
            assert response.status_code == 400 and "Deze link werkt niet" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, sanne.id).samen_doen_per_mail

    # Her link stops her mail (a GET changes nothing: one_tap checks it), and not Piet's.
    one_tap(client, message, stopped=lambda: not db.session.get(User, sanne.id).samen_doen_per_mail)
    assert db.session.get(User, piet.id).samen_doen_per_mail
    next_month = utcnow() + timedelta(days=31)
    assert wachtrij.mail_idle_volunteers(now=next_month) == 1
    sent_to = [m["to"] for m in mails("Samen iets doen bij jou in de buurt")]
    assert (sent_to.count("sanne@example.nl"), sent_to.count("piet@example.nl")) == (1, 2), \
        "who stopped the mail gets no next one; who did not, does"
    db.session.commit()

    # On her profile the box is off; she switches the mail on again there.
    login("sanne@example.nl")
    page = client.get("/profiel").get_data(as_text=True)
    assert 'name="samen_doen_per_mail"' in page and re.search(r'name="samen_doen_per_mail"[^>]*checked', page) is None
    response = submit(client, "/profiel", {"naam": "Sanne", "postcode": "", "huisnummer": "", "lat": "", "lon": "",
                                           "vrijwilliger": "y", "voorstellen_per_mail": "y",
                                           "samen_doen_per_mail": "y", "taal": "nl"}, page="/profiel")
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, sanne.id).samen_doen_per_mail is True
