"""Issue 22, item 3: a new message in a conversation is noticed. The other party gets one mail per
conversation a few minutes after the first unread line (not one per line), and the menu counts the
conversations with unread messages until the person opens them."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from omkijken.platform.accounts import privacy
from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.jobs import JOBS
from omkijken.platform.posts import services
from omkijken.platform.posts.models import Hulpvraag
from omkijken.platform.system.models import OutboxMessage
from omkijken.platform.system.services import SEND_EMAIL
from tests.support import RUWAARD, commit, submit

SUBJECT = "Nieuw bericht op Omkijken"


def run_job(now):
    """The periodic job as beat and the CLI run it: found in the registry by name, then committed."""
    job = next(job for job in JOBS if job.name == "gesprek_meldingen")
    outcome = job.run(now)
    commit()
    return outcome


def mails_to(address: str) -> list[dict]:
    return [m.payload for m in db.session.scalars(select(OutboxMessage).filter_by(task=SEND_EMAIL).order_by(
        OutboxMessage.id)) if m.payload["to"] == address and m.payload["subject"] == SUBJECT]


def conversation(make_user, now):
    truus = make_user("truus@example.nl", home=RUWAARD, naam="Truus")
    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    vraag = services.create(Hulpvraag(titel="Heg knippen", categorie="tuinonderhoud", nodig="Een heggenschaar.",
                                      dagdelen=["za-ochtend"]), auteur=truus, now=now)
    gesprek = services.respond(vraag, by=sanne, tekst="Ik heb een heggenschaar.", now=now)
    commit()
    return truus, sanne, gesprek


def test_one_mail_per_conversation_after_a_short_delay_and_never_twice(app, make_user):
    start = utcnow()
    truus, sanne, gesprek = conversation(make_user, start)
    services.reply(gesprek, by=sanne, tekst="Zaterdag om 10 uur?", now=start + timedelta(minutes=1))
    services.reply(gesprek, by=sanne, tekst="Geheim: mijn sleutel ligt onder de mat.",
                   now=start + timedelta(minutes=2))
    commit()

    run_job(start + timedelta(minutes=3))
    assert mails_to("truus@example.nl") == [], "no mail while the person may still be typing"

    run_job(start + timedelta(minutes=15))
    run_job(start + timedelta(minutes=16))  # beat fires again, or twice: nothing more
    mails = mails_to("truus@example.nl")
    assert len(mails) == 1
    body = mails[0]["body"]
    assert f"/gesprekken/{gesprek.id}" in body and "Sanne" in body and "Heg knippen" in body
    assert "heggenschaar" not in body and "sleutel" not in body, "the mail carries no message text"
    assert mails_to("sanne@example.nl") == [], "nobody is mailed about their own messages"

    services.reply(gesprek, by=truus, tekst="Graag!", now=start + timedelta(minutes=20))
    commit()
    run_job(start + timedelta(minutes=40))
    assert len(mails_to("sanne@example.nl")) == 1
    assert len(mails_to("truus@example.nl")) == 1


def test_a_new_line_after_the_mail_is_mailed_again_later(app, make_user):
    start = utcnow()
    truus, sanne, gesprek = conversation(make_user, start)
    run_job(start + timedelta(minutes=15))
    services.reply(gesprek, by=sanne, tekst="Ben je er nog?", now=start + timedelta(hours=2))
    commit()
    run_job(start + timedelta(hours=2, minutes=1))
    assert len(mails_to("truus@example.nl")) == 1
    run_job(start + timedelta(hours=3))
    assert len(mails_to("truus@example.nl")) == 2


def test_no_mail_when_the_conversation_was_read_in_time(app, make_user, client, login):
    start = utcnow()
    conversation(make_user, start)
    login("truus@example.nl")
    assert client.get("/gesprekken").status_code == 200
    url = re.search(r'href="(/gesprekken/\d+)"', client.get("/gesprekken").get_data(as_text=True)).group(1)
    assert client.get(url).status_code == 200

    run_job(start + timedelta(minutes=30))
    assert mails_to("truus@example.nl") == []


def test_an_erased_account_gets_no_mail(app, make_user):
    start = utcnow()
    truus, sanne, gesprek = conversation(make_user, start)
    privacy.erase(truus, now=start)
    commit()

    run_job(start + timedelta(minutes=30))
    assert mails_to("truus@example.nl") == []
    assert [m for m in db.session.scalars(select(OutboxMessage).filter_by(task=SEND_EMAIL))
            if m.payload["subject"] == SUBJECT] == []


MENU = re.compile(r'<a href="/gesprekken"[^>]*>(.*?)</a>', re.S)


def menu_item(client) -> str:
    return re.sub(r"\s+", " ", MENU.search(client.get("/").get_data(as_text=True)).group(1)).strip()


def test_the_menu_counts_unread_conversations_until_opened(app, make_user, client, login):
    start = utcnow()
    truus, sanne, gesprek = conversation(make_user, start)
    services.reply(gesprek, by=sanne, tekst="Zaterdag?", now=start)
    commit()

    login("sanne@example.nl")
    assert "(" not in menu_item(client), "your own message is not news to you"
    submit(client, "/uitloggen", {}, page="/")

    login("truus@example.nl")
    item = menu_item(client)
    assert 'aria-hidden="true">(1)</span>' in item
    assert '<span class="visually-hidden">1 gesprek met een nieuw bericht</span>' in item
    assert "Nieuw bericht" in client.get("/gesprekken").get_data(as_text=True).split("<main")[1]

    client.get(f"/gesprekken/{gesprek.id}")
    assert "(" not in menu_item(client)

    answer = submit(client, f"/gesprekken/{gesprek.id}", {"tekst": "Goed!"})
    assert answer.status_code == 302
    assert "(" not in menu_item(client)
    submit(client, "/uitloggen", {}, page="/")

    login("sanne@example.nl")
    assert "(1)" in menu_item(client)
