"""The demo wijkagenda: eight months of residents' wishes, needs and signals in de Ruwaard (Oss) and
Dommelbergen (Oosterhout), a few in Ussen, Strijen and Lith, with support, reactions and the
opbouwwerker's decisions, and the sociale agenda each main wijk made of them (002:1455-1461,
003:1076-1106).

Everything goes through the services a resident and an opbouwwerker use (``services.create``,
``support``, ``react``, ``moderatie.decide``, ``sociale_agenda.place``), each at the moment it
would have happened, so the audit log and the status history are the ones the live code leaves.

It also leaves the opbouwwerker demo logins a workable queue: a few punten sent in the last days,
a reported post, and a few new activiteiten and initiatieven to look at. The other demo modules
place dozens of those by residents, which the live code would put in the queue too; they are
marked as looked at when they were placed, except the handful left on purpose.

One fixed random seed and one transaction (the services' own commits only flush meanwhile: a few
hundred disk syncs would take seconds, and a failure now leaves nothing half made). A second run
finds the demo punten there and adds nothing.
"""

from __future__ import annotations

import random
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterator

from sqlalchemy import func, select, update

from omkijken.platform.accounts import services as accounts
from omkijken.platform.accounts.models import RoleGrant, User
from omkijken.platform.accounts.permissions import may_moderate
from omkijken.platform.areas import services as areas
from omkijken.platform.areas.models import Wijk
from omkijken.platform.demo_neighbourhood import AMSTERDAM, _Wijken
from omkijken.platform.extensions import db
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Aanbod, Hulpvraag, Post
from omkijken.platform.system import services as system
from omkijken.platform.system.models import OutboxMessage
from omkijken.platform.wijkagenda import moderatie, services, sociale_agenda
from omkijken.platform.wijkagenda.models import Agendapunt, AuditEntry, Puntvolger, Reactie, Steun, Wijkvolger

RANDOM_SEED = 20_260_312
KARIM = "opbouwwerker@demo.omkijken.nl"
ELS = "opbouwwerker.oosterhout@demo.omkijken.nl"
BEA = "beheerder@demo.omkijken.nl"  # moderates the wijken without an opbouwwerker of their own
TRUUS = "inwoner@demo.omkijken.nl"
AHMED = "inwoner2@demo.omkijken.nl"
#: Besluit mails older than this were sent at the time; only the last days' still go out.
MAIL_RECENT = timedelta(days=3)
#: How many supporters: a few punten the whole wijk wants, most a handful.
STEUN = {"veel": (15, 36), "wat": (6, 13), "weinig": (0, 6)}
HELPERS = {"veel": (2, 5), "wat": (0, 2), "weinig": (0, 1)}


@dataclass(frozen=True)
class Punt:
    """One agendapunt and what became of it.

    ``afloop``: ``ingediend`` (waits in the queue), ``wijziging`` (waits for its author), ``geweigerd``,
    ``samengevoegd`` (into ``samen_met``), or the status an approved punt reached: ``nieuw``,
    ``besproken``, ``sociale_agenda``, ``in_uitvoering``, ``gerealiseerd``, ``niet_opgepakt``.
    Reactions starting with ``@`` are the opbouwwerker's; with ``>``, they come after the last decision.
    """

    titel: str
    beschrijving: str
    soort: str
    onderwerp: str
    dagen: float  # created this many days ago
    afloop: str
    thema: int | None = None
    steun: str = "weinig"
    plek: bool = False
    reden: str = ""
    samen_met: str | None = None
    reacties: tuple[str, ...] = ()
    auteur: str | None = None


@dataclass(frozen=True)
class Thema:
    titel: str
    tekst: str
    wie: str
    over_dagen: int | None  # the theme's date, relative to today


@dataclass(frozen=True)
class Wijkplan:
    code: str
    moderator: str
    punten: tuple[Punt, ...]
    wijkavonden: tuple[int, ...]  # days ago: where punten were talked over
    themas: tuple[Thema, ...] = ()
    agenda_titel: str = ""
    inleiding: str = ""
    agenda_dagen: int = 0  # the sociale agenda was made this many days ago, and published a few days later


