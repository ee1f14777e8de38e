"""A year of demo history: closed hulpvragen with their voorstel, koppeling and check-ins, so the
dashboards, the nazorg pages and the waiting-list reports have something to show in `make run`.

Rows are built directly instead of through ``posts.create`` and ``koppelingen.services.start``:
those would ask the worker to match every vraag and mail both people of every koppeling, hundreds
of times, for things that happened months ago. The check-in schedule does come from
``nazorg.plan``, and ``demo_nazorg`` moves the check-ins the way the sweep and the answers would
have, so the figures are made from rows the live code could have left.

One fixed random seed and one transaction: a second run finds the koppelingen there and adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from geoalchemy2.shape import to_shape
from sqlalchemy import func, select

from omkijken.demo import welzijn as demo_welzijn
from omkijken.demo.nazorg import Fate, simulate
from omkijken.demo.neighbourhood import PILOT_WIJKEN, VRAAG_ZINNEN
from omkijken.platform.accounts import services as accounts
from omkijken.platform.accounts.models import RoleGrant, User
from omkijken.platform.areas import services as areas
from omkijken.platform.database import point, point_rd
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen import diensten, nazorg
from omkijken.platform.koppelingen.models import Afhandeling, Koppeling, Voorstel
from omkijken.platform.posts.models import Aanbod, Activiteit, Hulpvraag
from omkijken.platform.posts.vocabulary import SLOTS

RANDOM_SEED = 20_250_505
KOPPELINGEN = 320
DOORVERWEZEN = 18
COLLECTIEF = 42
#: Every history vraag: with a koppeling, referred, or linked to a group activity.
VRAGEN = KOPPELINGEN + DOORVERWEZEN + COLLECTIEF
#: Below this many demo koppelingen the history is not there yet (the demo itself makes about a dozen).
MARKER = 100

#: code: (share of the koppelingen, categories with weights, duurzaam rate among the decided ones)
DIENSTEN = {
    "burenhulp": (0.43, {"vervoer": 5, "klussen": 5, "tuinonderhoud": 4, "boodschappen": 5, "digitaal": 3,
                         "verenigingen": 1}, 0.80),
    "formulierenbrigade": (0.14, {"administratie": 1}, 0.78),
    "maatjes": (0.16, {"maatje": 2, "ontmoeting": 3, "taal": 2}, 0.72),
    "blink": (0.15, {"maatje": 1}, 0.86),
    "respijt": (0.12, {"mantelzorg": 1}, 0.80),
}
#: Where koppelingen stop more often (the countryside: far to travel) and less (the pilot wijken).
LASTIGE_WIJKEN = ("WK082818", "WK082809", "WK082603", "WK082800")
DOORVERWIJZINGEN = ("Het wijkteam", "De huisarts", "Schuldhulpverlening van de gemeente", "Het sociaal loket",
                    "De mantelzorgconsulent")
COLLECTIEF_CATEGORIEEN = ("ontmoeting", "digitaal", "taal", "mantelzorg", "tuinonderhoud", "administratie")


@dataclass
class _Place:
    """A resident's home as a post needs it, worked out once per resident (blurring is keyed on the home)."""

    lat: float
    lon: float
    shown: tuple[float, float]
    wijk_id: int | None
    buurt_id: int | None
    wijk_code: str


def seed_history(*, now: datetime, counts: dict) -> None:
    """Add the year of history unless it is there; then keep the waiting-list reports of the last 3 months."""
    from omkijken.platform.insights import wachtlijst

    there = db.session.scalar(
        select(func.count(Koppeling.id)).join(Hulpvraag, Koppeling.hulpvraag_id == Hulpvraag.id)
        .where(Hulpvraag.is_demo.is_(True))
    )
    if there < MARKER:
        _seed(now=now, counts=counts)
    made = 0
    for maand in wachtlijst.previous_months(now, 3):
        if wachtlijst.by_month(maand) is None:
            wachtlijst.generate(maand, now=now)
            made += 1
    counts["wachtlijstrapporten"] = made


