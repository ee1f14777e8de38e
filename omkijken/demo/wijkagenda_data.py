"""What the demo wijkagenda says: per wijk the punten residents wrote, what became of each, and the
sociale agenda the opbouwwerker made of them, in B1 Dutch. ``demo_wijkagenda`` replays it through the
live services; this module is only the story."""

from __future__ import annotations

from dataclasses import dataclass

KARIM = "opbouwwerker@demo.omkijken.nl"
ELS = "opbouwwerker.oosterhout@demo.omkijken.nl"
BEA = "beheerder@demo.omkijken.nl"  # moderates the wijken without an opbouwwerker of their own
TRUUS = "inwoner@demo.omkijken.nl"
AHMED = "inwoner2@demo.omkijken.nl"

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