RUWAARD = Wijkplan(
    code="WK082806",
    moderator=KARIM,
    wijkavonden=(205, 150, 101, 46, 15),
    agenda_dagen=98,
    agenda_titel="Sociale agenda de Ruwaard",
    inleiding=(
        "Dit is de agenda van de Ruwaard. Bewoners schreven op wat zij willen voor hun wijk. Op de wijkavonden "
        "hebben we gekozen waar we samen aan werken. Per thema staat wie wat doet. Wil je meehelpen? "
        "Zeg het bij een punt, of kom langs in Wijkhuis de Ruwaard."
    ),
    themas=(
        Thema("Elkaar ontmoeten",
              "Meer plekken en momenten om buren te zien, vooral voor ouderen die vaak alleen zijn. "
              "We beginnen in het wijkhuis en kijken daarna wat er nog meer nodig is.",
              "bewoners, ONS welzijn, Wijkhuis de Ruwaard", 60),
        Thema("Veilig en prettig op straat",
              "Minder hard rijden, veilig oversteken en goed licht op de paden. De gemeente kijkt mee; "
              "bewoners zeggen waar het misgaat.",
              "bewoners, gemeente, wijkagent", 120),
        Thema("Groen en spelen",
              "Speelplekken die heel zijn, bankjes om even uit te rusten en samen tuinieren.",
              "bewoners, gemeente, woningcorporatie", 150),
        Thema("Meedoen en de taal",
              "Hulp bij brieven en formulieren dichtbij, en Nederlands oefenen in een gewoon gesprek.",
              "bewoners, ONS welzijn, bibliotheek", 90),
    ),
    punten=(
        Punt("Meer ontmoeting voor ouderen in de Ruwaard",
             "Veel ouderen in onze wijk zitten vaak alleen thuis. Ik wil graag een vaste plek waar je zonder "
             "afspraak koffie drinkt en een praatje maakt. Bijvoorbeeld twee ochtenden per week in het wijkhuis.",
             "behoefte", "samenleven", 212, "in_uitvoering", thema=0, steun="veel", auteur=TRUUS,
             reden="Vanaf volgende maand is er op dinsdag en vrijdag een koffieochtend in het wijkhuis.",
             reacties=("Mijn buurvrouw is 84 en komt bijna de deur niet meer uit. Dit zou haar goed doen.",
                       "Ik wil wel koffie zetten op de dinsdag.",
                       "@Dank voor alle reacties! We bespreken dit op de volgende wijkavond.",
                       "Kan er ook iemand zijn die mensen ophaalt die slecht lopen?")),
        Punt("Speeltuin aan de Kastanjelaan is kapot",
             "De schommel hangt scheef en bij de glijbaan steekt een spijker uit. Mijn kinderen spelen er elke dag. "
             "Kan de gemeente dit maken?",
             "signaal", "omgeving", 190, "gerealiseerd", thema=2, steun="veel", plek=True,
             reden="De gemeente heeft de schommel en de glijbaan vervangen. Dank aan iedereen die het meldde!",
             reacties=("Ik zag het ook. Het is echt gevaarlijk voor kleine kinderen.",
                       "Het hek sluit ook niet meer goed.",
                       "@Ik heb het doorgegeven aan de gemeente. Zij komen volgende week kijken.",
                       ">Wat fijn, alles is gemaakt. De kinderen zijn er blij mee.")),
        Punt("Bankjes langs de wandelroute rond de vijver",
             "Ik wandel elke dag een rondje om de vijver. Er staat maar één bankje. Voor mensen met een rollator "
             "is het rondje zo te lang. Met een paar bankjes meer kan iedereen mee.",
             "wens", "omgeving", 163, "sociale_agenda", thema=2, steun="veel", plek=True,
             reacties=("Ja! Halverwege even zitten zou fijn zijn.",
                       "Graag ook een bankje in de schaduw.",
                       "De wandelgroep van dinsdag steunt dit.")),
        Punt("Hardrijders in de Vijfhoekstraat",
             "Auto's rijden hier veel te hard, vooral 's avonds en in het weekend. Er spelen veel kinderen op "
             "straat. Ik ben bang dat het een keer misgaat.",
             "signaal", "leefbaarheid", 176, "in_uitvoering", thema=1, steun="veel", plek=True,
             reden="De gemeente hangt een snelheidsmeter op en kijkt daarna naar drempels.",
             reacties=("Vorige week scheurde er weer een auto langs. Mijn zoon stond net op de stoep.",
                       "Misschien helpen bloembakken op de weg?",
                       "@De wijkagent komt op de wijkavond vertellen wat hij kan doen.")),
        Punt("Een taalcafé in het buurthuis",
             "Ik woon drie jaar in Nederland. Ik wil beter Nederlands praten, maar thuis spreek ik mijn eigen taal. "
             "Een avond in de week praten met buren in het buurthuis zou mij helpen.",
             "wens", "samenleven", 221, "gerealiseerd", thema=3, steun="wat",
             reden="Het taalcafé is er nu elke maandagavond in Wijkhuis de Ruwaard.",
             reacties=("Ik wil wel helpen als taalmaatje.",
                       "Mijn schoonzus zoekt dit ook!")),
        Punt("Het pad achter de Lindeboomstraat is 's avonds donker",
             "Op het fietspad achter de Lindeboomstraat zijn twee lantaarns kapot. Als ik 's avonds van mijn werk "
             "kom, fiets ik liever om. Dat duurt veel langer.",
             "signaal", "leefbaarheid", 131, "sociale_agenda", thema=1, steun="wat", plek=True,
             reacties=("Ik loop daar met de hond en vind het ook eng.",)),
        Punt("Hondenpoep op het grasveld bij de school",
             "Op het grasveld naast de basisschool ligt veel hondenpoep. Kinderen spelen daar in de pauze.",
             "signaal", "omgeving", 152, "besproken", steun="weinig", plek=True,
             reden="Besproken op de wijkavond. We vragen de gemeente om een extra afvalbak met zakjes.",
             reacties=("Een bordje en een bak met zakjes zou al helpen.",)),
        Punt("Een moestuin voor de hele buurt",
             "Achter de flats ligt een stuk gras waar niemand iets mee doet. Daar kunnen we samen groente kweken. "
             "Dan leer je ook je buren kennen.",
             "wens", "omgeving", 141, "sociale_agenda", thema=2, steun="wat",
             reacties=("Ik heb vroeger een volkstuin gehad. Ik help graag.",
                       "Mijn kinderen willen ook meedoen.")),
        Punt("Hulp bij formulieren dicht bij huis",
             "Voor hulp met brieven en formulieren moet ik naar het centrum. Dat is ver voor mij. "
             "Kan er een spreekuur in de wijk komen?",
             "behoefte", "voorzieningen", 112, "sociale_agenda", thema=3, steun="weinig"),
        Punt("Geen pinautomaat meer bij het winkelcentrum",
             "De pinautomaat bij het winkelcentrum is weg. Ouderen die niet met de app betalen, "
             "kunnen nergens meer geld halen.",
             "signaal", "voorzieningen", 201, "niet_opgepakt", steun="wat", plek=True,
             reden="De bank zet de automaat niet terug. Geld halen kan bij het servicepunt in de bibliotheek; "
                   "daar helpen vrijwilligers ook met de bank-app.",
             reacties=(">Jammer. Voor mijn vader is dit echt lastig.",)),
        Punt("Jongeren hebben geen plek om samen te zijn",
             "De jongeren in onze straat hangen bij de bushalte, omdat er geen andere plek is. "
             "Een eigen plek met een dak zou voor iedereen beter zijn.",
             "behoefte", "samenleven", 96, "besproken", steun="weinig",
             reden="Besproken op de wijkavond. We vragen de jongeren zelf wat zij willen."),
        Punt("Vuilcontainers staan vaak vol",
             "De containers bij de flat zitten elk weekend vol. Dan staan er zakken naast.",
             "signaal", "leefbaarheid", 86, "niet_opgepakt", steun="weinig", plek=True,
             reden="Dit past beter bij een melding aan de gemeente, via de website of de app. "
                   "Dan komt de vuilniswagen sneller."),
        Punt("Samen eten met buren, één keer per maand",
             "Ik eet vaak alleen. Samen koken en eten met buren lijkt mij gezellig. "
             "Iedereen neemt iets mee of betaalt een klein bedrag.",
             "wens", "samenleven", 236, "gerealiseerd", thema=0, steun="veel",
             reden="Elke eerste donderdag van de maand eten we samen in het wijkhuis.",
             reacties=("Ik kook graag Turks voor de buren!",
                       "Goed idee. Ik neem een toetje mee.",
                       ">Wat een gezellige avond was het gisteren.")),
        Punt("Veilig oversteken bij de basisschool",
             "Bij de school is geen zebrapad. Elke ochtend steken kinderen over tussen de auto's door.",
             "wens", "leefbaarheid", 121, "in_uitvoering", thema=1, steun="veel", plek=True,
             reden="De gemeente legt in de zomervakantie een zebrapad aan.",
             reacties=("Als ouder sta ik elke ochtend met mijn hart in mijn keel.",
                       "Misschien kunnen ouders om de beurt klaar-over zijn?")),
        Punt("Een wandelgroep op zondag",
             "Er is een wandelgroep op dinsdag, maar dan werk ik. Op zondagochtend wandelen met buren lijkt me fijn.",
             "wens", "samenleven", 41, "nieuw", steun="weinig",
             reacties=("Ik loop mee!",)),
        Punt("Meer bomen in de Berkenstraat",
             "In de Berkenstraat staan bijna geen bomen meer. In de zomer is het er heel warm.",
             "wens", "omgeving", 26, "nieuw", steun="weinig", plek=True),
        Punt("Koffie drinken met andere ouderen",
             "Ik ben weduwe en zou graag andere ouderen ontmoeten, bijvoorbeeld bij een kop koffie.",
             "behoefte", "samenleven", 72, "samengevoegd", steun="weinig",
             samen_met="Meer ontmoeting voor ouderen in de Ruwaard",
             reden="Dit vraagt hetzelfde als 'Meer ontmoeting voor ouderen in de Ruwaard'. Je steun telt nu daar mee."),
        Punt("Buurman parkeert steeds voor mijn deur",
             "Mijn buurman zet zijn bus altijd voor mijn raam. Ik heb dan geen licht in de kamer.",
             "signaal", "leefbaarheid", 31, "geweigerd",
             reden="Dit gaat over één buur, niet over de hele wijk. Praat er eerst samen over. "
                   "Lukt dat niet, dan kan Buurtbemiddeling helpen."),
        Punt("Iets doen aan eenzaamheid",
             "Er moet iets gebeuren.",
             "behoefte", "samenleven", 2.6, "wijziging", auteur=TRUUS,
             reden="Wat zou je graag willen? Schrijf erbij voor wie het is en wat er zou moeten komen. "
                   "Dan kunnen buren het beter steunen."),
        Punt("Afvalbakken langs het fietspad",
             "Langs het fietspad naar het centrum staat geen enkele afvalbak. Er ligt veel blik en plastic.",
             "wens", "omgeving", 12, "nieuw", steun="weinig", plek=True),
        Punt("Een AED in de buurt",
             "Ik weet niet waar de dichtstbijzijnde AED hangt. Bij het wijkhuis zou een goede plek zijn. "
             "Misschien kunnen we ook samen een cursus reanimeren doen.",
             "behoefte", "voorzieningen", 71, "sociale_agenda", thema=1, steun="wat",
             reacties=("Ik ben EHBO'er en geef graag uitleg.",)),
        # The queue: sent in the last days.
        Punt("Parkeerplaatsen bij het wijkhuis zijn altijd vol",
             "Bij het wijkhuis kun je bijna nooit parkeren. Voor mensen die slecht lopen is dat lastig.",
             "signaal", "leefbaarheid", 2.1, "ingediend", plek=True),
        Punt("Boekenruilkast bij de bushalte",
             "Een kastje waar je een boek pakt en een ander boek terugzet. Leuk voor jong en oud.",
             "wens", "samenleven", 1.2, "ingediend", plek=True),
        Punt("Gladde stoep bij de seniorenflat",
             "In de winter ligt er ijs op de stoep bij de seniorenflat. Niemand strooit daar.",
             "signaal", "leefbaarheid", 3.4, "ingediend", plek=True),
        Punt("Zwemmen voor vrouwen",
             "Ik wil graag leren zwemmen, maar alleen met vrouwen. Kan er een zwemuur komen?",
             "wens", "voorzieningen", 0.4, "ingediend"),
    ),
)

