"""Demo data: deterministic, marked ``is_demo``, safe to load twice.

The named accounts and places of the seeds live here; the made-up neighbourhood around them
(residents, their posts, more places and activities) in ``demo_neighbourhood``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from omkijken.demo.gebieden import seed as seed_gebieden
from omkijken.demo.history import seed_history
from omkijken.demo.neighbourhood import seed_neighbourhood
from omkijken.demo.subsidies import seed as seed_subsidies
from omkijken.demo.wijkagenda import seed as seed_wijkagenda
from omkijken.platform import clock
from omkijken.platform.accounts import services as accounts
from omkijken.platform.areas import services as areas
from omkijken.platform.areas.models import Wijk
from omkijken.platform.extensions import db
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Aanbod, Hulpvraag, Ontmoetingsplek
from omkijken.platform.system import services as system
from omkijken.platform.system.models import OutboxMessage

DEMO_PASSWORD = "omkijken-demo"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    naam: str
    roles: tuple[str, ...]
    wijk: str
    scope: tuple[str, ...] = ()


DEMO_ACCOUNTS = (
    DemoAccount("inwoner@demo.omkijken.nl", "Truus van Dijk", ("inwoner",), "WK082806"),
    DemoAccount("inwoner2@demo.omkijken.nl", "Ahmed Bakri", ("inwoner",), "WK082606"),
    DemoAccount("vrijwilliger@demo.omkijken.nl", "Sanne de Wit", ("inwoner", "vrijwilliger"), "WK082807"),
    DemoAccount("organisatie@demo.omkijken.nl", "Buurtvereniging Ussen", ("organisatie",), "WK082807"),
    DemoAccount("coordinator@demo.omkijken.nl", "Mieke Blink", ("coordinator",), "WK082800"),
    # A coordinator without a dienst of her own: the makelaar, who sees the vragen and nazorg of all diensten.
    DemoAccount("makelaar@demo.omkijken.nl", "Joost de Makelaar", ("coordinator",), "WK082806"),
    DemoAccount(
        "opbouwwerker@demo.omkijken.nl", "Karim Opbouw", ("opbouwwerker",), "WK082806", ("WK082806", "WK082807")
    ),
    DemoAccount(
        "opbouwwerker.oosterhout@demo.omkijken.nl", "Els Dommel", ("opbouwwerker",), "WK082606", ("WK082606",)
    ),
    DemoAccount("gemeente@demo.omkijken.nl", "Pieter Gemeente", ("gemeente",), "WK082800"),
    DemoAccount("beheerder@demo.omkijken.nl", "Bea Beheer", ("beheerder",), "WK082600"),
)

# The named places of the seeds (001:2166-2172; de Ruwaard: 002:485-512). We know their wijk,
# not their address, so each is placed inside its wijk and marked as approximate.
DEMO_PLEKKEN = (
    ("Activiteitencentrum Dommelbergen", "WK082606"),
    ("Activiteitencentrum de Slotjes", "WK082601"),
    ("Activiteitencentrum de Bunthoef", "WK082600"),
    ("Dorpshuis de Klip", "WK082613"),
    ("Dorpshuis den Brink", "WK082611"),
    ("Dorpshuis Oostquartier", "WK082612"),
    ("Wijkhuis de Ruwaard", "WK082806"),
)
WEEKEND_OPEN = {"ma": "9:00-17:00", "di": "9:00-17:00", "wo": "9:00-17:00", "do": "9:00-17:00",
                "vr": "9:00-17:00", "za": "10:00-14:00", "zo": "10:00-13:00"}


def seed(*, now: datetime) -> dict[str, int]:
    """Load areas when missing, then the demo accounts, places and posts that are not there yet."""
    counts = {"wijken": 0, "buurten": 0, "accounts": 0, "plekken": 0, "hulpvragen": 0, "aanbod": 0,
              "initiatieven": 0, "activiteiten": 0}
    if db.session.scalar(select(Wijk.id).limit(1)) is None:
        features = [f for path in areas.BUNDLED_FILES for f in areas.load_geojson(path)]
        counts.update(areas.import_features(features))
    counts.update(seed_gebieden())
    for account in DEMO_ACCOUNTS:
        if accounts.find_by_email(account.email) is not None:
            continue
        wijk = areas.wijk_by_code(account.wijk)
        scope = [areas.wijk_by_code(code).id for code in account.scope]
        accounts.create_user(
            email=account.email,
            naam=account.naam,
            password=DEMO_PASSWORD,
            roles=account.roles,
            wijk_ids=scope,
            home=areas.representative_point(wijk),
            now=now,
            is_demo=True,
        )
        counts["accounts"] += 1
    host = accounts.find_by_email("opbouwwerker@demo.omkijken.nl")
    for naam, wijk_code in DEMO_PLEKKEN:
        if db.session.scalar(select(Ontmoetingsplek.id).filter_by(titel=naam)) is not None:
            continue
        plek = Ontmoetingsplek(
            titel=naam,
            beschrijving="Een plek om elkaar te ontmoeten, met koffie en activiteiten.",
            categorie="ontmoeting",
            plek_soort="publiek",
            openingstijden=WEEKEND_OPEN,
            bij_benadering=True,
            is_demo=True,
        )
        where = areas.representative_point(areas.wijk_by_code(wijk_code))
        posts.create(plek, auteur=host, now=now, where=where, op_huisadres=False)
        counts["plekken"] += 1
    seed_neighbourhood(now=now, counts=counts, password=DEMO_PASSWORD, named_places=DEMO_PLEKKEN)
    _seed_demo_volunteer(now=now, counts=counts)
    db.session.flush()
    _seed_koppelingen(now=now, counts=counts)
    seed_history(now=now, counts=counts)
    # Last: it leaves the opbouwwerkers a queue, so every new post the other steps placed is there.
    counts.update(seed_wijkagenda(now))
    # Subsidies for the demo initiatieven, in every status, and the one-year answers behind the 80%.
    counts.update(seed_subsidies(now))
    # The check-ins the demo's recent koppelingen are due for go out now, not at beat's first sweep.
    from omkijken.platform.koppelingen import nazorg

    counts["check-ins verstuurd"] = nazorg.sweep(now=now).sent
    return counts


def _seed_koppelingen(*, now: datetime, counts: dict[str, int]) -> None:
    """Diensten with their coordinator, Blink vragen that wait for her, voorstellen (some for
    the printed volunteer login), and koppelingen that started in earlier weeks."""
    from omkijken.platform.koppelingen import diensten, pipeline
    from omkijken.platform.koppelingen import services as koppelingen
    from omkijken.platform.koppelingen.models import Voorstel

    diensten.ensure_standard()
    blink = diensten.by_code("blink")
    mieke = accounts.find_by_email("coordinator@demo.omkijken.nl")
    if mieke not in blink.coordinatoren:
        blink.coordinatoren.append(mieke)
    if db.session.scalar(select(Voorstel.id).limit(1)) is not None:
        db.session.flush()
        return
    maatje_vragen = db.session.scalars(
        select(Hulpvraag).where(Hulpvraag.is_demo.is_(True), Hulpvraag.categorie == "maatje",
                                Hulpvraag.status == "open").order_by(Hulpvraag.id).limit(4)
    ).all()
    for vraag in maatje_vragen:
        vraag.dienst_id = blink.id
    db.session.flush()
    counts["voorstellen"] = pipeline.match_all(now=now).proposed
    # That run matched every post of the seed at once: the worker need not do each one again
    # (hundreds of messages would keep it busy for a minute after `make run` starts).
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.task == system.MATCH_POST, OutboxMessage.done_at.is_(None))
        .values(done_at=now)
    )
    sanne = accounts.find_by_email("vrijwilliger@demo.omkijken.nl")
    # A few pairs said yes on both sides in earlier weeks: history for the nazorg and KPI pages.
    started = db.session.scalars(
        select(Voorstel).where(Voorstel.status == "open", Voorstel.vrijwilliger_id != sanne.id)
        .order_by(Voorstel.id).limit(12)
    ).all()
    for weeks_ago, voorstel in enumerate(started, start=1):
        then = now - timedelta(weeks=weeks_ago)
        voorstel.created_at = voorstel.updated_at = then
        vraag = voorstel.hulpvraag
        vraag.created_at = min(clock.as_utc(vraag.created_at), then - timedelta(days=3))  # asked before it was answered
        for person in (voorstel.vrijwilliger, voorstel.hulpvraag.auteur):
            koppelingen.accept(voorstel, by=person, now=then)
    counts["koppelingen"] = len(started)
    db.session.flush()


def _seed_demo_volunteer(*, now: datetime, counts: dict[str, int]) -> None:
    """The printed volunteer login has an aanbod, so 'Voor jou' shows matching vragen at once."""
    sanne = accounts.find_by_email("vrijwilliger@demo.omkijken.nl")
    titel = "Ik help met klussen, de tuin en boodschappen"
    if db.session.scalar(select(Aanbod.id).filter_by(auteur_id=sanne.id, titel=titel)) is not None:
        return
    aanbod = Aanbod(
        titel=titel,
        beschrijving="Ik woon in Ussen en heb op zaterdag en door de week 's avonds tijd.",
        categorie="klussen",
        categorieen=["klussen", "tuinonderhoud", "boodschappen"],
        dagdelen=["di-avond", "do-avond", "za-ochtend", "za-middag"],
        radius_m=3000,
        talen=["nl", "en"],
        capaciteit=2,
        is_demo=True,
    )
    posts.create(aanbod, auteur=sanne, now=now)
    counts["aanbod"] += 1


def logins_text() -> str:
    lines = ["Demo-accounts (wachtwoord voor allemaal: %s):" % DEMO_PASSWORD]
    lines += [f"  {a.email:<42} {', '.join(a.roles)}" for a in DEMO_ACCOUNTS]
    return "\n".join(lines)
