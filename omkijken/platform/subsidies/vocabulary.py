"""The fixed words of the subsidies: codes are stored, labels are shown (and translated).

The applicant and the officer read the same status differently: the applicant what it means for
them ("De gemeente heeft een vraag"), the officer where the file is ("Wacht op antwoord").
"""

from __future__ import annotations

from omkijken.platform.i18n import lazy_gettext as _l

# How the gemeente counts: the kinds of 002:735-736, short.
SOORT_LABELS = {
    "dagontmoeting": _l("Dagontmoeting"),
    "ontmoeting": _l("Ontmoeting"),
    "sport_en_bewegen": _l("Sport en bewegen"),
    "duurzaamheid": _l("Duurzaamheid"),
    "anders": _l("Anders"),
}
# What the applicant chooses from: the same kinds, explained.
SOORT_UITLEG = {
    "dagontmoeting": _l("Dagontmoeting: een vaste plek om overdag samen te zijn"),
    "ontmoeting": _l("Ontmoeting: mensen bij elkaar brengen"),
    "sport_en_bewegen": _l("Sport en bewegen"),
    "duurzaamheid": _l("Duurzaamheid en groen"),
    "anders": _l("Iets anders"),
}
# What the officer reads: where the aanvraag is, in plain words.
STATUS_LABELS = {
    "concept": _l("Concept"),
    "ingediend": _l("Nieuw binnen"),
    "in_behandeling": _l("In behandeling"),
    "vragen_gesteld": _l("Wacht op antwoord van de aanvrager"),
    "advies_gevraagd": _l("Wacht op advies"),
    "toegekend": _l("Toegekend"),
    "deels_toegekend": _l("Deels toegekend"),
    "afgewezen": _l("Afgewezen"),
    "verantwoording_gevraagd": _l("Wacht op verantwoording"),
    "verantwoord": _l("Verantwoord"),
    "afgesloten": _l("Afgesloten"),
    "ingetrokken": _l("Ingetrokken"),
}
# What the aanvrager reads: the status in plain words.
AANVRAGER_STATUS = {
    "concept": _l("Nog niet verstuurd"),
    "ingediend": _l("Verstuurd"),
    "in_behandeling": _l("De gemeente bekijkt je aanvraag"),
    "vragen_gesteld": _l("De gemeente heeft een vraag"),
    "advies_gevraagd": _l("De gemeente vraagt advies"),
    "toegekend": _l("Toegekend"),
    "deels_toegekend": _l("Voor een deel toegekend"),
    "afgewezen": _l("Afgewezen"),
    "verantwoording_gevraagd": _l("Vertel hoe het ging"),
    "verantwoord": _l("Verantwoording verstuurd"),
    "afgesloten": _l("Afgerond"),
    "ingetrokken": _l("Ingetrokken"),
}
BIJLAGE_LABELS = {
    "offerte": _l("Een offerte of prijsopgave"),
    "foto": _l("Een foto"),
    "verantwoording": _l("Bij de verantwoording"),
}
AMOUNT_ERRORS = {
    "leeg": _l("Vul een bedrag in."),
    "negatief": _l("Een bedrag kan niet onder € 0 zijn."),
    "te_veel_decimalen": _l("Gebruik hooguit twee cijfers achter de komma, bijvoorbeeld 12,50."),
    "te_groot": _l("Dit bedrag is te groot."),
    "ongeldig": _l("Dit is geen bedrag. Schrijf het zo: 1.250,50 of 80."),
}
# Audit entries of an aanvraag that are no status: notes and payments beside the lifecycle.
NOTITIE_LABELS = {"advies_wijkraad": _l("Advies van de wijk- of dorpsraad"), "betaald": _l("Betaling vastgelegd")}