DOMMELBERGEN = Wijkplan(
    code="WK082606",
    moderator=ELS,
    wijkavonden=(196, 138, 84, 33, 11),
    agenda_dagen=81,
    agenda_titel="Sociale agenda Dommelbergen",
    inleiding=(
        "Wat willen we samen in Dommelbergen? Bewoners zetten hun wensen en zorgen op de wijkagenda. "
        "Op de wijkavonden in het activiteitencentrum hebben we gekozen wat we eerst oppakken. "
        "Bij elk thema staat wie er aan werkt. Doe mee: iedereen is welkom."
    ),
    themas=(
        Thema("Ontmoeten in het activiteitencentrum",
              "Het activiteitencentrum is er voor de hele wijk, ook in het weekend en 's avonds.",
              "bewoners, Oosterhout voor elkaar, Activiteitencentrum Dommelbergen", 45),
        Thema("Een veilige wijk",
              "Minder hard rijden en goed licht in de tunnels en op de paden.",
              "bewoners, gemeente, wijkagent", 100),
        Thema("Groen, spelen en schoon",
              "Heel speelgoed, bankjes bij het water en een schone wijk.",
              "bewoners, gemeente, woningcorporatie", -20),
        Thema("Niemand staat er alleen voor",
              "Hulp met boodschappen, de taal en zorg voor een ander. We zoeken buren die willen helpen.",
              "bewoners, Oosterhout voor elkaar, mantelzorgers", 75),
    ),
    punten=(
        Punt("Activiteitencentrum ook in het weekend open",
             "In het weekend is het activiteitencentrum dicht. Juist dan voelen veel ouderen zich alleen. "
             "Op zaterdag of zondag een paar uur open zou veel schelen.",
             "wens", "voorzieningen", 203, "in_uitvoering", thema=0, steun="veel",
             reden="Vanaf de herfst is het centrum op zaterdag open van 10 tot 14 uur. We zoeken nog gastvrouwen.",
             reacties=("Op zondag ben ik altijd alleen. Ik zou zeker komen.",
                       "Ik wil wel een zaterdag per maand helpen.",
                       "@We bespreken dit met het activiteitencentrum. Wie wil meehelpen? "
                       "Klik op 'ik wil meehelpen'.")),
        Punt("Speelveldje aan de Heistraat is kapot",
             "Het doeltje op het speelveldje is kapot en het hek hangt los. Kinderen lopen zo de straat op.",
             "signaal", "omgeving", 182, "gerealiseerd", thema=2, steun="veel", plek=True,
             reden="Het doeltje en het hek zijn gemaakt.",
             reacties=("Gelukkig, ik zag laatst een bal op de weg rollen.",
                       ">Super dat het zo snel geregeld is!")),
        Punt("Hardrijders in de Vlierstraat",
             "In de Vlierstraat wordt heel hard gereden. Er wonen veel gezinnen met kleine kinderen.",
             "signaal", "leefbaarheid", 151, "sociale_agenda", thema=1, steun="veel", plek=True,
             reacties=("Ik woon op de hoek en zie het elke dag.",
                       "Drempels graag!",
                       "@De gemeente gaat eerst meten hoe hard er gereden wordt.")),
        Punt("Bankjes bij de vijver in het park",
             "Rond de vijver in het park staan geen bankjes. Ouderen uit de flats willen daar graag even zitten.",
             "wens", "omgeving", 214, "gerealiseerd", thema=2, steun="wat", plek=True,
             reden="Er staan nu drie nieuwe bankjes bij de vijver.",
             reacties=(">Heel fijn, ik zit er nu elke middag even.",)),
        Punt("Een taalcafé voor nieuwe buren",
             "In onze wijk wonen veel mensen die nog Nederlands leren. Samen koffie drinken en praten helpt daarbij.",
             "wens", "samenleven", 122, "in_uitvoering", thema=3, steun="wat", auteur=AHMED,
             reden="De bibliotheek en Oosterhout voor elkaar starten samen een taalcafé in het activiteitencentrum.",
             reacties=("Ik wil taalmaatje zijn.", "Mijn vrouw komt graag.")),
        Punt("Boodschappen doen is lastig zonder auto",
             "Sinds de supermarkt in de wijk dicht is, moet ik met twee bussen naar de winkel. "
             "Met mijn rollator lukt dat bijna niet.",
             "behoefte", "voorzieningen", 142, "sociale_agenda", thema=3, steun="veel",
             reacties=("Ik rijd op vrijdag naar de markt en kan wel iemand meenemen.",
                       "Een buurtbus zou een oplossing zijn.")),
        Punt("Donkere fietstunnel onder de Ridderstraat",
             "In de fietstunnel is het licht vaak kapot. 's Avonds fiets ik er niet meer door.",
             "signaal", "leefbaarheid", 101, "sociale_agenda", thema=1, steun="wat", plek=True),
        Punt("Mantelzorgers willen elkaar ontmoeten",
             "Ik zorg voor mijn man. Soms wil ik gewoon even praten met iemand die weet hoe dat is.",
             "behoefte", "samenleven", 231, "gerealiseerd", thema=3, steun="wat",
             reden="Het mantelzorgcafé is er nu elke maand in het activiteitencentrum.",
             reacties=("Herkenbaar. Ik zorg voor mijn moeder.",)),
        Punt("Zwerfafval rond het winkelcentrum",
             "Rond het winkelcentrum ligt veel afval, vooral na het weekend.",
             "signaal", "omgeving", 91, "besproken", steun="weinig", plek=True,
             reden="Besproken op de wijkavond. Een paar bewoners willen een opschoondag organiseren."),
        Punt("Een jeu-de-boulesbaan",
             "Een baan om jeu de boules te spelen, dan kunnen we buiten samen bezig zijn.",
             "wens", "samenleven", 162, "niet_opgepakt", steun="weinig", plek=True,
             reden="Er is nu geen plek en nog niemand die de baan wil bijhouden. Wil jij dat? "
                   "Laat het weten, dan kijken we opnieuw."),
        Punt("Meer te doen voor tieners",
             "Voor kinderen tot 12 is er genoeg, maar voor tieners is er niets in de wijk.",
             "behoefte", "samenleven", 76, "besproken", steun="wat",
             reden="Besproken op de wijkavond. De jongerenwerker gaat met tieners praten."),
        Punt("Losliggende stoeptegels in de Acaciastraat",
             "In de Acaciastraat liggen veel losse tegels. Ik ben er al bijna over gevallen.",
             "signaal", "leefbaarheid", 66, "niet_opgepakt", steun="weinig", plek=True,
             reden="Losse tegels kun je direct melden bij de gemeente. Dat gaat sneller dan via de wijkagenda."),
        Punt("Computerhulp voor ouderen in de wijk",
             "Alles moet tegenwoordig via internet. Veel ouderen weten niet hoe dat werkt en durven het "
             "niet te vragen.",
             "behoefte", "voorzieningen", 56, "sociale_agenda", thema=0, steun="wat",
             reacties=("Ik wil op woensdag wel helpen.",)),
        Punt("Samen de wijk schoonmaken in het voorjaar",
             "Eén zaterdag in het voorjaar ruimen we samen de wijk op. Daarna koffie in het activiteitencentrum.",
             "wens", "omgeving", 29, "nieuw", steun="weinig"),
        Punt("Hondenuitlaatplek bij de flats",
             "Er is geen plek waar honden los mogen. Nu lopen ze over het speelveld.",
             "wens", "omgeving", 18, "nieuw", steun="weinig", plek=True),
        Punt("Een bankje bij de bushalte",
             "Bij de bushalte staat geen bankje. Wachten is zwaar als je niet lang kunt staan.",
             "wens", "omgeving", 9, "nieuw", steun="weinig", plek=True),
        Punt("Weekend open activiteitencentrum",
             "Kan het centrum ook op zondag open?",
             "wens", "voorzieningen", 59, "samengevoegd", steun="weinig",
             samen_met="Activiteitencentrum ook in het weekend open",
             reden="Dit punt vraagt hetzelfde als 'Activiteitencentrum ook in het weekend open'."),
        Punt("Tweedehands kinderkleding te koop",
             "Ik verkoop kinderkleding in maat 92 tot 116. Stuur me een bericht.",
             "wens", "samenleven", 24, "geweigerd",
             reden="Dit is een advertentie. Die past niet op de wijkagenda. Spullen weggeven kan wel op het prikbord."),
        Punt("Er moet iets gebeuren met het parkeren",
             "Het parkeren is een probleem.",
             "signaal", "leefbaarheid", 1.8, "wijziging",
             reden="Waar gaat het mis, en wanneer? Schrijf de straat erbij. Dan weten buren en de gemeente "
                   "waar het om gaat."),
        # The queue.
        Punt("Geluidsoverlast van brommers 's avonds",
             "Elke avond rijden er brommers door het park. Het is heel lawaaiig, ook na elf uur.",
             "signaal", "leefbaarheid", 2.2, "ingediend", plek=True),
        Punt("Een wandelclub voor mensen met een rollator",
             "Ik wil graag wandelen, maar de wandelgroep gaat te snel voor mij. Een rustige groep zou fijn zijn.",
             "wens", "samenleven", 1.1, "ingediend", auteur=AHMED),
        Punt("Meer prullenbakken in het park",
             "In het park staan te weinig prullenbakken. Mensen laten hun afval liggen.",
             "wens", "omgeving", 3.1, "ingediend", plek=True),
        Punt("Bloembakken in de winkelstraat",
             "De winkelstraat is grijs en kaal. Met bloembakken wordt het gezelliger. Buren willen ze wel water geven.",
             "wens", "omgeving", 0.8, "ingediend", plek=True),
        Punt("Fietsenstalling bij het activiteitencentrum",
             "Bij het activiteitencentrum kun je je fiets nergens vastzetten.",
             "wens", "voorzieningen", 0.3, "ingediend"),
    ),
)

