"""The reasons of a voorstel in the reader's language.

The engine gives each reason as a code with parameters (``matching.Reason``); a voorstel stores them
as ``{"code": ..., **params}``. Voorstellen made before issue 22 stored Dutch sentences. Those are
read back into codes here when they are one of the engine's known sentences, so old rows show in
English too without a migration; any other text is shown as it was stored.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import force_locale

from omkijken.matching import Reason
from omkijken.platform.i18n import gettext as _
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.posts.vocabulary import CATEGORIEEN, DAGDELEN, DAGEN, SLOTS, TALEN, slot_label

# What a volunteer does, per category, as a phrase that reads as Dutch after the volunteer's name
# ("helpt in de tuin"), instead of a category's label pasted into "helpt met ..." ("helpt met digitaal").
HELPT_MET = {
    "ontmoeting": _l("houdt graag iemand gezelschap"),
    "maatje": _l("wil graag een vast maatje zijn"),
    "vervoer": _l("helpt met vervoer"),
    "klussen": _l("helpt met klussen in huis"),
    "tuinonderhoud": _l("helpt in de tuin"),
    "boodschappen": _l("doet boodschappen"),
    "administratie": _l("helpt met brieven en formulieren"),
    "digitaal": _l("helpt met de computer en de telefoon"),
    "taal": _l("helpt met taal en meedoen"),
    "mantelzorg": _l("neemt de zorg even over"),
    "verenigingen": _l("helpt bij verenigingen"),
}
# Reasons only the volunteer reads: the resident knows how long she has waited, and it is no reason
# why this volunteer fits her.
ALLEEN_VOOR_VRIJWILLIGER = frozenset({"wacht"})

BANDEN = {"0-1": _l("binnen 1 km"), "1-3": _l("1 tot 3 km"), "3-5": _l("3 tot 5 km"),
          "5-10": _l("5 tot 10 km"), "10+": _l("meer dan 10 km")}


def _oud(table: dict[str, Any]) -> dict[str, str]:
    """A table of ours read backwards in Dutch, the language the engine wrote before issue 22."""
    with force_locale("nl"):
        return {str(label): code for code, label in table.items()}


def _lijst(woorden: list[str]) -> str:
    if len(woorden) == 1:
        return woorden[0]
    return _("%(woorden)s en %(laatste)s", woorden=", ".join(woorden[:-1]), laatste=woorden[-1])


def _klein(label: Any) -> str:
    text = str(label)
    return text[:1].lower() + text[1:]


def _helpt_met(categorie: str) -> str:
    if categorie in HELPT_MET:
        return str(HELPT_MET[categorie])
    return _("helpt met %(wat)s", wat=_klein(CATEGORIEEN.get(categorie, categorie)))


def _dagdeel(slot: str) -> str:
    return slot_label(slot) if slot in SLOTS else slot


def _oud_dagdeel(woord: str) -> str | None:
    for naam, dag in _oud(DAGEN).items():
        if woord.startswith(naam) and woord[len(naam):] in DAGDELEN:
            return f"{dag}-{woord[len(naam):]}"
    return None


def _delen(text: str) -> list[str]:
    return re.split(r", | en ", text)


def lees_oud(text: str) -> dict[str, Any] | None:
    """A Dutch sentence of the engine before issue 22 as a code with parameters, or None."""
    if band := _oud(BANDEN).get(text):
        return {"code": "afstand", "band": band}
    if text == "kan op elk dagdeel":
        return {"code": "elk_dagdeel"}
    if text == "heeft een VOG":
        return {"code": "vog"}
    if found := re.fullmatch(r"wacht al (\d+) dagen", text):
        return {"code": "wacht", "days": int(found[1])}
    if found := re.fullmatch(r"helpt met (.+)", text):
        codes = _delen(found[1])
        return {"code": "helpt_met", "categories": codes} if all(c in CATEGORIEEN for c in codes) else None
    if found := re.fullmatch(r"beiden (\d+) dagdelen, o\.a\. (\S+)", text):
        first = _oud_dagdeel(found[2])
        return {"code": "veel_dagdelen", "count": int(found[1]), "first": first} if first else None
    if found := re.fullmatch(r"beiden (.+)", text):
        slots = [_oud_dagdeel(w) for w in _delen(found[1])]
        return {"code": "dagdelen", "slots": slots} if all(slots) else None
    if found := re.fullmatch(r"spreekt (.+)", text):
        talen = [_oud(TALEN).get(w) for w in _delen(found[1])]
        return {"code": "spreekt", "languages": talen} if all(talen) else None
    return None


def _als_code(reden: Reason | dict[str, Any] | str) -> dict[str, Any] | str:
    if isinstance(reden, Reason):
        return reden.as_dict()
    if isinstance(reden, str):
        return lees_oud(reden) or reden
    return reden


def voor(redenen: list[Reason | dict[str, Any] | str] | None, kant: str | None) -> list[str]:
    """The reasons of a voorstel that one side reads (``kant``: vrijwilliger or hulpvrager), worded."""
    out = []
    for reden in redenen or ():
        gelezen = _als_code(reden)
        if kant != "vrijwilliger" and isinstance(gelezen, dict) and gelezen.get("code") in ALLEEN_VOOR_VRIJWILLIGER:
            continue
        out.append(tekst(gelezen))
    return out


def tekst(reden: Reason | dict[str, Any] | str) -> str:
    """One reason as a short phrase in the language of this request."""
    reden = _als_code(reden)
    if isinstance(reden, str):
        return reden
    try:
        return _tekst(reden)
    except (KeyError, TypeError, ValueError):
        return str(reden.get("code", ""))


def _tekst(reden: dict[str, Any]) -> str:
    code = reden["code"]
    if code == "afstand":
        return str(BANDEN[reden["band"]])
    if code == "helpt_met":
        return _lijst([_helpt_met(c) for c in reden["categories"]])
    if code == "dagdelen":
        return _("beiden %(dagdelen)s", dagdelen=_lijst([_dagdeel(s) for s in reden["slots"]]))
    if code == "veel_dagdelen":
        return _("beiden %(aantal)s dagdelen, o.a. %(eerste)s", aantal=int(reden["count"]),
                 eerste=_dagdeel(reden["first"]))
    if code == "elk_dagdeel":
        return _("kan op elk dagdeel")
    if code == "spreekt":
        return _("spreekt %(talen)s", talen=_lijst([str(TALEN.get(c, c)) for c in reden["languages"]]))
    if code == "vog":
        return _("heeft een VOG")
    if code == "wacht":
        return _("wacht al %(dagen)s dagen", dagen=int(reden["days"]))
    return str(code)
