"""The demo subsidies: a regeling of this year and of last year for Oss and for Oosterhout, and
aanvragen of the demo residents for their own initiatieven in every status of the lifecycle, with
questions in the thread, advice, decisions with their reasons, accountability, and a few answers
to "bestaat het nog?" a year after the support ended, so the 80% figure has data.

Everything goes through the services the aanvrager, the gemeente and the opbouwwerker use
(``create_draft``, ``edit``, ``set_lines``, ``submit``, ``move``, ``opvolging``), each at the
moment it would have happened, so the audit log is the one the live code leaves. The gemeente
demo login (Pieter) finds a few aanvragen just sent in, to take from intake to a decision, and
one accountability to close.

One fixed random seed and one transaction. A second run finds the regelingen there and adds
nothing. The mails of long ago were sent at the time; only the last days' still go out.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from omkijken.demo import support as demo_support
from omkijken.platform import clock
from omkijken.platform.accounts import services as accounts
from omkijken.platform.accounts.models import RoleGrant, User
from omkijken.platform.accounts.permissions import may
from omkijken.platform.areas.models import Gemeente, Wijk
from omkijken.platform.clock import AMSTERDAM, local
from omkijken.platform.extensions import db
from omkijken.platform.posts.models import Initiatief
from omkijken.platform.subsidies import gemeente_services, opvolging, services
from omkijken.platform.subsidies.models import SOORTEN, Regeling, Subsidieaanvraag
from omkijken.platform.system.models import AuditEntry

RANDOM_SEED = 20_260_417
PIETER = "gemeente@demo.omkijken.nl"
BEA = "beheerder@demo.omkijken.nl"
EURO = 100


@dataclass(frozen=True)
class Fonds:
    code: str
    naam: str  # "{jaar}" is filled in
    budget: int  # euros
    maximum: int


FONDSEN = (
    Fonds("GM0828", "Fonds sociale basis Oss {jaar}", 50_000, 2_500),
    Fonds("GM0826", "Initiatievenfonds {jaar}", 30_000, 1_500),
)


@dataclass(frozen=True)
class Plan:
    """One aanvraag and how far it got. ``dagen``: sent in (or begun) this many days ago.
    ``oud``: from last year's regeling. ``bestaat_nog``: the answer a year after support ended."""

    einde: str
    dagen: float
    oud: bool = False
    vraag: bool = False
    advies: bool = False
    bestaat_nog: str | None = None
    zelfde_als_afgewezen: bool = False  # a second try for the initiatief turned down this year


PLANNEN = {
    "GM0828": (
        Plan("afgesloten", 610, oud=True, vraag=True, bestaat_nog="ja"),
        Plan("afgesloten", 595, oud=True, advies=True, bestaat_nog="ja"),
        Plan("afgesloten", 580, oud=True, bestaat_nog="ja"),
        Plan("afgesloten", 565, oud=True, vraag=True, bestaat_nog="nee"),
        Plan("afgesloten", 550, oud=True, bestaat_nog="ja"),
        Plan("afgesloten", 540, oud=True, bestaat_nog="open"),
        Plan("afgewezen", 420, oud=True),
        Plan("concept", 4),
        Plan("ingediend", 1),
        Plan("ingediend", 3),
        Plan("ingediend", 6, zelfde_als_afgewezen=True),
        Plan("in_behandeling", 12),
        Plan("vragen_gesteld", 16),
        Plan("advies_gevraagd", 10, advies=True),
        Plan("toegekend", 28, vraag=True),
        Plan("deels_toegekend", 40, advies=True),
        Plan("afgewezen", 33),
        Plan("verantwoording_gevraagd", 150),
        Plan("verantwoord", 160, vraag=True),
        Plan("afgesloten", 230),
        Plan("ingetrokken", 25),
    ),
    "GM0826": (
        Plan("afgesloten", 600, oud=True, bestaat_nog="ja"),
        Plan("afgesloten", 585, oud=True, vraag=True, bestaat_nog="ja"),
        Plan("afgesloten", 570, oud=True, advies=True, bestaat_nog="nee"),
        Plan("afgesloten", 555, oud=True, bestaat_nog="ja"),
        Plan("afgesloten", 540, oud=True, bestaat_nog="open"),
        Plan("concept", 7),
        Plan("ingediend", 2),
        Plan("ingediend", 5, zelfde_als_afgewezen=True),
        Plan("in_behandeling", 9),
        Plan("vragen_gesteld", 14, vraag=True),
        Plan("advies_gevraagd", 11, advies=True),
        Plan("toegekend", 31),
        Plan("deels_toegekend", 37, vraag=True),
        Plan("afgewezen", 30),
        Plan("verantwoording_gevraagd", 140, advies=True),
        Plan("verantwoord", 170),
        Plan("afgesloten", 210, vraag=True),
        Plan("ingetrokken", 19),
    ),
}