USSEN = Wijkplan(
    code="WK082807",
    moderator=KARIM,
    wijkavonden=(90, 28),
    punten=(
        Punt("Een bankje bij de jeu-de-boulesbaan in het parkje",
             "Bij de jeu-de-boulesbaan kun je nergens zitten als je even wacht op je beurt.",
             "wens", "omgeving", 52, "nieuw", steun="wat", plek=True),
        Punt("Ontmoeting voor jonge ouders",
             "Ik ben net moeder geworden en ken nog weinig mensen in Ussen. Een ochtend voor ouders met "
             "baby's lijkt me fijn.",
             "behoefte", "samenleven", 118, "besproken", steun="wat",
             reden="Besproken op de wijkavond. De koffiecorner wil een ochtend voor jonge ouders proberen."),
        Punt("Te weinig parkeerplek bij de huisarts",
             "Bij de huisarts is bijna nooit plek. Ik moet ver lopen met mijn slechte knie.",
             "signaal", "leefbaarheid", 99, "niet_opgepakt", steun="weinig", plek=True,
             reden="De gemeente maakt er twee plekken voor gehandicapten bij. Meer plekken passen er niet."),
        Punt("Fietsers op de stoep in de Kerkstraat",
             "In de Kerkstraat fietsen veel mensen over de stoep. Voor ouderen is dat gevaarlijk.",
             "signaal", "leefbaarheid", 21, "nieuw", steun="weinig", plek=True),
        Punt("Een kinderboerderij in Ussen",
             "Een kleine kinderboerderij met geiten en kippen. Kinderen en ouderen kunnen samen helpen met de dieren.",
             "wens", "omgeving", 1.6, "ingediend"),
    ),
)

