"""The fixed words of the wijkagenda: codes are stored, labels are shown (and translated)."""

from __future__ import annotations

from omkijken.platform.i18n import lazy_gettext as _l

# What kind of punt: DOMAIN.md, "wishes, needs and signals" (002:1455-1461, 003:1076-1106).
SOORTEN = {
    "wens": _l("Een wens"),
    "behoefte": _l("Iets wat we missen"),
    "signaal": _l("Iets wat niet goed gaat"),
}
ONDERWERPEN = {
    "leefbaarheid": _l("Prettig wonen en veiligheid"),
    "voorzieningen": _l("Voorzieningen"),
    "omgeving": _l("De buurt buiten: straat, groen, spelen"),
    "samenleven": _l("Samenleven en ontmoeten"),
}
MODERATIE = {
    "ingediend": _l("Wacht op de opbouwwerker"),
    "goedgekeurd": _l("Op de wijkagenda"),
    "wijziging_gevraagd": _l("Graag iets aanpassen"),
    "geweigerd": _l("Niet geplaatst"),
    "samengevoegd": _l("Samengevoegd"),
}
STATUSSEN = {
    "nieuw": _l("Nieuw"),
    "besproken": _l("Besproken"),
    "sociale_agenda": _l("Op de sociale agenda"),
    "in_uitvoering": _l("We zijn ermee bezig"),
    "gerealiseerd": _l("Gelukt"),
    "niet_opgepakt": _l("Niet opgepakt"),
}
# The button an opbouwwerker taps for each decision.
BESLUITEN = {
    "goedkeuren": _l("Goedkeuren"),
    "wijziging_vragen": _l("Vraag om aanpassing"),
    "weigeren": _l("Weigeren"),
    "samenvoegen": _l("Samenvoegen"),
    "besproken": _l("Besproken"),
    "sociale_agenda": _l("Op de sociale agenda"),
    "in_uitvoering": _l("Mee bezig"),
    "gerealiseerd": _l("Gelukt"),
    "niet_opgepakt": _l("Niet opgepakt"),
    "toelaten": _l("Mag blijven"),
    "terugzetten": _l("Mag blijven staan"),
    "verbergen": _l("Verbergen"),
    "publiceren": _l("Sociale agenda online gezet"),
}
# Who does what on a sociale agenda: suggestions; the opbouwwerker may type any name.
WIE = ("bewoners", "gemeente", "ONS welzijn", "wijkraad", "dorpsraad", "woningcorporatie")
