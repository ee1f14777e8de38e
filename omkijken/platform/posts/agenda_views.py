"""The activity calendar per wijk and gemeente, its iCalendar feed, and the sociale kaart.

The dates come from ``posts.calendar`` (pure functions); this module only reads the database
and renders. A wijk belongs to its gemeente, so a gemeente's agenda holds all its wijken.
Links to a post are the plain ``/prikbord/<id>`` address of the post page.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Iterable
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from omkijken.platform.areas import services as areas
from omkijken.platform.areas.models import Gemeente, Wijk
from omkijken.platform.clock import as_utc, local, utcnow
from omkijken.platform.extensions import db
from omkijken.platform.formatting import datum, euro, tijd
from omkijken.platform.i18n import gettext as _
from omkijken.platform.posts import calendar
from omkijken.platform.posts.models import Activiteit, Initiatief, Ontmoetingsplek, Post
from omkijken.platform.posts.vocabulary import CATEGORIEEN, DAGEN, HERHALINGEN, INITIATIEF_FASEN

bp = Blueprint("agenda", __name__)

WEEKS_AHEAD = 8
OVERVIEW_DAYS = 14
OVERVIEW_ITEMS = 12
FEED_PAST_DAYS = 30


# --- areas ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gebied:
    """A gemeente or a wijk, as far as the agenda cares: a name and the wijken it covers."""

    code: str
    naam: str
    soort: str  # "gemeente" or "wijk"
    wijk_ids: tuple[int, ...]
    gemeente: Gemeente
    wijken: tuple[Wijk, ...] = ()


def find_gebied(code: str) -> Gebied | None:
    code = (code or "").strip().upper()
    if code.startswith("GM"):
        gemeente = db.session.scalar(select(Gemeente).filter_by(code=code))
        if gemeente is None:
            return None
        wijken = tuple(gemeente.wijken)
        public = {w.id for w in areas.public_wijken()}
        return Gebied(code, gemeente.naam, "gemeente", tuple(w.id for w in wijken), gemeente,
                      tuple(w for w in wijken if w.id in public))
    if code.startswith("WK"):
        wijk = areas.wijk_by_code(code)
        if wijk is None:
            return None
        return Gebied(code, wijk.naam, "wijk", (wijk.id,), wijk.gemeente, (wijk,))
    return None


def _gebied_or_404(code: str) -> Gebied:
    return find_gebied(code) or abort(404)


# --- queries -------------------------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    return as_utc(moment).astimezone(timezone.utc)


def current_activities(wijk_ids: Iterable[int], *, after: datetime, before: datetime | None = None) -> list[Activiteit]:
    """Open, visible activities in these wijken that may still have a date after ``after``."""
    after = _utc(after)
    today = local(after).date()
    once = and_(
        Activiteit.herhaling == "", or_(Activiteit.start >= after - timedelta(days=1), Activiteit.eind >= after)
    )
    repeats = and_(
        Activiteit.herhaling != "", or_(Activiteit.herhaling_tot.is_(None), Activiteit.herhaling_tot >= today)
    )
    stmt = (
        select(Activiteit)
        .options(selectinload(Activiteit.plek), selectinload(Activiteit.wijk))
        .where(
            Activiteit.status == "open",
            Activiteit.verborgen.is_(False),
            Activiteit.wijk_id.in_(list(wijk_ids)),
            or_(once, repeats),
        )
        .order_by(Activiteit.start, Activiteit.id)
    )
    if before is not None:
        stmt = stmt.where(Activiteit.start < _utc(before))
    return list(db.session.scalars(stmt))


# --- how an activity is shown --------------------------------------------------------------------


def post_url(post_id: int) -> str:
    return f"/prikbord/{post_id}"


def prijs_label(prijs: Decimal | None) -> str:
    if prijs is None or Decimal(prijs) <= 0:
        return _("gratis")
    return euro(prijs)


def herhaling_label(herhaling: str) -> str:
    if not herhaling:
        return ""
    label = HERHALINGEN.get(herhaling)
    return str(label) if label is not None else _("Komt vaker terug")


def plek_naam(activiteit: Activiteit) -> str:
    """Where it is, for everyone to read: the meeting place, never anyone's home address."""
    if activiteit.plek is not None:
        return activiteit.plek.titel
    if activiteit.wijk is not None:
        return _("Wijk %(wijk)s", wijk=activiteit.wijk.naam)
    return ""


@dataclass(frozen=True)
class Datum:
    """One date of one activity, ready for the template."""

    activiteit: Activiteit
    start: datetime
    eind: datetime | None

    @property
    def tijd(self) -> str:
        begin = tijd(self.start)
        if self.eind is None or self.eind.date() != self.start.date():
            return begin
        return f"{begin}–{tijd(self.eind)}"

    @property
    def url(self) -> str:
        return post_url(self.activiteit.id)

    @property
    def plek(self) -> str:
        return self.activiteit.plek.titel if self.activiteit.plek is not None else ""

    @property
    def prijs(self) -> str:
        return prijs_label(self.activiteit.prijs)

    @property
    def herhaling(self) -> str:
        return herhaling_label(self.activiteit.herhaling)


