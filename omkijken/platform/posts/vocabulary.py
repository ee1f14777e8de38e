"""The fixed words of the prikbord: categories, day parts, what an initiative asks for.

Codes are stored; labels are shown (and translated). Categories follow DOMAIN.md
(001:2434-2442, 004:513-515, 001:1925-1937).
"""

from __future__ import annotations

from omkijken.platform.i18n import gettext as _
from omkijken.platform.i18n import lazy_gettext as _l

CATEGORIEEN = {
    "ontmoeting": _l("Ontmoeting en gezelschap"),
    "maatje": _l("Maatje (een vaste buddy)"),
    "vervoer": _l("Vervoer"),
    "klussen": _l("Klussen in huis"),
    "tuinonderhoud": _l("Tuinonderhoud"),
    "boodschappen": _l("Boodschappen"),
    "administratie": _l("Administratie en formulieren"),
    "digitaal": _l("Digitale hulp"),
    "taal": _l("Taal en meedoen"),
    "mantelzorg": _l("Mantelzorg: even vrij, oppas"),
    "verenigingen": _l("Verenigingen en organisaties"),
}

DAGEN = {"ma": _l("maandag"), "di": _l("dinsdag"), "wo": _l("woensdag"), "do": _l("donderdag"),
         "vr": _l("vrijdag"), "za": _l("zaterdag"), "zo": _l("zondag")}
DAGDELEN = {"ochtend": _l("ochtend"), "middag": _l("middag"), "avond": _l("avond")}
# The column headings of the "when" grid, with soft hyphens: on a 320 px phone a column is about
# 55 px, narrower than "afternoon", which ran into "evening" ("afternoonevening").
DAGDEEL_KOPPEN = {"ochtend": _l("och\u00adtend"), "middag": _l("mid\u00addag"), "avond": _l("a\u00advond")}
SLOTS = [f"{dag}-{deel}" for dag in DAGEN for deel in DAGDELEN]

TALEN = {"nl": _l("Nederlands"), "en": _l("Engels"), "ar": _l("Arabisch"), "tr": _l("Turks"),
         "pl": _l("Pools"), "ti": _l("Tigrinya"), "uk": _l("Oekraïens"), "de": _l("Duits")}

INITIATIEF_VRAAGT = {"informatie": _l("Informatie"), "mensen": _l("Mensen die meedoen"),
                     "ruimte": _l("Een ruimte"), "geld": _l("Geld")}
INITIATIEF_FASEN = {"idee": _l("Idee"), "actief": _l("Actief"), "zelfstandig": _l("Zelfstandig"),
                    "losgelaten": _l("Losgelaten")}

PLEK_SOORTEN = {"publiek": _l("Binnen (publieke plek)"), "openbaar": _l("Buiten (openbare plek)")}

HERHALINGEN = {"": _l("Eén keer"), "FREQ=WEEKLY": _l("Elke week"),
               "FREQ=WEEKLY;INTERVAL=2": _l("Om de week"), "FREQ=MONTHLY": _l("Elke maand")}

STATUSSEN = {"open": _l("Open"), "gepauzeerd": _l("Gepauzeerd"), "gesloten": _l("Gesloten")}
# Set by the platform, not by the author: a hulpvraag found its volunteer.
STATUS_LABELS = {**STATUSSEN, "gekoppeld": _l("Gekoppeld")}
SLUIT_REDENEN = {"gelukt": _l("Gelukt"), "niet_meer_nodig": _l("Niet meer nodig")}
# A coordinator may close a vraag by sending the person to another place that can help.
REDEN_LABELS = {**SLUIT_REDENEN, "doorverwezen": _l("Doorverwezen")}

SOORTEN = {
    "hulpvraag": _l("Hulpvraag"),
    "aanbod": _l("Aanbod"),
    "vacature": _l("Vacature"),
    "initiatief": _l("Initiatief"),
    "ontmoetingsplek": _l("Ontmoetingsplek"),
    "activiteit": _l("Activiteit"),
}


def slot_label(slot: str) -> str:
    """One word in Dutch ("dinsdagochtend"), two in English ("Tuesday morning")."""
    dag, deel = slot.split("-")
    return _("%(dag)s%(deel)s", dag=DAGEN[dag], deel=DAGDELEN[deel])