def _seed(*, now: datetime, counts: dict) -> None:
    rng = random.Random(RANDOM_SEED)
    log: list[tuple[Hulpvraag, dict]] = []  # what coordinators did, added once the vragen have their ids
    diensten.ensure_standard()
    by_code = {code: diensten.by_code(code) for code in DIENSTEN}
    mieke = accounts.find_by_email("coordinator@demo.omkijken.nl")  # Blink's own coordinator
    joost = accounts.find_by_email("makelaar@demo.omkijken.nl")  # the makelaar: every other dienst
    people = db.session.scalars(
        select(User).where(User.is_demo.is_(True), User.home.is_not(None), User.roles.any(RoleGrant.role == "inwoner"))
        .order_by(User.email)
    ).all()
    volunteers = [u for u in people if "vrijwilliger" in u.role_names]
    places = {u.id: _place_of(u) for u in people}
    aanbod: dict[int, Aanbod] = {}
    for offer in db.session.scalars(select(Aanbod).where(Aanbod.is_demo.is_(True)).order_by(Aanbod.id)):
        aanbod.setdefault(offer.auteur_id, offer)  # a volunteer's first offer

    codes = [code for code, (share, _, _) in DIENSTEN.items() for _ in range(round(share * KOPPELINGEN))]
    codes = (codes + ["burenhulp"] * KOPPELINGEN)[:KOPPELINGEN]
    rng.shuffle(codes)
    koppelingen: list[Koppeling] = []
    for code in codes:
        categorie = rng.choices(list(DIENSTEN[code][1]), list(DIENSTEN[code][1].values()))[0]
        auteur = rng.choice(people)
        # A little denser in the past: with as many recent koppelingen, a quarter would still be pending.
        started = now - timedelta(days=1 + 361 * rng.random() ** 0.9)
        wait = timedelta(days=_wait_days(rng, code, categorie, places[auteur.id].wijk_code))
        vraag = _vraag(rng, auteur, places[auteur.id], categorie, now=now,
                       created_at=max(started - wait, now - timedelta(days=365)))
        coordinator = mieke if code == "blink" else joost
        koppelingen.append(_koppeling(rng, vraag, started, by_code[code], places, volunteers, aanbod, coordinator,
                                      log))
    closed = [_doorverwezen(rng, rng.choice(people), places, joost, log, now=now) for _ in range(DOORVERWEZEN)]
    closed += _collectief(rng, people, places, log, now=now)
    db.session.flush()
    db.session.add_all(Afhandeling(hulpvraag_id=vraag.id, **values) for vraag, values in log)

    planned = {k.id: nazorg.plan(k) for k in koppelingen}
    fates = _fates(rng, koppelingen, planned, places, now=now)
    checkins = sum(simulate(rng, k, planned[k.id], fates[k.id], coordinator=mieke if k.dienst.code == "blink" else joost,
                            now=now) for k in koppelingen)
    db.session.flush()
    counts["hulpvragen"] = counts.get("hulpvragen", 0) + len(koppelingen) + len(closed)
    counts["koppelingen"] = counts.get("koppelingen", 0) + len(koppelingen)
    counts["check-ins"] = checkins
    inwoner = accounts.find_by_email("inwoner@demo.omkijken.nl")
    counts["welzijn"] = demo_welzijn.add(koppelingen, now=now, open_for=inwoner.id if inwoner else None)


def _place_of(user: User) -> _Place:
    home = to_shape(user.home)
    shown = areas.blur(home.y, home.x, secret=current_app.config["SECRET_KEY"])
    return _Place(home.y, home.x, shown, user.wijk_id, user.buurt_id, user.wijk.code if user.wijk else "")


def _vraag(rng: random.Random, auteur: User, place: _Place, categorie: str, *, now: datetime,
           created_at: datetime | None = None) -> Hulpvraag:
    """A vraag at the author's home, like ``posts.create`` places it, but without asking the worker."""
    titel, wil, kan, nodig = rng.choice(VRAAG_ZINNEN[categorie])
    created = created_at or now - timedelta(days=rng.uniform(2, 364))
    vraag = Hulpvraag(
        titel=titel, beschrijving=f"{wil} {nodig}", categorie=categorie, wil=wil, kan_zelf=kan, nodig=nodig,
        dagdelen=sorted(rng.sample(SLOTS, rng.randint(1, 4)), key=SLOTS.index), is_demo=True,
        auteur=auteur, op_huisadres=True, locatie=point(place.lat, place.lon),
        locatie_rd=point_rd(place.lat, place.lon),
        toon_locatie=point(*place.shown), toon_locatie_rd=point_rd(*place.shown), wijk_id=place.wijk_id,
        buurt_id=place.buurt_id, status="open", created_at=created, updated_at=created,
    )
    db.session.add(vraag)
    return vraag