STRIJEN = Wijkplan(
    code="WK082603",
    moderator=BEA,
    wijkavonden=(),
    punten=(
        Punt("Een buurtmoestuin bij de school",
             "Naast de basisschool ligt een stuk grond. Kinderen en ouderen kunnen daar samen tuinieren.",
             "wens", "omgeving", 83, "nieuw", steun="wat"),
        Punt("Kapotte lantaarnpalen aan de Kerkstraat",
             "Al weken doen drie lantaarns het niet. Het is er 's avonds heel donker.",
             "signaal", "leefbaarheid", 34, "nieuw", steun="weinig", plek=True),
        Punt("Koffie-uurtje voor ouderen",
             "Een vaste middag in de week om samen koffie te drinken.",
             "behoefte", "samenleven", 140, "nieuw", steun="weinig"),
    ),
)

LITH = Wijkplan(
    code="WK082818",
    moderator=BEA,
    wijkavonden=(),
    punten=(
        Punt("Vaker een bus naar Oss",
             "De bus naar Oss gaat maar één keer per uur en 's avonds niet meer. Zonder auto kom je nergens.",
             "behoefte", "voorzieningen", 158, "nieuw", steun="wat"),
        Punt("Pinautomaat terug in het dorp",
             "Sinds de pinautomaat weg is, moeten ouderen naar Oss om contant geld te halen.",
             "signaal", "voorzieningen", 63, "nieuw", steun="weinig"),
    ),
)

PLANNEN = (RUWAARD, DOMMELBERGEN, USSEN, STRIJEN, LITH)

# Reactions for punten that have none of their own, by kind.
REACTIES = {
    "wens": ("Goed idee!", "Dit wil ik ook graag.", "Ik doe mee als het zover is.", "Helemaal mee eens.",
             "Wat leuk, hier heb ik al vaker aan gedacht."),
    "behoefte": ("Dit mis ik ook.", "Herkenbaar, bij ons in de straat ook.", "Ik ken meer mensen die dit zoeken.",
                 "Goed dat iemand dit opschrijft."),
    "signaal": ("Dit zie ik ook elke dag.", "Klopt, het is echt vervelend.", "Ik heb het al eens gemeld, maar er "
                "gebeurde niets.", "Goed dat dit op de agenda staat."),
}

