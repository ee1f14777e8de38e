"""A volunteer follows new hulpvragen near them in their categories: in the app and by email."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.posts import services, volgen
from omkijken.platform.posts.models import Aanbod, Hulpvraag
from omkijken.platform.system.models import OutboxMessage
from omkijken.platform.system.services import SEND_EMAIL
from tests.support import DOMMELBERGEN, RUWAARD, submit


def setup_people(make_user):
    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    aanbod = services.create(
        Aanbod(titel="Ik help in de tuin", categorieen=["tuinonderhoud", "klussen"], radius_m=2000),
        auteur=sanne, now=utcnow() - timedelta(days=2),
    )
    truus = make_user("truus@example.nl", home=(RUWAARD[0] + 0.004, RUWAARD[1]))
    ahmed = make_user("ahmed@example.nl", home=DOMMELBERGEN)
    return sanne, aanbod, truus, ahmed


def test_only_near_vragen_in_her_categories_are_for_her(app, make_user):
    sanne, aanbod, truus, ahmed = setup_people(make_user)
    tuin = services.create(Hulpvraag(titel="Heg knippen", categorie="tuinonderhoud"), auteur=truus, now=utcnow())
    services.create(Hulpvraag(titel="Naar het ziekenhuis", categorie="vervoer"), auteur=truus, now=utcnow())
    services.create(Hulpvraag(titel="Gras maaien", categorie="tuinonderhoud"), auteur=ahmed, now=utcnow())

    assert [v.titel for v in volgen.vragen_voor(aanbod)] == [tuin.titel]


def test_the_voor_jou_page_lists_them_and_the_mail_can_be_switched_off(app, client, make_user, login):
    sanne, aanbod, truus, _ = setup_people(make_user)
    heg = services.create(Hulpvraag(titel="Heg knippen", categorie="tuinonderhoud"), auteur=truus, now=utcnow())
    login("sanne@example.nl")

    page = client.get("/voor-jou").get_data(as_text=True)
    assert "Heg knippen" in page and "Ik help in de tuin" in page
    assert heg.wijk is not None and f"Heg knippen</a> · {heg.wijk.naam}" in page  # she sees where it is

    submit(client, f"/voor-jou/{aanbod.id}/mail", {"aan": "0"}, page="/voor-jou")
    db.session.refresh(aanbod)
    assert aanbod.volgt_per_mail is False


def test_someone_else_cannot_switch_her_mail(app, client, make_user, login):
    _, aanbod, truus, _ = setup_people(make_user)
    login("truus@example.nl")

    response = submit(client, f"/voor-jou/{aanbod.id}/mail", {"aan": "0"}, page="/voor-jou")

    assert response.status_code == 403
    db.session.refresh(aanbod)
    assert aanbod.volgt_per_mail is True


def test_the_digest_mails_new_vragen_once(app, make_user):
    sanne, aanbod, truus, _ = setup_people(make_user)
    services.create(Hulpvraag(titel="Heg knippen", categorie="tuinonderhoud"), auteur=truus, now=utcnow())

    assert volgen.stuur_digests(now=utcnow()) == 1
    assert volgen.stuur_digests(now=utcnow()) == 0

    digests = [m for m in db.session.scalars(select(OutboxMessage).filter_by(task=SEND_EMAIL))
               if m.payload["subject"] == "Nieuwe hulpvragen bij jou in de buurt"]
    assert len(digests) == 1
    mail = digests[0]
    assert mail.payload["to"] == "sanne@example.nl"
    assert "Heg knippen" in mail.payload["body"] and "/prikbord/" in mail.payload["body"]


def test_no_digest_when_the_mail_is_off(app, make_user):
    sanne, aanbod, truus, _ = setup_people(make_user)
    volgen.zet_mail(aanbod, by=sanne, aan=False)
    services.create(Hulpvraag(titel="Heg knippen", categorie="tuinonderhoud"), auteur=truus, now=utcnow())

    assert volgen.stuur_digests(now=utcnow()) == 0
