"""After posting a hulpvraag (issue 22, item 7): the resident reads what happens next and when, hears
once when a week passes without a voorstel, and sees on the home page when a voorstel waits for her."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.jobs import JOBS
from omkijken.platform.koppelingen import wachtrij
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Hulpvraag
from omkijken.platform.system.models import OutboxMessage
from omkijken.platform.system.services import SEND_EMAIL
from tests.support import HULPVRAAG_FORM, RUWAARD, at_once, garden_voorstel, submit


def lange_wacht(now):
    """Run the daily job as beat would; its number of mails."""
    jobs = {job.name: job for job in JOBS}
    assert "lange_wacht" in jobs, "geen job die meldt dat een hulpvraag lang wacht"
    return jobs["lange_wacht"].run(now)


def mails_to(address: str) -> list[dict]:
    return [m.payload for m in db.session.scalars(select(OutboxMessage).filter_by(task=SEND_EMAIL).order_by(
        OutboxMessage.id)) if m.payload["to"] == address]


def log_out(client) -> None:
    with client.session_transaction() as session:
        session.clear()


def vraag_van(user, *, dagen_oud: int, titel: str = "Heg knippen") -> Hulpvraag:
    vraag = posts.create(Hulpvraag(titel=titel, categorie="tuinonderhoud"), auteur=user,
                         now=utcnow() - timedelta(days=dagen_oud))
    db.session.commit()
    return vraag


def test_after_posting_she_reads_what_happens_next_and_when(client, make_user, login):
    make_user("truus@example.nl", home=RUWAARD, naam="Truus")
    make_user("piet@example.nl", home=RUWAARD, naam="Piet")
    login("truus@example.nl")

    posted = submit(client, "/plaatsen/hulpvraag", {**HULPVRAAG_FORM, "titel": "Heg knippen"})
    page = client.get(posted.location).get_data(as_text=True)

    assert "Je hulpvraag staat op het prikbord. Hieronder lees je wat er nu gebeurt." in page
    assert "Wat gebeurt er nu?" in page
    assert "We zoeken een vrijwilliger bij jou in de buurt. Vinden we iemand, dan krijg je een mail." in page
    assert "Vinden we binnen 7 dagen niemand? Dan krijg je een mail van ons, en kijkt een coördinator met je mee." in page
    assert page.index("Wat gebeurt er nu?") < page.index("Wat wil ik?"), "bovenaan, niet onder de kaart"

    voorstellen = client.get("/voorstellen").get_data(as_text=True)
    assert f'We zoeken nog iemand voor je hulpvraag <a href="{posted.location}">Heg knippen</a>.' in voorstellen

    log_out(client)
    login("piet@example.nl")
    other = client.get(posted.location).get_data(as_text=True)
    assert "Heg knippen" in other and "Wat gebeurt er nu?" not in other, "alleen voor wie de vraag stelde"


def test_a_week_without_a_voorstel_mails_her_once_and_her_page_says_what_she_can_do(app, client, make_user, login):
    truus = make_user("truus@example.nl", home=RUWAARD, naam="Truus")
    coordinator = make_user("co@example.nl", roles=("coordinator",))
    oud = vraag_van(truus, dagen_oud=8)
    jong = vraag_van(truus, dagen_oud=6, titel="Ramen zemen")

    assert lange_wacht(utcnow()) == 1
    assert lange_wacht(utcnow()) == 0, "één mail per hulpvraag"
    (mail,) = mails_to("truus@example.nl")
    assert mail["subject"] == "Je hulpvraag wacht nog op een vrijwilliger"
    assert "Je hulpvraag “Heg knippen” staat nu 7 dagen op Omkijken" in mail["body"]
    assert "Een coördinator kijkt nu ook naar je vraag" in mail["body"]
    assert f"/prikbord/{oud.id}" in mail["body"] and "Ramen zemen" not in mail["body"]
    # the coordinator's queue holds the same vraag: what the mail promises is true
    assert [v.id for v in wachtrij.wachtrij(coordinator, now=utcnow()).wachtend] == [oud.id]

    app.config["CONTACT_TELEFOON"] = "0412 123 456"
    try:
        login("truus@example.nl")
        page = client.get(f"/prikbord/{oud.id}").get_data(as_text=True)
        young_page = client.get(f"/prikbord/{jong.id}").get_data(as_text=True)
    finally:
        app.config["CONTACT_TELEFOON"] = ""
    assert "Je vraag staat er nu langer dan 7 dagen. We hebben nog niemand gevonden." in page
    assert "Wat kun je zelf doen?" in page and f'href="/prikbord/{oud.id}/bewerken">Verander je vraag.</a>' in page
    assert 'href="tel:0412123456">0412 123 456</a>' in page
    assert "We zoeken een vrijwilliger bij jou in de buurt" in young_page


def test_two_runs_of_the_job_at_once_mail_her_once(app, make_user):
    """Beat fired twice, or two workers took the task: the claim on the vraag keeps it to one mail."""
    vraag_van(make_user("truus@example.nl", home=RUWAARD, naam="Truus"), dagen_oud=8)

    assert sorted(at_once(app, lambda: lange_wacht(utcnow()), 2)) == [0, 1]
    db.session.expire_all()
    assert len(mails_to("truus@example.nl")) == 1


def test_a_vraag_with_a_voorstel_is_not_mailed_as_waiting(make_user, standaard_diensten):
    voorstel = garden_voorstel(make_user)
    voorstel.hulpvraag.created_at = utcnow() - timedelta(days=10)
    db.session.commit()

    assert lange_wacht(utcnow()) == 0
    assert not any("wacht nog" in m["subject"] for m in mails_to("truus@example.nl"))


@pytest.mark.usefixtures("standaard_diensten")
def test_her_home_page_says_a_voorstel_waits_for_her_until_she_answers(client, make_user, login):
    voorstel = garden_voorstel(make_user)
    login("truus@example.nl")

    home = client.get("/").get_data(as_text=True)
    assert "Er wacht een voorstel op je." in home
    assert '<a href="/voorstellen">Bekijk het en zeg ja of nee</a>' in home
    vraag_page = client.get(f"/prikbord/{voorstel.hulpvraag_id}").get_data(as_text=True)
    assert "Er wacht een voorstel op je." in vraag_page and "Kijk of het past en zeg ja of nee." in vraag_page

    submit(client, f"/voorstellen/{voorstel.id}/ja", {}, page="/voorstellen")
    assert "Er wacht een voorstel op je" not in client.get("/").get_data(as_text=True)
    vraag_page = client.get(f"/prikbord/{voorstel.hulpvraag_id}").get_data(as_text=True)
    assert "Nu wachten we op het antwoord van de vrijwilliger." in vraag_page

    log_out(client)
    login("sanne@example.nl")
    assert "Er wacht een voorstel op je." in client.get("/").get_data(as_text=True)
