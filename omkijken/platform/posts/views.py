"""Placing, editing and reading one post; 'reageer' and conversations; reporting.

Thin: the rules live in ``posts.services``. What is left here is turning form fields into model
values (and back, for editing) and choosing the place a post is shown at.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import folium
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import or_, select

from omkijken.platform.accounts import services as accounts
from omkijken.platform.accounts.models import User
from omkijken.platform.accounts.permissions import has_role
from omkijken.platform.areas import maps
from omkijken.platform.areas import services as areas
from omkijken.platform.areas.geocoding import normalise_postcode, split_huisnummer
from omkijken.platform.errors import RuleBroken, show_error
from omkijken.platform.extensions import db
from omkijken.platform.posts import services, vocabulary
from omkijken.platform.posts.forms import (
    FORMS,
    MELD_REDENEN,
    AntwoordForm,
    MeldForm,
    ReageerForm,
    StatusForm,
)
from omkijken.platform.posts.models import (
    Aanbod,
    Activiteit,
    Gesprek,
    Hulpvraag,
    Initiatief,
    Ontmoetingsplek,
    Post,
    Vacature,
)
from omkijken.platform.system.services import as_utc, utcnow

bp = Blueprint("posts", __name__)

LOCAL = ZoneInfo("Europe/Amsterdam")
MODELS: dict[str, type[Post]] = {
    "hulpvraag": Hulpvraag,
    "aanbod": Aanbod,
    "vacature": Vacature,
    "initiatief": Initiatief,
    "ontmoetingsplek": Ontmoetingsplek,
    "activiteit": Activiteit,
}
# Kinds that only some roles may place; everyone else sees a page that says why.
ROLES_FOR = {"aanbod": ("vrijwilliger", "coordinator", "beheerder"), "vacature": ("organisatie", "beheerder")}
# One B1 sentence per kind, for the "Wat wil je plaatsen?" page.
UITLEG = {
    "hulpvraag": _l("Je zoekt hulp. Bijvoorbeeld bij boodschappen, vervoer of de tuin."),
    "aanbod": _l("Je wilt als vrijwilliger iets voor een ander doen."),
    "vacature": _l("Je organisatie zoekt een vrijwilliger."),
    "initiatief": _l("Je hebt een plan voor je buurt en zoekt mensen, ruimte of geld."),
    "ontmoetingsplek": _l("Je kent een plek waar mensen elkaar kunnen ontmoeten."),
    "activiteit": _l("Je organiseert iets waar iedereen aan mee kan doen."),
}
KOPPEN = {
    "hulpvraag": _l("Vraag om hulp"),
    "aanbod": _l("Bied je hulp aan"),
    "vacature": _l("Plaats een vacature"),
    "initiatief": _l("Plaats je initiatief"),
    "ontmoetingsplek": _l("Plaats een ontmoetingsplek"),
    "activiteit": _l("Plaats een activiteit"),
}
OPENINGSDAGEN = tuple(vocabulary.DAGEN)
RADIUS_CHOICES = (1000, 2000, 5000, 10000)


# --- who may place what -----------------------------------------------------------------------


def _may_place(soort: str, user: Any) -> bool:
    roles = ROLES_FOR.get(soort)
    return roles is None or any(has_role(user, role) for role in roles)


def _is_coordinator() -> bool:
    return has_role(current_user, "coordinator")


# --- form <-> model ----------------------------------------------------------------------------


def _form(soort: str, post: Post | None = None):
    """The form of a kind with its choices filled in; the 'plaatsen voor' field only for a coordinator."""
    form = FORMS[soort](obj=post if post is not None and request.method == "GET" else None)
    if soort == "aanbod":
        form.wijk_ids.choices = [(w.id, w.volledige_naam) for w in areas.all_wijken()]
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
    if post is not None or not _is_coordinator():
        del form.namens_email
    return form


def _local(moment: datetime | None) -> datetime | None:
    return None if moment is None else as_utc(moment).astimezone(LOCAL)


def _utc(day, time) -> datetime:
    return datetime.combine(day, time, tzinfo=LOCAL).astimezone(timezone.utc)


def _first_line(text: str, limit: int = 80) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    if len(line) <= limit:
        return line
    return line[:limit].rsplit(" ", 1)[0] + "…"


def _values(soort: str, form) -> dict[str, Any]:
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
            "titel": _first_line(form.beschrijving.data),
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
            "start": _utc(form.datum.data, form.begintijd.data),
            "eind": _utc(form.datum.data, form.eindtijd.data) if form.eindtijd.data else None,
            "herhaling": herhaling,
            "herhaling_tot": form.herhaling_tot.data if herhaling else None,
            "plek_id": form.plek_id.data or None,
            "initiatief_id": form.initiatief_id.data or None,
            "prijs": form.prijs.data,
            "regels_gelezen": bool(form.regels_gelezen.data),
        }
    raise KeyError(soort)


def _fill(soort: str, form, post: Post) -> None:
    """Put a post's values in its form, for 'bewerken'."""
    if soort == "hulpvraag":
        form.waar.data = "thuis" if _at_home(post) else "anders"
    if soort == "initiatief":
        form.waar.data = "thuis" if post.op_huisadres else "plek"
    if soort == "aanbod":
        form.gebied.data = "wijken" if post.wijk_ids else "afstand"
    if soort == "ontmoetingsplek":
        for dag in OPENINGSDAGEN:
            getattr(form, f"open_{dag}").data = (post.openingstijden or {}).get(dag, "")
    if soort == "activiteit":
        start, eind = _local(post.start), _local(post.eind)
        form.datum.data, form.begintijd.data = start.date(), start.time().replace(second=0, microsecond=0)
        form.eindtijd.data = eind.time().replace(second=0, microsecond=0) if eind else None
        form.plek_id.data = post.plek_id or 0
        form.initiatief_id.data = post.initiatief_id or 0
        form.regels_gelezen.data = post.regels_gelezen