# Reported posts: (wijk, reasons of three different residents). The post is hidden after the third.
MELDINGEN = {
    "WK082806": ("Deze persoon vroeg mij om geld te lenen.", "Ik kreeg een vreemd bericht na mijn reactie.",
                 "Volgens mij klopt dit niet. Hij vraagt geld voor zijn hulp."),
    "WK082606": ("Dit lijkt reclame voor een bedrijf.", "Hij vraagt 15 euro per uur. Dat is geen burenhulp.",
                 "Ik kreeg een onaardig bericht toen ik nee zei."),
}
# New activiteiten, ontmoetingsplekken and initiatieven left for the opbouwwerker to look at, per wijk.
TE_BEOORDELEN = {"WK082806": 2, "WK082807": 1, "WK082606": 2}
NIEUW_BINNEN = timedelta(days=30)
# Followers with the weekly mail switched off.
ZONDER_MAIL = 2
# Residents elsewhere in the gemeente who follow its main wijk too (they work or shop there).
MEER_VOLGERS = 4
# When the opbouwwerker moves a punt on after its wijkavond (days).
NA_WIJKAVOND = 1.0


class _Clock:
    """Moments for one wijk's story, never later than just before ``now``."""

    def __init__(self, now: datetime, rng: random.Random) -> None:
        self.now, self.rng = now, rng

    def ago(self, days: float) -> datetime:
        return self.clamp(self.now - timedelta(days=days))

    def clamp(self, moment: datetime) -> datetime:
        return min(moment, self.now - timedelta(minutes=5))

    def office_hours(self, moment: datetime, *, after: datetime) -> datetime:
        """The opbouwwerker works by day: the same moment moved into 9:00-17:00, still after
        ``after`` and before now (else ``moment`` as it is)."""
        local = moment.astimezone(AMSTERDAM)
        if 9 <= local.hour < 17:
            return moment
        shifted = local.replace(hour=9 if local.hour < 9 else 16)
        if shifted <= after:
            shifted = (local + timedelta(days=1)).replace(hour=9)
        shifted = shifted.astimezone(moment.tzinfo)
        return shifted if after < shifted < self.now - timedelta(minutes=5) else moment

    def evening(self, days: float) -> datetime:
        """Half past seven in the evening, this many days ago: when a wijkavond starts."""
        local = (self.now - timedelta(days=days)).astimezone(AMSTERDAM)
        return self.clamp(local.replace(hour=19, minute=30, second=0, microsecond=0).astimezone(self.now.tzinfo))

    def between(self, start: datetime, end: datetime, *, early: bool = False) -> datetime:
        """A moment between ``start`` and ``end``; with ``early`` more often near the start (support
        comes mostly in the first weeks)."""
        fraction = self.rng.random() ** 2 if early else self.rng.random()
        return self.clamp(start + (end - start) * fraction)


def seed(now: datetime) -> dict[str, int]:
    """Load the demo wijkagenda unless it is there; returns what was added."""
    counts = {"agendapunten": 0, "steunbetuigingen": 0, "agendareacties": 0, "meehelpers": 0, "wijkvolgers": 0,
              "sociale agenda's": 0, "meldingen": 0, "moderatiebesluiten": 0}
    if db.session.scalar(select(Agendapunt.id).where(Agendapunt.is_demo.is_(True)).limit(1)) is not None:
        return counts
    rng = random.Random(RANDOM_SEED)
    db.session.commit()
    first_message = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
    first_entry = db.session.scalar(select(func.max(AuditEntry.id))) or 0
    with _one_transaction():
        residents = _residents()
        wijken = _Wijken()
        for plan in PLANNEN:
            wijk = areas.wijk_by_code(plan.code)
            moderator = accounts.find_by_email(plan.moderator)
            if wijk is None or moderator is None:
                continue
            _seed_wijk(plan, wijk, moderator, residents, wijken, rng, now=now)
        _seed_followers(residents, rng, now=now)
        counts["meldingen"] = _seed_reports(residents, rng, now=now)
        _mark_reviewed(now=now)
        # What the opbouwwerkers decided months ago was mailed at the time; only the last days' still goes out.
        db.session.execute(
            update(OutboxMessage).where(OutboxMessage.id > first_message, OutboxMessage.task == system.SEND_EMAIL,
                                        OutboxMessage.created_at < now - MAIL_RECENT, OutboxMessage.done_at.is_(None))
            .values(done_at=now).execution_options(synchronize_session=False))

    demo_punten = select(Agendapunt.id).where(Agendapunt.is_demo.is_(True))
    counts["agendapunten"] = db.session.scalar(select(func.count()).select_from(demo_punten.subquery()))
    counts["steunbetuigingen"] = db.session.scalar(
        select(func.count()).select_from(Steun).where(Steun.punt_id.in_(demo_punten)))
    counts["agendareacties"] = db.session.scalar(
        select(func.count(Reactie.id)).where(Reactie.punt_id.in_(demo_punten)))
    counts["meehelpers"] = db.session.scalar(
        select(func.count()).select_from(Puntvolger).where(Puntvolger.punt_id.in_(demo_punten),
                                                           Puntvolger.meehelpen.is_(True)))
    counts["wijkvolgers"] = db.session.scalar(select(func.count(Wijkvolger.id)))
    counts["sociale agenda's"] = sum(1 for plan in PLANNEN if plan.themas)
    counts["moderatiebesluiten"] = db.session.scalar(
        select(func.count(AuditEntry.id)).where(AuditEntry.id > first_entry))
    return counts


@contextmanager
def _one_transaction() -> Iterator[None]:
    """Inside, ``db.session.commit()`` (which every service calls) only flushes; the work is
    committed once at the end, or rolled back as a whole when something fails."""
    session = db.session()
    session.commit = session.flush  # type: ignore[method-assign]
    try:
        yield
    except BaseException:
        del session.commit
        session.rollback()
        raise
    del session.commit
    session.commit()


def _residents() -> dict[str, list[User]]:
    """Demo residents with a home, by the code of their wijk, in a fixed order."""
    people = db.session.scalars(
        select(User).where(User.is_demo.is_(True), User.home.is_not(None), User.wijk_id.is_not(None),
                           User.roles.any(RoleGrant.role == "inwoner"))
        .order_by(User.email)
    ).all()
    by_wijk: dict[str, list[User]] = {}
    for person in people:
        by_wijk.setdefault(person.wijk.code, []).append(person)
    return by_wijk


