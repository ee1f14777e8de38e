"""Hulpvraag -> outbox -> broker -> a real Celery worker -> voorstel -> koppeling, with no mocks:
the embedded broker on SpatiaLite, Redis on PostGIS.

The test process and the worker are two processes on one database: before reading what the worker
wrote, the test ends its own transaction (``fresh``), or it would keep looking at an old snapshot.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from omkijken.platform import clock
from omkijken.platform.accounts.models import User
from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen import diensten, links
from omkijken.platform.koppelingen import services as koppelingen
from omkijken.platform.koppelingen.models import Afhandeling, Koppeling, Voorstel
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Aanbod, Hulpvraag
from omkijken.platform.system import services as system
from omkijken.platform.system.models import OutboxMessage, WorkerHeartbeat
from tests.integration.test_outbox_worker import mails_to
from tests.support import NEAR_RUWAARD, RUWAARD, commit, submit, wait_for

# Truus lives about 450 m north of Sanne; Piet about 2.8 km from Truus; Kees and Ayse live next door.
# The engine measures between public points, each up to 450 m from its home: Piet lives far enough
# away that Sanne is the nearer one on the map too.
FAR = (RUWAARD[0], RUWAARD[1] + 0.04)
NEXT_DOOR = (NEAR_RUWAARD[0] + 0.0005, NEAR_RUWAARD[1])
TIMEOUT = 45
LINK = re.compile(r"/voorstellen/antwoord/(\S+)")


@pytest.fixture
def people(standaard_diensten, make_user, request):
    """Everyone with an address unique to the test: the mail folder is shared by the session."""
    tag = request.node.name.removeprefix("test_")[:20]

    def person(naam, home, roles=("inwoner", "vrijwilliger")):
        return make_user(f"{naam.lower()}.{tag}@example.nl", roles=roles, home=home, naam=naam)

    return {
        "sanne": person("Sanne", RUWAARD),
        "piet": person("Piet", FAR),
        "kees": person("Kees", NEXT_DOOR),
        "ayse": person("Ayse", NEXT_DOOR),
        "truus": person("Truus", NEAR_RUWAARD, roles=("inwoner",)),
    }


def offer(user, **values) -> Aanbod:
    values.setdefault("categorieen", ["tuinonderhoud"])
    aanbod = posts.create(Aanbod(titel=f"{user.naam} helpt", radius_m=5000, **values), auteur=user,
                          now=utcnow() - timedelta(days=3))
    commit()  # as the request that placed it: the worker sees it, and gets its message
    return aanbod


def vraag_van(user, categorie="tuinonderhoud", **values) -> Hulpvraag:
    vraag = posts.create(Hulpvraag(titel="Heg knippen", categorie=categorie, **values), auteur=user, now=utcnow())
    commit()  # as the request that placed it: the worker sees it, and gets its message
    return vraag


def fresh() -> None:
    """End this process's transaction, as a request would, so the next query sees what the worker
    committed."""
    commit()
    db.session.expire_all()


def voorstellen(vraag_id: int) -> list[Voorstel]:
    fresh()
    return list(db.session.scalars(select(Voorstel).where(Voorstel.hulpvraag_id == vraag_id).order_by(Voorstel.id)))


def pending_matches() -> list[OutboxMessage]:
    fresh()
    return list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.task == system.MATCH_POST, OutboxMessage.done_at.is_(None))
    ))


def settle(worker) -> None:
    """Wait until the worker handled every matching message; on a timeout say what went wrong."""
    try:
        wait_for(lambda: not pending_matches(), timeout=TIMEOUT, what="worker verwerkt alle match-berichten")
    except AssertionError:
        errors = [(m.id, m.payload, m.attempts, m.last_error) for m in pending_matches()]
        log = Path(worker.log_path).read_text(errors="replace")[-4000:]
        raise AssertionError(f"match-berichten blijven liggen: {errors}\n--- worker log ---\n{log}") from None


def live(vraag_id: int) -> list[Voorstel]:
    return [v for v in voorstellen(vraag_id) if v.status in ("open", "te_bevestigen")]


def mails(app, user, subject: str) -> list:
    return [m for m in mails_to(app, user.email) if m["Subject"] == subject]


def wait_for_mail(app, user, subject: str):
    found = wait_for(lambda: mails(app, user, subject), timeout=TIMEOUT, what=f"mail '{subject}' aan {user.email}")
    assert len(found) == 1, [m["Subject"] for m in found]
    return found[0].get_body(preferencelist=("plain",)).get_content()


def answer_by_link(body: str, answer: str) -> tuple[Voorstel, User]:
    """Follow the one-click link of ``answer`` in a mail: the signed token names voorstel and person."""
    tokens = [links.read(t) for t in LINK.findall(body)]
    chosen = [t for t in tokens if t.answer == answer]
    assert len(chosen) == 1, tokens
    fresh()
    return db.session.get(Voorstel, chosen[0].voorstel_id), db.session.get(User, chosen[0].user_id)


# --- (a) publish -> one voorstel for the nearest volunteer who fits, with a mail --------------------


def test_a_hulpvraag_from_the_web_form_gets_one_voorstel_for_the_nearest_volunteer_who_fits(
        app, client, login, people, worker):
    sanne, piet, kees, ayse, truus = (people[n] for n in ("sanne", "piet", "kees", "ayse", "truus"))
    offer(sanne, categorieen=["boodschappen"], talen=["nl", "tr"])
    offer(piet, categorieen=["boodschappen"], talen=["tr"])
    offer(kees, categorieen=["vervoer"], talen=["tr"])  # next door, but does not do boodschappen
    offer(ayse, categorieen=["boodschappen"], talen=["nl"])  # next door, but Truus asks for Turkish
    login(truus.email)

    response = submit(client, "/plaatsen/hulpvraag", {
        "titel": "Hulp bij boodschappen", "wil": "Ik wil zelf blijven koken.", "kan_zelf": "Een lijstje maken.",
        "nodig": "Iemand die op dinsdag met mij naar de markt gaat.", "categorie": "boodschappen",
        "dagdelen": ["di-ochtend"], "waar": "thuis", "voorkeur_taal": "tr",
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    vraag_id = int(response.location.rsplit("/", 1)[1])
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.task == system.MATCH_POST)
                                .order_by(OutboxMessage.id.desc()))
    assert message.payload == {"post_id": vraag_id} and message.dispatched_at is not None

    wait_for(lambda: voorstellen(vraag_id), timeout=TIMEOUT, what="voorstel gemaakt door de worker")
    settle(worker)
    rows = voorstellen(vraag_id)
    assert [(v.vrijwilliger.naam, v.status, v.bron) for v in rows] == [("Sanne", "open", "match")]
    assert rows[0].dienst.code == "burenhulp" and rows[0].redenen

    body = wait_for_mail(app, sanne, "Iemand bij jou in de buurt zoekt hulp")
    assert "Hulp bij boodschappen" in body
    voorstel, who = answer_by_link(body, "ja")
    assert (voorstel.id, who.id) == (rows[0].id, sanne.id)
    _, said_no = answer_by_link(body, "nee")
    assert said_no.id == sanne.id
    assert wait_for_mail(app, truus, "We hebben iemand gevonden die je kan helpen")
    for other in (piet, kees, ayse):
        assert not mails_to(app, other.email)


# --- (b) both say yes -> a koppeling ------------------------------------------------------------------


def test_both_say_yes_through_the_mail_links_and_are_gekoppeld(app, people, worker):
    sanne, truus = people["sanne"], people["truus"]
    offer(sanne)
    vraag = vraag_van(truus)
    wait_for(lambda: live(vraag.id), timeout=TIMEOUT, what="voorstel gemaakt door de worker")

    voorstel, volunteer = answer_by_link(wait_for_mail(app, sanne, "Iemand bij jou in de buurt zoekt hulp"), "ja")
    assert koppelingen.accept(voorstel, by=volunteer, now=utcnow()) is None
    voorstel, resident = answer_by_link(
        wait_for_mail(app, truus, "We hebben iemand gevonden die je kan helpen"), "ja")
    koppeling = koppelingen.accept(voorstel, by=resident, now=utcnow())

    assert koppeling is not None
    fresh()
    koppeling = db.session.scalar(select(Koppeling))
    assert (koppeling.vrijwilliger_id, koppeling.hulpvrager_id) == (sanne.id, truus.id)
    assert (koppeling.soort, koppeling.status, koppeling.zelf_gevonden) == ("eenmalig", "actief", True)
    assert koppeling.voorstel.status == "gekoppeld" and koppeling.hulpvraag.status == "gekoppeld"
    wait_for_mail(app, sanne, "Jullie zijn gekoppeld")
    wait_for_mail(app, truus, "Jullie zijn gekoppeld")
    settle(worker)
    assert len(voorstellen(vraag.id)) == 1


# --- (c) a no -> the worker asks the next volunteer -------------------------------------------------


def test_after_a_no_the_worker_proposes_the_next_volunteer(app, people, worker):
    sanne, piet, truus = people["sanne"], people["piet"], people["truus"]
    offer(sanne), offer(piet)
    vraag = vraag_van(truus)
    wait_for(lambda: live(vraag.id), timeout=TIMEOUT, what="eerste voorstel")
    settle(worker)
    [first] = voorstellen(vraag.id)
    assert first.vrijwilliger_id == sanne.id

    koppelingen.decline(first, by=sanne, now=utcnow(), reden="Geen tijd deze maand")
    commit()  # as the request of the "nee" would: its rematch message goes out after the commit
    rematch = db.session.scalar(select(OutboxMessage).where(OutboxMessage.task == system.MATCH_POST)
                                .order_by(OutboxMessage.id.desc()))
    assert rematch.payload == {"post_id": vraag.id} and rematch.dispatched_at is not None

    wait_for(lambda: live(vraag.id), timeout=TIMEOUT, what="voorstel voor de volgende vrijwilliger")
    settle(worker)
    assert {v.vrijwilliger.naam: v.status for v in voorstellen(vraag.id)} == {"Sanne": "afgewezen", "Piet": "open"}
    assert "Heg knippen" in wait_for_mail(app, piet, "Iemand bij jou in de buurt zoekt hulp")
    wait_for_mail(app, truus, "We zoeken verder voor je hulpvraag")


# --- (d) idempotency -----------------------------------------------------------------------------------


def test_a_message_that_arrives_twice_and_a_second_message_still_make_one_voorstel(app, people, worker):
    sanne, piet, truus = people["sanne"], people["piet"], people["truus"]
    offer(sanne), offer(piet)
    vraag = vraag_van(truus)
    first = db.session.scalar(select(OutboxMessage).where(OutboxMessage.task == system.MATCH_POST)
                              .order_by(OutboxMessage.id.desc()))
    assert first.payload == {"post_id": vraag.id}

    # The broker delivers the same message again (a lost ack), right behind the first delivery ...
    assert system.dispatch([(first.id, first.task)]) == 1
    # ... and the vraag is changed, which asks the worker to look again with a new message.
    second = system.enqueue(system.MATCH_POST, {"post_id": vraag.id}, now=utcnow())
    db.session.commit()
    second_id = second.id

    settle(worker)
    behind = utcnow()
    wait_for(lambda: _heartbeat_since(app, behind), timeout=TIMEOUT, what="worker voorbij de dubbele berichten")
    fresh()
    assert db.session.get(OutboxMessage, first.id).attempts == 1  # the duplicate did not run it again
    assert db.session.get(OutboxMessage, second_id).done_at is not None
    rows = voorstellen(vraag.id)
    assert [(v.vrijwilliger_id, v.status) for v in rows] == [(sanne.id, "open")]
    wait_for_mail(app, sanne, "Iemand bij jou in de buurt zoekt hulp")
    assert not mails_to(app, piet.email)


def _heartbeat_since(app, moment) -> bool:
    """A heartbeat sent behind the duplicates: once recorded, the worker has handled them."""
    app.extensions["omkijken.sender"].send_task("omkijken.heartbeat", retry=False)
    fresh()
    seen = db.session.scalar(select(func.max(WorkerHeartbeat.seen_at)))
    db.session.rollback()
    return seen is not None and clock.as_utc(seen) >= moment


# --- (e) a mediated dienst waits for its coordinator -------------------------------------------------


def test_a_blink_voorstel_waits_for_the_coordinator_before_anyone_is_asked(app, people, make_user, worker):
    sanne, truus = people["sanne"], people["truus"]
    blink = diensten.by_code("blink")
    coordinator = make_user("coby.blink@example.nl", roles=("coordinator",), naam="Coby")
    blink.coordinatoren.append(coordinator)
    db.session.commit()
    offer(sanne, categorieen=["maatje"], heeft_vog=True)
    vraag = vraag_van(truus, categorie="maatje", dienst_id=blink.id)

    wait_for(lambda: live(vraag.id), timeout=TIMEOUT, what="Blink-voorstel gemaakt door de worker")
    settle(worker)
    [voorstel] = voorstellen(vraag.id)
    assert (voorstel.status, voorstel.vrijwilliger_id, voorstel.dienst.code) == ("te_bevestigen", sanne.id, "blink")
    assert not mails_to(app, sanne.email) and not mails_to(app, truus.email)
    with pytest.raises(koppelingen.KoppelingError):
        koppelingen.accept(voorstel, by=sanne, now=utcnow())
    fresh()

    voorstel = db.session.get(Voorstel, voorstel.id)
    koppelingen.confirm(voorstel, by=db.session.get(User, coordinator.id), now=utcnow())
    assert voorstel.status == "open"
    commit()  # as the coordinator's request would: the mails go out after the commit
    voorstel, volunteer = answer_by_link(wait_for_mail(app, sanne, "Iemand bij jou in de buurt zoekt hulp"), "ja")
    koppelingen.accept(voorstel, by=volunteer, now=utcnow())
    koppeling = koppelingen.accept(voorstel, by=db.session.get(User, truus.id), now=utcnow())

    assert (koppeling.soort, koppeling.dienst.code, koppeling.zelf_gevonden) == ("maatje", "blink", False)
    assert [a.soort for a in db.session.scalars(select(Afhandeling))] == ["bevestigd"]


# --- (f) a coordinator matches by hand -----------------------------------------------------------------


def test_a_hand_match_by_the_coordinator_is_not_self_service(app, people, make_user, worker):
    sanne, piet, truus = people["sanne"], people["piet"], people["truus"]
    coordinator = make_user("coby.hand@example.nl", roles=("coordinator",), naam="Coby")
    offer(sanne)
    by_hand = offer(piet, categorieen=["vervoer"])  # the engine would not pick him; Coby knows better
    vraag = vraag_van(truus)
    wait_for(lambda: live(vraag.id), timeout=TIMEOUT, what="voorstel van de worker")
    settle(worker)

    fresh()
    koppelingen.match_by_hand(db.session.get(Hulpvraag, vraag.id), db.session.get(Aanbod, by_hand.id),
                              by=db.session.get(User, coordinator.id), now=utcnow(), beiden_akkoord=True,
                              tekst="Gebeld met Piet en Truus")

    settle(worker)
    koppeling = db.session.scalar(select(Koppeling))
    assert (koppeling.vrijwilliger_id, koppeling.zelf_gevonden, koppeling.status) == (piet.id, False, "actief")
    assert koppeling.voorstel.bron == "coordinator" and koppeling.voorstel.coordinator_id == coordinator.id
    assert {v.vrijwilliger_id: v.status for v in voorstellen(vraag.id)} == {sanne.id: "vervallen",
                                                                             piet.id: "gekoppeld"}
    assert [a.soort for a in db.session.scalars(select(Afhandeling))] == ["met_de_hand"]
    wait_for_mail(app, piet, "Jullie zijn gekoppeld")
