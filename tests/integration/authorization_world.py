"""One small world where everything belongs to somebody, for the authorization matrix and the
home-coordinate scan: Truus (a resident) owns a hulpvraag, an aanbod, an initiatief, a gesprek,
a voorstel, a koppeling with check-ins, a subsidieaanvraag with a bijlage and a wijkagenda punt
in Ruwaard; everyone else who calls the routes owns none of it."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from omkijken.platform.accounts import services as accounts
from omkijken.platform.accounts.models import User
from omkijken.platform.areas import gebieden
from omkijken.platform.areas import services as areas
from omkijken.platform.areas.models import Gemeente
from omkijken.platform.clock import local, utcnow
from omkijken.platform.extensions import db
from omkijken.platform.insights import wachtlijst
from omkijken.platform.koppelingen import diensten
from omkijken.platform.koppelingen import services as koppelingen
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Aanbod, Hulpvraag, Initiatief
from omkijken.platform.subsidies import attachments, gemeente_services
from omkijken.platform.subsidies import services as subsidies
from omkijken.platform.wijkagenda import services as wijkagenda
from omkijken.platform.wijkagenda import sociale_agenda
from tests.support import DOMMELBERGEN, NEAR_RUWAARD, RUWAARD

RUWAARD_CODE, DOMMELBERGEN_CODE = "WK082806", "WK082606"
EURO = 100
AANVRAAG_TITEL = "Bijdrage zaalhuur koffieochtend"
PUNT_TITEL = "Een bankje bij de vijver aan de Witte Hoef"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

PEOPLE_WITH_A_HOME = ("truus@example.nl", "ander@example.nl", "piet@example.nl", "sanne@example.nl",
                      "dommel@example.nl")

# Who calls the routes, and with which roles; "eigenaar" owns the world, the others own nothing of it.
CALLERS: dict[str, dict[str, Any]] = {
    "anoniem": {},
    "eigenaar": {"email": "truus@example.nl", "roles": ("inwoner", "vrijwilliger"), "home": NEAR_RUWAARD},
    "inwoner": {"email": "ander@example.nl", "roles": ("inwoner",), "home": RUWAARD},
    "vrijwilliger": {"email": "piet@example.nl", "roles": ("inwoner", "vrijwilliger"), "home": RUWAARD},
    "organisatie": {"email": "club@example.nl", "roles": ("organisatie",)},
    "coordinator": {"email": "blink@example.nl", "roles": ("coordinator",)},
    "opbouwwerker": {"email": "oosterhout@example.nl", "roles": ("opbouwwerker",), "wijken": (DOMMELBERGEN_CODE,)},
    "gemeente": {"email": "fatima@oss.nl", "roles": ("gemeente",)},
    "beheerder": {"email": "beheer@example.nl", "roles": ("beheerder",)},
}


@dataclass
class World:
    users: dict[str, Any]
    posts: list[int] = field(default_factory=list)
    ids: dict[str, Any] = field(default_factory=dict)
    homes: list[tuple[float, float]] = field(default_factory=list)


def build(make_user, homes: dict[str, tuple[float, float]] | None = None) -> World:
    """``homes`` (by email) moves people's homes, e.g. to points whose blur shows on both axes."""
    now = utcnow()
    homes = homes or {}
    users = {name: make_user(c["email"], roles=c["roles"], home=homes.get(c["email"], c.get("home")),
                             wijken=c.get("wijken", ()))
             for name, c in CALLERS.items() if c}
    truus = users["eigenaar"]
    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"),
                      home=homes.get("sanne@example.nl", RUWAARD), naam="Sanne")
    karim = make_user("karim@example.nl", roles=("opbouwwerker",), wijken=(RUWAARD_CODE,), naam="Karim")
    make_user("dommel@example.nl", home=homes.get("dommel@example.nl", DOMMELBERGEN), naam="Dommel")

    standaard = {d.code: d for d in diensten.ensure_standard()}
    standaard["blink"].coordinatoren = [users["coordinator"]]
    db.session.commit()

    sanne_aanbod = posts.create(
        Aanbod(titel="Sanne helpt in de tuin", categorieen=["tuinonderhoud", "boodschappen"], radius_m=3000),
        auteur=sanne, now=now - timedelta(days=2))
    aanbod = posts.create(Aanbod(titel="Truus leest voor", categorieen=["ontmoeting_gezelschap"], radius_m=2000),
                          auteur=truus, now=now - timedelta(days=2))
    heg = posts.create(Hulpvraag(titel="Heg knippen", categorie="tuinonderhoud"), auteur=truus, now=now)
    vraag = posts.create(Hulpvraag(titel="Boodschappen doen", categorie="boodschappen"), auteur=truus, now=now)
    initiatief = posts.create(Initiatief(titel="Koffieochtend Ruwaard", categorie="ontmoeting_gezelschap"),
                              auteur=truus, now=now, where=RUWAARD)

    gekoppeld = koppelingen.offer_help(heg, by=sanne, tekst="Ik kom zaterdag.", now=now)
    koppeling = koppelingen.accept(gekoppeld, by=truus, now=now)
    voorstel = koppelingen.offer_help(vraag, by=sanne, tekst="Ik kan dinsdag.", now=now)
    gesprek = posts.respond(initiatief, by=sanne, tekst="Ik kom graag koffie drinken.", now=now)
    db.session.commit()
    checkin = next(c for c in koppeling.checkins if c.user_id == truus.id)
    checkin.status = "verstuurd"  # as the sweep leaves it: open to answer

    ruwaard = areas.wijk_by_code(RUWAARD_CODE)
    punt = wijkagenda.create(wijk=ruwaard, auteur=truus, soort="wens", onderwerp="omgeving",
                             titel=PUNT_TITEL, beschrijving="Voor wie slecht ter been is.", now=now)
    agenda = sociale_agenda.start(ruwaard, by=karim, now=now)
    thema = sociale_agenda.save_thema(agenda, by=karim, titel="Elkaar ontmoeten", tekst="Bankjes en koffie.",
                                      wie="Karim", datum=None, now=now)

    oss = db.session.scalar(select(Gemeente).where(Gemeente.code == "GM0828"))
    gebied = gebieden.save(gemeente_id=oss.id, naam="Oss-Oost", wijk_ids=[ruwaard.id])
    regeling = gemeente_services.create_regeling(
        gemeente=oss, jaar=local(now).year, naam="Initiatieven sociale basis", budget_cents=5000 * EURO,
        max_per_aanvraag_cents=2000 * EURO, soorten=["ontmoeting", "anders"], by=users["beheerder"], now=now,
        beslistermijn_dagen=21)
    aanvraag = _ingediend(initiatief, truus, regeling, ruwaard.id, now)
    bijlage = attachments.store(aanvraag, io.BytesIO(PNG), bestandsnaam="zaal.png", soort="foto", by=truus, now=now)
    besloten = _ingediend(initiatief, truus, regeling, ruwaard.id, now)
    subsidies.move(besloten, "in_behandeling", by=users["gemeente"], now=now)
    subsidies.move(besloten, "toegekend", by=users["gemeente"], now=now, bedrag_cents=400 * EURO,
                   reden="Mooi plan.")
    db.session.commit()

    last_month = (local(now).date().replace(day=1) - timedelta(days=1)).replace(day=1)
    wachtlijst.generate(last_month, now=now)

    world = World(users=users, posts=[sanne_aanbod.id, aanbod.id, heg.id, vraag.id, initiatief.id])
    world.ids = {
        "post_id": vraag.id, "aanbod_id": aanbod.id, "initiatief_id": initiatief.id, "gesprek_id": gesprek.id,
        "voorstel_id": voorstel.id, "koppeling_id": koppeling.id, "checkin_id": checkin.id,
        "aanvraag_id": aanvraag.id, "besloten_id": besloten.id, "bijlage_id": bijlage.id, "punt_id": punt.id,
        "thema_id": thema.id, "regeling_id": regeling.id, "dienst_id": standaard["burenhulp"].id,
        "user_id": truus.id, "vraag_id": vraag.id, "onderwerp_id": punt.id,
        "sanne_aanbod": sanne_aanbod.id, "gebied_id": gebied.id, "gemeente_code": "GM0828",
        "code": RUWAARD_CODE, "maand": last_month.strftime("%Y-%m"), "naam": "duurzaam-dienst",
        "soort": "hulpvraag", "onderwerp": "agendapunt", "actie": "vraag", "filename": "css/omkijken.css",
        "token": "vervalst.token-dat-niet-klopt",
    }
    world.homes = [h for u in db.session.scalars(select(User)) if (h := accounts.home_latlon(u))]
    return world


def _ingediend(initiatief, truus, regeling, wijk_id: int, now) -> Any:
    aanvraag = subsidies.create_draft(initiatief, by=truus, now=now)
    subsidies.edit(aanvraag, by=truus, now=now, titel=AANVRAAG_TITEL, soort="ontmoeting", wat="Koffie",
                   voor_wie="Ouderen",
                   wanneer="Dinsdag", deelnemers=20, regeling_id=regeling.id, wijk_id=wijk_id)
    subsidies.set_lines(aanvraag, [("Zaalhuur", 450 * EURO), ("Koffie", 150 * EURO)], by=truus, now=now)
    subsidies.submit(aanvraag, by=truus, now=now)
    db.session.commit()
    return aanvraag