def _neighbours(residents: dict[str, list[User]], code: str) -> tuple[list[User], list[User]]:
    """Who lives in the wijk, and who lives elsewhere in the same gemeente."""
    here = list(residents.get(code, []))
    elsewhere = [p for c, people in sorted(residents.items()) if c != code and c[:6] == code[:6] for p in people]
    return here, elsewhere


def _supporters(rng: random.Random, here: list[User], elsewhere: list[User], *, exclude: User | None,
                count: int) -> list[User]:
    """``count`` different people, the wijk's own residents first more often."""
    pool = [p for p in here + elsewhere if exclude is None or p.id != exclude.id]
    local = {p.id for p in here}
    keyed = sorted(pool, key=lambda p: rng.random() * (0.35 if p.id in local else 1.0))
    return keyed[:count]


def _plek(wijken: _Wijken, wijk: Wijk, rng: random.Random) -> tuple[float, float] | None:
    """A spot in public space inside the wijk that ``areas.locate`` also puts in it (the CBS
    buurten and wijken are coarse and do not always agree at the edges)."""
    for _ in range(50):
        lat, lon = wijken.point_in(wijk.code, rng)
        if getattr(areas.locate(lat, lon).wijk, "id", None) == wijk.id:
            return lat, lon
    return None


def _seed_wijk(plan: Wijkplan, wijk: Wijk, moderator: User, residents: dict[str, list[User]], wijken: _Wijken,
               rng: random.Random, *, now: datetime) -> None:
    clock = _Clock(now, rng)
    here, elsewhere = _neighbours(residents, plan.code)
    authors = here or elsewhere
    if not authors:
        return
    by_email = {p.email: p for p in here + elsewhere}
    made: dict[str, Agendapunt] = {}
    approved_at: dict[str, datetime] = {}

    def decide(punt: Agendapunt, besluit: str, at: datetime, *, reden: str = "", samen_met: int | None = None,
               by_day: bool = True) -> datetime:
        if by_day:
            at = clock.office_hours(at, after=punt.updated_at)
        moderatie.decide(moderatie.Besluit("agendapunt", punt.id, besluit, reden=reden, samen_met=samen_met),
                         by=moderator, now=at)
        return at

    # Oldest first, merged punten last: the punt they join must be there.
    ordered = sorted(plan.punten, key=lambda p: (p.afloop == "samengevoegd", -p.dagen))
    for spec in ordered:
        auteur = by_email.get(spec.auteur) if spec.auteur else None
        if auteur is None:
            auteur = rng.choice(authors)
        created = clock.ago(spec.dagen - rng.uniform(0, 0.3))
        punt = services.create(wijk=wijk, auteur=auteur, soort=spec.soort, onderwerp=spec.onderwerp,
                               titel=spec.titel, beschrijving=spec.beschrijving,
                               plek=_plek(wijken, wijk, rng) if spec.plek else None, now=created)
        punt.is_demo = True
        db.session.commit()
        made[spec.titel] = punt
        if spec.afloop == "ingediend":
            continue
        looked_at = clock.between(created, min(created + timedelta(days=2.5), now))
        if spec.afloop == "wijziging":
            decide(punt, "wijziging_vragen", looked_at, reden=spec.reden)
        elif spec.afloop == "geweigerd":
            decide(punt, "weigeren", looked_at, reden=spec.reden)
        else:
            approved_at[spec.titel] = decide(punt, "goedkeuren", looked_at)
        if spec.afloop == "samengevoegd":  # supported for a while, then found to be the same as another
            approved = approved_at[spec.titel]
            merged = clock.between(approved + timedelta(days=3), approved + timedelta(days=20))
            _liven_up(spec, punt, here, elsewhere, moderator, rng, clock, start=approved, end=merged)
            decide(punt, "samenvoegen", merged, reden=spec.reden, samen_met=made[spec.samen_met].id)

    agenda, themas, placed_at = None, [], []
    if plan.themas:
        made_at = clock.office_hours(clock.ago(plan.agenda_dagen), after=clock.ago(plan.agenda_dagen + 1))
        agenda = sociale_agenda.start(wijk, by=moderator, now=made_at)
        agenda.is_demo = True
        sociale_agenda.save(agenda, by=moderator, titel=f"{plan.agenda_titel} {now.year}", inleiding=plan.inleiding,
                            datum=made_at.date(), now=made_at)
        for thema in plan.themas:
            datum = (now + timedelta(days=thema.over_dagen)).date() if thema.over_dagen is not None else None
            themas.append(sociale_agenda.save_thema(agenda, by=moderator, titel=thema.titel, tekst=thema.tekst,
                                                    wie=thema.wie, datum=datum, now=made_at))
            db.session.expire(agenda, ["themas"])  # a real commit would have; the next theme counts them
    for spec in ordered:
        if spec.titel not in approved_at or spec.afloop == "samengevoegd":
            continue
        punt = made[spec.titel]
        last = approved_at[spec.titel]
        if spec.afloop != "nieuw":
            evenings = [clock.evening(d) for d in plan.wijkavonden]
            evenings = [e for e in evenings if e > last + timedelta(days=2)]
            talked = evenings[0] if evenings else clock.between(last, now)
            last = decide(punt, "besproken", talked, reden=spec.reden if spec.afloop == "besproken" else "",
                          by_day=False)
        if spec.afloop == "niet_opgepakt":
            last = decide(punt, "niet_opgepakt", last + timedelta(days=NA_WIJKAVOND), reden=spec.reden)
        elif spec.afloop in ("sociale_agenda", "in_uitvoering", "gerealiseerd") and agenda is not None:
            # The agenda was made after its wijkavond; later punten joined it after theirs.
            placed = clock.office_hours(max(last + timedelta(days=NA_WIJKAVOND), made_at), after=last)
            sociale_agenda.place(punt, themas[spec.thema], by=moderator, now=placed)
            placed_at.append(last := placed)
            if spec.afloop in ("in_uitvoering", "gerealiseerd"):
                started = clock.between(placed + timedelta(days=7), placed + (now - placed) / 2)
                last = decide(punt, "in_uitvoering", started,
                              reden=spec.reden if spec.afloop == "in_uitvoering" else "")
            if spec.afloop == "gerealiseerd":
                last = decide(punt, "gerealiseerd", clock.between(last + timedelta(days=10), now), reden=spec.reden)
        _liven_up(spec, punt, here, elsewhere, moderator, rng, clock, start=approved_at[spec.titel], end=now,
                  late=last)
    if agenda is not None:
        first = clock.office_hours(made_at + timedelta(days=6), after=made_at)
        sociale_agenda.publish(agenda, by=moderator, now=first)
        later = [moment for moment in placed_at if moment > first]
        if later:  # punten joined after it was first published: a new version went out
            sociale_agenda.publish(agenda, by=moderator, now=clock.office_hours(max(later) + timedelta(days=1),
                                                                                after=max(later)))