@dataclass
class Dag:
    datum: date
    naam: str
    items: list[Datum] = field(default_factory=list)


def day_name(day: date, today: date) -> str:
    label = datum(day, "EEEE d MMMM")
    if day == today:
        return _("Vandaag, %(dag)s", dag=label)
    if day == today + timedelta(days=1):
        return _("Morgen, %(dag)s", dag=label)
    return label


def agenda_days(
    activiteiten: Iterable[Activiteit], *, after: datetime, before: datetime, limit: int | None = None
) -> list[Dag]:
    pairs = []
    for activiteit in activiteiten:
        for occurrence in calendar.occurrences(
            activiteit.start, eind=activiteit.eind, herhaling=activiteit.herhaling,
            herhaling_tot=activiteit.herhaling_tot, after=after, before=before,
        ):
            pairs.append((occurrence, activiteit))
    pairs.sort(key=lambda pair: (pair[0].start, pair[1].titel.lower(), pair[1].id))
    if limit is not None:
        pairs = pairs[:limit]
    today = local(after).date()
    days: list[Dag] = []
    for occurrence, activiteit in pairs:
        if not days or days[-1].datum != occurrence.day:
            days.append(Dag(occurrence.day, day_name(occurrence.day, today)))
        days[-1].items.append(Datum(activiteit, occurrence.start, occurrence.eind))
    return days


def feed_urls(code: str) -> tuple[str, str]:
    """The https (or http) address of the feed, and the same as webcal:// for a phone."""
    site = current_app.config.get("SITE_URL") or request.host_url
    https = site.rstrip("/") + url_for("agenda.ics", code=code)
    return https, "webcal://" + https.split("://", 1)[-1]


# --- pages ---------------------------------------------------------------------------------------


@bp.get("/agenda")
def overzicht():
    now = utcnow()
    before = now + timedelta(days=OVERVIEW_DAYS)
    gemeenten = []
    for gemeente in areas.gemeenten():
        gebied = find_gebied(gemeente.code)
        activiteiten = current_activities(gebied.wijk_ids, after=now, before=before)
        gemeenten.append((gebied, agenda_days(activiteiten, after=now, before=before, limit=OVERVIEW_ITEMS)))
    return render_template("posts/agenda.html", gemeenten=gemeenten, days_ahead=OVERVIEW_DAYS)


@bp.get("/agenda/<code>.ics")
def ics(code: str):
    gebied = _gebied_or_404(code)
    now = utcnow()
    site = (current_app.config.get("SITE_URL") or request.host_url).rstrip("/")
    events = []
    for activiteit in current_activities(gebied.wijk_ids, after=now - timedelta(days=FEED_PAST_DAYS)):
        plek = plek_naam(activiteit)
        url = site + post_url(activiteit.id)
        lines = [activiteit.beschrijving.strip()] if (activiteit.beschrijving or "").strip() else []
        if plek:
            lines.append(_("Waar: %(plek)s", plek=plek))
        lines.append(_("Kosten: %(prijs)s", prijs=prijs_label(activiteit.prijs)))
        lines.append(_("Meer informatie: %(url)s", url=url))
        events.append(calendar.FeedEvent(
            id=activiteit.id, titel=activiteit.titel, beschrijving="\n".join(lines),
            start=activiteit.start, eind=activiteit.eind, herhaling=activiteit.herhaling,
            herhaling_tot=activiteit.herhaling_tot, plek=plek or None, url=url, updated=activiteit.updated_at,
        ))
    cal = calendar.build_calendar(
        _("Omkijken – Activiteiten in %(naam)s", naam=gebied.naam),
        events,
        now=now,
        domain=urlsplit(site).hostname or "omkijken.invalid",
        description=_("Activiteiten in %(naam)s, van Omkijken.", naam=gebied.naam),
    )
    response = Response(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = f'inline; filename="omkijken-{gebied.code}.ics"'
    response.headers["Cache-Control"] = "public, max-age=900"
    # Phones poll the feed: the same bytes give the same ETag and a 304 (werkzeug checks If-None-Match
    # first, then If-Modified-Since, as RFC 9110 13.2.2 says).
    response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
    response.last_modified = _last_change(gebied)
    return response.make_conditional(request)


# The feed's Last-Modified when its area never had an activity: its text only changed with the code.
FEED_EPOCH = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _last_change(gebied: Gebied) -> datetime:
    """The last change to any activity of the area, shown or not (closing one changes it too)."""
    last = db.session.scalar(select(func.max(Activiteit.updated_at)).where(Activiteit.wijk_id.in_(gebied.wijk_ids)))
    return max(_utc(last), FEED_EPOCH) if last is not None else FEED_EPOCH


@bp.get("/agenda/<code>")
def gebied(code: str):
    found = _gebied_or_404(code)
    now = utcnow()
    before = now + timedelta(weeks=WEEKS_AHEAD)
    activiteiten = current_activities(found.wijk_ids, after=now, before=before)
    days = agenda_days(activiteiten, after=now, before=before)
    https, webcal = feed_urls(found.code)
    return render_template(
        "posts/agenda_gebied.html", gebied=found, days=days, weeks=WEEKS_AHEAD,
        feed_https=https, feed_webcal=webcal,
    )


# --- sociale kaart -------------------------------------------------------------------------------


@dataclass
class WijkKaart:
    wijk: Wijk | None
    plekken: list[Ontmoetingsplek] = field(default_factory=list)
    initiatieven: list[Initiatief] = field(default_factory=list)
    groepen: list[Activiteit] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return self.wijk.code if self.wijk else "zonder-wijk"


def openingstijden(plek: Ontmoetingsplek) -> list[tuple[str, str]]:
    """Every day of the week with its hours; "dicht" when there are none."""
    tijden = plek.openingstijden or {}
    rows = []
    for code, label in DAGEN.items():
        value = tijden.get(code) if isinstance(tijden, dict) else None
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value if v)
        value = str(value).strip() if value else ""
        rows.append((str(label), value or _("dicht")))
    return rows