@dataclass(frozen=True)
class Inhoud:
    """What an aanvraag for this kind of initiatief says; amounts in euros."""

    soort: str
    wat: str
    voor_wie: str
    plek: str
    wanneer: str
    deelnemers: int
    regels: tuple[tuple[str, int], ...]
    eigen: int = 0
    sponsor: int = 0
    uren: int = 0
    bijdragen: str = ""


INHOUD = {
    "ontmoeting": Inhoud(
        "ontmoeting", "We organiseren elke maand een middag waar buren elkaar ontmoeten. Er is koffie, "
        "iets lekkers en een spel. Iedereen is welkom.", "Buren van alle leeftijden, vooral mensen die "
        "weinig mensen kennen.", "Het wijkhuis", "Eén keer per maand op zaterdagmiddag", 30,
        (("Huur van de zaal", 480), ("Koffie, thee en koek", 360), ("Spellen en materiaal", 150),
         ("Flyers en posters", 90)), eigen=100, uren=120, bijdragen="Buren bakken taart. De supermarkt geeft koek."),
    "tuinonderhoud": Inhoud(
        "duurzaamheid", "We maken samen een moestuin op een stuk grond van de gemeente. Buren kweken er "
        "groente en delen de oogst.", "Buren zonder eigen tuin, en kinderen van de school in de buurt.",
        "Het grasveld achter de flat", "Van maart tot oktober, elke woensdag en zaterdag", 25,
        (("Hout voor de moestuinbakken", 560), ("Potgrond en compost", 300), ("Zaden en plantjes", 160),
         ("Gereedschap", 230)), sponsor=150, uren=200,
         bijdragen="Het tuincentrum geeft korting. Buren maken de bakken."),
    "taal": Inhoud(
        "anders", "Vrijwilligers oefenen Nederlands met nieuwe buren. We praten over gewone dingen: de "
        "dokter, de school, boodschappen.", "Nieuwe buren die Nederlands willen leren.", "De bibliotheek",
        "Elke dinsdagavond, het hele jaar", 20,
        (("Lesboeken en woordenboeken", 420), ("Koffie en thee", 180), ("Uitje aan het eind van het jaar", 400)),
        uren=300, bijdragen="De bibliotheek geeft de ruimte gratis."),
    "klussen": Inhoud(
        "anders", "Een ploeg handige buren helpt ouderen met kleine klussen in huis: een lamp ophangen, "
        "een kraan maken.", "Ouderen en mensen met weinig geld die zelf niet kunnen klussen.", "Bij mensen thuis",
        "Elke zaterdagochtend", 40,
        (("Gereedschap", 650), ("Kleine onderdelen", 300), ("Hesjes en veiligheid", 120)),
        eigen=50, uren=250, bijdragen="De bouwmarkt geeft een gereedschapskist."),
    "maatje": Inhoud(
        "sport_en_bewegen", "We wandelen elke week samen een uur door de wijk. Daarna drinken we koffie.",
        "Mensen die alleen zijn of meer willen bewegen.", "Start bij het wijkcentrum",
        "Elke donderdagochtend", 18,
        (("Koffie na de wandeling", 260), ("Hesjes en een EHBO-doos", 140), ("Busje voor een uitje", 350)),
        uren=100),
    "vervoer": Inhoud(
        "sport_en_bewegen", "Vrijwilligers fietsen of rijden met ouderen naar de markt en de dokter.",
        "Ouderen die niet meer zelf kunnen fietsen of rijden.", "In de hele wijk", "Op dinsdag en vrijdag", 35,
        (("Onderhoud van de duofiets", 480), ("Verzekering", 260), ("Helmen en regenponcho's", 190)),
        sponsor=200, uren=180, bijdragen="De fietsenmaker doet het onderhoud voor de helft."),
    "digitaal": Inhoud(
        "anders", "Een spreekuur waar buren hulp krijgen met hun telefoon, tablet en DigiD.",
        "Ouderen en iedereen die moeite heeft met computers.", "Het dorpshuis", "Elke maandagmiddag", 45,
        (("Twee tweedehands laptops", 700), ("Wifi voor een jaar", 240), ("Printer en papier", 210)),
        uren=150),
    "mantelzorg": Inhoud(
        "dagontmoeting", "Een inloop met koffie waar mantelzorgers even op adem komen en ervaringen delen.",
        "Mantelzorgers in de wijk.", "Het buurthuis", "Elke eerste vrijdag van de maand", 15,
        (("Huur van de ruimte", 360), ("Koffie en lunch", 420), ("Een spreker over zorg", 250)),
        uren=60, bijdragen="Een huisarts komt één keer vertellen."),
    "administratie": Inhoud(
        "anders", "Vrijwilligers helpen buren met brieven en formulieren, zoals toeslagen en "
        "belastingen.", "Buren die moeite hebben met brieven van instanties.", "Het wijkcentrum",
        "Elke woensdagochtend", 50,
        (("Training voor de vrijwilligers", 500), ("Printer en map", 180), ("Flyers", 120)), uren=200),
    "verenigingen": Inhoud(
        "ontmoeting", "Een middag waar verenigingen en jongeren laten zien wat ze doen, met muziek.",
        "Jongeren en buren die iets willen doen in de buurt.", "Het plein", "Eén zaterdag in het voorjaar", 150,
        (("Geluid en licht", 850), ("Tenten", 420), ("Drinken voor de vrijwilligers", 130), ("Posters", 100)),
        eigen=250, sponsor=200, uren=90, bijdragen="De verenigingen betalen samen ook mee."),
    "boodschappen": Inhoud(
        "anders", "Buren doen boodschappen voor buren die het zelf even niet kunnen.",
        "Ouderen en zieke buren.", "In de hele buurt", "Het hele jaar, als het nodig is", 25,
        (("Boodschappentassen en kratten", 160), ("Telefoon voor de aanmeldingen", 220), ("Flyers", 110)),
        uren=140),
}

