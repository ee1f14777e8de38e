"""Between the posting forms and the post models: filling a form from a post, reading a post's
values and place from a form. Used by the views of this folder only; the rules stay in services."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_login import current_user
from sqlalchemy import select

from omkijken.platform.accounts import services as accounts
from omkijken.platform.accounts.models import User
from omkijken.platform.accounts.permissions import may
from omkijken.platform.areas import services as areas
from omkijken.platform.areas.geocoding import GeocoderUnavailable, checked_address
from omkijken.platform.clock import at_local, local
from omkijken.platform.extensions import db
from omkijken.platform.i18n import gettext as _
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.posts import services, vocabulary
from omkijken.platform.posts.forms import FORMS
from omkijken.platform.posts.models import (
    Aanbod,
    Activiteit,
    Hulpvraag,
    Initiatief,
    Ontmoetingsplek,
    Post,
    Vacature,
)

MODELS: dict[str, type[Post]] = {
    "hulpvraag": Hulpvraag,
    "aanbod": Aanbod,
    "vacature": Vacature,
    "initiatief": Initiatief,
    "ontmoetingsplek": Ontmoetingsplek,
    "activiteit": Activiteit,
}
OPENINGSDAGEN = tuple(vocabulary.DAGEN)


# Fields a link may fill in for a new post, e.g. a collective suggestion that becomes an activiteit.
PREFILL = ("titel", "beschrijving", "categorie", "plek_id")


def _prefill() -> dict[str, Any] | None:
    if request.method != "GET":
        return None
    values: dict[str, Any] = {name: request.args[name][:500] for name in PREFILL if request.args.get(name)}
    if "plek_id" in values:
        values["plek_id"] = int(values["plek_id"]) if values["plek_id"].isdigit() else 0
    return values or None


def make_form(soort: str, post: Post | None = None):
    """The form of a kind with its choices filled in; the 'plaatsen voor' field only for a coordinator."""
    form = FORMS[soort](obj=post if post is not None and request.method == "GET" else None,
                        data=_prefill() if post is None else None)
    if soort == "aanbod":
        chosen = set(post.wijk_ids or []) if post is not None else set()
        public = set(areas.public_wijken())
        form.wijk_ids.choices = [(w.id, w.volledige_naam) for w in areas.all_wijken() if w in public or w.id in chosen]
    if soort == "activiteit":
        plekken = db.session.scalars(
            select(Ontmoetingsplek)
            .where(Ontmoetingsplek.status == "open", Ontmoetingsplek.verborgen.is_(False))
            .order_by(Ontmoetingsplek.titel)
        ).all()
        form.plek_id.choices = [(0, _("Geen: ik wijs de plek zelf aan")), *((p.id, p.titel) for p in plekken)]
        owner = post.auteur_id if post is not None else current_user.id
        eigen = db.session.scalars(
            select(Initiatief).where(Initiatief.auteur_id == owner).order_by(Initiatief.titel)
        ).all()
        form.initiatief_id.choices = [(0, _("Nee")), *((i.id, i.titel) for i in eigen)]
    if post is not None or not may(current_user, "namens_plaatsen"):
        del form.namens_email
    return form


def first_line(text: str, limit: int = 80) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    if len(line) <= limit:
        return line
    return line[:limit].rsplit(" ", 1)[0] + "…"


def values(soort: str, form) -> dict[str, Any]:
    """The model's columns, from the form."""
    if soort == "hulpvraag":
        return {
            "titel": form.titel.data,
            "wil": form.wil.data or "",
            "kan_zelf": form.kan_zelf.data or "",
            "nodig": form.nodig.data or "",
            # The list, the map and the search read the common column: give it the core of the vraag.
            "beschrijving": form.nodig.data or form.wil.data or "",
            "categorie": form.categorie.data,
            "dagdelen": [s for s in vocabulary.SLOTS if s in (form.dagdelen.data or [])],
            "datum": form.datum.data,
            "periode_tot": form.periode_tot.data,
            "voorkeur_taal": form.voorkeur_taal.data or None,
            "voorkeur_geslacht": form.voorkeur_geslacht.data or None,
        }
    if soort == "aanbod":
        categorieen = list(form.categorieen.data or [])
        return {
            "titel": first_line(form.beschrijving.data),
            "beschrijving": form.beschrijving.data,
            "categorie": categorieen[0] if categorieen else None,
            "categorieen": categorieen,
            "dagdelen": [s for s in vocabulary.SLOTS if s in (form.dagdelen.data or [])],
            "radius_m": form.radius_m.data,
            "wijk_ids": list(form.wijk_ids.data or []) if form.gebied.data == "wijken" else [],
            "talen": list(form.talen.data or []),
            "capaciteit": form.capaciteit.data,
            "heeft_vog": bool(form.heeft_vog.data),
        }
    if soort == "vacature":
        return {"titel": form.titel.data, "beschrijving": form.beschrijving.data or "",
                "categorie": form.categorie.data, "uren": form.uren.data or "", "plaats": form.plaats.data or ""}
    if soort == "initiatief":
        return {"titel": form.titel.data, "beschrijving": form.beschrijving.data or "",
                "categorie": form.categorie.data, "vraagt": list(form.vraagt.data or [])}
    if soort == "ontmoetingsplek":
        tijden = {dag: getattr(form, f"open_{dag}").data for dag in OPENINGSDAGEN}
        return {"titel": form.titel.data, "beschrijving": form.beschrijving.data or "",
                "plek_soort": form.plek_soort.data, "adres": form.adres.data or "",
                "openingstijden": {dag: tijd for dag, tijd in tijden.items() if tijd}}
    if soort == "activiteit":
        herhaling = form.herhaling.data or ""
        return {
            "titel": form.titel.data,
            "beschrijving": form.beschrijving.data or "",
            "categorie": form.categorie.data,
            "start": at_local(form.datum.data, form.begintijd.data),
            "eind": at_local(form.datum.data, form.eindtijd.data) if form.eindtijd.data else None,
            "herhaling": herhaling,
            "herhaling_tot": form.herhaling_tot.data if herhaling else None,
            "plek_id": form.plek_id.data or None,
            "initiatief_id": form.initiatief_id.data or None,
            "prijs": form.prijs.data,
            "regels_gelezen": bool(form.regels_gelezen.data),
        }
    raise KeyError(soort)