def _liven_up(spec: Punt, punt: Agendapunt, here: list[User], elsewhere: list[User], moderator: User,
              rng: random.Random, clock: _Clock, *, start: datetime, end: datetime,
              late: datetime | None = None) -> None:
    """Support, reactions and helpers for an approved punt, between ``start`` and ``end``;
    reactions marked ``>`` come after ``late`` (what became of it)."""
    low, high = STEUN[spec.steun]
    supporters = _supporters(rng, here, elsewhere, exclude=punt.auteur, count=rng.randint(low, high))
    for person in supporters:
        services.support(punt, by=person, now=clock.between(start, end, early=True))
    low, high = HELPERS[spec.steun]
    for person in supporters[:rng.randint(low, high)]:
        services.help_out(punt, by=person, now=clock.between(start, end))
    texts = list(spec.reacties)
    if not texts and supporters and rng.random() < 0.5:
        texts = [rng.choice(REACTIES[spec.soort])]
    talkers = supporters or _supporters(rng, here, elsewhere, exclude=punt.auteur, count=len(texts))
    before = late if late is not None and late > start + timedelta(days=1) else end
    early = sorted(clock.between(start, before) for t in texts if not t.startswith(">"))
    after = sorted(clock.between(late or start, end) for t in texts if t.startswith(">"))
    moments = iter(early + after)
    for index, text in enumerate([t for t in texts if not t.startswith(">")] + [t for t in texts if t.startswith(">")]):
        text, moment = text.lstrip(">"), next(moments)
        if text.startswith("@"):
            services.react(punt, by=moderator, tekst=text[1:], now=clock.office_hours(moment, after=start))
        elif talkers:
            services.react(punt, by=talkers[index % len(talkers)], tekst=text, now=moment)


def _seed_followers(residents: dict[str, list[User]], rng: random.Random, *, now: datetime) -> None:
    """The residents of the wijken with a wijkagenda follow their wijk; a few without the weekly mail."""
    followers = [p for plan in PLANNEN for p in residents.get(plan.code, [])]
    for person in followers:
        services.follow(person.wijk, by=person, now=now - timedelta(days=rng.uniform(5, 240)))
    main = {plan.code[:6]: areas.wijk_by_code(plan.code) for plan in (DOMMELBERGEN, RUWAARD)}
    taken = {p.id for p in followers}
    others = [p for code, people in sorted(residents.items()) for p in people
              if p.id not in taken and main.get(code[:6]) is not None]
    for person in rng.sample(others, min(MEER_VOLGERS, len(others))):
        services.follow(main[person.wijk.code[:6]], by=person, now=now - timedelta(days=rng.uniform(5, 240)))
    # The printed resident logins keep the mail, to show it.
    for person in rng.sample([p for p in followers if p.email not in (TRUUS, AHMED)], ZONDER_MAIL):
        services.set_digest(person, aan=False)


def _seed_reports(residents: dict[str, list[User]], rng: random.Random, *, now: datetime) -> int:
    """In each main wijk one offer of help that three residents reported, hidden until the opbouwwerker looks."""
    made = 0
    for code, reasons in MELDINGEN.items():
        wijk = areas.wijk_by_code(code)
        if wijk is None:
            continue
        post = None
        for kind in (Aanbod, Hulpvraag):
            post = db.session.scalar(
                select(kind).where(kind.wijk_id == wijk.id, kind.is_demo.is_(True), kind.verborgen.is_(False),
                                   kind.status == "open").order_by(kind.id).limit(1))
            if post is not None:
                break
        if post is None:
            continue
        here, elsewhere = _neighbours(residents, code)
        reporters = _supporters(rng, here, elsewhere, exclude=post.auteur, count=len(reasons))
        for hours, (person, reden) in enumerate(zip(reporters, reasons)):
            posts.report(post, by=person, reden=reden, now=now - timedelta(hours=30 - 9 * hours))
            made += 1
    return made


def _mark_reviewed(*, now: datetime) -> None:
    """The demo's activiteiten, ontmoetingsplekken and initiatieven were looked at when they were
    placed, except the newest few by residents in the opbouwwerkers' wijken (of the last weeks: the
    opbouwwerker is not months behind), left for their queue."""
    keep: list[int] = []
    for code, count in TE_BEOORDELEN.items():
        wijk = areas.wijk_by_code(code)
        if wijk is None:
            continue
        candidates = db.session.scalars(
            select(Post).where(Post.wijk_id == wijk.id, Post.is_demo.is_(True),
                               Post.soort.in_(moderatie.REVIEWED_SOORTEN), Post.beoordeeld_at.is_(None),
                               Post.status != "gesloten", Post.verborgen.is_(False),
                               Post.created_at >= now - NIEUW_BINNEN)
            .order_by(Post.created_at.desc(), Post.id)
        ).all()
        # Not the named places and groups an opbouwwerker put there: what residents placed.
        by_residents = [p for p in candidates if p.auteur is not None and "opbouwwerker" not in p.auteur.role_names
                        and not may_moderate(p.auteur, wijk.id)]
        # Named after their wijk first: the coarse CBS areas put a few posts of a neighbour in it.
        chosen = sorted(by_residents or candidates, key=lambda p: wijk.naam not in p.titel)[:count]
        keep += [p.id for p in chosen]
    db.session.execute(
        update(Post).where(Post.is_demo.is_(True), Post.soort.in_(moderatie.REVIEWED_SOORTEN),
                           Post.beoordeeld_at.is_(None), Post.id.not_in(keep))
        .values(beoordeeld_at=Post.created_at).execution_options(synchronize_session=False))
    db.session.commit()
