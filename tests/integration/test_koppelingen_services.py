"""Voorstel to koppeling through the services, without the worker: the matching handler is called
directly, as the worker's task does (the worker path itself is in test_koppelingen_pipeline)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen import diensten, pipeline
from omkijken.platform.koppelingen import services as koppelingen
from omkijken.platform.koppelingen.models import Koppeling, Voorstel
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Aanbod, Hulpvraag
from tests.support import NEAR_RUWAARD, RUWAARD


@pytest.fixture
def people(standaard_diensten, make_user):
    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    # About 2.8 km from Truus, so Sanne (450 m) is the nearer one between public points too (each up to
    # 450 m from its home: the engine never measures from a home).
    piet = make_user("piet@example.nl", roles=("inwoner", "vrijwilliger"), home=(RUWAARD[0], RUWAARD[1] + 0.04),
                     naam="Piet")
    truus = make_user("truus@example.nl", home=NEAR_RUWAARD, naam="Truus")
    return sanne, piet, truus


def offer(user, **values):
    values.setdefault("categorieen", ["tuinonderhoud"])
    return posts.create(Aanbod(titel="Ik help", radius_m=5000, **values), auteur=user, now=utcnow() - timedelta(days=3))


def vraag_van(user, categorie="tuinonderhoud", **values):
    return posts.create(Hulpvraag(titel="Heg knippen", categorie=categorie, **values), auteur=user, now=utcnow())


def test_the_nearest_volunteer_gets_the_voorstel_once(people):
    sanne, piet, truus = people
    offer(sanne), offer(piet)
    vraag = vraag_van(truus)

    pipeline.match_post(vraag.id, now=utcnow())
    pipeline.match_post(vraag.id, now=utcnow())  # the task runs twice

    voorstellen = db.session.scalars(select(Voorstel)).all()
    assert [(v.vrijwilliger.naam, v.status) for v in voorstellen] == [("Sanne", "open")]
    assert voorstellen[0].redenen[0] in ({"code": "afstand", "band": "0-1"}, {"code": "afstand", "band": "1-3"})


def test_both_yes_makes_a_self_service_koppeling(people):
    sanne, _, truus = people
    offer(sanne)
    vraag = vraag_van(truus)
    pipeline.match_post(vraag.id, now=utcnow())
    voorstel = db.session.scalar(select(Voorstel))

    assert koppelingen.accept(voorstel, by=sanne, now=utcnow()) is None
    koppeling = koppelingen.accept(voorstel, by=truus, now=utcnow())

    assert koppeling.soort == "eenmalig" and koppeling.zelf_gevonden
    assert koppeling.dienst.code == "burenhulp"
    assert vraag.status == "gekoppeld"


def test_a_no_excludes_the_pair_and_the_next_volunteer_is_asked(people):
    sanne, piet, truus = people
    offer(sanne), offer(piet)
    vraag = vraag_van(truus)
    pipeline.match_post(vraag.id, now=utcnow())
    first = db.session.scalar(select(Voorstel))

    koppelingen.decline(first, by=sanne, now=utcnow(), reden="Geen tijd")
    pipeline.match_post(vraag.id, now=utcnow())  # what the outbox message of the decline does

    rows = {v.vrijwilliger.naam: v.status for v in db.session.scalars(select(Voorstel))}
    assert rows == {"Sanne": "afgewezen", "Piet": "open"}


def test_a_mediated_dienst_waits_for_its_coordinator(people, make_user):
    sanne, _, truus = people
    blink = diensten.by_code("blink")
    coordinator = make_user("coord@example.nl", roles=("coordinator",), naam="Coby")
    blink.coordinatoren.append(coordinator)
    db.session.commit()
    offer(sanne, heeft_vog=True)
    vraag = vraag_van(truus, dienst_id=blink.id)

    pipeline.match_post(vraag.id, now=utcnow())
    voorstel = db.session.scalar(select(Voorstel))
    assert voorstel.status == "te_bevestigen"
    with pytest.raises(koppelingen.KoppelingError):
        koppelingen.accept(voorstel, by=sanne, now=utcnow())

    koppelingen.confirm(voorstel, by=coordinator, now=utcnow())
    koppelingen.accept(voorstel, by=sanne, now=utcnow())
    koppeling = koppelingen.accept(voorstel, by=truus, now=utcnow())
    assert koppeling.soort == "maatje" and not koppeling.zelf_gevonden


def test_a_hand_match_is_not_self_service(people, make_user):
    sanne, _, truus = people
    coordinator = make_user("coord@example.nl", roles=("coordinator",))
    aanbod = offer(sanne, categorieen=["vervoer"])
    vraag = vraag_van(truus)

    koppelingen.match_by_hand(vraag, aanbod, by=coordinator, now=utcnow(), beiden_akkoord=True, tekst="Gebeld")

    koppeling = db.session.scalar(select(Koppeling))
    assert koppeling is not None and not koppeling.zelf_gevonden
    assert db.session.scalar(select(func.count()).select_from(Voorstel)) == 1


def test_ik_help_just_after_the_engine_proposed_the_same_pair(people, monkeypatch):
    """The worker matches beside the web: it may store Sanne's voorstel after her "ik help"
    looked for one and before it inserts. She gets that voorstel, accepted, not an error."""
    sanne, _, truus = people
    offer(sanne)
    vraag = vraag_van(truus)
    pipeline.match_post(vraag.id, now=utcnow())
    look_ups = []
    real_look_up = koppelingen._voorstel_of_pair

    def too_early_once(*args):
        look_ups.append(args)
        return None if len(look_ups) == 1 else real_look_up(*args)

    monkeypatch.setattr(koppelingen, "_voorstel_of_pair", too_early_once)

    voorstel = koppelingen.offer_help(vraag, by=sanne, tekst="Ik kan dinsdag.", now=utcnow())

    assert len(look_ups) == 2
    rows = db.session.scalars(select(Voorstel)).all()
    assert rows == [voorstel]
    assert voorstel.bron == "match" and voorstel.vrijwilliger_akkoord_at is not None
    assert [b.tekst for b in koppelingen.gesprek_of(voorstel, now=utcnow()).berichten] == ["Ik kan dinsdag."]