# --- where a post is ---------------------------------------------------------------------------


def _at_home(post: Post) -> bool:
    """Whether a post is at its author's home (only to fill the edit form; never shown)."""
    home = accounts.home_latlon(post.auteur)
    if home is None:
        return False
    lat, lon = services.exact_point(post)
    return abs(lat - home[0]) < 1e-6 and abs(lon - home[1]) < 1e-6


def _typed_place(form) -> tuple[float, float] | None:
    """A point tapped on the map, or else the postcode and huisnummer looked up; None when empty."""
    try:
        if form.lat.data and form.lon.data:
            return float(form.lat.data), float(form.lon.data)
    except ValueError:
        pass
    postcode, nummer = form.postcode.data, form.huisnummer.data
    if not postcode and not nummer:
        return None
    code = normalise_postcode(postcode) if postcode else None
    if code is None:
        raise services.PostError("postcode", _l("Vul een postcode in zoals 5341 AB."))
    number = split_huisnummer(nummer) if nummer else None
    if number is None:
        raise services.PostError("huisnummer", _l("Vul een huisnummer in zoals 12 of 12a."))
    found = current_app.extensions["omkijken.geocoder"].lookup(code, f"{number[0]}{number[1]}")
    if found is None:
        raise services.PostError(
            "kaart", _l("We konden dit adres niet vinden. Kijk of de postcode klopt, of wijs de plek aan op de kaart.")
        )
    return found.lat, found.lon


def _required_place(form) -> tuple[float, float]:
    where = _typed_place(form)
    if where is None:
        raise services.PostError("kaart", _l("Vul de postcode en het huisnummer in, of wijs de plek aan op de kaart."))
    return where


def _where(soort: str, form, auteur: User, post: Post | None) -> tuple[tuple[float, float] | None, bool | None]:
    """(where, op_huisadres) for services.create/update. When editing, None keeps the old place."""
    editing = post is not None
    if soort == "aanbod":
        return None, None
    if soort in ("hulpvraag", "initiatief") and form.waar.data == "thuis":
        if editing and not (soort == "hulpvraag" and _at_home(post)):
            return services.home_of(auteur), True
        return None, None
    if soort == "hulpvraag":
        where = _typed_place(form) if editing else _required_place(form)
        return where, (True if where else None)
    if soort == "activiteit" and form.plek_id.data:
        plek = db.session.get(Ontmoetingsplek, form.plek_id.data)
        return services.public_point(plek), False
    where = _typed_place(form) if editing else _required_place(form)
    return where, (False if where else None)


def _auteur_en_namens(form) -> tuple[User, User | None]:
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


# --- pages -------------------------------------------------------------------------------------


@bp.get("/plaatsen")
@login_required
def nieuw():
    soorten = [(soort, label, UITLEG[soort], _may_place(soort, current_user))
               for soort, label in vocabulary.SOORTEN.items()]
    return render_template("posts/nieuw.html", soorten=soorten)


def _picker(form, post: Post | None = None):
    picked = None
    if hasattr(form, "lat"):
        try:
            picked = float(form.lat.data), float(form.lon.data)
        except (TypeError, ValueError):
            picked = None
    return maps.point_picker(current_app.config, home=picked)