def _public(stmt):
    return stmt.where(Post.status == "open", Post.verborgen.is_(False))


@bp.get("/sociale-kaart")
def sociale_kaart():
    gemeenten = areas.gemeenten()
    alle_wijken = areas.public_wijken()
    gemeente_code = (request.args.get("gemeente") or "").strip().upper()
    wijk_code = (request.args.get("wijk") or "").strip().upper()
    categorie = (request.args.get("categorie") or "").strip()
    notices = []

    gemeente = next((g for g in gemeenten if g.code == gemeente_code), None)
    if gemeente_code and gemeente is None:
        notices.append(_("Deze gemeente kennen we niet. We laten alle gemeenten zien."))
        gemeente_code = ""
    wijk = next((w for w in alle_wijken if w.code == wijk_code), None)
    if wijk_code and wijk is None:
        notices.append(_("Deze wijk kennen we niet. We laten alle wijken zien."))
        wijk_code = ""
    if categorie and categorie not in CATEGORIEEN:
        notices.append(_("Dit onderwerp kennen we niet. We laten alle onderwerpen zien."))
        categorie = ""

    wijken = [
        w for w in alle_wijken
        if (gemeente is None or w.gemeente_id == gemeente.id) and (wijk is None or w.id == wijk.id)
    ]
    wijk_ids = [w.id for w in wijken]
    filtered = bool(gemeente or wijk)

    def restrict(stmt, model):
        stmt = _public(stmt)
        if filtered:
            stmt = stmt.where(model.wijk_id.in_(wijk_ids))
        if categorie:
            stmt = stmt.where(model.categorie == categorie)
        return stmt.order_by(model.titel, model.id)

    today = local(utcnow()).date()
    plekken = db.session.scalars(restrict(select(Ontmoetingsplek), Ontmoetingsplek))
    initiatieven = db.session.scalars(
        restrict(select(Initiatief), Initiatief).where(Initiatief.fase != "losgelaten")
    )
    groepen = db.session.scalars(
        restrict(select(Activiteit).options(selectinload(Activiteit.plek)), Activiteit).where(
            Activiteit.herhaling != "",
            or_(Activiteit.herhaling_tot.is_(None), Activiteit.herhaling_tot >= today),
        )
    )

    per_wijk: dict[int | None, WijkKaart] = {w.id: WijkKaart(w) for w in wijken}
    if not filtered:
        per_wijk[None] = WijkKaart(None)
    for kind, items in (("plekken", plekken), ("initiatieven", initiatieven), ("groepen", groepen)):
        for item in items:
            entry = per_wijk.get(item.wijk_id)
            if entry is not None:
                getattr(entry, kind).append(item)
    secties = [k for k in per_wijk.values() if k.plekken or k.initiatieven or k.groepen]
    totals = {
        "plekken": sum(len(k.plekken) for k in secties),
        "initiatieven": sum(len(k.initiatieven) for k in secties),
        "groepen": sum(len(k.groepen) for k in secties),
    }
    return render_template(
        "posts/sociale_kaart.html",
        secties=secties,
        totals=totals,
        gemeenten=gemeenten,
        alle_wijken=alle_wijken,
        categorieen=CATEGORIEEN,
        fasen=INITIATIEF_FASEN,
        keuze={"gemeente": gemeente_code, "wijk": wijk_code, "categorie": categorie},
        notices=notices,
        openingstijden=openingstijden,
        post_url=post_url,
        prijs_label=prijs_label,
        herhaling_label=herhaling_label,
        plek_naam=plek_naam,
    )