def _wait_days(rng: random.Random, code: str, categorie: str, wijk_code: str) -> float:
    """Days from the vraag to its koppeling: mostly 1-20; the garden waits longest (the shortage of
    001:2366-2372); Blink waits for its coordinator; the countryside a little longer."""
    if categorie == "tuinonderhoud":
        days = rng.uniform(14, 60)
    elif code == "blink":
        days = rng.uniform(5, 25)
    else:
        days = 1 + min(rng.expovariate(1 / 5), 19)
    return days * (1.3 if wijk_code in LASTIGE_WIJKEN else 1.0)


def _koppeling(rng: random.Random, vraag: Hulpvraag, started: datetime, dienst, places: dict[int, _Place],
               volunteers: list[User], aanbod: dict[int, Aanbod], mieke: User, log: list) -> Koppeling:
    here = places[vraag.auteur.id]
    wait = started - vraag.created_at
    near = [v for v in volunteers if v.id != vraag.auteur.id and places[v.id].wijk_code[:6] == here.wijk_code[:6]]
    helper = rng.choice(near or [v for v in volunteers if v.id != vraag.auteur.id])
    if dienst.code == "blink":
        vraag.dienst_id = dienst.id
    if dienst.soort_koppeling == "eenmalig":
        vraag.datum = (started + timedelta(days=rng.randint(0, 6))).date()
    else:
        vraag.periode_tot = (started + timedelta(days=rng.choice((60, 91, 120, 182)))).date()
    # Blink's voorstellen pass its coordinator; elsewhere about one in nine had a coordinator's hand.
    how = "bevestigd" if dienst.code == "blink" else rng.choices(
        ("zelf", "met_de_hand", "namens"), (89, 6, 5))[0]
    bron = "coordinator" if how == "met_de_hand" else rng.choices(("match", "vrijwilliger", "hulpvrager"), (7, 2, 1))[0]
    if how == "namens":
        vraag.namens = mieke
    offered = vraag.created_at + wait * rng.uniform(0.1, 0.6)
    voorstel = Voorstel(
        hulpvraag=vraag, vrijwilliger_id=helper.id, aanbod=aanbod.get(helper.id), dienst_id=dienst.id, bron=bron,
        status="gekoppeld", score=round(rng.uniform(0.55, 0.95), 3) if bron == "match" else None,
        redenen=[{"code": "helpt_met", "categories": [vraag.categorie]}],
        coordinator_id=mieke.id if how in ("bevestigd", "met_de_hand") else None,
        vraag_akkoord_at=started - (started - offered) * rng.uniform(0, 0.5), vrijwilliger_akkoord_at=started,
        afwijs_reden="", created_at=offered, updated_at=started,
    )
    if how in ("bevestigd", "met_de_hand"):
        log.append((vraag, dict(coordinator_id=mieke.id, soort=how, tekst=helper.naam, created_at=offered)))
    vraag.status, vraag.updated_at = "gekoppeld", started
    koppeling = Koppeling(
        voorstel=voorstel, hulpvraag=vraag, hulpvrager_id=vraag.auteur.id, vrijwilliger_id=helper.id, dienst=dienst,
        soort=dienst.soort_koppeling, status="actief", zelf_gevonden=how == "zelf", started_at=started,
    )
    db.session.add_all([voorstel, koppeling])
    return koppeling


def _doorverwezen(rng: random.Random, auteur: User, places: dict[int, _Place], mieke: User, log: list, *,
                  now: datetime) -> Hulpvraag:
    """A vraag the coordinator sent to a place that fits better: handled, closed as referred."""
    vraag = _vraag(rng, auteur, places[auteur.id], rng.choice(("administratie", "mantelzorg", "maatje", "klussen")),
                   now=now)
    when = min(vraag.created_at + timedelta(days=rng.uniform(2, 12)), now - timedelta(hours=1))
    vraag.status, vraag.sluit_reden, vraag.updated_at = "gesloten", "doorverwezen", when
    log.append((vraag, dict(coordinator_id=mieke.id, soort="doorverwezen", tekst=rng.choice(DOORVERWIJZINGEN),
                            created_at=when)))
    return vraag