VRAGEN = (
    ("Is de zaal al vastgelegd? Wat kost die precies?", "Ja, de zaal is vastgelegd. Het staat in de offerte."),
    ("Komen er ook buren van buiten de wijk?", "Ja, iedereen is welkom. We hangen ook posters op in de buurt."),
    ("Waarom kost het materiaal zoveel?", "We kopen spullen die lang meegaan. We hebben drie prijzen vergeleken."),
    ("Wie helpt er mee met de organisatie?", "We zijn met zes buren. Twee van ons doen de administratie."),
)
ADVIES = (
    ("Past dit in de wijk? Is er al iets vergelijkbaars?", "Er is niets vergelijkbaars. Er is veel behoefte aan."),
    ("Kennen jullie deze initiatiefnemers?", "Ja, zij doen al jaren veel voor de buurt. Ik raad het aan."),
)
TOEGEKEND = (
    "Het past goed bij de regeling. Veel buren doen mee en het plan is duidelijk.",
    "Een mooi plan dat mensen bij elkaar brengt. De begroting is goed onderbouwd.",
    "Dit helpt mensen die alleen zijn. Dat is precies waar het fonds voor is.",
)
DEELS = (
    "We betalen de zaal en de koffie. Het materiaal kan ook geleend worden bij het wijkhuis.",
    "Een deel van de kosten kan ook betaald worden door de sponsors die jullie noemen.",
)
AFGEWEZEN = (
    "De regeling is voor activiteiten in de buurt. Dit plan is vooral voor één vereniging.",
    "De begroting is niet duidelijk genoeg. Vraag het opnieuw aan met een offerte erbij.",
)
INGETROKKEN = "We hebben al geld gekregen van een fonds. We hebben de subsidie niet meer nodig."
BEREIKT = (
    "Het liep heel goed. Elke keer kwamen er meer mensen. Nu kennen veel buren elkaar.",
    "We hebben het hele jaar volgehouden. Er zijn nieuwe vrijwilligers bijgekomen.",
    "Het ging goed, maar in de zomer kwamen er minder mensen. Dat pakken we volgend jaar anders aan.",
)
VAN_WIE = (
    "Buren hielpen met opbouwen en opruimen. De supermarkt gaf koek.",
    "Zes vrijwilligers deden het werk. Het wijkhuis gaf korting op de zaal.",
)
VONDEN = (
    "Mensen vonden het gezellig. Een mevrouw zei: eindelijk ken ik mijn buren.",
    "De deelnemers willen graag dat het doorgaat. Ze gaven het een 8.",
)


