"""The made-up neighbourhood of the demo: residents at random points inside the real wijken of Oss
and Oosterhout, their hulpvragen and aanbod (with the structural shortage of garden volunteers,
001:2366-2372), initiatieven, more meeting places and activities.

It all comes from one fixed random seed and is drawn in full before anything is written, so a
second run draws the same plan and finds every item already there.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from shapely import wkt as shapely_wkt
from shapely.geometry import Point
from shapely.prepared import prep
from sqlalchemy import func, select

from omkijken.platform.accounts import services as accounts
from omkijken.platform.accounts.models import User
from omkijken.platform.areas.models import Wijk
from omkijken.platform.clock import AMSTERDAM, at_local
from omkijken.platform.extensions import db
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Aanbod, Activiteit, Hulpvraag, Initiatief, Ontmoetingsplek, Post
from omkijken.platform.posts.vocabulary import SLOTS

RANDOM_SEED = 20_260_828
BEWONER_EMAIL = "bewoner{:02d}@demo.omkijken.nl"

VOORNAMEN = (
    "Anja", "Bram", "Carla", "Daan", "Emine", "Fatima", "Gerrit", "Henk", "Ingrid", "Jan",
    "Karin", "Lotte", "Mohamed", "Noor", "Olga", "Piet", "Ria", "Sem", "Tineke", "Wim",
    "Yusuf", "Zeynep", "Agnes", "Bas", "Corrie", "Dirk", "Els", "Frans", "Greet", "Hanneke",
    "Iris", "Joost", "Kees", "Lies", "Marieke", "Nico", "Oksana", "Paul", "Rik", "Sandra",
    "Theo", "Vera", "Willem", "Jolanda", "Marco", "Hatice", "Kasia", "Tomasz", "Anouk", "Ruud",
    "Miep", "Gert-Jan", "Ilse", "Jeroen", "Linda", "Mustafa", "Nel", "Sjaak", "Toon", "Yara",
)
INITIALEN = "ABCDGHJKLMNPRSTVW"
# Where residents live: not on the industrial estates; the pilot wijken (002:485-512) a bit more.
PILOT_WIJKEN = ("WK082806", "WK082807", "WK082606")
NIET_WONEN = ("WK082802", "WK082805", "WK082608", "WK082609")

# The numbers of the brief: about 200 vragen, 80 aanbod, 25 initiatieven, 15 plekken, 40 activiteiten.
HULPVRAGEN_PER_CATEGORIE = {
    "tuinonderhoud": 38, "vervoer": 24, "klussen": 22, "boodschappen": 20, "administratie": 20,
    "digitaal": 20, "ontmoeting": 18, "maatje": 12, "taal": 12, "mantelzorg": 8, "verenigingen": 6,
}
AANBOD_AANTAL = 80
AANBOD_MET_TUIN = 3  # tuinonderhoud is short of volunteers (001:2366-2372)
ACTIVITEITEN_AANTAL = 40

# Per category: (titel, ik wil, ik kan zelf, ik heb nodig), in the words of the Samenwerkwijze (002:679-683).
VRAAG_ZINNEN: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "tuinonderhoud": (
        ("Hulp bij het snoeien van de heg", "Ik wil dat mijn heg weer netjes is.",
         "Ik kan de takken opruimen.", "Iemand die de heg knipt. Ik heb een heggenschaar."),
        ("Gras maaien in mijn achtertuin", "Ik wil weer buiten kunnen zitten.",
         "Ik kan koffie zetten en de maaier klaarzetten.", "Iemand die één keer in de twee weken maait."),
        ("Onkruid wieden in de voortuin", "Ik wil een nette voortuin.",
         "Ik kan met een krukje een beetje helpen.", "Iemand die een ochtend mee wiedt."),
        ("Bladeren ruimen in de herfst", "Ik wil niet uitglijden op mijn pad.",
         "Ik heb een bladhark en zakken.", "Iemand die een uurtje bladeren harkt."),
        ("Tuin winterklaar maken", "Ik wil mijn planten goed door de winter helpen.",
         "Ik kan zeggen wat waar moet.", "Iemand met wat verstand van tuinieren."),
    ),
    "vervoer": (
        ("Rit naar het ziekenhuis", "Ik wil naar mijn afspraak in het ziekenhuis.",
         "Ik kan zelf naar de auto lopen.", "Iemand die mij brengt en weer ophaalt."),
        ("Samen naar de markt", "Ik wil weer zelf mijn boodschappen kiezen op de markt.",
         "Ik kan lopen met mijn rollator.", "Iemand die met mij meegaat."),
        ("Vervoer naar de huisarts", "Ik wil op tijd bij de huisarts zijn.",
         "Ik kan de rit betalen.", "Iemand met een auto."),
    ),
    "klussen": (
        ("Lamp ophangen in de kamer", "Ik wil weer licht boven de tafel.",
         "Ik heb de lamp al gekocht.", "Iemand die een trap heeft en een lamp kan ophangen."),
        ("Kastje in elkaar zetten", "Ik wil mijn nieuwe kastje gebruiken.",
         "Ik kan de onderdelen aangeven.", "Iemand die handig is met een schroevendraaier."),
        ("Lekkende kraan", "Ik wil dat de kraan niet meer drupt.",
         "Ik kan een nieuw rubbertje kopen.", "Iemand die weet hoe dat moet."),
        ("Schilderij ophangen", "Ik wil foto's van mijn kleinkinderen aan de muur.",
         "Ik kan aanwijzen waar ze moeten hangen.", "Iemand met een boormachine."),
    ),
    "boodschappen": (
        ("Wekelijkse boodschappen", "Ik wil elke week verse boodschappen in huis.",
         "Ik kan een lijstje maken en betalen.", "Iemand die één keer per week boodschappen doet."),
        ("Medicijnen ophalen bij de apotheek", "Ik wil mijn medicijnen op tijd hebben.",
         "Ik kan de apotheek bellen dat iemand komt.", "Iemand die ze ophaalt."),
        ("Zware boodschappen dragen", "Ik wil water en melk in huis hebben.",
         "Ik doe de lichte boodschappen zelf.", "Iemand die de zware dingen meeneemt."),
    ),
    "administratie": (
        ("Hulp met post en rekeningen", "Ik wil overzicht in mijn post.",
         "Ik kan alles bewaren in een map.", "Iemand die één keer per maand met mij meekijkt."),
        ("Formulier toeslagen invullen", "Ik wil weten of ik recht heb op toeslag.",
         "Ik heb mijn papieren klaarliggen.", "Iemand die mij helpt met het formulier."),
        ("Belastingaangifte samen doen", "Ik wil mijn aangifte goed en op tijd doen.",
         "Ik kan mijn DigiD gebruiken.", "Iemand die er verstand van heeft."),
    ),
    "digitaal": (
        ("Leren videobellen", "Ik wil mijn kleinkinderen zien via de telefoon.",
         "Ik heb een smartphone.", "Iemand die het geduldig uitlegt."),
        ("Hulp met DigiD", "Ik wil zelf inloggen bij de gemeente.",
         "Ik kan lezen en typen.", "Iemand die mij stap voor stap helpt."),
        ("Nieuwe tablet instellen", "Ik wil mijn tablet kunnen gebruiken.",
         "Ik weet mijn wachtwoorden.", "Iemand die de tablet met mij instelt."),
        ("Online afspraak maken", "Ik wil zelf een afspraak maken bij de huisarts.",
         "Ik heb een computer.", "Iemand die het één keer met mij doet."),
    ),
    "ontmoeting": (
        ("Iemand om koffie mee te drinken", "Ik wil wat vaker een praatje maken.",
         "Ik zet graag koffie en heb koekjes.", "Iemand die af en toe langskomt."),
        ("Samen wandelen", "Ik wil meer buiten zijn.",
         "Ik kan een half uur lopen.", "Iemand die met mij een rondje wandelt."),
        ("Samen een spelletje doen", "Ik wil weer eens rummikubben.",
         "Ik heb het spel in huis.", "Iemand die het leuk vindt om te spelen."),
    ),
    "maatje": (
        ("Maatje gezocht voor gezelschap", "Ik wil een vast iemand om mee te praten.",
         "Ik kan goed luisteren en vertellen.", "Een maatje voor ongeveer een jaar."),
        ("Maatje om samen te fietsen", "Ik wil weer fietsen maar niet alleen.",
         "Ik heb een fiets.", "Een vast maatje voor elke week."),
    ),
    "taal": (
        ("Nederlands oefenen", "Ik wil beter Nederlands praten.",
         "Ik volg al een taalles.", "Iemand om mee te praten in het Nederlands."),
        ("Hulp met brieven van school", "Ik wil begrijpen wat de school schrijft.",
         "Ik kan een beetje Nederlands lezen.", "Iemand die de brieven met mij leest."),
    ),
    "mantelzorg": (
        ("Even vrij van de zorg", "Ik wil één middag voor mezelf.",
         "Ik zorg de rest van de week zelf.", "Iemand die een middag bij mijn man blijft."),
        ("Oppas voor mijn moeder", "Ik wil naar een verjaardag kunnen.",
         "Ik leg uit wat mijn moeder nodig heeft.", "Iemand die een avond oppast."),
    ),
    "verenigingen": (
        ("Hulp bij de ledenadministratie", "Onze club wil de ledenlijst op orde.",
         "We hebben een computer en een lijst.", "Iemand die handig is met Excel."),
        ("Vrijwilliger voor de kantine", "Onze vereniging wil de kantine open houden.",
         "We maken een rooster.", "Iemand voor een zaterdag per maand."),
    ),
}

# Per category: a title for an offer, "ik kan voor een ander doen" (002:1119).
AANBOD_ZINNEN: dict[str, tuple[str, ...]] = {
    "ontmoeting": ("Ik kom graag koffie drinken", "Gezellig een praatje maken"),
    "maatje": ("Ik wil maatje zijn", "Vast maatje voor een wandeling"),
    "vervoer": ("Ik rijd je naar een afspraak", "Chauffeur voor ritjes in de buurt"),
    "klussen": ("Kleine klusjes in huis", "Handig met gereedschap"),
    "tuinonderhoud": ("Ik help in de tuin",),
    "boodschappen": ("Ik doe boodschappen voor je", "Boodschappen op zaterdag"),
    "administratie": ("Hulp met formulieren", "Ik kijk mee met je post"),
    "digitaal": ("Hulp met je telefoon of tablet", "Computerhulp aan huis"),
    "taal": ("Nederlands oefenen met mij", "Taalmaatje"),
    "mantelzorg": ("Even oppassen, zodat jij vrij bent", "Ik neem de zorg een middag over"),
    "verenigingen": ("Ik help je club met de website", "Bardienst bij een vereniging"),
}
AANBOD_GEWICHT = {
    "ontmoeting": 12, "maatje": 8, "vervoer": 12, "klussen": 10, "boodschappen": 10, "administratie": 6,
    "digitaal": 10, "taal": 6, "mantelzorg": 4, "verenigingen": 4,
}

# (titel, categorie, beschrijving, vraagt). The wijk is added to the title.
INITIATIEVEN = (
    ("Buurtmoestuin", "tuinonderhoud", "Samen groente kweken op een leeg stuk grond.", ("mensen", "ruimte")),
    ("Samen koken voor buren", "ontmoeting", "Eén keer per maand koken we voor wie alleen eet.", ("ruimte", "geld")),
    ("Boekenkastje op het plein", "taal", "Neem een boek mee, breng een boek terug.", ("informatie",)),
    ("Klusploeg voor ouderen", "klussen", "Een groep handige buren die kleine klussen doet.", ("mensen",)),
    ("Wandelmaatjes", "maatje", "We koppelen mensen die graag samen wandelen.", ("mensen",)),
    ("Taalmaatjes voor nieuwe buren", "taal", "Nieuwe buren oefenen Nederlands met een buur.", ("mensen", "informatie")),
    ("Repair café", "klussen", "Kapotte spullen samen maken in plaats van weggooien.", ("ruimte", "mensen")),
    ("Geveltuintjes in de straat", "tuinonderhoud", "Meer groen voor de huizen, samen aangelegd.", ("geld", "informatie")),
    ("Buurtbus naar de markt", "vervoer", "Een busje dat ouderen op marktdag ophaalt.", ("geld", "mensen")),
    ("Digitaal spreekuur", "digitaal", "Buren helpen elkaar met de telefoon en de computer.", ("ruimte",)),
    ("Speelmiddag voor kinderen", "ontmoeting", "Elke woensdag spelen op het grasveld.", ("mensen",)),
    ("Zwerfafval opruimen", "ontmoeting", "Eén zaterdag per maand maken we de buurt schoon.", ("informatie",)),
    ("Koffie-inloop voor mantelzorgers", "mantelzorg", "Even je verhaal kwijt bij andere mantelzorgers.", ("ruimte",)),
    ("Formulierenhulp", "administratie", "Vrijwilligers helpen met post en formulieren.", ("mensen", "ruimte")),
    ("Buurtapp voor de straat", "digitaal", "Een groepsapp zodat buren elkaar snel vinden.", ("informatie",)),
    ("Muziekmiddag", "ontmoeting", "Samen zingen en muziek luisteren met ouderen.", ("geld",)),
    ("Fietsmaatjes", "vervoer", "Samen fietsen op een duofiets.", ("geld", "mensen")),
    ("Pannenkoekenmiddag voor ouderen", "ontmoeting", "Samen eten en een praatje maken.", ("ruimte",)),
    ("Moestuinbakken bij de school", "tuinonderhoud", "Kinderen en ouderen tuinieren samen.", ("mensen", "geld")),
    ("Jongerenpodium", "verenigingen", "Jongeren maken muziek en theater voor de buurt.", ("ruimte", "geld")),
    ("Boodschappenhulp in de buurt", "boodschappen", "Wie naar de winkel gaat, neemt wat mee voor een buur.", ("mensen",)),
    ("Oppasruilclub", "mantelzorg", "Ouders passen om de beurt op elkaars kinderen.", ("informatie",)),
    ("Speeltuin opknappen", "ontmoeting", "Samen de speeltuin weer mooi maken.", ("geld", "mensen")),
    ("Kookclub voor mannen", "ontmoeting", "Mannen leren koken en eten samen.", ("ruimte",)),
    ("Vrijwilligersmarkt", "verenigingen", "Clubs laten zien wat je bij hen kunt doen.", ("informatie", "ruimte")),
)
INITIATIEF_FASEN_GEWICHT = {"idee": 6, "actief": 14, "zelfstandig": 5}

DOORDEWEEKS = {"ma": "9:00-17:00", "di": "9:00-17:00", "wo": "9:00-17:00", "do": "9:00-17:00", "vr": "9:00-17:00"}
BIEB = {"ma": "13:00-18:00", "di": "10:00-18:00", "wo": "10:00-18:00", "do": "10:00-20:00",
        "vr": "10:00-18:00", "za": "10:00-16:00"}
BUITEN = {dag: "8:00-21:00" for dag in ("ma", "di", "wo", "do", "vr", "za", "zo")}
AVOND_EN_WEEKEND = {"di": "19:00-23:00", "do": "19:00-23:00", "za": "9:00-18:00", "zo": "9:00-14:00"}
# (titel, wijk, publiek/openbaar, openingstijden, beschrijving), all public places, never a home.
EXTRA_PLEKKEN = (
    ("Bibliotheek Oss", "WK082800", "publiek", BIEB, "Lezen, koffie en elke week een digicafé."),
    ("Buurthuis de Schadewijk", "WK082801", "publiek", {**DOORDEWEEKS, "za": "10:00-13:00"},
     "Buurthuis met een grote zaal en een keuken."),
    ("Koffiecorner Ussen", "WK082807", "publiek", {"ma": "9:30-12:00", "wo": "9:30-12:00", "vr": "9:30-12:00"},
     "Een kop koffie en een praatje. Iedereen is welkom."),
    ("Speeltuin de Ruwaard", "WK082806", "openbaar", BUITEN, "Speeltuin met bankjes voor ouders en opa's en oma's."),
    ("Parkje Ussen", "WK082807", "openbaar", BUITEN, "Een groen parkje met een jeu-de-boulesbaan."),
    ("Sportkantine Oss-Zuid", "WK082803", "publiek", AVOND_EN_WEEKEND, "Kantine van de sportclub, ook voor de buurt."),
    ("Dorpshuis Berghem", "WK082810", "publiek", {**DOORDEWEEKS, "za": "9:00-17:00"}, "Het dorpshuis van Berghem."),
    ("Buurtmoestuin Krinkelhoek", "WK082804", "openbaar", {"wo": "9:00-12:00", "za": "9:00-13:00"},
     "Moestuin van en voor de buurt."),
    ("Gemeenschapshuis Lith", "WK082818", "publiek", {**DOORDEWEEKS, "zo": "10:00-12:00"}, "Ontmoeten in Lith."),
    ("Bibliotheek Oosterhout", "WK082600", "publiek", BIEB, "Lezen, koffie en hulp met de computer."),
    ("Speeltuin Oosterheide", "WK082605", "openbaar", BUITEN, "Speeltuin met een picknicktafel."),
    ("Buurthuis Leijsenakkers", "WK082604", "publiek", {**DOORDEWEEKS, "za": "10:00-14:00"},
     "Buurthuis met activiteiten voor jong en oud."),
    ("Parkje Strijen", "WK082603", "openbaar", BUITEN, "Een parkje met bankjes en een wandelpad."),
    ("Wijkcentrum Vrachelen", "WK082607", "publiek", {**DOORDEWEEKS, "za": "10:00-16:00", "zo": "10:00-13:00"},
     "Het wijkcentrum van Vrachelen."),
    ("Koffiecorner West", "WK082602", "publiek", {"di": "10:00-12:00", "do": "10:00-12:00", "za": "10:00-12:00"},
     "Koffie, thee en de krant."),
)


@dataclass(frozen=True)
class Soort:
    """A kind of activity: a group that meets again and again, or a one-off."""

    titel: str
    categorie: str
    dag: int  # 0 = Monday
    begin: time
    minuten: int
    herhaling: str
    weken: int | None
    prijs: str | None
    buiten: bool
    beschrijving: str


ACTIVITEIT_SOORTEN = (
    Soort("Wandelgroep", "ontmoeting", 1, time(10), 60, "FREQ=WEEKLY", None, None, True,
          "We wandelen een uur door de buurt. Iedereen kan mee, ook met een rollator."),
    Soort("Kaartclub", "ontmoeting", 3, time(13, 30), 150, "FREQ=WEEKLY", None, "1.00", False,
          "Klaverjassen en jokeren. Je hoeft het spel nog niet te kennen."),
    Soort("Computercursus voor beginners", "digitaal", 2, time(10), 120, "FREQ=WEEKLY", 8, "2.50", False,
          "In acht lessen leer je e-mailen, zoeken op internet en veilig inloggen."),
    Soort("Koffieochtend", "ontmoeting", 4, time(10), 90, "FREQ=WEEKLY", None, "0.50", False,
          "Koffie, thee en een praatje met buren."),
    Soort("Taalcafé", "taal", 0, time(19), 90, "FREQ=WEEKLY", None, None, False,
          "Nederlands oefenen in een gewoon gesprek."),
    Soort("Repair café", "klussen", 5, time(10), 180, "FREQ=MONTHLY", None, None, False,
          "Neem je kapotte lamp, fiets of broek mee. Samen maken we het."),
    Soort("Samen eten", "ontmoeting", 3, time(17, 30), 120, "FREQ=MONTHLY", None, "4.00", False,
          "Een warme maaltijd aan een lange tafel. Opgeven kan tot de dag ervoor."),
    Soort("Breiclub", "ontmoeting", 2, time(14), 120, "FREQ=WEEKLY;INTERVAL=2", None, None, False,
          "Breien en haken met elkaar. Wol is er ook."),
    Soort("Digicafé", "digitaal", 1, time(14), 120, "FREQ=WEEKLY", None, None, False,
          "Vragen over je telefoon, tablet of DigiD? Neem je apparaat mee."),
    Soort("Werkochtend moestuin", "tuinonderhoud", 5, time(10), 120, "FREQ=WEEKLY", None, None, True,
          "Samen wieden, zaaien en oogsten. Handschoenen liggen klaar."),
    Soort("Jeu de boules", "ontmoeting", 0, time(14), 120, "FREQ=WEEKLY", None, "1.00", True,
          "Een balletje gooien en gezellig buiten zijn."),
    Soort("Mantelzorgcafé", "mantelzorg", 2, time(19, 30), 90, "FREQ=MONTHLY", None, None, False,
          "Even praten met andere mantelzorgers, met koffie en tips."),
    Soort("Spreekuur post en formulieren", "administratie", 3, time(10), 120, "FREQ=WEEKLY;INTERVAL=2", None, None,
          False, "Vrijwilligers kijken met je mee naar brieven en formulieren."),
    Soort("Voorleesochtend", "taal", 5, time(10, 30), 60, "FREQ=WEEKLY", None, None, False,
          "Voorlezen voor kinderen van 2 tot 6 jaar, met hun ouders."),
    Soort("Stoelyoga", "ontmoeting", 4, time(14), 60, "FREQ=WEEKLY", 12, "2.00", False,
          "Rustig bewegen op een stoel. Goed voor iedereen."),
    Soort("Informatieavond vrijwilligerswerk", "verenigingen", 1, time(19, 30), 90, "", None, None, False,
          "Wat kun je doen voor een ander? Clubs en buren vertellen erover."),
    Soort("Opschoonochtend", "ontmoeting", 5, time(10), 120, "", None, None, True,
          "Samen de buurt schoonmaken. Grijpers en zakken zijn er."),
)


@dataclass(frozen=True)
class Bewoner:
    email: str
    naam: str
    roles: tuple[str, ...]
    wijk: str
    home: tuple[float, float]


@dataclass(frozen=True)
class Plan:
    """One post to make: who posts it, where, and the post itself (not yet in the session)."""

    soort: str
    auteur: str  # email
    titel: str
    where: tuple[float, float] | None  # None: at the place ``plek`` (activities)
    op_huisadres: bool
    values: dict
    plek: str | None = None
    initiatief: tuple[str, str] | None = None  # (author email, title)
    created_days_ago: float = 0.0


class _Wijken:
    """The real wijk polygons (from the database, as areas.services reads them), for sampling."""

    def __init__(self) -> None:
        rows = db.session.execute(
            select(Wijk.code, Wijk.naam, func.ST_AsText(Wijk.geom)).order_by(Wijk.code)
        ).all()
        self.naam = {code: naam for code, naam, _ in rows}
        self.shape = {code: shapely_wkt.loads(text) for code, _, text in rows}
        self.prepared = {code: prep(shape) for code, shape in self.shape.items()}

    def point_in(self, code: str, rng: random.Random) -> tuple[float, float]:
        """A random point inside the wijk (lat, lon), rounded to about 1 m."""
        shape = self.shape[code]
        min_x, min_y, max_x, max_y = shape.bounds
        for _ in range(10_000):
            x, y = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
            if self.prepared[code].contains(Point(x, y)):
                return round(y, 5), round(x, 5)
        inside = shape.representative_point()
        return inside.y, inside.x


def _next_weekday(today: date, weekday: int, rng: random.Random, *, monthly: bool) -> date:
    """A day with this weekday in the coming three weeks (for a monthly rule: on day 1-28)."""
    for _ in range(50):
        day = today + timedelta(days=rng.randint(1, 21))
        day += timedelta(days=(weekday - day.weekday()) % 7)
        if not monthly or day.day <= 28:
            return day
    return day


def plan_neighbourhood(
    wijken: _Wijken, *, now: datetime, named_places: tuple[tuple[str, str], ...]
) -> tuple[list[Bewoner], list[Plan]]:
    """``named_places`` are (title, wijk code) of the places that exist already; activities use them too."""
    """Draw every resident and post from the fixed seed. Reads nothing but the wijk polygons."""
    rng = random.Random(RANDOM_SEED)
    woon = [c for c in wijken.shape if c not in NIET_WONEN]
    woon += [c for c in PILOT_WIJKEN if c in wijken.shape] * 3

    bewoners = []
    for index, voornaam in enumerate(VOORNAMEN, start=1):
        wijk = rng.choice(woon)
        roles = ("inwoner",) if index % 3 == 0 else ("inwoner", "vrijwilliger")
        bewoners.append(Bewoner(BEWONER_EMAIL.format(index), f"{voornaam} {rng.choice(INITIALEN)}.", roles, wijk,
                                wijken.point_in(wijk, rng)))
    vrijwilligers = [b for b in bewoners if "vrijwilliger" in b.roles]

    plans: list[Plan] = []
    plekken = {naam: wijk for naam, wijk in named_places}
    for titel, wijk, plek_soort, tijden, beschrijving in EXTRA_PLEKKEN:
        plekken[titel] = wijk
        plans.append(Plan("ontmoetingsplek", "opbouwwerker@demo.omkijken.nl", titel, wijken.point_in(wijk, rng), False, {
            "beschrijving": beschrijving, "categorie": "ontmoeting", "plek_soort": plek_soort,
            "openingstijden": dict(tijden), "bij_benadering": True,
        }))

    today = now.astimezone(AMSTERDAM).date()
    for categorie, aantal in HULPVRAGEN_PER_CATEGORIE.items():
        for _ in range(aantal):
            bewoner = rng.choice(bewoners)
            titel, wil, kan, nodig = rng.choice(VRAAG_ZINNEN[categorie])
            dagdelen = sorted(rng.sample(SLOTS, rng.randint(1, 4)), key=SLOTS.index)
            eenmalig = categorie in {"vervoer", "klussen", "administratie"} and rng.random() < 0.6
            plans.append(Plan("hulpvraag", bewoner.email, titel, bewoner.home, True, {
                "categorie": categorie, "beschrijving": f"{wil} {nodig}", "wil": wil, "kan_zelf": kan,
                "nodig": nodig, "dagdelen": dagdelen,
                "datum": today + timedelta(days=rng.randint(2, 21)) if eenmalig else None,
                "periode_tot": None if eenmalig else today + timedelta(days=rng.choice((30, 60, 90, 180))),
            }, created_days_ago=rng.uniform(0, 45)))

    tuin = set(rng.sample(range(AANBOD_AANTAL), AANBOD_MET_TUIN))
    namen, gewichten = list(AANBOD_GEWICHT), list(AANBOD_GEWICHT.values())
    for index in range(AANBOD_AANTAL):
        bewoner = vrijwilligers[index % len(vrijwilligers)]
        categorieen: list[str] = []
        wanted = rng.randint(1, 3)
        while len(categorieen) < wanted:
            pick = rng.choices(namen, gewichten)[0]
            if pick not in categorieen:
                categorieen.append(pick)
        if index in tuin:
            categorieen.insert(0, "tuinonderhoud")
        titel = rng.choice(AANBOD_ZINNEN[categorieen[0]])
        plans.append(Plan("aanbod", bewoner.email, titel, bewoner.home, True, {
            "categorie": categorieen[0], "categorieen": categorieen,
            "beschrijving": "Ik help graag een buur. Stuur me een bericht, dan spreken we iets af.",
            "dagdelen": sorted(rng.sample(SLOTS, rng.randint(2, 6)), key=SLOTS.index),
            "radius_m": rng.choice((1000, 2000, 3000, 5000)),
            "talen": ["nl"] + ([rng.choice(("en", "ar", "tr", "pl", "de"))] if rng.random() < 0.3 else []),
            "capaciteit": rng.choice((1, 1, 2)), "heeft_vog": rng.random() < 0.4,
        }, created_days_ago=rng.uniform(0, 90)))

    initiatieven: list[tuple[str, str, str]] = []  # (author, title, gemeente prefix)
    fasen, fase_gewicht = list(INITIATIEF_FASEN_GEWICHT), list(INITIATIEF_FASEN_GEWICHT.values())
    for titel, categorie, beschrijving, vraagt in INITIATIEVEN:
        bewoner = rng.choice(bewoners)
        volledig = f"{titel} {wijken.naam[bewoner.wijk]}"
        initiatieven.append((bewoner.email, volledig, bewoner.wijk[:6]))
        plans.append(Plan("initiatief", bewoner.email, volledig, wijken.point_in(bewoner.wijk, rng), False, {
            "categorie": categorie, "beschrijving": beschrijving, "vraagt": list(vraagt),
            "fase": rng.choices(fasen, fase_gewicht)[0],
        }, created_days_ago=rng.uniform(10, 120)))

    binnen = [naam for naam, wijk in plekken.items() if naam not in {p[0] for p in EXTRA_PLEKKEN if p[2] == "openbaar"}]
    buiten = [p[0] for p in EXTRA_PLEKKEN if p[2] == "openbaar"]
    hosts = {"WK0828": "opbouwwerker@demo.omkijken.nl", "WK0826": "opbouwwerker.oosterhout@demo.omkijken.nl"}
    gebruikt: set[str] = set()
    for index in range(ACTIVITEITEN_AANTAL):
        soort = ACTIVITEIT_SOORTEN[index % len(ACTIVITEIT_SOORTEN)]
        for _ in range(50):  # the same group twice in one wijk would look like a mistake
            plek = rng.choice(buiten if soort.buiten else binnen)
            wijk = plekken[plek]
            if f"{soort.titel} {wijken.naam[wijk]}" not in gebruikt:
                break
        gebruikt.add(f"{soort.titel} {wijken.naam[wijk]}")
        day = _next_weekday(today, soort.dag, rng, monthly="MONTHLY" in soort.herhaling)
        start = at_local(day, soort.begin)
        eigen = [i for i in initiatieven if i[2] == wijk[:6]]
        initiatief = rng.choice(eigen) if eigen and rng.random() < 0.3 else None
        plans.append(Plan("activiteit", initiatief[0] if initiatief else hosts[wijk[:6]],
                          f"{soort.titel} {wijken.naam[wijk]}", None, False, {
            "categorie": soort.categorie, "beschrijving": soort.beschrijving, "start": start,
            "eind": start + timedelta(minutes=soort.minuten), "herhaling": soort.herhaling,
            "herhaling_tot": day + timedelta(weeks=soort.weken - 1) if soort.weken else None,
            "prijs": Decimal(soort.prijs) if soort.prijs else None, "regels_gelezen": True,
        }, plek=plek, initiatief=initiatief[:2] if initiatief else None, created_days_ago=rng.uniform(1, 14)))
    return bewoners, plans


KINDS = {"hulpvraag": Hulpvraag, "aanbod": Aanbod, "initiatief": Initiatief,
         "ontmoetingsplek": Ontmoetingsplek, "activiteit": Activiteit}
COUNT_KEYS = {"hulpvraag": "hulpvragen", "aanbod": "aanbod", "initiatief": "initiatieven",
              "ontmoetingsplek": "plekken", "activiteit": "activiteiten"}


def seed_neighbourhood(
    *, now: datetime, counts: dict[str, int], password: str, named_places: tuple[tuple[str, str], ...]
) -> None:
    bewoners, plans = plan_neighbourhood(_Wijken(), now=now, named_places=named_places)
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.like("%@demo.omkijken.nl")))}
    for bewoner in bewoners:
        if bewoner.email in users:
            continue
        users[bewoner.email] = accounts.create_user(
            email=bewoner.email, naam=bewoner.naam, password=password, roles=bewoner.roles,
            home=bewoner.home, now=now, is_demo=True,
        )
        counts["accounts"] += 1
    db.session.flush()

    # What is already there, by kind, author and title: a second run skips exactly those.
    there = Counter(db.session.execute(select(Post.soort, Post.auteur_id, Post.titel).where(Post.is_demo)).all())
    plekken = {p.titel: p for p in db.session.scalars(select(Ontmoetingsplek).where(Ontmoetingsplek.is_demo))}
    initiatieven = {(i.auteur_id, i.titel): i for i in db.session.scalars(select(Initiatief).where(Initiatief.is_demo))}
    for plan in plans:
        auteur = users[plan.auteur]
        key = (plan.soort, auteur.id, plan.titel)
        if there[key] > 0:
            there[key] -= 1
            continue
        post = KINDS[plan.soort](titel=plan.titel, is_demo=True, **plan.values)
        where = plan.where
        if plan.plek is not None:
            post.plek = plekken[plan.plek]
            where = posts.exact_point(post.plek)  # a public place: its own point is public
        if plan.initiatief is not None:
            post.initiatief = initiatieven[(users[plan.initiatief[0]].id, plan.initiatief[1])]
        posts.create(post, auteur=auteur, now=now - timedelta(days=plan.created_days_ago), where=where,
                     op_huisadres=plan.op_huisadres)
        if plan.soort == "ontmoetingsplek":
            plekken[post.titel] = post
        elif plan.soort == "initiatief":
            initiatieven[(auteur.id, post.titel)] = post
        counts[COUNT_KEYS[plan.soort]] += 1