def _render_form(soort: str, form, *, post: Post | None = None, map_error: str | None = None, status: int = 200):
    picker = _picker(form, post) if hasattr(form, "lat") else None
    max_prijs = current_app.config.get("ACTIVITEIT_MAX_PRIJS", 5)
    return render_template(
        "posts/formulier.html",
        soort=soort,
        kop=_("%(soort)s veranderen", soort=vocabulary.SOORTEN[soort]) if post else KOPPEN[soort],
        form=form,
        post=post,
        picker=picker,
        map_error=map_error,
        vocab=vocabulary,
        max_prijs=f"{Decimal(str(max_prijs)):.2f}".replace(".", ","),
        heeft_huis=current_user.home is not None,
    ), status


@bp.route("/plaatsen/<soort>", methods=["GET", "POST"])
@login_required
def plaatsen(soort: str):
    if soort not in FORMS:
        abort(404)
    if not _may_place(soort, current_user):
        return render_template("posts/geen_rol.html", soort=soort, soort_label=vocabulary.SOORTEN[soort]), 403
    form = _form(soort)
    map_error = None
    if form.validate_on_submit():
        try:
            auteur, namens = _auteur_en_namens(form)
            where, op_huisadres = _where(soort, form, auteur, None)
            post = MODELS[soort](**_values(soort, form))
            services.create(post, auteur=auteur, now=utcnow(), where=where, op_huisadres=op_huisadres,
                            namens=namens)
        except RuleBroken as error:
            map_error = show_error(form, error)
        else:
            flash(_("Je bericht staat op het prikbord. Dank je!"), "success")
            return redirect(url_for("posts.detail", post_id=post.id))
    return _render_form(soort, form, map_error=map_error, status=422 if request.method == "POST" else 200)


def _visible(post_id: int) -> Post:
    """A post as its reader may see it: hidden or closed ones only for who may edit them."""
    post = db.session.get(Post, post_id)
    if post is None or not (post.is_public or services.can_edit(current_user, post)):
        abort(404)
    return post


def _json_ld(post: Activiteit) -> Markup:
    """Schema.org Event for search engines; '<' is escaped so no title can end the script tag."""
    lat, lon = services.public_point(post)
    start, eind = _local(post.start), _local(post.eind)
    place: dict[str, Any] = {
        "@type": "Place",
        "name": post.plek.titel if post.plek else (post.wijk.naam if post.wijk else post.titel),
        "geo": {"@type": "GeoCoordinates", "latitude": round(lat, 5), "longitude": round(lon, 5)},
    }
    if post.plek and post.plek.adres:
        place["address"] = post.plek.adres
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": post.titel,
        "description": post.beschrijving or "",
        "startDate": start.isoformat(),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "eventStatus": "https://schema.org/EventScheduled",
        "location": place,
        "organizer": {"@type": "Person", "name": (post.auteur.naam or "").split(" ")[0]},
        "isAccessibleForFree": not post.prijs,
        "url": url_for("posts.detail", post_id=post.id, _external=True),
    }
    if eind:
        data["endDate"] = eind.isoformat()
    if post.prijs:
        data["offers"] = {"@type": "Offer", "price": f"{post.prijs:.2f}", "priceCurrency": "EUR"}
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704  (JSON built above, with every markup character escaped)


def _detail_map(post: Post):
    lat, lon = services.public_point(post)
    fmap = maps.base_map(current_app.config, centre=(lat, lon), zoom=15)
    if post.op_huisadres:
        folium.Circle([lat, lon], radius=400, color="#1d5c8f", fill=True, fill_opacity=0.15).add_to(fmap)
    else:
        folium.Marker([lat, lon]).add_to(fmap)
    return maps.parts(fmap)


def _render_detail(post: Post, *, reageer_form=None, meld_form=None, status: int = 200):
    gesprek = None
    if current_user.is_authenticated:
        gesprek = db.session.scalar(select(Gesprek).filter_by(post_id=post.id, deelnemer_id=current_user.id))
    return render_template(
        "posts/detail.html",
        post=post,
        soort_label=vocabulary.SOORTEN.get(post.soort, post.soort),
        vocab=vocabulary,
        detail_map=_detail_map(post),
        json_ld=_json_ld(post) if isinstance(post, Activiteit) else None,
        start=_local(getattr(post, "start", None)),
        eind=_local(getattr(post, "eind", None)),
        mag_bewerken=services.can_edit(current_user, post),
        gesprek=gesprek,
        reageer_form=reageer_form or ReageerForm(formdata=None),
        meld_form=meld_form or MeldForm(formdata=None),
        status_form=StatusForm(formdata=None),
        wijk_namen=_wijk_namen(post),
    ), status


def _wijk_namen(post: Post) -> list[str]:
    ids = getattr(post, "wijk_ids", None) or []
    return [w.volledige_naam for w in areas.all_wijken() if w.id in ids]