def _collectief(rng: random.Random, people: list[User], places: dict[int, _Place], log: list, *,
                now: datetime) -> list[Hulpvraag]:
    """Vragen that found their answer in a group activity of their gemeente ("collectief, tenzij")."""
    activiteiten = db.session.scalars(
        select(Activiteit).where(Activiteit.is_demo.is_(True), Activiteit.categorie.in_(COLLECTIEF_CATEGORIEEN))
        .order_by(Activiteit.id)
    ).all()
    hosts = {"WK0828": accounts.find_by_email("opbouwwerker@demo.omkijken.nl"),
             "WK0826": accounts.find_by_email("opbouwwerker.oosterhout@demo.omkijken.nl")}
    wijk_codes = {w.id: w.code for w in areas.all_wijken()}
    made: list[Hulpvraag] = []
    for _ in range(COLLECTIEF * 20):
        if len(made) == COLLECTIEF or not activiteiten:
            break
        auteur = rng.choice(people)
        gemeente = places[auteur.id].wijk_code[:6]
        here = [a for a in activiteiten if wijk_codes.get(a.wijk_id, "")[:6] == gemeente]
        if not here or gemeente not in hosts:
            continue
        activiteit = rng.choice(here)
        vraag = _vraag(rng, auteur, places[auteur.id], activiteit.categorie, now=now)
        when = min(vraag.created_at + timedelta(days=rng.uniform(3, 20)), now - timedelta(hours=1))
        vraag.collectief_id, vraag.status, vraag.sluit_reden = activiteit.id, "gesloten", "gelukt"
        vraag.updated_at = when
        log.append((vraag, dict(coordinator_id=hosts[gemeente].id, soort="collectief", tekst=activiteit.titel,
                                created_at=when)))
        made.append(vraag)
    return made


#: Endings that are nobody's failure (issue 23): among the older maatjes and series, people move, die,
#: go into care or are referred to formal help. Weighted: moving and care are the usual ones.
NEUTRAAL = {"verhuisd": 40, "opname_zorg": 25, "overleden": 15, "doorverwezen": 20}
NEUTRAAL_KANS = 0.07


def _fates(rng: random.Random, koppelingen: list[Koppeling], planned: dict, places: dict[int, _Place], *,
           now: datetime) -> dict[int, Fate]:
    """How each koppeling goes. Each dienst gets its share of failures among the koppelingen that
    will be decided by ``now`` (so Blink lands near its 85% target), drawn from the ones that are
    long enough past their horizon for any fate to have played out, and more often in the harder
    wijken. A few of the lasting kinds end for a neutral reason (a move, care, a death, a referral).
    The others carry on, or for a short kind reach their goal early."""
    fates: dict[int, Fate] = {}
    for code, (_, _, rate) in DIENSTEN.items():
        mine = [k for k in koppelingen if k.dienst.code == code]
        old = [k for k in mine if _horizon_due(k, planned[k.id]) + timedelta(days=25) <= now]
        old_ids = {k.id for k in old}
        decided = sum(_horizon_due(k, planned[k.id]) + timedelta(days=6) <= now for k in mine)
        weights = {k.id: _weight(places[k.hulpvrager_id].wijk_code) for k in old}
        # Weighted sampling without replacement (Efraimidis-Spirakis): one draw per koppeling.
        keyed = sorted(old, key=lambda k: rng.random() ** (1 / weights[k.id]), reverse=True)
        failing = {k.id for k in keyed[:round(decided * (1 - rate))]}
        for k in mine:
            horizon_rondes = [c for c in planned[k.id] if c.dagen >= nazorg.horizon_of(k)]
            if k.id in failing:
                kind = "stil" if horizon_rondes and rng.random() < 0.2 else "stopt"
                reden = rng.choices(("klikte_niet", "geen_tijd", "anders"), (40, 35, 25))[0]
            elif k.soort != "eenmalig" and rng.random() < NEUTRAAL_KANS:
                kind, reden = "stopt", rng.choices(list(NEUTRAAL), list(NEUTRAAL.values()))[0]
            elif k.soort != "maatje" and rng.random() < 0.3:
                kind, reden = "klaar", "doel_bereikt"
            elif k.id in old_ids and k.soort == "maatje" and rng.random() < 0.2:
                kind = "later_gestopt"
                reden = rng.choice(("verhuisd", "opname_zorg", "geen_tijd", "doel_bereikt", "klikte_niet"))
            else:
                kind, reden = "door", None
            fates[k.id] = Fate(kind, reden)
    return fates


def _horizon_due(koppeling: Koppeling, checkins: list) -> datetime:
    """When the ronde that decides the koppeling is due: the first on or after the horizon, or
    for a series shorter than that, its last."""
    horizon = nazorg.horizon_of(koppeling)
    days = sorted({c.dagen for c in checkins})
    return koppeling.started_at + timedelta(days=next((d for d in days if d >= horizon), days[-1]))


def _weight(wijk_code: str) -> float:
    if wijk_code in PILOT_WIJKEN:
        return 0.5
    return 2.5 if wijk_code in LASTIGE_WIJKEN else 1.0
