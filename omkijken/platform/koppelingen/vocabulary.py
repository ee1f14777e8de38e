"""The fixed words of koppelingen: kinds, statuses, and the diensten every gemeente starts with."""

from __future__ import annotations

from omkijken.platform.i18n import lazy_gettext as _l

SOORTEN = {
    "eenmalig": _l("Eenmalig: één klus of rit"),
    "periodiek": _l("Een tijdje: een reeks met een doel en een einddatum"),
    "maatje": _l("Maatje: ongeveer een jaar samen optrekken"),
}
VOORSTEL_STATUSSEN = {
    "te_bevestigen": _l("Een coördinator kijkt ernaar"),
    "open": _l("Wacht op antwoord"),
    "gekoppeld": _l("Gekoppeld"),
    "afgewezen": _l("Niet doorgegaan"),
    "vervallen": _l("Vervallen"),
}
KOPPELING_STATUSSEN = {"actief": _l("Loopt"), "gestopt": _l("Gestopt"), "afgerond": _l("Afgerond")}
AFHANDELING_SOORTEN = {
    "gebeld": _l("Gebeld"),
    "notitie": _l("Notitie"),
    "doorverwezen": _l("Doorverwezen"),
    "met_de_hand": _l("Met de hand gekoppeld"),
    "bevestigd": _l("Voorstel bevestigd"),
    "afgekeurd": _l("Voorstel afgekeurd"),
    "collectief": _l("Gekoppeld aan een groepsactiviteit"),
    "andere_dienst": _l("Naar een andere dienst"),
}

#: code, naam, beschrijving, soort_koppeling, bemiddeld, vog_nodig, categorieen
STANDAARD_DIENSTEN = (
    ("burenhulp", "Burenhulp", "Buren helpen elkaar met een klus, een rit of boodschappen.", "eenmalig",
     False, False, ("vervoer", "klussen", "tuinonderhoud", "boodschappen", "digitaal", "verenigingen")),
    ("formulierenbrigade", "Formulierenbrigade", "Hulp bij brieven, formulieren en geldzaken.", "periodiek",
     False, False, ("administratie",)),
    ("maatjes", "Maatjes", "Een vast maatje om samen dingen te doen, ongeveer een jaar.", "maatje",
     False, True, ("maatje", "ontmoeting", "taal")),
    ("blink", "Blink", "Maatjes voor een speciale groep. Een coördinator kijkt mee bij elke koppeling.", "maatje",
     True, True, ()),
    ("respijt", "Even vrij (mantelzorg)", "Een vrijwilliger neemt de zorg even over.", "periodiek",
     False, True, ("mantelzorg",)),
)

# Durability targets the seeds set: only Blink's (004:539-545, "daarom beperkt dit resultaat zich tot
# Blink"). Other diensten report their figures without a target (DOMAIN.md).
STANDAARD_DOELEN = {"blink": 0.85}

# The standard names and descriptions in the reader's language. A dienst is stored with the Dutch
# words; one still called as it came is shown translated, a name the beheerder typed as typed.
STANDAARD_WOORDEN = {
    "Burenhulp": _l("Burenhulp"),
    "Buren helpen elkaar met een klus, een rit of boodschappen.": _l(
        "Buren helpen elkaar met een klus, een rit of boodschappen."),
    "Formulierenbrigade": _l("Formulierenbrigade"),
    "Hulp bij brieven, formulieren en geldzaken.": _l("Hulp bij brieven, formulieren en geldzaken."),
    "Maatjes": _l("Maatjes"),
    "Een vast maatje om samen dingen te doen, ongeveer een jaar.": _l(
        "Een vast maatje om samen dingen te doen, ongeveer een jaar."),
    "Blink": _l("Blink"),
    "Maatjes voor een speciale groep. Een coördinator kijkt mee bij elke koppeling.": _l(
        "Maatjes voor een speciale groep. Een coördinator kijkt mee bij elke koppeling."),
    "Even vrij (mantelzorg)": _l("Even vrij (mantelzorg)"),
    "Een vrijwilliger neemt de zorg even over.": _l("Een vrijwilliger neemt de zorg even over."),
}


def vertaald(woorden: str) -> str:
    """A dienst's stored name or description in the reader's language, when it is a standard one."""
    return str(STANDAARD_WOORDEN.get(woorden, woorden))