@bp.get("/prikbord/<int:post_id>")
def detail(post_id: int):
    return _render_detail(_visible(post_id))


@bp.route("/prikbord/<int:post_id>/bewerken", methods=["GET", "POST"])
@login_required
def bewerken(post_id: int):
    post = _visible(post_id)
    if not services.can_edit(current_user, post):
        abort(403)
    soort = post.soort
    form = _form(soort, post)
    if request.method == "GET":
        _fill(soort, form, post)
    map_error = None
    if form.validate_on_submit():
        try:
            where, op_huisadres = _where(soort, form, post.auteur, post)
            services.update(post, by=current_user, values=_values(soort, form), now=utcnow(),
                            where=where, op_huisadres=op_huisadres)
        except RuleBroken as error:
            map_error = show_error(form, error)
        else:
            flash(_("Je wijzigingen zijn bewaard."), "success")
            return redirect(url_for("posts.detail", post_id=post.id))
    return _render_form(soort, form, post=post, map_error=map_error,
                        status=422 if request.method == "POST" else 200)


@bp.post("/prikbord/<int:post_id>/status")
@login_required
def status(post_id: int):
    post = _visible(post_id)
    if not services.can_edit(current_user, post):
        abort(403)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            services.set_status(post, by=current_user, status=form.status.data or "", now=utcnow(),
                                reden=form.reden.data or None)
        except RuleBroken as error:
            db.session.rollback()
            flash(error.message, "warning")
        else:
            messages = {"open": _("Je bericht staat weer open."), "gepauzeerd": _("Je bericht is gepauzeerd."),
                        "gesloten": _("Je bericht is gesloten. Dank je dat je het liet weten.")}
            flash(messages[post.status], "success")
    return redirect(url_for("posts.detail", post_id=post.id))


@bp.post("/prikbord/<int:post_id>/reageer")
@login_required
def reageer(post_id: int):
    post = _visible(post_id)
    form = ReageerForm()
    if form.validate_on_submit():
        try:
            gesprek = services.respond(post, by=current_user, tekst=form.tekst.data, now=utcnow())
        except RuleBroken as error:
            show_error(form, error)
        else:
            flash(_("Je bericht is verstuurd."), "success")
            return redirect(url_for("posts.gesprek", gesprek_id=gesprek.id))
    return _render_detail(post, reageer_form=form, status=422)


@bp.post("/prikbord/<int:post_id>/melden")
@login_required
def melden(post_id: int):
    post = _visible(post_id)
    form = MeldForm()
    if not form.validate_on_submit():
        return _render_detail(post, meld_form=form, status=422)
    reden = str(MELD_REDENEN[form.reden.data])
    if form.toelichting.data:
        reden = f"{reden}: {form.toelichting.data}"
    services.report(post, by=current_user, reden=reden, now=utcnow())
    flash(_("Dank je. Een opbouwwerker kijkt ernaar."), "success")
    if post.is_public or services.can_edit(current_user, post):
        return redirect(url_for("posts.detail", post_id=post.id))
    return redirect(url_for("core.home"))


@bp.get("/gesprekken")
@login_required
def gesprekken():
    return render_template("posts/gesprekken.html", gesprekken=services.conversations_of(current_user))


@bp.route("/gesprekken/<int:gesprek_id>", methods=["GET", "POST"])
@login_required
def gesprek(gesprek_id: int):
    gesprek = db.session.get(Gesprek, gesprek_id) or abort(404)
    if current_user.id not in (gesprek.deelnemer_id, gesprek.post.auteur_id):
        abort(403)
    form = AntwoordForm()
    if form.validate_on_submit():
        try:
            services.reply(gesprek, by=current_user, tekst=form.tekst.data, now=utcnow())
        except RuleBroken as error:
            show_error(form, error)
        else:
            flash(_("Je bericht is verstuurd."), "success")
            return redirect(url_for("posts.gesprek", gesprek_id=gesprek.id, _anchor="antwoord"))
    ander = gesprek.post.auteur if current_user.id == gesprek.deelnemer_id else gesprek.deelnemer
    return render_template("posts/gesprek.html", gesprek=gesprek, ander=ander, form=form,
                           soort_label=vocabulary.SOORTEN.get(gesprek.post.soort, "")), (
        422 if form.errors else 200)


@bp.get("/mijn-berichten")
@login_required
def mijn():
    posts = db.session.scalars(
        select(Post)
        .where(or_(Post.auteur_id == current_user.id, Post.namens_id == current_user.id))
        .order_by(Post.created_at.desc(), Post.id.desc())
    ).all()
    return render_template("posts/mijn.html", posts=posts, vocab=vocabulary)