def fill(soort: str, form, post: Post) -> None:
    """Put a post's values in its form, for 'bewerken'."""
    if soort == "hulpvraag":
        form.waar.data = "thuis" if at_home(post) else "anders"
    if soort == "initiatief":
        form.waar.data = "thuis" if post.op_huisadres else "plek"
    if soort == "aanbod":
        form.gebied.data = "wijken" if post.wijk_ids else "afstand"
    if soort == "ontmoetingsplek":
        for dag in OPENINGSDAGEN:
            getattr(form, f"open_{dag}").data = (post.openingstijden or {}).get(dag, "")
    if soort == "activiteit":
        start, eind = local(post.start), local(post.eind)
        form.datum.data, form.begintijd.data = start.date(), start.time().replace(second=0, microsecond=0)
        form.eindtijd.data = eind.time().replace(second=0, microsecond=0) if eind else None
        form.plek_id.data = post.plek_id or 0
        form.initiatief_id.data = post.initiatief_id or 0
        form.regels_gelezen.data = post.regels_gelezen


# --- where a post is ---------------------------------------------------------------------------


def at_home(post: Post) -> bool:
    """Whether a post is at its author's home (only to fill the edit form; never shown)."""
    home = accounts.home_latlon(post.auteur)
    if home is None:
        return False
    lat, lon = services.exact_point(post)
    return abs(lat - home[0]) < 1e-6 and abs(lon - home[1]) < 1e-6


def typed_place(form) -> tuple[float, float] | None:
    """A point tapped on the map, or else the postcode and huisnummer looked up; None when empty."""
    try:
        if form.lat.data and form.lon.data:
            return float(form.lat.data), float(form.lon.data)
    except ValueError:
        pass
    postcode, nummer = form.postcode.data, form.huisnummer.data
    if not postcode and not nummer:
        return None
    code, number = checked_address(postcode, nummer)
    if code is None:
        raise services.PostError("postcode", _l("Vul een postcode in zoals 5341 AB."))
    if number is None:
        raise services.PostError("huisnummer", _l("Vul een huisnummer in zoals 12 of 12a."))
    try:
        found = current_app.extensions["omkijken.geocoder"].lookup(code, number)
    except GeocoderUnavailable:
        raise services.PostError("kaart", _l(
            "We kunnen adressen nu niet opzoeken. Dat ligt niet aan jou. Wijs de plek aan op de kaart, "
            "of probeer het later nog eens. Wat je hebt ingevuld, blijft staan.")) from None
    if found is None:
        raise services.PostError(
            "kaart", _l("We konden dit adres niet vinden. Kijk of de postcode klopt, of wijs de plek aan op de kaart.")
        )
    return found.lat, found.lon


def required_place(form) -> tuple[float, float]:
    where = typed_place(form)
    if where is None:
        raise services.PostError("kaart", _l("Vul de postcode en het huisnummer in, of wijs de plek aan op de kaart."))
    return where


def place_from_form(soort: str, form, auteur: User, post: Post | None) -> tuple[tuple[float, float] | None, bool | None]:
    """(where, op_huisadres) for services.create/update. When editing, None keeps the old place."""
    editing = post is not None
    if soort == "aanbod":
        return None, None
    if soort in ("hulpvraag", "initiatief") and form.waar.data == "thuis":
        if editing and not (soort == "hulpvraag" and at_home(post)):
            return services.home_of(auteur), True
        return None, None
    if soort == "hulpvraag":
        where = typed_place(form) if editing else required_place(form)
        return where, (True if where else None)
    if soort == "activiteit" and form.plek_id.data:
        plek = db.session.get(Ontmoetingsplek, form.plek_id.data)
        return services.public_point(plek), False
    where = typed_place(form) if editing else required_place(form)
    return where, (False if where else None)


def author_and_on_behalf(form) -> tuple[User, User | None]:
    email = getattr(form, "namens_email", None)
    if email is None or not email.data:
        return current_user, None
    inwoner = accounts.find_by_email(email.data)
    if inwoner is None:
        raise services.PostError(
            "namens_email", _l("We kennen geen account met dit e-mailadres. Kijk of het goed is geschreven.")
        )
    if inwoner.id == current_user.id:
        return current_user, None
    return inwoner, current_user