def seed(now: datetime) -> dict[str, int]:
    """Load the demo subsidies unless they are there; returns what was added."""
    counts = {"regelingen": 0, "subsidieaanvragen": 0, "subsidiebesluiten": 0}
    if db.session.scalar(select(Regeling.id).where(Regeling.naam.like("Fonds sociale basis Oss %")).limit(1)):
        return counts
    bea, pieter = accounts.find_by_email(BEA), accounts.find_by_email(PIETER)
    if bea is None or pieter is None:
        return counts
    rng = random.Random(RANDOM_SEED)
    first_message = demo_support.last_message_id()
    first_entry = db.session.scalar(select(func.max(AuditEntry.id))) or 0
    jaar = local(now).year
    antwoorden: dict[int, bool] = {}  # the one-year answers to give once the question went out
    for fonds in FONDSEN:
        gemeente = db.session.scalar(select(Gemeente).where(Gemeente.code == fonds.code))
        if gemeente is None:
            continue
        regelingen = {oud: gemeente_services.create_regeling(
            gemeente=gemeente, jaar=jaar - 1 if oud else jaar,
            naam=fonds.naam.format(jaar=jaar - 1 if oud else jaar),
            budget_cents=fonds.budget * EURO, max_per_aanvraag_cents=fonds.maximum * EURO, soorten=list(SOORTEN),
            by=bea, now=now - timedelta(days=600 if oud else 100)) for oud in (True, False)}
        counts["regelingen"] += 2
        counts["subsidieaanvragen"] += _seed_gemeente(gemeente, regelingen, PLANNEN[fonds.code], pieter, rng,
                                                     antwoorden, now=now)
    # The follow-up job commits item by item, as in production: what the replay mailed before it
    # counts as sent already then, so that commit does not send it.
    demo_support.mails_sent_at_the_time(after_id=first_message, now=now)
    _follow_up(antwoorden, now)
    demo_support.mails_sent_at_the_time(after_id=first_message, now=now)
    counts["subsidiebesluiten"] = db.session.scalar(
        select(func.count(AuditEntry.id)).where(AuditEntry.id > first_entry,
                                                AuditEntry.onderwerp == "subsidieaanvraag"))
    return counts


def _seed_gemeente(gemeente: Gemeente, regelingen: dict[bool, Regeling], plannen: tuple[Plan, ...], pieter: User,
                   rng: random.Random, antwoorden: dict[int, bool], *, now: datetime) -> int:
    initiatieven = list(db.session.scalars(
        select(Initiatief).join(Wijk, Wijk.id == Initiatief.wijk_id)
        .where(Wijk.gemeente_id == gemeente.id, Initiatief.auteur_id.is_not(None))
        .order_by(Wijk.code, Initiatief.titel)))
    if not initiatieven:
        return 0
    adviseurs = _adviseurs()
    used: dict[bool, set[int]] = {True: set(), False: set()}
    afgewezen: Initiatief | None = None
    made = 0
    for plan in sorted(plannen, key=lambda p: p.zelfde_als_afgewezen):
        if plan.zelfde_als_afgewezen and afgewezen is not None:
            initiatief = afgewezen
        else:
            initiatief = _choose(initiatieven, plan, used[plan.oud], adviseurs)
        used[plan.oud].add(initiatief.id)
        aanvraag = _road(initiatief, plan, regelingen[plan.oud], pieter, adviseurs, rng, now=now)
        if plan.einde == "afgewezen" and not plan.oud:
            afgewezen = initiatief
        if plan.einde == "afgesloten" and plan.bestaat_nog in ("ja", "nee"):
            antwoorden[aanvraag.id] = plan.bestaat_nog == "ja"
        made += 1
    return made


def _adviseurs() -> list[User]:
    return list(db.session.scalars(select(User).where(User.is_demo.is_(True),
                                                      User.roles.any(RoleGrant.role == "opbouwwerker"))
                                   .order_by(User.email)))


def _adviseur(wijk_id: int, adviseurs: list[User], aanvrager_id: int) -> User | None:
    """Who can advise: an opbouwwerker of the wijk, never the aanvrager (``services.advisers``)."""
    return next((u for u in adviseurs if u.id != aanvrager_id and may(u, "adviseren", wijk_id=wijk_id)), None)


def _choose(initiatieven: list[Initiatief], plan: Plan, used: set[int], adviseurs: list[User]) -> Initiatief:
    """An initiatief not used yet for this year (or for last year): one in an opbouwwerker's wijk
    when advice is asked, an idea for a draft, a running one for an old grant."""
    free = [i for i in initiatieven if i.id not in used] or list(initiatieven)

    def fits(i: Initiatief) -> bool:
        if plan.advies:
            return _adviseur(i.wijk_id, adviseurs, i.auteur_id) is not None
        if plan.einde == "concept":
            return i.fase == "idee"
        if plan.oud:
            return i.fase in ("actief", "zelfstandig") if plan.bestaat_nog != "nee" else True
        return True

    # A map where few initiatieven lie in an opbouwwerker's wijk: one of them applies twice that year
    # rather than the advice step going missing from the demo.
    return next((i for i in free if fits(i)), None) or next((i for i in initiatieven if fits(i)), free[0])


def _road(initiatief: Initiatief, plan: Plan, regeling: Regeling, pieter: User, adviseurs: list[User],
          rng: random.Random, *, now: datetime) -> Subsidieaanvraag:
    """Take one aanvraag as far as ``plan.einde``, every step at its own moment."""
    aanvrager = initiatief.auteur
    inhoud = INHOUD.get(initiatief.categorie, INHOUD["ontmoeting"])
    moment = now - timedelta(days=plan.dagen, hours=rng.uniform(0, 6))
    clock = _Clock(moment, now)
    begun = clock.back(rng.uniform(2, 9))
    aanvraag = services.create_draft(initiatief, by=aanvrager, now=begun)
    wijk_naam = initiatief.wijk.naam if initiatief.wijk else ""
    services.edit(aanvraag, by=aanvrager, now=begun, soort=inhoud.soort, wat=inhoud.wat, voor_wie=inhoud.voor_wie,
                  regeling_id=regeling.id)
    if plan.einde == "concept":
        services.set_lines(aanvraag, [(inhoud.regels[0][0], inhoud.regels[0][1] * EURO)], by=aanvrager, now=begun)
        return aanvraag
    factor = rng.choice((0.9, 1.0, 1.1, 1.2))
    services.edit(aanvraag, by=aanvrager, now=clock.at, plek=f"{inhoud.plek} in {wijk_naam}".strip(),
                  wanneer=inhoud.wanneer, deelnemers=inhoud.deelnemers + rng.randint(-5, 10), regeling_id=regeling.id,
                  eigen_bijdrage_cents=inhoud.eigen * EURO, sponsor_bijdrage_cents=inhoud.sponsor * EURO,
                  uren_vrijwilligers=inhoud.uren, bijdragen=inhoud.bijdragen)
    services.set_lines(aanvraag, [(tekst, round(bedrag * factor) * EURO) for tekst, bedrag in inhoud.regels],
                       by=aanvrager, now=clock.at)
    services.submit(aanvraag, by=aanvrager, now=clock.at)
    if plan.einde == "ingediend":
        return aanvraag
    if plan.einde == "ingetrokken":
        services.move(aanvraag, "ingetrokken", by=aanvrager, now=clock.step(rng, 2, 8), reden=INGETROKKEN)
        return aanvraag
    services.move(aanvraag, "in_behandeling", by=pieter, now=clock.step(rng, 1, 4))
    if plan.einde == "in_behandeling":
        return aanvraag
    if plan.vraag or plan.einde == "vragen_gesteld":
        vraag, antwoord = rng.choice(VRAGEN)
        services.move(aanvraag, "vragen_gesteld", by=pieter, now=clock.step(rng, 1, 4), reden=vraag)
        if plan.einde == "vragen_gesteld":
            return aanvraag
        services.move(aanvraag, "in_behandeling", by=aanvrager, now=clock.step(rng, 1, 3), reden=antwoord)
    adviseur = _adviseur(aanvraag.wijk_id, adviseurs, aanvraag.aanvrager_id)
    if (plan.advies or plan.einde == "advies_gevraagd") and adviseur is not None:
        # Advice is only asked where an opbouwwerker can give it (services.move refuses it elsewhere).
        vraag, advies = rng.choice(ADVIES)
        services.move(aanvraag, "advies_gevraagd", by=pieter, now=clock.step(rng, 1, 3), reden=vraag)
        if plan.einde == "advies_gevraagd":
            return aanvraag
        services.move(aanvraag, "in_behandeling", by=adviseur, now=clock.step(rng, 2, 5), reden=advies)
    elif plan.einde == "advies_gevraagd":
        return aanvraag
    if plan.einde == "afgewezen":
        services.move(aanvraag, "afgewezen", by=pieter, now=clock.step(rng, 3, 9), reden=rng.choice(AFGEWEZEN))
        return aanvraag
    if plan.einde == "deels_toegekend" or (plan.advies and plan.einde != "toegekend" and rng.random() < 0.5):
        bedrag = (aanvraag.gevraagd_cents * 7 // 10) // (10 * EURO) * (10 * EURO)
        services.move(aanvraag, "deels_toegekend", by=pieter, now=clock.step(rng, 3, 9), reden=rng.choice(DEELS),
                      bedrag_cents=bedrag)
    else:
        services.move(aanvraag, "toegekend", by=pieter, now=clock.step(rng, 3, 9), reden=rng.choice(TOEGEKEND))
    if plan.einde in ("toegekend", "deels_toegekend"):
        return aanvraag
    # Paid before the activity: most in full, some in two parts.
    first = aanvraag.toegekend_cents if rng.random() < 0.7 else aanvraag.toegekend_cents // 2
    gemeente_services.record_payment(aanvraag, first, by=pieter, now=clock.step(rng, 5, 15))
    services.move(aanvraag, "verantwoording_gevraagd", by=pieter, now=clock.step(rng, 45, 70))
    if plan.einde == "verantwoording_gevraagd":
        return aanvraag
    written = clock.step(rng, 10, 40)
    services.edit(aanvraag, by=aanvrager, now=written, bereikt=rng.choice(BEREIKT),
                  bijdragen_van_wie=rng.choice(VAN_WIE),
                  deelnemers_vonden=rng.choice(VONDEN),
                  werkelijke_kosten_cents=aanvraag.totaal_cents - rng.randint(0, 8) * 10 * EURO)
    services.move(aanvraag, "verantwoord", by=aanvrager, now=written)
    if aanvraag.toegekend_cents > aanvraag.betaald_cents:
        gemeente_services.record_payment(aanvraag, aanvraag.toegekend_cents - aanvraag.betaald_cents, by=pieter,
                                         now=written)
    if plan.einde == "verantwoord":
        return aanvraag
    services.move(aanvraag, "afgesloten", by=pieter, now=clock.step(rng, 3, 10))
    return aanvraag


class _Clock:
    """The moments of one aanvraag's steps: forward from its start, never past ``now``."""

    def __init__(self, start: datetime, now: datetime) -> None:
        self.at, self.now = start, now

    def back(self, days: float) -> datetime:
        return self.at - timedelta(days=days)

    def step(self, rng: random.Random, low: float, high: float) -> datetime:
        ahead = self.at + timedelta(days=rng.uniform(low, high))
        self.at = min(ahead, self.at + (self.now - self.at) / 2)
        return self.at


def _follow_up(antwoorden: dict[int, bool], now: datetime) -> None:
    """Run the daily follow-up on the days it had something to do (reminders, "bestaat het
    nog?"), then give the answers that came back."""
    moments: set[datetime] = set()
    for aanvraag in db.session.scalars(select(Subsidieaanvraag).where(Subsidieaanvraag.steun_eind.is_not(None))):
        moments.add(_nine(aanvraag.steun_eind + timedelta(days=opvolging.BESTAAT_NOG_NA_DAGEN), now))
    waiting = list(db.session.scalars(select(Subsidieaanvraag).where(
        Subsidieaanvraag.status == "verantwoording_gevraagd")))
    for since in opvolging.asked_at([a.id for a in waiting]).values():
        first = _next_nine(since + opvolging.VERANTWOORDING_TERMIJN, now)
        moments.add(first)
        moments.add(_next_nine(max(since + opvolging.VERANTWOORDING_TERMIJN, first) + opvolging.HERINNER_OPNIEUW,
                               now))
    for moment in sorted(m for m in moments if m <= now):
        opvolging.sweep(now=moment)
    for aanvraag_id, ja in sorted(antwoorden.items()):
        aanvraag = db.session.get(Subsidieaanvraag, aanvraag_id)
        if aanvraag.bestaat_nog_gevraagd_at is None:
            continue
        answered = clock.as_utc(aanvraag.bestaat_nog_gevraagd_at) + timedelta(days=1 + aanvraag_id % 5, hours=3)
        opvolging.answer(aanvraag, ja, now=min(answered, now))


def _nine(day: date, now: datetime) -> datetime:
    """Nine in the morning in Oss on ``day``, when beat runs the follow-up; in UTC."""
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=AMSTERDAM).astimezone(now.tzinfo)


def _next_nine(due: datetime, now: datetime) -> datetime:
    """The first run of the follow-up at or after ``due``: a reminder that falls due at noon waits
    for the next morning's run, not the one three hours before it."""
    moment = _nine(local(due).date(), now)
    return moment if moment >= due else _nine(local(due).date() + timedelta(days=1), now)
